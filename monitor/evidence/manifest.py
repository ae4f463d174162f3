"""The manifest of one evidence item (SPEC §5 `problems evidence`): what was captured,
from where, when, and the sha256 of each file, so a copy can be checked years later."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

MANIFEST_NAME = "manifest.json"
PAGE_NAME = "page.html"
SCREENSHOT_NAME = "screenshot.png"
FULL_PAGE_NAME = "fullpage.jpg"
DOM_NAME = "dom.html"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class CaptureFacts:
    """What the browser saw, besides the files themselves."""

    url: str
    final_url: str
    http_status: int | None
    fetched_at: datetime
    full_page_height: int
    truncated: bool
    highlighted: bool
    masked_numbers: int


def build_manifest(facts: CaptureFacts, files: Mapping[str, bytes], version: str,
                   problem: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "url": facts.url,
        "final_url": facts.final_url,
        "http_status": facts.http_status,
        "fetched_at": facts.fetched_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "sha256": {name: sha256_hex(data) for name, data in sorted(files.items())},
        "monitor_version": version,
        "problem": dict(problem),
        "full_page_height": facts.full_page_height,
        "truncated": facts.truncated,
        "highlighted": facts.highlighted,
        # Personal numbers are masked in every file, as in the database (138****1234).
        "masked_numbers": facts.masked_numbers,
    }


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def mismatched_files(manifest: Mapping[str, Any], files: Mapping[str, bytes]) -> list[str]:
    """The names the manifest lists whose content (or absence) does not match it."""
    return sorted(name for name, digest in manifest["sha256"].items()
                  if name not in files or sha256_hex(files[name]) != digest)
