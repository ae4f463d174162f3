"""Where output goes: results on stdout, progress and messages on stderr (SPEC §3)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(document: Any) -> None:
    """One JSON document on stdout; Chinese kept readable."""
    print(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/yellow] {message}", markup=True)
