"""Where a crawl's columns are read (`crawl.backend`): here, by `crawler.process` in this
process or its workers (`local`), or as a job on a scrapyd server (`scrapyd`). Either way
the run is opened, judged and recorded by `monitor.services.crawl` in this process."""

from __future__ import annotations

from monitor.app import App
from monitor.errors import CrawlError
from monitor.i18n import _
from monitor.services.crawl import CrawlSummary
from monitor.services.crawl import run_crawl as run_local


def run_crawl(app: App, unit_names: list[str], trigger: str = "cli",
              show_progress: bool = True, workers: int | None = None) -> CrawlSummary:
    """`monitor.services.crawl.run_crawl` on the configured backend."""
    crawl = app.config.crawl
    if crawl.backend == "local":
        return run_local(app, unit_names, trigger, show_progress, workers)
    if workers is not None and workers > 1:
        raise CrawlError(_("--workers applies to crawl.backend: local; on scrapyd each "
                           "crawl is one job"))
    from monitor.services.crawl_backends.scrapyd import ScrapydClient, ScrapydReader, upload_egg

    assert crawl.scrapyd_url is not None  # the config requires it with backend: scrapyd
    client = ScrapydClient(crawl.scrapyd_url)
    # Before the run is opened: a scrapyd that is down or refuses the egg leaves no run.
    version = upload_egg(client)
    return run_local(app, unit_names, trigger, show_progress,
                     reader=ScrapydReader(client, version))
