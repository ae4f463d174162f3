"""Reading post dates as Chinese portals print them (SPEC §4.2).

A list cell may show a full date (`2024-04-29`, `2024/4/29`, `2024.04.29`, `2024年4月29日`,
with or without a time) or only month and day (`04-29`, `[04-29]`, `4月29日`), often
in full-width digits. Short dates get their year from context: `resolve_short_dates`
walks a newest-first list and never puts a post in the future.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

# Full-width ASCII (U+FF01..U+FF5E) to ASCII, ideographic space to space: portals often
# type dates with an input method left in full-width mode.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH[0x3000] = 0x20
_FULL_WIDTH[ord("【")] = ord("[")
_FULL_WIDTH[ord("】")] = ord("]")

_FULL_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?P<sep>[-/.年])\s*(?P<m>\d{1,2})\s*[-/.月]\s*"
    r"(?P<d>\d{1,2})(?!\d)(?:\s*日)?"
    r"(?:(?:\s+|T|-)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?!\d))?"
)
# Month-day alone: two-digit "04-29" / "04/29" or "4月29日". Single-digit dashed forms
# ("15-7") are too often numbers inside titles to be read as dates.
_SHORT_DATE = re.compile(
    r"(?<![\d\-/.])(?:(?P<m>\d{2})[-/](?P<d>\d{2})|(?P<cm>\d{1,2})月(?P<cd>\d{1,2})日)(?![\d\-/])"
)

# Any ASCII or full-width digit: most text cells hold none, and the test is cheap.
_ANY_DIGIT = re.compile(r"[0-9\uff10-\uff19]")
_EARLIEST_YEAR = 1990
_LATEST_YEAR = 2100
# How many days a short date may land after "today" (the crawl date): time zones and
# sites that post at 23:59 for the next morning. Never more (SPEC §4.2, fairness).
_FUTURE_TOLERANCE = timedelta(days=1)
# A newest-first list walks backwards in time; a row newer than the row before it is an
# exception (a pinned post, a late edit). Going forward costs this many times more than
# going back, so one such row cannot drag the rest of the list into another year.
_FORWARD_PENALTY = 4


@dataclass(frozen=True)
class ParsedDate:
    """A date as printed: `year` is None for a short (month-day) date."""

    raw: str
    month: int
    day: int
    year: int | None = None
    clock: time | None = None

    @property
    def is_short(self) -> bool:
        return self.year is None

    def to_date(self) -> date | None:
        """The calendar date, or None for a short date (use `resolve_short_dates`)."""
        if self.year is None:
            return None
        return date(self.year, self.month, self.day)


def to_ascii(text: str) -> str:
    """`text` with full-width digits, letters, punctuation and spaces made ASCII."""
    return text.translate(_FULL_WIDTH)


def find_date(text: str) -> ParsedDate | None:
    """The first full date in `text`, else the first month-day date, else None."""
    if not text or not _ANY_DIGIT.search(text):
        return None
    ascii_text = to_ascii(text)
    full = _find_full_date(ascii_text)
    if full is not None:
        return full
    return _find_short_date(ascii_text)


def find_full_date(text: str) -> ParsedDate | None:
    """The first date with a year in `text` (short dates are ignored)."""
    return _find_full_date(to_ascii(text)) if text else None


def parse_date(text: str) -> date | None:
    """The calendar date of the first full date in `text`, or None."""
    found = find_full_date(text)
    return found.to_date() if found is not None else None


def _find_full_date(text: str) -> ParsedDate | None:
    for match in _FULL_DATE.finditer(text):
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        if match["sep"] == "." and len(match["m"]) == 1 and len(match["d"]) == 1:
            # "2023.1.5" is more often a version or section number than a date.
            continue
        if not _is_valid(year, month, day) or not _EARLIEST_YEAR <= year <= _LATEST_YEAR:
            continue
        return ParsedDate(
            raw=match.group(0).strip(),
            year=year,
            month=month,
            day=day,
            clock=_clock(match),
        )
    return None


def _clock(match: re.Match[str]) -> time | None:
    if match["H"] is None:
        return None
    hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _find_short_date(text: str) -> ParsedDate | None:
    for match in _SHORT_DATE.finditer(text):
        month = int(match["m"] or match["cm"])
        day = int(match["d"] or match["cd"])
        # 29 February is valid in a leap year; check against one.
        if _is_valid(2000, month, day):
            return ParsedDate(raw=match.group(0), month=month, day=day)
    return None


def _is_valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def resolve_short_date(found: ParsedDate, near: date, latest: date | None = None) -> date | None:
    """The date for `found` in the year that puts it closest to `near`.

    `near` is a date known to be close, e.g. the article's PubDate or the previous row's
    date. Full dates are returned as they are. `latest` (default: no limit) is the last
    acceptable day; None when no year fits.
    """
    if not found.is_short:
        return found.to_date()
    candidates = _candidates(found, near, latest)
    if not candidates:
        return None
    return min(candidates, key=lambda day: abs((near - day).days))


def resolve_short_dates(
    items: Sequence[ParsedDate | None],
    reference: date,
    start: date | None = None,
) -> list[date | None]:
    """Dates for a newest-first list of printed dates; short dates get a year.

    `reference` is the crawl date: no short date is resolved to more than one day after
    it. `start` is where the walk begins (default `reference`); pass the last date of the
    previous page when resolving page 2 onwards. Each full date in `items` (including a
    PubDate the caller substituted for a row) re-anchors the walk. A row out of order by
    days or weeks takes the nearest year, weighted towards the past, so it neither jumps a
    year nor throws off the rows that follow it.
    """
    latest = reference + _FUTURE_TOLERANCE
    cursor = min(start or reference, latest)
    resolved: list[date | None] = []
    for found in items:
        if found is None:
            resolved.append(None)
            continue
        day = found.to_date() if not found.is_short else _walk_back(found, cursor, latest)
        resolved.append(day)
        if day is not None:
            cursor = min(day, latest)
    return resolved


def _walk_back(found: ParsedDate, cursor: date, latest: date) -> date | None:
    candidates = _candidates(found, cursor, latest)
    if not candidates:
        return None

    def cost(day: date) -> int:
        back = (cursor - day).days
        return back if back >= 0 else -back * _FORWARD_PENALTY

    return min(candidates, key=cost)


def _candidates(found: ParsedDate, near: date, latest: date | None) -> list[date]:
    days = []
    for year in (near.year - 1, near.year, near.year + 1):
        if _is_valid(year, found.month, found.day):
            day = date(year, found.month, found.day)
            if latest is None or day <= latest:
                days.append(day)
    return days


def parse_datetime(text: str) -> datetime | None:
    """The first full date in `text` with its time of day when printed (naive)."""
    found = find_full_date(text)
    if found is None or found.year is None:
        return None
    return datetime.combine(date(found.year, found.month, found.day), found.clock or time())
