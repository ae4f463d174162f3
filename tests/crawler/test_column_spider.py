from __future__ import annotations

import asyncio
from datetime import date

from scrapy.http import HtmlResponse, Request

from crawler.extract.article import extract_article
from crawler.extract.html import parse_html
from crawler.extract.urls import canonical_url
from crawler.items import ColumnDone
from crawler.plan import ColumnJob, CrawlPlan
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


def _job(column_id: int, url: str) -> ColumnJob:
    return ColumnJob(column_id, "县水利局", f"栏目{column_id}", url, "static", None, False, None)


def _outputs(spider: ColumnSpider) -> list[object]:
    async def collect() -> list[object]:
        return [output async for output in spider.start()]
    return asyncio.run(collect())


def test_a_column_url_with_a_port_out_of_range_fails_that_column_only() -> None:
    plan = CrawlPlan(1, (_job(1, "http://127.0.0.1:99999/slj/gzdt/"),
                        _job(2, "http://127.0.0.1:8000/slj/tzgg/")),
                     date(2024, 5, 10), 10, None, None)
    outputs = _outputs(ColumnSpider(plan))
    [failed] = [o for o in outputs if isinstance(o, ColumnDone)]
    assert (failed.column_id, failed.outcome) == (1, "error")
    assert failed.reason is not None and failed.reason.startswith("bad_url: Port out of range")
    assert [o.url for o in outputs if isinstance(o, Request)] == ["http://127.0.0.1:8000/slj/tzgg/"]


def test_an_error_while_reading_a_list_page_ends_its_column_as_failed_once() -> None:
    plan = CrawlPlan(1, (_job(1, "http://127.0.0.1:8000/slj/gzdt/"),), date(2024, 5, 10), 10,
                     None, None)
    spider = ColumnSpider(plan)
    request = Request("http://127.0.0.1:8000/slj/gzdt/", meta={"column_id": 1, "page_no": 1})
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    [done] = list(spider.failed_on(response, KeyError("pager")))
    assert (done.outcome, done.reason) == ("error", "KeyError: 'pager'")
    assert list(spider.failed_on(response, KeyError("again"))) == []
    assert list(spider.parse_list(response)) == []  # a page answered after the error


def test_an_error_in_an_article_leaves_its_column_alone() -> None:
    plan = CrawlPlan(1, (_job(1, "http://127.0.0.1:8000/slj/gzdt/"),), date(2024, 5, 10), 10,
                     None, None)
    spider = ColumnSpider(plan)
    request = Request("http://127.0.0.1:8000/slj/t1.html",
                      meta={"column_id": 1, "post_url": "http://127.0.0.1:8000/slj/t1.html"})
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    assert list(spider.failed_on(response, ValueError("x"))) == []
    assert not spider.progress[1].finished


def test_an_ipv6_link_keeps_its_brackets_so_it_can_be_requested() -> None:
    url = canonical_url("http://[2001:DB8::1]:8080/a b.html")
    assert url == "http://[2001:db8::1]:8080/a%20b.html"
    assert Request(url).url == url
