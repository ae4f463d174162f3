"""Finding a list page's /api/ call and reading its JSON answers."""

from __future__ import annotations

import json
from datetime import date

import pytest
from scrapy.http import Request, TextResponse

from crawler.extract.listing import ListItem
from crawler.liststyles.jsonapi import ApiQuery, api_list_query, find_api_query, read_answer
from crawler.spiders.columns import ColumnSpider
from monitor.crawlfacts.items import ColumnDone
from monitor.crawlfacts.plan import ColumnJob, CrawlPlan
from monitor.domain import ListStyle

PAGE = "http://www.ruihe.gov.cn/slj/gzdt/"


@pytest.mark.parametrize(("script", "expected"), [
    ('fetch("/api/columns/12/articles?page=" + page)',
     ApiQuery("http://www.ruihe.gov.cn/api/columns/12/articles", "page")),
    ("$.ajax({type: 'GET', url: '/api/news/list?siteId=3&pageNo=' + n, dataType: 'json'})",
     ApiQuery("http://www.ruihe.gov.cn/api/news/list?siteId=3", "pageNo")),
    ("axios.get(`https://data.ruihe.gov.cn/api/v1/columns/7/items`)",
     ApiQuery("https://data.ruihe.gov.cn/api/v1/columns/7/items", "page")),
    ("$.getJSON('../api/list.json?size=20&p=1', draw)",
     ApiQuery("http://www.ruihe.gov.cn/slj/api/list.json?size=20", "p")),
])
def test_the_api_call_of_a_list_script_is_found_with_its_page_parameter(
    script: str, expected: ApiQuery
) -> None:
    assert find_api_query(f"<script>{script}</script>", PAGE) == expected


def test_a_page_without_an_api_call_has_no_query() -> None:
    assert find_api_query('<script>fetch("/stats/visit")</script>', PAGE) is None


def test_only_a_page_whose_html_lists_no_post_is_drawn_from_its_api_call() -> None:
    markup = '<div id="list"></div><script>fetch("/api/columns/12/articles?page=" + p)</script>'
    row = ListItem("http://www.ruihe.gov.cn/slj/gzdt/art/1.html", "县水利局召开防汛工作会议",
                   date(2024, 5, 6), "2024-05-06")
    assert api_list_query(markup, PAGE, []) == ApiQuery(
        "http://www.ruihe.gov.cn/api/columns/12/articles", "page")
    assert api_list_query(markup, PAGE, [row]) is None


def test_each_page_is_asked_for_by_its_number_beside_the_fixed_parameters() -> None:
    query = ApiQuery("http://www.ruihe.gov.cn/api/news/list?siteId=3", "pageNo")
    assert query.page_url(2) == "http://www.ruihe.gov.cn/api/news/list?siteId=3&pageNo=2"


def test_an_answer_gives_posts_with_their_dates_and_the_total() -> None:
    answer = read_answer(json.dumps({"total": 31, "items": [
        {"title": " 县水利局召开防汛工作会议 ", "url": "/slj/gzdt/art/1.html", "date": "2024-05-06"},
        {"title": "无日期的信息", "url": "art/2.html", "date": None},
        {"title": "", "url": "/slj/gzdt/art/3.html", "date": "2024-05-05"},
        {"title": "没有链接"},
    ]}, ensure_ascii=False), PAGE)
    assert answer is not None and answer.total == 31
    assert [(item.url, item.title, item.date) for item in answer.items] == [
        ("http://www.ruihe.gov.cn/slj/gzdt/art/1.html", "县水利局召开防汛工作会议",
         date(2024, 5, 6)),
        ("http://www.ruihe.gov.cn/slj/gzdt/art/2.html", "无日期的信息", None),
    ]


@pytest.mark.parametrize("text", ["<html>维护中</html>", '{"data": []}', "[1, 2]"])
def test_an_answer_that_is_no_list_is_told_apart(text: str) -> None:
    assert read_answer(text, PAGE) is None


API = "http://www.ruihe.gov.cn/api/columns/12/articles?page=1"


def _answer_of_another_shape(style: ListStyle | None, browser: bool) -> list[object]:
    job = ColumnJob(1, "县水利局", "工作动态", PAGE, "static", None, True, None, style=style)
    plan = CrawlPlan(1, (job,), date(2024, 5, 10), 50, "chromium" if browser else None, None)
    spider = ColumnSpider(plan)
    meta = {"column_id": 1, "page_no": 1, "list_style": ListStyle.JSONAPI, "seen": 0,
            "api": ApiQuery(API.split("?")[0], "page"), "base": PAGE}
    response = TextResponse(API, body=b'{"code": 0, "data": {"list": []}}', encoding="utf-8",
                            request=Request(API, meta=meta))
    # Without the PageAnswered of a working answer: only what the style did with it.
    return [output for output in spider.parse_list(response)
            if isinstance(output, Request | ColumnDone)]


def test_an_answer_of_another_shape_has_a_detected_list_drawn_in_the_browser() -> None:
    [request] = _answer_of_another_shape(None, browser=True)
    assert isinstance(request, Request) and request.url == PAGE
    assert request.meta["playwright"] and request.meta["list_style"] is ListStyle.SCRIPTED


@pytest.mark.parametrize(("style", "browser"), [(ListStyle.JSONAPI, True), (None, False)])
def test_an_answer_of_another_shape_fails_a_pinned_column_or_one_without_a_browser(
    style: ListStyle | None, browser: bool
) -> None:
    [done] = _answer_of_another_shape(style, browser)
    assert isinstance(done, ColumnDone)
    assert (done.outcome, done.reason, done.pages) == ("error", "jsonapi_not_a_list", 0)
