"""The list-style registry and detection, on pages of the sample portal served on 127.0.0.1."""

from __future__ import annotations

import pkgutil
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from scrapy.http import HtmlResponse, Request

import crawler.liststyles
from crawler.liststyles import REGISTRY, ListPage, detect, pinned
from crawler.spiders.columns import ColumnSpider
from monitor.crawlfacts.items import ColumnDone
from monitor.crawlfacts.plan import ColumnJob, CrawlPlan
from monitor.domain import ListStyle
from sampleportal import RunningPortal, generate_portal, serve_portal
from sampleportal.model import ListStyle as PortalStyle
from sampleportal.model import Portal

# The crawler's style for each of the sample portal's CMS list styles.
EXPECTED = {
    PortalStyle.TRS: ListStyle.TRS,
    PortalStyle.HANWEB: ListStyle.HANWEB,
    # Its script fetches a JSON API the crawler can call itself (its columns are set
    # `render: browser`, which pins the scripted style).
    PortalStyle.JSLIST: ListStyle.JSONAPI,
    PortalStyle.TABLE: ListStyle.STATIC,
    PortalStyle.LEGACY: ListStyle.STATIC,
}


@pytest.fixture(scope="module")
def portal() -> Portal:
    return generate_portal(1)


@pytest.fixture(scope="module")
def running(portal: Portal) -> Iterator[RunningPortal]:
    with serve_portal(portal) as served:
        yield served


def _job(url: str, style: ListStyle | None = None, render: str = "static") -> ColumnJob:
    return ColumnJob(1, "县水利局", "工作动态", url, render, None, True, None, style=style)


def _spider(job: ColumnJob, browser: bool = True) -> ColumnSpider:
    plan = CrawlPlan(1, (job,), date(2024, 5, 10), 50, "chromium" if browser else None, None)
    return ColumnSpider(plan)


def _first_page(url: str, spider: ColumnSpider) -> ListPage:
    with httpx.Client(timeout=10, trust_env=False) as client:
        answer = client.get(url)
    request = Request(url, meta={"column_id": 1, "page_no": 1})
    response = HtmlResponse(url, body=answer.content, request=request,
                            headers={"Content-Type": answer.headers["content-type"]})
    return ListPage(response, answer.text, spider.progress[1], spider.plan.today)


def test_the_registry_holds_one_style_per_configurable_name_the_fallback_last() -> None:
    assert [style.name for style in REGISTRY] == list(ListStyle)
    assert REGISTRY[-1].name is ListStyle.STATIC


def test_every_module_of_the_package_is_a_registered_style() -> None:
    modules = {info.name for info in pkgutil.iter_modules(crawler.liststyles.__path__)}
    assert modules - {"base"} == {style.value for style in ListStyle}


def test_a_column_is_pinned_by_its_list_style_or_by_render_browser() -> None:
    url = "http://127.0.0.1:8000/slj/gzdt/"
    assert pinned(_job(url)) is None
    assert pinned(_job(url, render="browser")).name is ListStyle.SCRIPTED
    assert pinned(_job(url, ListStyle.HANWEB)).name is ListStyle.HANWEB


@pytest.mark.parametrize("portal_style", list(EXPECTED))
def test_each_cms_list_style_is_detected_on_its_first_page(
    portal: Portal, running: RunningPortal, portal_style: PortalStyle
) -> None:
    column = next(column for column in portal.columns()
                  if column.style is portal_style and column.posts)
    url = running.url(column.list_path)
    spider = _spider(_job(url))
    assert detect(_first_page(url, spider), spider).name is EXPECTED[portal_style]


def _page_of(body: str, spider: ColumnSpider) -> ListPage:
    url = spider.plan.jobs[0].url
    response = HtmlResponse(url, body=body.encode(), encoding="utf-8",
                            request=Request(url, meta={"column_id": 1, "page_no": 1}))
    return ListPage(response, body, spider.progress[1], spider.plan.today)


# A list page whose script posts to a CMS action rather than calling an /api/ endpoint.
SCRIPTED_PAGE = ("<html><body><ul id='list'></ul><script>$.post('/cms/list.do', {col: 3}, "
                 "draw);</script></body></html>")


def test_a_list_a_script_draws_is_read_in_the_browser_when_there_is_one() -> None:
    url = "http://127.0.0.1:8000/qsz/xzdt/"
    with_browser, without = _spider(_job(url)), _spider(_job(url), browser=False)
    assert detect(_page_of(SCRIPTED_PAGE, with_browser), with_browser).name is ListStyle.SCRIPTED
    # Without one it is read for what its HTML lists: nothing, as before the styles.
    assert detect(_page_of(SCRIPTED_PAGE, without), without).name is ListStyle.STATIC


def test_a_pinned_style_the_page_does_not_show_fails_its_column(
    portal: Portal, running: RunningPortal
) -> None:
    column = next(column for column in portal.columns() if column.style is PortalStyle.TRS)
    url = running.url(column.list_path)
    spider = _spider(_job(url, ListStyle.HANWEB))
    page = _first_page(url, spider)
    page.response.meta["list_style"] = ListStyle.HANWEB
    [done] = [out for out in spider.parse_list(page.response) if isinstance(out, ColumnDone)]
    assert (done.outcome, done.reason, done.pages) == (
        "error", "list_style_not_found: hanweb", 0)


def test_a_scripted_list_without_a_browser_is_unreachable_never_empty() -> None:
    spider = _spider(_job("http://127.0.0.1:8000/qsz/xzdt/", ListStyle.SCRIPTED), browser=False)
    [done] = list(spider._start_column(spider.progress[1]))
    assert isinstance(done, ColumnDone)
    assert (done.outcome, done.reason) == ("unreachable", "no_browser")


def test_a_list_served_as_json_is_read_from_its_api_even_with_a_browser_at_hand() -> None:
    flavour = generate_portal(1, style=PortalStyle.JSONAPI)
    column = next(column for column in flavour.columns() if column.posts)
    with serve_portal(flavour) as served:
        url = served.url(column.list_path)
        spider = _spider(_job(url))
        assert detect(_first_page(url, spider), spider).name is ListStyle.JSONAPI
