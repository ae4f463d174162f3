"""Whether the portal, or one of its hosts, did not answer a crawl run (SPEC §4.5).

A run that could not reach the portal says nothing about the units: their links are not
broken and their columns are not stale, the portal was down that night. The decision is
made from the run itself, never from a single failed request:
- the portal did not answer when its home page got no answer (refused, reset, timeout,
  DNS, 5xx) and neither did most of the columns the run tried (more than half);
- one host of the portal (an attachment or image server) did not answer when every one
  of at least `MIN_HOST_REQUESTS` targets checked on it in the run got no answer.

"Of the portal": the host names of the site and of its columns, and the other hosts of
the site's domain (`file.example.gov.cn` beside `www.example.gov.cn`). A host elsewhere
that does not answer is a dead external link, judged as usual.

Pure: reasons in (as `crawler.linkcheck.errors` and HTTP statuses name them), a verdict
out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from urllib.parse import urlsplit

from monitor.crawlfacts.items import ColumnDone
from monitor.domain import CrawlOutcome

# Failures that mean "nobody answered", as opposed to an answer saying "not here" (404)
# or "not for you" (a WAF challenge).
NO_ANSWER_REASONS = frozenset({"refused", "reset", "timeout", "dns", "unreachable", "network"})
# More than this share of the run's columns must have got no answer, beside the home page.
PORTAL_DOWN_SHARE = Fraction(1, 2)
# A host is judged only on this many requests: one refused link is a broken link.
MIN_HOST_REQUESTS = 3
# The reason of a target not checked because its host (or the whole portal) did not
# answer: it accuses nobody (`monitor.services.link_problems`).
NOT_ANSWERED = "host_not_answering"


def is_no_answer(reason: str | None) -> bool:
    """`reason` ('refused', 'http_503', …) says that the server did not answer."""
    if reason is None:
        return False
    if reason in NO_ANSWER_REASONS:
        return True
    return reason.startswith("http_5") and reason[5:].isdigit()


@dataclass(frozen=True)
class HostTally:
    """The link targets checked on one host in one run, and how many got no answer."""

    checked: int = 0
    no_answer: int = 0

    def add(self, reason: str | None) -> HostTally:
        """One more target checked; `reason`: why it failed, None when it passed."""
        return HostTally(self.checked + 1, self.no_answer + int(is_no_answer(reason)))


@dataclass(frozen=True)
class PortalHosts:
    """The host names that belong to the portal."""

    names: frozenset[str]
    domain: str | None

    @classmethod
    def of(cls, site_url: str, column_urls: Iterable[str] = ()) -> PortalHosts:
        site = (urlsplit(site_url).hostname or "").lower()
        names = {site} | {(urlsplit(url).hostname or "").lower() for url in column_urls}
        names.discard("")
        return cls(frozenset(names), _domain_of(site))

    def owns(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        if host in self.names:
            return True
        return self.domain is not None and (host == self.domain
                                            or host.endswith("." + self.domain))


def _domain_of(host: str) -> str | None:
    """The domain whose hosts belong to the site: `www.x.gov.cn` → `x.gov.cn`, and
    `x.gov.cn` itself. An IP address, or a name of two labels (`gov.cn`), has none: then
    only the names themselves belong."""
    if ":" in host:  # an IPv6 address
        return None
    labels = host.split(".")
    if all(label.isdigit() for label in labels):
        return None
    if labels[0] == "www":
        labels = labels[1:]
    return ".".join(labels) if len(labels) >= 3 else None


def origin(url: str) -> str:
    """`scheme://host[:port]`: what a host of a run is called (ports differ on one name)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass(frozen=True)
class ColumnsTried:
    """The columns a run tried to read: how many, and how many got no answer."""

    tried: int
    no_answer: int


def silent_columns(done: Iterable[ColumnDone]) -> tuple[int, ...]:
    """The columns (ids) whose reading got no answer."""
    return tuple(column.column_id for column in done
                 if column.outcome == CrawlOutcome.UNREACHABLE.value
                 and is_no_answer(column.reason))


def columns_tried(done: Collection[ColumnDone]) -> ColumnsTried:
    """How the columns a run has read so far ended (`not_reached` ones were not tried)."""
    return ColumnsTried(sum(1 for column in done
                            if column.outcome != CrawlOutcome.NOT_REACHED.value),
                        len(silent_columns(done)))


def portal_down_so_far(home_page: str | None, done: Collection[ColumnDone]) -> bool:
    """After the columns are read: did the portal answer this run? (Decides whether the
    link check may request the portal's targets at all.)"""
    return portal_did_not_answer(home_page, columns_tried(done))


def portal_did_not_answer(home_page: str | None, columns: ColumnsTried) -> bool:
    """`home_page`: 'ok', a failure reason, or None when this run did not ask for it."""
    if home_page is None or not is_no_answer(home_page):
        return False
    if columns.tried == 0:
        return True
    return Fraction(columns.no_answer, columns.tried) > PORTAL_DOWN_SHARE


def hosts_not_answering(tallies: Mapping[str, HostTally], portal: PortalHosts
                        ) -> frozenset[str]:
    """The portal's hosts (origins) that answered none of at least `MIN_HOST_REQUESTS`."""
    return frozenset(
        host for host, tally in tallies.items()
        if portal.owns(host) and tally.checked >= MIN_HOST_REQUESTS
        and tally.no_answer == tally.checked
    )
