"""How a target is probed and when a failure is tried again before it is reported."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from crawler.linkcheck.images import IMAGE_SNIFF_BYTES
from monitor.crawlfacts.links import CheckResult
from monitor.domain import LinkKind, LinkStatus

# Enough of a page for its title and a not-found message, and of a challenge page.
PAGE_SNIFF_BYTES = 64 * 1024

_TRANSIENT_REASONS = frozenset(
    {"timeout", "reset", "refused", "dns", "unreachable", "network", "http_429"}
)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """`transient_retries`: extra tries for 5xx, 429, timeouts and connection failures,
    waiting `backoff_seconds`, then twice that, …; any other broken answer is confirmed
    once after `confirm_delay_seconds` (a target is never reported broken on one try)."""

    transient_retries: int = 2
    backoff_seconds: float = 2.0
    confirm_delay_seconds: float = 3.0


def first_method(kind: LinkKind) -> str:
    """Attachments are asked with HEAD first: that saves the whole file when it is there.
    Pages need their body (soft 404) and images their first bytes, so they get GET."""
    return "HEAD" if kind is LinkKind.ATTACHMENT else "GET"


def body_budget(kind: LinkKind) -> int:
    """How many body bytes a GET reads before the download is stopped."""
    return IMAGE_SNIFF_BYTES if kind is LinkKind.IMG else PAGE_SNIFF_BYTES


def head_is_conclusive(status: int, headers: Mapping[str, str]) -> bool:
    """A HEAD answer settles an attachment only when it is a 2xx for a non-HTML, non-empty
    file. Anything else is asked again with GET: many government servers answer HEAD
    with 405 or 404, and an HTML answer may be a not-found page."""
    if not 200 <= status < 300:
        return False
    if "html" in headers.get("content-type", "").lower():
        return False
    return headers.get("content-length", "").strip() != "0"


def is_transient(result: CheckResult) -> bool:
    reason = result.reason or ""
    return reason in _TRANSIENT_REASONS or (
        result.http_status is not None and result.http_status >= 500
        and result.status is LinkStatus.BROKEN
    )


def retry_delay(result: CheckResult, attempt: int, policy: RetryPolicy,
                known_broken: bool = False) -> float | None:
    """Seconds to wait before trying the target again after try number `attempt` (1 =
    first GET), or None when `result` is final. A target confirmed broken on an earlier
    run (`known_broken`) is not tried again when it fails again: one more broken answer
    keeps it broken. A rate limit (429) is still waited out: it says nothing of the target."""
    if result.status in (LinkStatus.OK, LinkStatus.UNCHECKED):
        return None
    if known_broken and result.status is LinkStatus.BROKEN:
        return None
    if is_transient(result):
        if attempt <= policy.transient_retries:
            return policy.backoff_seconds * 2 ** (attempt - 1)
        return None
    if result.status is LinkStatus.BROKEN and attempt == 1:
        return policy.confirm_delay_seconds
    return None
