"""A crawl run that could not reach the portal, or one of its hosts (SPEC §4.5, §4.7).

`judge_run` reads what the run met (`storage.crawl_store.RunCounts`) through the rule of
`monitor.rules.outage`; `record_outage` writes the consequences: one `site_unreachable`
problem per host that did not answer (key `crawl <origin>`, no unit: nobody's fault but
the portal's), fixed by a later run that reached it. The probe's own `site_unreachable`
problems (key: the probed page) are not touched here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from monitor.calendar import local_date
from monitor.domain import ProblemType
from monitor.problem_details import Facts, encode
from monitor.rules.outage import (
    ColumnsTried,
    PortalHosts,
    columns_tried,
    hosts_not_answering,
    origin,
    portal_did_not_answer,
    silent_columns,
)
from storage.crawl_store import RunCounts
from storage.problem_store import Finding, LifeCounts, reconcile


@dataclass(frozen=True)
class RunOutage:
    """What a run found of the portal's availability."""

    site: str  # the site's origin
    home_page: str | None
    columns: ColumnsTried
    # Columns that got no answer (their outcome becomes `site_unreachable` when the
    # portal was down).
    silent_columns: tuple[int, ...]
    portal_down: bool
    # Hosts of the portal that answered none of the link checks made on them.
    silent_hosts: frozenset[str]
    # Hosts this run reached (so their earlier outage is over).
    answering_hosts: frozenset[str]


def judge_run(counts: RunCounts, site_url: str, portal: PortalHosts) -> RunOutage:
    silent = silent_columns(counts.outcome_by_column.values())
    columns = columns_tried(counts.outcome_by_column.values())
    down = portal_did_not_answer(counts.home_page, columns)
    silent_hosts = hosts_not_answering(counts.link_hosts, portal)
    answering = {host for host, tally in counts.link_hosts.items()
                 if portal.owns(host) and tally.no_answer < tally.checked}
    site = origin(site_url)
    if counts.home_page is not None and not down:
        answering.add(site)
    return RunOutage(site, counts.home_page, columns, silent, down, silent_hosts,
                     frozenset(answering - silent_hosts))


def outage_findings(outage: RunOutage, counts: RunCounts, at: datetime) -> list[Finding]:
    night = local_date(at).isoformat()
    findings = []
    if outage.portal_down:
        findings.append(_finding(outage.site, {
            "night": night, "home_reason": outage.home_page,
            "columns_tried": outage.columns.tried, "columns_silent": outage.columns.no_answer}))
    for host in sorted(outage.silent_hosts):
        tally = counts.link_hosts[host]
        findings.append(_finding(host, {"night": night, "host": host,
                                        "checked": tally.checked}))
    return findings


def _key(host: str) -> str:
    return f"crawl {host}"


def _finding(host: str, facts: Facts) -> Finding:
    return Finding(ProblemType.SITE_UNREACHABLE, _key(host), None, None, host + "/",
                   encode(facts))


def record_outage(session: Session, site_id: int, outage: RunOutage, counts: RunCounts,
                  at: datetime) -> LifeCounts:
    """Open (or keep open) `site_unreachable` for each host that did not answer the run,
    and fix it for each host the run reached."""
    judged = frozenset((ProblemType.SITE_UNREACHABLE, _key(host))
                       for host in outage.answering_hosts)
    return reconcile(session, site_id, outage_findings(outage, counts, at), frozenset(), at,
                     judged_keys=judged)


def on_hosts(urls: Iterable[str], hosts: frozenset[str]) -> list[str]:
    return [url for url in urls if origin(url) in hosts]
