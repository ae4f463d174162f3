"""Where output goes: results on stdout, progress and messages on stderr (SPEC §3).

Both consoles pass every text through `monitor.safetext` (no ESC, BEL or bidi override
from a crawled title reaches the terminal), and `SafeTable` cells are shown as typed: a
title like `[/bold]` is text, not Rich markup.

A table is drawn no wider than the terminal (its width, or `COLUMNS`): its columns fold
rather than cut, so a long URL or title wraps onto further lines and no character is lost.
Into a pipe or a file with no `COLUMNS` a table keeps its natural width: there is no edge to
fit, and a cut-up URL would not be found by grep.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from monitor.i18n import _
from monitor.safetext import clean
from monitor.settings import requested_columns


class _SafeConsole(Console):
    def print(self, *objects: Any, **options: Any) -> None:  # noqa: A003
        tables = [o for o in objects if isinstance(o, Table)]
        if tables:
            # Soft wrap would let a table run past the terminal's right edge.
            options.setdefault("soft_wrap", False)
            if not self.is_terminal and requested_columns() is None:
                self._print_at_natural_width(tables)
                return
        super().print(*(clean(o) if isinstance(o, str) else o for o in objects), **options)

    def _print_at_natural_width(self, tables: list[Table]) -> None:
        for table in tables:
            natural = Measurement.get(self, self.options.update(width=10_000), table).maximum
            Console(file=self.file, highlight=False, width=natural).print(table)


class SafeTable(Table):
    """A Rich table whose title and text cells are cleaned and never read as markup, and
    whose columns fold a long cell (a URL, a title) onto further lines instead of cutting
    it, so the table fits the terminal."""

    def __init__(self, *headers: Any, title: str | None = None, **options: Any) -> None:
        super().__init__(*headers, title=None if title is None else escape(clean(title)),
                         **options)
        for column in self.columns:
            column.overflow = "fold"

    def add_column(self, *args: Any, **options: Any) -> None:
        options.setdefault("overflow", "fold")
        super().add_column(*args, **options)

    def add_row(self, *renderables: Any, **options: Any) -> None:
        super().add_row(*(escape(clean(r)) if isinstance(r, str) else r for r in renderables),
                        **options)


out = _SafeConsole(highlight=False, soft_wrap=True)
err = _SafeConsole(stderr=True, highlight=False, soft_wrap=True)


def print_json(document: Any) -> None:
    """One JSON document on stdout; Chinese kept readable."""
    print(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def warn(message: str) -> None:
    err.print(_("warning: {message}").format(message=message), markup=False, style="yellow")


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
    handler.monitor_stderr = True  # type: ignore[attr-defined]  # our own marker attribute
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
