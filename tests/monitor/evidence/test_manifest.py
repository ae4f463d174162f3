"""The manifest of an evidence item: fields of SPEC §5 and the sha256 of each file."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

from monitor.evidence.manifest import (
    CaptureFacts,
    build_manifest,
    manifest_bytes,
    mismatched_files,
)

FACTS = CaptureFacts(url="http://127.0.0.1:8000/a.html", final_url="http://127.0.0.1:8000/b.html",
                     http_status=200,
                     fetched_at=datetime(2024, 5, 10, 9, 0, tzinfo=timezone(timedelta(hours=8))),
                     full_page_height=900, truncated=False, highlighted=True, masked_numbers=0)
FILES = {"page.html": b"<html></html>", "screenshot.png": b"\x89PNG..."}


def test_manifest_has_the_spec_fields_with_utc_time_and_each_files_sha256() -> None:
    manifest = json.loads(manifest_bytes(build_manifest(FACTS, FILES, "0.1.0", {"id": 3})))
    assert manifest["url"] == "http://127.0.0.1:8000/a.html"
    assert manifest["final_url"] == "http://127.0.0.1:8000/b.html"
    assert manifest["http_status"] == 200
    assert manifest["fetched_at"] == "2024-05-10T01:00:00Z"
    assert manifest["monitor_version"] == "0.1.0"
    assert manifest["sha256"] == {name: hashlib.sha256(data).hexdigest()
                                  for name, data in FILES.items()}


def test_a_changed_or_missing_file_is_named() -> None:
    manifest = build_manifest(FACTS, FILES, "0.1.0", {})
    assert mismatched_files(manifest, FILES) == []
    assert mismatched_files(manifest, {"page.html": b"<html>changed</html>"}) == [
        "page.html", "screenshot.png"]
