"""An empty column's page still has a menu and a footer: neither is ever a list of posts."""

from __future__ import annotations

from crawler.extract.listing import extract_list

EMPTY_COLUMN = """
<html><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li>
<li><a href="/zwgk/index.html">政务公开</a></li><li><a href="/sitemap.html">网站地图</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; 县市场监督管理局 &gt; 工作动态</div>
<table class="list-table"><tr><th>标题</th><th>发布日期</th></tr></table>
<div class="pager">共0条 第1/1页 <span>首页</span> <span>下一页</span></div>
<div class="footer"><p><a href="/sitemap.html">网站地图</a> | <a href="/jiucuo/index.html">网站纠错</a>
 | <a href="mailto:zwgk@example.gov.cn">联系我们</a> | <a href="http://www.gov.cn/">中国政府网</a></p></div>
</body></html>
"""


def test_footer_links_of_an_empty_column_are_not_posts() -> None:
    page = extract_list(EMPTY_COLUMN, "http://127.0.0.1:8000/scjgj/gzdt/")
    assert page.items == []
    assert page.found_by == "none"


def test_a_dated_list_inside_a_footer_block_is_not_taken() -> None:
    footer_news = EMPTY_COLUMN.replace(
        '<div class="footer">',
        '<div class="footer"><ul><li><a href="/a/1.html">友情链接一号单位网站</a>'
        "<span>2024-04-01</span></li><li><a href=\"/a/2.html\">友情链接二号单位网站</a>"
        "<span>2024-04-02</span></li></ul>",
    )
    assert extract_list(footer_news, "http://127.0.0.1:8000/scjgj/gzdt/").items == []
