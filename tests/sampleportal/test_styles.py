import re

from sampleportal import generate_portal, serve_portal
from sampleportal.model import ListDates, ListStyle
from sampleportal.styles import article_path


def _column(portal, style, list_dates=None):
    return next(column for column in portal.columns() if column.style is style and column.posts
                and (list_dates is None or column.list_dates is list_dates))


def test_trs_list_has_page_count_only_in_create_page_html(running, portal, client):
    column = _column(portal, ListStyle.TRS, ListDates.SHORT)
    page = client.get(running.url(column.list_path)).text
    call = re.search(r'createPageHTML\((\d+), 0, "index", "html"\)', page)
    assert call and int(call[1]) >= 2
    assert client.get(running.url(column.root + "index_1.html")).status_code == 200
    assert re.search(r'href="\./\d{6}/t\d{8}_\d{6}\.html"', page)
    assert re.search(r'<span class="date">\d{2}-\d{2}</span>', page)
    truncated = re.search(r'title="([^"]+)"[^>]*>([^<]+…)</a>', page)
    assert truncated and truncated[1].startswith(truncated[2][:-1])


def test_hanweb_list_comes_from_dataproxy_by_get_and_post(running, portal, client):
    column = _column(portal, ListStyle.HANWEB)
    shell = client.get(running.url(column.list_path)).text
    assert "/module/web/jpage/dataproxy.jsp" in shell
    query = "?startrecord=1&endrecord=45&perpage=15"
    form = {"col": "1", "appid": "1", "webid": "3601", "path": "/",
            "columnid": str(column.number), "unitid": "9527", "permissiontype": "0"}
    posted = client.post(running.url("/module/web/jpage/dataproxy.jsp" + query), data=form).text
    fetched = client.get(running.url("/module/web/jpage/dataproxy.jsp"),
                         params={**form, "startrecord": 1, "endrecord": 45, "perpage": 15}).text
    assert posted == fetched
    total = int(re.search(r"<totalrecord>(\d+)</totalrecord>", posted)[1])
    assert total == len(column.live_posts(running.now))
    assert posted.count("<record><![CDATA[") == min(45, total)
    assert re.search(r'href="/art/\d{4}/[1-9]\d?/[1-9]\d?/art_\d+_\d+\.html"', posted)


def test_some_hanweb_columns_inline_first_records_in_a_script(running, portal, client):
    inline = [column for column in portal.columns()
              if column.style is ListStyle.HANWEB and column.posts and column.number % 2 == 0]
    page = client.get(running.url(inline[0].list_path)).text
    assert '<script type="text/xml"><datastore>' in page and "<record><![CDATA[" in page


def test_js_list_html_has_an_empty_list_and_a_json_api(running, portal, client):
    column = _column(portal, ListStyle.JSLIST)
    page = client.get(running.url(column.list_path)).text
    assert '<ul id="news-list" class="list"></ul>' in page and "fetch(" in page
    data = client.get(running.url(f"/api/{column.unit_slug}/{column.slug}/posts.json"),
                      params={"page": 1, "size": 10}).json()
    assert data["total"] == len(column.live_posts(running.now)) and len(data["items"]) == 10


def test_table_list_shows_chinese_dates_and_next_and_last_links(running, portal, client):
    column = _column(portal, ListStyle.TABLE)
    page = client.get(running.url(column.list_path)).text
    assert re.search(r"\d{4}年\d{2}月\d{2}日", page)
    assert '<a href="?page=2">下一页</a>' in page and "尾页</a>" in page
    last = int(re.search(r'<a href="\?page=(\d+)">尾页', page)[1])
    final = client.get(running.url(column.list_path), params={"page": last}).text
    assert "<span>下一页</span>" in final


def test_legacy_list_is_gbk_with_short_dates_across_the_new_year(running, portal, client):
    column = _column(portal, ListStyle.LEGACY)
    first = client.get(running.url(column.list_path))
    assert first.headers["content-type"] == "text/html; charset=GBK"
    assert "charset=gb2312" in first.content.decode("gbk")
    pages, seen = [], []
    number = 1
    while True:
        name = "list.htm" if number == 1 else f"list_{number}.htm"
        reply = client.get(running.url(column.root + name))
        if reply.status_code != 200:
            break
        pages.append(reply)
        seen += re.findall(r"\[(\d{2})-(\d{2})\]", reply.content.decode("gbk"))
        number += 1
    assert len(pages) >= 3 and "charset" not in pages[1].headers["content-type"]
    months = [int(month) for month, _ in seen]
    assert 1 in months and 12 in months
    assert months.index(12) > months.index(1)  # newest first: January 2024 before December


def test_legacy_article_header_says_gbk_while_meta_says_utf8(running, portal, client):
    column = _column(portal, ListStyle.LEGACY)
    post = column.live_posts(running.now)[0]
    reply = client.get(running.url(article_path(column, post)))
    assert reply.headers["content-type"] == "text/html; charset=GBK"
    text = reply.content.decode("gbk")
    assert "charset=utf-8" in text and post.title in text


def test_article_has_gov_meta_tags_and_visible_date(running, portal, truth, client):
    post = next(post for post in truth.posts(running.now) if post.date_source == "list"
                and post.unit == "县水利局")
    text = client.get(post.url(running.hosts)).text
    for name in ("SiteName", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate",
                 "ContentSource"):
        assert f'<meta name="{name}"' in text
    assert re.search(r'name="PubDate" content="' + post.claimed.isoformat() + r" \d{2}:\d{2}", text)
    assert "发布时间：" + post.claimed.isoformat() in text
    assert '<div class="header">' in text and '<div class="footer">' in text


def test_undated_post_has_no_date_anywhere(running, truth, client):
    post = next(post for post in truth.posts(running.now) if post.undated)
    text = client.get(post.url(running.hosts)).text
    assert "发布时间" not in text
    assert 'name="PubDate" content=""' in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_visible_only_post_has_empty_pubdate_meta(running, truth, client):
    post = next(post for post in truth.posts(running.now) if post.date_source == "visible")
    text = client.get(post.url(running.hosts)).text
    assert re.search(r'name="pubdate" content=""|name="PubDate" content=""', text)
    assert "发布时间：" + post.claimed.isoformat() in text


def test_json_api_list_html_has_an_empty_container_and_a_script_calling_the_api(client):
    flavour = generate_portal(1, style=ListStyle.JSONAPI)
    column = next(column for column in flavour.columns() if column.posts)
    with serve_portal(flavour) as running:
        page = client.get(running.url(column.list_path)).text
        assert f'<div id="article-list" data-column="{column.number}"></div>' in page
        assert f'fetch("/api/columns/{column.number}/articles?page=" + page)' in page
        api = running.url(f"/api/columns/{column.number}/articles")
        first = client.get(api, params={"page": 1}).json()
        shown = column.live_posts(running.now)
        assert first["total"] == len(shown) and len(first["items"]) == min(12, len(shown))
        assert first["items"][0] == {"title": shown[0].title,
                                     "url": article_path(column, shown[0]),
                                     "date": shown[0].claimed.isoformat()}
        last = -(-len(shown) // 12)
        assert client.get(api, params={"page": last + 1}).json()["items"] == []
        assert client.get(running.url(first["items"][0]["url"])).status_code == 200
