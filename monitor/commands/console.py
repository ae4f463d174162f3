"""Where output goes: results on stdout, progress and messages on stderr (SPEC §3)."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from rich.console import Console

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(document: Any) -> None:
    """One JSON document on stdout; Chinese kept readable."""
    print(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def warn(message: str) -> None:
    err.print(f"[yellow]warning:[/yellow] {message}", markup=True)


_LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"


def log_warnings_to_stderr() -> None:
    """Warnings and errors of every logger (the crawler's, Scrapy's) as lines on stderr:
    a column the crawl could not read, and why, must be in the log."""
    root = logging.getLogger()
    if any(getattr(handler, "monitor_stderr", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(_LOG_FORMAT))
    handler.monitor_stderr = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
