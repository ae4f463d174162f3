"""The judgements the pages show, kept until the data or the day changes.

Computing the figures of a county's portal takes seconds (every post of the year is
counted, the config synced), far more than a page may take. The results of the
service functions are therefore kept, keyed by what was asked, for as long as the as-of
day and the data fingerprint (`storage.dashboard_queries.data_version`: a crawl run
started or ended, a problem changed state or was seen again) stay the same. A page
then costs one small query and its rendering; the first view after a crawl recomputes.
The values kept are the services' own frozen results, so a cached page and a fresh
`monitor check` cannot disagree.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from storage.dashboard_queries import data_version

T = TypeVar("T")


class JudgementCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple[Any, ...] | None = None
        self._entries: dict[Hashable, Any] = {}
        # One computation per key at a time: a second request for it waits for the first.
        self._computing: dict[Hashable, threading.Lock] = {}

    def version(self, session: Session, as_of: date) -> tuple[Any, ...]:
        return (as_of, *data_version(session))

    def get(self, version: tuple[Any, ...], key: Hashable, compute: Callable[[], T]) -> T:
        """The value of `key` at `version`, computed (once) when not kept yet."""
        with self._lock:
            self._move_to(version)
            if key in self._entries:
                return self._entries[key]
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                if version == self._version and key in self._entries:
                    return self._entries[key]
            value = compute()
            with self._lock:
                # Kept only if nothing changed meanwhile; else the next request recomputes.
                if version == self._version:
                    self._entries[key] = value
        return value

    def _move_to(self, version: tuple[Any, ...]) -> None:
        if version != self._version:
            self._entries.clear()
            self._version = version
