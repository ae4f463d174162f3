"""Availability probe: the national rule's "site cannot be opened" veto (单项否决).

Every round fetches the home page and the configured key pages once, each with the rule's
limit (15 s): a page that fails to load within it, or answers with an error status, counts
as a failed probe. Per page, over a window of `window_days` calendar days (Asia/Shanghai,
the as-of day included), the share of failed probes decides:

- the window is judged only when every one of its days has at least `min_probes_per_day`
  probes — a site is not accused on thinner evidence than the rule prescribes;
- failures >= `fail_ratio` of the window's probes → `site_unreachable` is open;
- below it → the problem is fixed. An unjudged window leaves the problem as it was.
"""

from __future__ import annotations

import ssl
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING

from monitor.clock import local_date
from monitor.problem_details import probe_text

if TYPE_CHECKING:
    # Imported where a probe runs: the rules of this module serve the national score too.
    import httpx

# Headers and body of a home page; the rest of a big page is not needed to see it opened.
MAX_BODY_BYTES = 2_000_000


@dataclass(frozen=True)
class ProbeOutcome:
    url: str
    at: datetime
    ok: bool
    http_status: int | None
    elapsed_ms: int
    error: str | None


@dataclass(frozen=True)
class ProbeRule:
    timeout_seconds: float = 15
    window_days: int = 7
    min_probes_per_day: int = 20
    fail_ratio: float = 0.05


@dataclass(frozen=True)
class ProbeSample:
    at: datetime
    ok: bool


@dataclass(frozen=True)
class AvailabilityVerdict:
    url: str
    first_day: date
    last_day: date
    probes: int
    failures: int
    # Days of the window with fewer probes than the rule needs; non-empty: not judged.
    thin_days: tuple[date, ...]
    unreachable: bool | None

    @property
    def judged(self) -> bool:
        return self.unreachable is not None

    @property
    def ratio(self) -> float:
        return self.failures / self.probes if self.probes else 0.0

    def facts(self) -> dict[str, object]:
        """The verdict as a `site_unreachable` problem's detail keeps it."""
        return {"first_day": self.first_day.isoformat(), "last_day": self.last_day.isoformat(),
                "probes": self.probes, "failures": self.failures}

    def describe(self) -> str:
        """The verdict in words, in the active language."""
        return probe_text(self.facts())


def probe_page(client: httpx.Client, url: str, limit_seconds: float, at: datetime) -> ProbeOutcome:
    """Fetch `url` once; ok when it answers below 400 with its body within the limit."""
    import httpx

    started = time.monotonic()
    status: int | None = None
    error: str | None = None
    try:
        with client.stream("GET", url) as response:
            status = response.status_code
            received = 0
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received >= MAX_BODY_BYTES or time.monotonic() - started > limit_seconds:
                    break
    except httpx.TimeoutException:
        error = "timeout"
    except httpx.HTTPError as failure:
        error = f"{type(failure).__name__}: {failure}"[:200]
    elapsed = time.monotonic() - started
    if error is None and elapsed > limit_seconds:
        # Each read was within the limit but the whole page was not.
        error = "timeout"
    if error is None and status is not None and status >= 400:
        error = f"HTTP {status}"
    return ProbeOutcome(url, at, error is None, status, int(elapsed * 1000), error)


@cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle takes tens of milliseconds; rounds come every 30 minutes
    # in service but back to back in replays.
    return ssl.create_default_context()


def probe_round(urls: Iterable[str], limit_seconds: float, at: datetime) -> list[ProbeOutcome]:
    import httpx

    timeout = httpx.Timeout(limit_seconds)
    with httpx.Client(timeout=timeout, follow_redirects=True, trust_env=False,
                      verify=_tls_context()) as client:
        return [probe_page(client, url, limit_seconds, at) for url in urls]


def judge_window(
    url: str, samples: Iterable[ProbeSample], as_of: date, rule: ProbeRule
) -> AvailabilityVerdict:
    """The verdict on one page for the window ending on `as_of` (pure)."""
    first_day = as_of - timedelta(days=rule.window_days - 1)
    inside = [s for s in samples if first_day <= local_date(s.at) <= as_of]
    per_day = Counter(local_date(s.at) for s in inside)
    days = [first_day + timedelta(days=offset) for offset in range(rule.window_days)]
    thin = tuple(day for day in days if per_day[day] < rule.min_probes_per_day)
    failures = sum(1 for s in inside if not s.ok)
    unreachable: bool | None = None
    if not thin:
        # Exact fractions: 7 failures of 140 probes is 5 %, which float arithmetic misses.
        unreachable = Fraction(failures, len(inside)) >= Fraction(str(rule.fail_ratio))
    return AvailabilityVerdict(url, first_day, as_of, len(inside), failures, thin, unreachable)
