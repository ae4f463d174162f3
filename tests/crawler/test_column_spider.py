from __future__ import annotations

import asyncio
from datetime import date

from crawler.extract.article import extract_article
from crawler.extract.html import parse_html
from crawler.plan import CrawlPlan
from crawler.spiders.columns import ColumnSpider

SITE = "http://www.ruihe.gov.cn/"
PAGE = "http://xxgk.ruihe.gov.cn/slj/t1.html"
HIDDEN_LINK_TO_THE_SITE = (
    "<html><body><div class='TRS_Editor'><p>正文，足够长的一段文字。</p></div>"
    f"<div style='display:none'><a href='{SITE}zwgk/'>政务公开</a></div></body></html>")


def _spider(read_home_page: bool) -> ColumnSpider:
    plan = CrawlPlan(1, (), date(2024, 5, 10), 10, None, SITE, read_home_page=read_home_page)
    return ColumnSpider(plan)


async def _first_requests(spider: ColumnSpider) -> list[str]:
    return [request.url async for request in spider.start()]


def test_a_worker_without_the_home_page_still_knows_the_sites_hosts() -> None:
    root = parse_html(HIDDEN_LINK_TO_THE_SITE)
    for read_home_page in (True, False):
        spider = _spider(read_home_page)
        assert spider._check_content(extract_article(root, PAGE), root, PAGE) == ()


def test_only_the_worker_asked_to_reads_the_home_page() -> None:
    assert asyncio.run(_first_requests(_spider(True))) == [SITE]
    assert asyncio.run(_first_requests(_spider(False))) == []
