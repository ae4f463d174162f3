from datetime import date

import pytest
from cssselect import SelectorError

from crawler.extract.listing import extract_list
from monitor.crawlfacts.plan import ListSelectors

PAGE_URL = "http://127.0.0.1:8000/slj/gzdt/index.html"

NAV = """
<div class="nav"><ul>
  <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
  <li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li>
  <li><a href="/slj/">水利局</a></li>
</ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/slj/">水利局</a> &gt;
  <a href="./">工作动态</a></div>
"""
PAGER = """
<div class="page"><a href="index.html">首页</a> <a href="index.html">上一页</a>
  <a href="index_1.html">1</a> <a href="index_2.html">2</a> <a href="index_3.html">3</a>
  <a href="index_2.html">下一页</a> <a href="index_9.html">尾页</a></div>
<div class="footer"><a href="/lxwm/">联系我们</a> <a href="/wzdt/">网站地图</a>
  <a href="javascript:void(0)">加入收藏</a></div>
"""
SIDEBAR = """
<div class="side"><h3>热点信息</h3><ul>
  <li><a href="/rd/1.html">全县防汛工作会议召开</a></li>
  <li><a href="/rd/2.html">县长调研重点水利工程</a></li>
</ul></div>
"""

TITLES = [
    "县水利局召开2024年防汛抗旱工作部署会议",
    "县水利局开展汛前水库安全隐患排查整治",
    "县水利局组织学习新修订的河道管理条例",
    "全县农村饮水安全工程建设推进会召开",
]


def wrap(block: str) -> str:
    return f"<html><body>{NAV}{SIDEBAR}<div class='main'>{block}</div>{PAGER}</body></html>"


def li_list() -> str:
    rows = "".join(
        f'<li><a href="./202404/t2024042{i}_{i}.html" target="_blank">{t}</a>'
        f"<span>2024-04-2{9 - i}</span></li>"
        for i, t in enumerate(TITLES)
    )
    return wrap(f'<ul class="list">{rows}</ul>')


def test_li_list_between_menu_sidebar_and_pager_yields_only_the_posts():
    page = extract_list(li_list(), PAGE_URL)
    assert page.found_by == "detected"
    assert [item.title for item in page.items] == TITLES
    assert page.items[0].url == "http://127.0.0.1:8000/slj/gzdt/202404/t20240420_0.html"
    assert [item.date for item in page.items] == [
        date(2024, 4, 29), date(2024, 4, 28), date(2024, 4, 27), date(2024, 4, 26)]


def test_table_rows_with_short_bracketed_dates_and_relative_parent_links():
    rows = "".join(
        f'<tr><td class="dot"></td><td><a href="../../art/2024/4/{20 + i}/art_7_{i}.html">{t}'
        f"</a></td><td>[04-{20 + i:02d}]</td></tr>"
        for i, t in enumerate(TITLES)
    )
    page = extract_list(wrap(f"<table><tr><th>标题</th><th>日期</th></tr>{rows}</table>"),
                        PAGE_URL, reference=date(2024, 5, 1))
    assert len(page.items) == 4
    assert page.items[1].url == "http://127.0.0.1:8000/art/2024/4/21/art_7_1.html"
    assert page.items[1].raw_date == "04-21"
    assert page.items[1].date == date(2024, 4, 21)


def test_div_rows_with_truncated_titles_take_the_title_attribute():
    rows = "".join(
        f'<div class="item"><a href="//127.0.0.1:8000/p/{i}.html" title="{t}">{t[:8]}…</a>'
        f'<em>{2024}年4月{10 + i}日</em></div>'
        for i, t in enumerate(TITLES)
    )
    page = extract_list(wrap(f'<div class="news">{rows}</div>'), PAGE_URL)
    assert [item.title for item in page.items] == TITLES
    assert page.items[3].url == "http://127.0.0.1:8000/p/3.html"
    assert page.items[3].date == date(2024, 4, 13)


def test_list_without_dates_is_still_found():
    rows = "".join(f'<li><a href="/a/{i}.html">{t}</a></li>' for i, t in enumerate(TITLES))
    page = extract_list(wrap(f"<ul>{rows}</ul>"), PAGE_URL)
    assert [item.title for item in page.items] == TITLES
    assert all(item.date is None and item.raw_date is None for item in page.items)


def test_javascript_links_and_pager_rows_are_never_posts():
    rows = "".join(
        f'<li><a href="/a/{i}.html">{t}</a><span>2024-04-0{i + 1}</span></li>'
        for i, t in enumerate(TITLES)
    ) + '<li><a href="javascript:void(0)">县水利局内部通知（仅内网）</a><span>2024-04-09</span></li>'
    page = extract_list(wrap(f"<ul>{rows}</ul>"), PAGE_URL)
    assert len(page.items) == 4
    assert all(not item.url.startswith("javascript") for item in page.items)


def test_list_split_into_several_uls_is_merged_in_order():
    first = "".join(f'<li><a href="/a/{i}.html">{t}</a><span>2024-04-1{i}</span></li>'
                    for i, t in enumerate(TITLES[:2]))
    second = "".join(f'<li><a href="/b/{i}.html">{t}</a><span>2024-04-0{i}</span></li>'
                     for i, t in enumerate(TITLES[2:], start=1))
    block = f'<ul class="l">{first}</ul><hr><ul class="l">{second}</ul>'
    page = extract_list(wrap(block), PAGE_URL)
    assert [item.title for item in page.items] == TITLES


def test_single_post_column_is_found():
    block = f'<ul class="list"><li><a href="/a/1.html">{TITLES[0]}</a><span>2024-03-01</span></li></ul>'
    page = extract_list(wrap(block), PAGE_URL)
    assert [item.title for item in page.items] == [TITLES[0]]


def test_empty_column_gives_no_items():
    page = extract_list(wrap("<p>暂无相关信息</p>"), PAGE_URL)
    assert page.items == [] and page.found_by == "none"


def test_configured_selectors_override_detection():
    rows = "".join(
        f'<div class="r"><a class="t" href="/a/{i}.html">{t}</a><a href="/col/">栏目</a>'
        f'<i class="d">2024-04-1{i}</i></div>'
        for i, t in enumerate(TITLES)
    )
    selectors = ListSelectors(item="div.r", link="a.t", date="i.d")
    page = extract_list(wrap(rows), PAGE_URL, selectors)
    assert page.found_by == "selectors"
    assert [item.url for item in page.items][:2] == [
        "http://127.0.0.1:8000/a/0.html", "http://127.0.0.1:8000/a/1.html"]
    assert page.items[2].date == date(2024, 4, 12)


def test_invalid_configured_selector_raises():
    with pytest.raises(SelectorError):
        extract_list(li_list(), PAGE_URL, ListSelectors(item="ul[["))


def test_trs_list_has_its_12_rows(trs_column_list):
    page = extract_list(trs_column_list, "http://www.ruihe.gov.cn/zwgk/zhxx/",
                        reference=date(2023, 10, 20))
    assert len(page.items) == 12
    first, last = page.items[0], page.items[-1]
    assert first.url == "http://www.ruihe.gov.cn/zwgk/zhxx/202310/t20231019_58316.html"
    assert first.title == "瑞河县召开秋季农产品产销对接会"
    assert first.date == date(2023, 10, 19)
    assert last.title == "瑞河县县级环保督察反馈问题第5批整改情况公示"
    assert last.date == date(2023, 9, 26)
    assert all(item.date is not None and item.date.year == 2023 for item in page.items)
    # The rows out of date order keep their own dates.
    by_url = {item.url.rsplit("/", 1)[-1]: item.date for item in page.items}
    assert by_url["t20230929_57988.html"] == date(2023, 9, 29)
    assert by_url["t20230921_57702.html"] == date(2023, 9, 21)


def test_trs_list_excludes_menu_breadcrumb_sidebar_and_footer(trs_column_list):
    page = extract_list(trs_column_list, "http://www.ruihe.gov.cn/zwgk/zhxx/")
    titles = {item.title for item in page.items}
    assert not titles & {"首页", "政务公开", "综合信息", "办事指南", "联系我们", "后台管理"}


def test_empty_marker_in_a_widget_does_not_hide_a_dated_list():
    markup = li_list().replace("<h3>热点信息</h3>", "<h3>热点信息</h3><p>暂无数据</p>")
    assert len(extract_list(markup, PAGE_URL).items) == 4
