"""Where output goes: results on stdout, progress and messages on stderr (SPEC §3).

Both consoles pass every text through `monitor.safetext` (no ESC, BEL or bidi override
from a crawled title reaches the terminal), and `SafeTable` cells are shown as typed: a
title like `[/bold]` is text, not Rich markup.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from monitor.safetext import clean


class _SafeConsole(Console):
    def print(self, *objects: Any, **options: Any) -> None:  # noqa: A003
        super().print(*(clean(o) if isinstance(o, str) else o for o in objects), **options)


class SafeTable(Table):
    """A Rich table whose title and text cells are cleaned and never read as markup."""

    def __init__(self, *headers: Any, title: str | None = None, **options: Any) -> None:
        super().__init__(*headers, title=None if title is None else escape(clean(title)),
                         **options)

    def add_row(self, *renderables: Any, **options: Any) -> None:
        super().add_row(*(escape(clean(r)) if isinstance(r, str) else r for r in renderables),
                        **options)


out = _SafeConsole(highlight=False, soft_wrap=True)
err = _SafeConsole(stderr=True, highlight=False, soft_wrap=True)


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
