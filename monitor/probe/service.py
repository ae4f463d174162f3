"""One probe round: fetch the pages, store the results, judge each page's window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from monitor.clock import local_date
from monitor.config import PortalConfig
from monitor.probe.availability import (
    AvailabilityVerdict,
    ProbeOutcome,
    ProbeRule,
    judge_window,
    probe_round,
)
from storage.probe_store import ProblemChange, apply_verdict, record_outcomes, samples_since
from storage.sync import sync_config


@dataclass(frozen=True)
class PageReport:
    outcome: ProbeOutcome
    verdict: AvailabilityVerdict
    change: ProblemChange


def probe_rule(config: PortalConfig) -> ProbeRule:
    probe = config.probe
    return ProbeRule(probe.timeout_seconds, probe.window_days, probe.min_probes_per_day,
                     probe.fail_ratio)


def probed_urls(config: PortalConfig) -> list[str]:
    urls = [config.site.url]
    urls += [url for url in config.probe.key_pages if url not in urls]
    return urls


def run_probe(sessions: sessionmaker[Session], config: PortalConfig,
              now: datetime) -> list[PageReport]:
    """Probe every page once at `now`, store the results and update site_unreachable."""
    rule = probe_rule(config)
    outcomes = probe_round(probed_urls(config), rule.timeout_seconds, now)
    as_of = local_date(now)
    # A day of margin: the window is cut on Shanghai dates by `judge_window`.
    since = now - timedelta(days=rule.window_days + 1)
    reports = []
    with sessions.begin() as session:
        # Writes the portal's facts: its site row follows the config, as at a crawl.
        site_id = sync_config(session, config).site_id
        record_outcomes(session, site_id, outcomes)
        for outcome in outcomes:
            verdict = judge_window(outcome.url,
                                   samples_since(session, site_id, outcome.url, since),
                                   as_of, rule)
            reports.append(PageReport(outcome, verdict,
                                      apply_verdict(session, site_id, verdict, now)))
    return reports
