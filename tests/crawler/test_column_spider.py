from __future__ import annotations

import asyncio
from datetime import date

from scrapy.http import HtmlResponse, Request

from crawler.extract.article import extract_article
from crawler.extract.html import parse_html
from crawler.spiders.columns import ColumnSpider
from monitor.crawlfacts.items import ColumnDone, ListPageItem
from monitor.crawlfacts.plan import ColumnJob, CrawlPlan, ListSelectors
from monitor.crawlfacts.urls import canonical_url

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


COLUMN = "http://www.ruihe.gov.cn/slj/gzdt/"


def _list_page(count: int, next_page: bool) -> HtmlResponse:
    rows = "".join(f"<li><a href='{COLUMN}t{n}.html'>工作动态第{n}条信息</a>"
                   f"<span>2024-05-{1 + n % 9:02d}</span></li>" for n in range(count))
    pager = f"<a href='{COLUMN}index_1.html'>下一页</a>" if next_page else ""
    body = (f"<html><body><ul class='list'>{rows}</ul>{pager}</body></html>").encode()
    request = Request(COLUMN, meta={"column_id": 7, "page_no": 1})
    return HtmlResponse(COLUMN, body=body, encoding="utf-8", request=request,
                        headers={"Content-Type": "text/html; charset=utf-8"})


def _capped_spider(max_items: int, max_pages: int) -> ColumnSpider:
    job = ColumnJob(7, "县水利局", "工作动态", COLUMN, "static",
                    ListSelectors(item="ul.list li", title="a", link="a", date="span"),
                    first_crawl=True, since=None)
    plan = CrawlPlan(1, (job,), date(2024, 5, 10), max_pages, None, None,
                     max_items_per_page=max_items)
    return ColumnSpider(plan)


def test_a_list_page_longer_than_the_cap_is_read_up_to_it_and_reported() -> None:
    output = list(_capped_spider(max_items=10, max_pages=50).parse_list(_list_page(500, True)))
    [listed] = [item for item in output if isinstance(item, ListPageItem)]
    [done] = [item for item in output if isinstance(item, ColumnDone)]
    articles = [item for item in output if isinstance(item, Request)]
    assert len(listed.posts) == 10 and len(articles) == 10
    # Read in part: no post beyond the cap may be taken for withdrawn.
    assert (done.outcome, done.complete, done.capped) == ("ok", False, "items")


def test_reaching_the_page_cap_is_reported() -> None:
    output = list(_capped_spider(max_items=1000, max_pages=1).parse_list(_list_page(20, True)))
    [done] = [item for item in output if isinstance(item, ColumnDone)]
    assert (done.complete, done.capped) == (False, "pages")


def test_a_list_within_both_caps_is_not_reported() -> None:
    output = list(_capped_spider(max_items=1000, max_pages=50).parse_list(_list_page(20, False)))
    [done] = [item for item in output if isinstance(item, ColumnDone)]
    assert (done.complete, done.capped) == (True, None)
