"""A crawl's reading in one process: the column crawl (Scrapy), then the link check
(asyncio), written through the run's recorder.

One Twisted reactor per process. The run itself — its lease, its opening and closing, the
judgement of what it met — is `monitor.services.crawl`'s, which calls `crawl_in_process`
here or has worker processes (`crawler.worker`) or a scrapyd job
(`crawler.spiders.portal_job`) call it; each is handed plain inputs (the config, the
recorder), never the command's `App`.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from sqlalchemy.orm import Session, sessionmaker
from twisted.python.failure import Failure

from crawler.browser import launch_args
from crawler.browser_guard import running_guard
from crawler.linkcheck.checker import check_links
from crawler.portal_settings import checker_settings, crawl_settings
from crawler.spiders.columns import ColumnSpider
from monitor.config import PortalConfig
from monitor.crawlfacts.links import LinkCheckResult
from monitor.crawlfacts.links import LinkTarget as CheckTarget
from monitor.crawlfacts.plan import CrawlPlan
from monitor.errors import CrawlInterrupted
from monitor.rules.outage import NOT_ANSWERED, PortalHosts, portal_down_so_far
from monitor.stopping import on_stop_signals
from storage.crawl_store import CrawlRecorder


def recorder_for(sessions: sessionmaker[Session], config: PortalConfig, run_id: int,
                 now: datetime) -> CrawlRecorder:
    """The recorder of run `run_id`: in the process that starts the run, in a worker, or in
    a scrapyd job (which has the config but no `App`)."""
    return CrawlRecorder(sessions, run_id, now, urlsplit(config.site.url).hostname or "",
                         timedelta(days=config.crawl.recheck_ok_days))


def crawl_in_process(
    config: PortalConfig,
    browser: str | None,
    recorder: CrawlRecorder,
    progress: Any,
    plan: CrawlPlan | None,
    link_targets: Callable[[], Sequence[CheckTarget]] | None,
    shards: int = 1,
    browser_netlog: Path | None = None,
) -> None:
    """The column crawl of `plan` (Scrapy), then the link check of the targets
    `link_targets` gives once the columns are read (asyncio). `shards`: how many processes
    share the per-host limits. Raises what stopped the crawl (`CrawlInterrupted` on a
    signal, once what was read is written)."""
    if plan is not None:
        read_columns(config, browser, recorder, progress, plan, shards, browser_netlog)
        recorder.settle_answered_targets()
    targets = link_targets() if link_targets is not None else ()
    if targets:
        check_link_targets(config, targets, recorder, progress, shards)


def read_columns(config: PortalConfig, browser: str | None, recorder: CrawlRecorder,
                 progress: Any, plan: CrawlPlan, shards: int = 1,
                 browser_netlog: Path | None = None) -> None:
    if browser is None:
        _read_columns(config, None, recorder, progress, plan, shards)
        return
    # Every request of the browser goes through the SSRF guard proxy for the whole crawl.
    with running_guard(config.site.url, config.crawl.allow_private_targets) as guard:
        _read_columns(config, browser, recorder, progress, plan, shards,
                      launch_args(guard.port, browser_netlog))


def _read_columns(config: PortalConfig, browser: str | None, recorder: CrawlRecorder,
                  progress: Any, plan: CrawlPlan, shards: int,
                  browser_args: list[str] | None = None) -> None:
    process = CrawlerProcess(crawl_settings(config, browser, shards, browser_args))
    signals_received: list[int] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        # Scrapy's own handlers would end the crawl as if it were complete; here the
        # first signal stops the spiders gracefully (what was read is written) and the
        # run is then recorded as interrupted; a second one stops at once.
        from twisted.internet import reactor

        signals_received.append(signum)
        if len(signals_received) == 1:
            reactor.callFromThread(process.stop)
        else:
            # The reactor is typed as its interface, whose methods have no `self`.
            reactor.callFromThread(reactor.stop)  # type: ignore[misc]  # interface lacks self

    failures: list[Failure] = []
    process.crawl(ColumnSpider, plan=plan, recorder=recorder,
                  progress_display=progress).addErrback(failures.append)
    with on_stop_signals(on_signal):
        process.start(install_signal_handlers=False)
    recorder.flush()
    if signals_received:
        raise CrawlInterrupted(signal.Signals(signals_received[0]).name)
    if failures:
        failures[0].raiseException()


def targets_to_check(recorder: CrawlRecorder, portal: PortalHosts) -> list[CheckTarget]:
    """The link targets due, but none of the portal's when the portal did not answer the
    columns: those are recorded unchecked for this run (SPEC §4.5), not requested."""
    targets = recorder.due_link_targets()
    counts = recorder.counts
    if not portal_down_so_far(counts.home_page, counts.outcome_by_column.values()):
        return targets
    recorder.mark_unchecked([t.url for t in targets if portal.owns(t.url)], NOT_ANSWERED)
    return [target for target in targets if not portal.owns(target.url)]


def check_link_targets(config: PortalConfig, targets: Sequence[CheckTarget],
                       recorder: CrawlRecorder, progress: Any, shards: int = 1) -> None:
    """Check `targets` and hand each verdict to `recorder` (written before returning,
    interrupted or not)."""

    def record(result: LinkCheckResult) -> None:
        recorder.link_result(result)
        if progress is not None:
            progress.link_checked()

    try:
        check_links(targets, checker_settings(config, shards), record)
    finally:
        recorder.flush()


