"""Reading a `Retry-After` header (RFC 9110 §10.2.3): delta-seconds or an HTTP-date."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from `now` (an aware datetime), 0 for a date already past, or
    None when the header is absent or unreadable (then the caller's own backoff applies)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())
