"""`read_page`: what one page tells the discovery walk."""

from __future__ import annotations

from crawler.discover.page import ListKind, read_page

URL = "http://127.0.0.1:8000/bm/slj/gzdt/"


def _page(body: str, head: str = "") -> str:
    return f'<html><head><meta charset="utf-8"><title>工作动态_县水利局</title>{head}</head>' \
           f"<body>{body}</body></html>"


def test_a_dated_list_is_a_static_column_and_its_rows_and_pager_are_not_navigation() -> None:
    rows = "".join(f'<li><a href="./202404/t202404{d:02d}_{d}.html">县水利局开展汛前安全检查'
                   f"第{d}次工作部署会</a><span>2024-04-{d:02d}</span></li>" for d in range(1, 9))
    body = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/bm/slj/">县水利局</a>'
            f' &gt; 工作动态</div><ul class="tree"><li><a href="../tzgg/">通知公告</a></li></ul>'
            f'<ul class="list">{rows}</ul><div class="page"><a href="index_1.html">下一页</a></div>')
    report = read_page(_page(body), URL)
    assert report.list_kind is ListKind.STATIC
    assert (report.posts, report.dated) == (8, 8)
    assert report.crumbs == ("首页", "县水利局", "工作动态")
    assert report.title == "工作动态_县水利局"
    assert [(link.url, link.text) for link in report.links] == [
        ("http://127.0.0.1:8000/bm/slj/", "县水利局"),
        ("http://127.0.0.1:8000/bm/slj/tzgg/", "通知公告")]


def test_a_menu_of_unit_names_is_not_an_undated_list() -> None:
    names = "".join(f'<li><a href="/bm/u{n}/">县第{n}综合执法局</a></li>' for n in range(8))
    report = read_page(_page(f'<div class="bm"><ul>{names}</ul></div>'), URL)
    assert report.list_kind is ListKind.NONE
    assert len(report.links) == 8


def test_an_empty_list_table_is_an_empty_column() -> None:
    body = ('<table class="list-table"><tr><th>标题</th><th>发布日期</th></tr></table>'
            '<div class="pager">共0条 第1/1页</div>')
    assert read_page(_page(body), URL).list_kind is ListKind.EMPTY
    assert read_page(_page("<p>暂无相关信息</p>"), URL).list_kind is ListKind.EMPTY


def test_a_list_loaded_by_a_script_needs_a_browser() -> None:
    body = ('<ul id="list"></ul><script>var x = new XMLHttpRequest();'
            'x.open("GET", "/cms/list.do?channel=12"); x.send();</script>')
    assert read_page(_page(body), URL).list_kind is ListKind.SCRIPT


API_LIST = ('<div id="article-list"></div><script>var page = 1;'
            'fetch("/api/columns/12/articles?page=" + page).then(r => r.json())</script>')


def test_a_list_its_script_fetches_from_an_api_endpoint_is_read_through_the_endpoint() -> None:
    report = read_page(_page(API_LIST), URL)
    assert report.list_kind is ListKind.JSONAPI
    assert report.list_source == "http://127.0.0.1:8000/api/columns/12/articles"
    assert report.posts == 0


def test_an_api_list_saying_it_has_no_posts_yet_is_still_read_through_the_endpoint() -> None:
    # The crawl tries the /api/ style before reading an empty column's page.
    report = read_page(_page(API_LIST + "<p>暂无信息</p>"), URL)
    assert report.list_kind is ListKind.JSONAPI


def test_rows_in_the_html_make_a_static_list_whatever_the_script_calls() -> None:
    rows = "".join(f'<li><a href="./202404/t202404{d:02d}_{d}.html">县水利局开展汛前安全检查'
                   f"第{d}次工作部署会</a><span>2024-04-{d:02d}</span></li>" for d in range(1, 6))
    body = f'<ul class="list">{rows}</ul><script>fetch("/api/visits?page=1")</script>'
    report = read_page(_page(body), URL)
    assert (report.list_kind, report.list_source) == (ListKind.STATIC, None)


def test_a_hanweb_dataproxy_declaration_is_a_hanweb_column() -> None:
    body = ('<div id="5"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="'
            '/module/web/jpage/dataproxy.jsp?page=1&columnid=5&webid=1"></a>]]></nextgroup>'
            "<recordset></recordset></datastore></script></div>")
    assert read_page(_page(body), URL).list_kind is ListKind.HANWEB


def test_links_carry_the_heading_or_tree_label_they_sit_under() -> None:
    body = ('<div class="unit"><h3>县水利局</h3><ul><li><a href="/slj/gzdt/">工作动态</a></li>'
            '</ul></div><ul class="tree"><li><a href="/col/col10/">石门镇</a><ul><li>'
            '<a href="/col/col11/">乡镇动态</a></li></ul></li></ul>')
    report = read_page(_page(body), URL)
    assert {link.text: link.heading for link in report.links} == {
        "工作动态": "县水利局", "石门镇": None, "乡镇动态": "石门镇"}


def test_a_more_link_is_named_by_the_title_of_the_block_it_closes() -> None:
    body = ('<div class="box"><div class="hd"><span>通知公告</span><a href="/slj/tzgg/">更多&gt;&gt;'
            '</a></div><ul><li><a href="/slj/tzgg/202404/t20240426_1.html">关于开展防汛演练的通知'
            '</a></li></ul></div><div class="box"><h3>工作动态<a href="/slj/gzdt/">more</a></h3>'
            '</div>')
    report = read_page(_page(body), URL)
    assert {link.url: link.text for link in report.links}["http://127.0.0.1:8000/slj/tzgg/"] == \
        "通知公告"
    assert {link.url: link.text for link in report.links}["http://127.0.0.1:8000/slj/gzdt/"] == \
        "工作动态"
