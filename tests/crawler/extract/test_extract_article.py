from datetime import date

import pytest

from crawler.extract.article import extract_article, link_kind
from monitor.domain import DateSource, LinkKind

URL = "http://127.0.0.1:8000/slj/gzdt/202404/t20240429_12.html"


def article(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body><div class='top'><a href='/'>首页</a></div>{body}</body></html>"


HANWEB_URL = "http://fgj.ruihe.gov.cn/art/2023/6/7/art_1402_88215.html"
GONGBAO_URL = "http://www.ruihe.gov.cn/gongbao/content/2022/content_40317.htm"


def test_hanweb_article_meta_date_and_body(hanweb_article):
    page = extract_article(hanweb_article, HANWEB_URL)
    assert page.pub_date == date(2023, 6, 7)
    assert page.pub_date_source is DateSource.META
    assert page.title == "上半年瑞河县民间投资增速回升"
    assert page.meta["SiteName"] == "瑞河县发展和改革局"
    assert page.meta["ContentSource"] == "县发改局"  # written lower-case on the page
    assert "SiteIDCode" not in page.meta  # empty on the page
    assert "全县民间投资完成38.6亿元" in page.text
    assert "版权所有" not in page.text


def test_trs_article_meta_body_and_body_image(trs_article):
    url = "http://www.ruihe.gov.cn/yw/rhyw/202309/t20230915_57650.shtml"
    page = extract_article(trs_article, url)
    assert page.pub_date == date(2023, 9, 15) and page.pub_date_source is DateSource.META
    assert page.meta["SiteIDCode"] == "3609990017"
    assert page.meta["ColumnName"] == "瑞河要闻"
    assert page.title == "瑞河县首批“山货进城”直供点挂牌运营"
    assert "二十家农民专业合作社的高山蔬菜" in page.text
    body_images = [link for link in page.links if link.in_body and link.kind is LinkKind.IMG]
    assert body_images[0].url == (
        "http://www.ruihe.gov.cn/yw/rhyw/202309/W020230915398104427612.jpg")
    assert any(not link.in_body for link in page.links)


def test_gongbao_article_without_pubdate_uses_first_published_time(gongbao_article):
    page = extract_article(gongbao_article, GONGBAO_URL)
    assert "PubDate" not in page.meta
    assert page.pub_date == date(2022, 8, 26) and page.pub_date_source is DateSource.META
    assert page.title.startswith("瑞河县人民代表大会常务委员会关于批准2022年县级预算")
    assert "公报" not in page.title  # the <title>'s issue and site suffixes are cut off
    assert "县级一般公共预算支出调整为21.46亿元" in page.text
    assert all(not link.url.startswith("javascript") for link in page.links)


@pytest.mark.parametrize("value", ["2024-04-29 10:30", "2024-04-29 10:30:00", "2024-04-29"])
def test_pubdate_meta_with_and_without_seconds(value):
    page = extract_article(article(f'<meta name="pubdate" content="{value}">'), URL)
    assert page.pub_date == date(2024, 4, 29)


def test_visible_publication_line_when_meta_is_missing():
    body = "<div class='info'>来源：县水利局　发布时间：2024年4月29日　浏览次数：12</div><p>正文</p>"
    page = extract_article(article(body=body), URL)
    assert page.pub_date == date(2024, 4, 29) and page.pub_date_source is DateSource.VISIBLE


def test_signing_date_is_not_a_publication_date():
    body = ("<table><tr><td>成文日期：</td><td>2024-03-01</td></tr>"
            "<tr><td>发布日期：</td><td>2024-03-05</td></tr></table>")
    assert extract_article(article(body=body), URL).pub_date == date(2024, 3, 5)
    only_signing = "<table><tr><td>成文日期：</td><td>2024-03-01</td></tr></table>"
    page = extract_article(article(body=only_signing), URL)
    assert page.pub_date is None and page.pub_date_source is None


def test_empty_pubdate_meta_falls_back_to_the_visible_date():
    page = extract_article(article('<meta name="PubDate" content="">', "<p>日期：2024-01-02</p>"), URL)
    assert page.pub_date == date(2024, 1, 2) and "PubDate" not in page.meta


def test_links_images_and_attachments_with_body_flag():
    body = """<div class="TRS_Editor"><p>县水利局通报情况。</p>
      <p><a href="./P020240429.pdf">附件1：名单.pdf</a> <a href="../../files/统计 表.xls">附件2</a>
      <img src="./W0202404.jpg" srcset="./W0202404@2x.jpg 2x, ./W0202404@3x.jpg 3x">
      <img data-src="/lazy/a.png"> <a href="/module/download/downfile.jsp?filename=a.docx">下载</a>
      <a href="javascript:void(0)">打印</a> <a href="mailto:a@b.cn">邮件</a> <a href="tel:123">电话</a>
      <a href="#top">顶部</a> <a href="//cdn.example.gov.cn/x.html">外链</a></p></div>
      <div class="footer"><a href="http://www.beian.gov.cn/">备案</a></div>"""
    page = extract_article(article(body=body), URL)
    by_url = {link.url: link for link in page.links}
    base = "http://127.0.0.1:8000/slj/gzdt/202404/"
    assert by_url[base + "P020240429.pdf"].kind is LinkKind.ATTACHMENT
    assert by_url[base + "P020240429.pdf"].anchor_text == "附件1：名单.pdf"
    spaced = "http://127.0.0.1:8000/slj/files/%E7%BB%9F%E8%AE%A1%20%E8%A1%A8.xls"
    assert by_url[spaced].kind is LinkKind.ATTACHMENT
    for image in ("W0202404.jpg", "W0202404@2x.jpg", "W0202404@3x.jpg"):
        assert by_url[base + image].kind is LinkKind.IMG and by_url[base + image].in_body
    assert by_url["http://127.0.0.1:8000/lazy/a.png"].kind is LinkKind.IMG
    download = "http://127.0.0.1:8000/module/download/downfile.jsp?filename=a.docx"
    assert by_url[download].kind is LinkKind.ATTACHMENT
    assert by_url["http://cdn.example.gov.cn/x.html"].kind is LinkKind.A
    assert not by_url["http://www.beian.gov.cn/"].in_body
    assert not by_url["http://127.0.0.1:8000/"].in_body
    assert not any(u.startswith(("javascript", "mailto", "tel")) or "#" in u for u in by_url)


def test_title_falls_back_to_the_page_title_before_its_site_suffix():
    page = extract_article("<html><head><title>县水利局召开会议_瑞河县人民政府</title></head></html>", URL)
    assert page.title == "县水利局召开会议"


def test_link_kind_by_extension():
    assert link_kind("http://h.cn/a/b.OFD") is LinkKind.ATTACHMENT
    assert link_kind("http://h.cn/a/b.wps") is LinkKind.ATTACHMENT
    assert link_kind("http://h.cn/a/b.html") is LinkKind.A


def test_content_after_a_stray_closing_html_tag_is_part_of_the_page():
    markup = ("<html><head><title>t</title></head><body><div>页头</div></body></html>"
              "<html><head><meta name='PubDate' content='2024-04-29'></head><body>"
              "<div class='TRS_Editor'><p>正文第一段，内容足够长。</p>"
              "<a href='/files/a.pdf'>附件</a></div></body></html>")
    page = extract_article(markup, URL)
    assert "正文第一段" in page.text
    assert page.pub_date == date(2024, 4, 29)
    assert [(link.url.rsplit("/", 1)[-1], link.in_body) for link in page.links] == [
        ("a.pdf", True)]


def test_gongbao_article_links_after_its_stray_closing_tag_are_found(gongbao_article):
    page = extract_article(gongbao_article, GONGBAO_URL)
    # The header closes the page with </html>; the body, its navigation and footer follow.
    assert len(page.links) > 20
    assert "http://www.ruihe.gov.cn/fuwu/jiucuopage.html" in {link.url for link in page.links}


def test_a_parsed_root_gives_the_same_article_as_the_text_and_is_left_unchanged(gongbao_article):
    from lxml.html import tostring

    from crawler.extract.html import parse_html

    root = parse_html(gongbao_article)
    before = tostring(root)
    assert extract_article(root, GONGBAO_URL) == extract_article(gongbao_article, GONGBAO_URL)
    assert tostring(root) == before
