"""How far down a column's list to read: the decision, apart from the spider.

First crawl: back to `crawl.first_crawl_since`. Later crawls: until a page overlaps what
is already known, so a nightly run costs about one list page per column. The overlap is
counted inside the page, not as an extra page, to keep nightly requests near the ideal;
a back-dated post sitting among known posts on that page is still found.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from monitor.crawlfacts.plan import ColumnJob

# Known posts a page must show before an incremental crawl trusts it has caught up.
KNOWN_OVERLAP = 3


def read_next_page(
    job: ColumnJob,
    page_urls: Sequence[str],
    page_dates: Sequence[date | None],
    pages_read: int,
    max_pages: int,
) -> bool:
    if pages_read >= max_pages or not page_urls:
        return False
    if job.first_crawl:
        dated = [day for day in page_dates if day is not None]
        return job.since is None or not dated or min(dated) >= job.since
    known = sum(1 for url in page_urls if url in job.known_urls)
    return known < min(KNOWN_OVERLAP, len(page_urls))
