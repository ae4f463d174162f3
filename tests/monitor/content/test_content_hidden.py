from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest

from crawler.extract.html import parse_html
from monitor.content.hidden import HiddenLinkFinding, find_hidden_links
from sampleportal import Truth, generate_portal
from sampleportal.clock import SimulatedClock
from sampleportal.model import Hosts
from sampleportal.site import Site

PAGE = "http://www.ruihe.gov.cn/xwzx/2024/0415/art_1.html"
SITE = ["www.ruihe.gov.cn"]
SPAM = "http://spam.example.com/casino"

Find = Callable[..., list[HiddenLinkFinding]]


def _page(body: str, style: str = "") -> str:
    return (f"<html><head><meta charset='utf-8'><style>{style}</style></head>"
            f"<body><div class='article'><p>正文内容。</p>{body}</div></body></html>")


def _find_in_parsed_root(html: str, *args, **kwargs) -> list[HiddenLinkFinding]:
    """The check on the tree the crawler parses, which it goes on using: left unchanged."""
    root = parse_html(html)
    before = lxml.html.tostring(root.getroottree())
    findings = find_hidden_links(root, *args, **kwargs)
    assert lxml.html.tostring(root.getroottree()) == before
    return findings


@pytest.fixture(params=["text", "parsed root"])
def find(request) -> Find:
    """find_hidden_links given the page's HTML text, or the crawler's parsed document root:
    every case must come out the same either way."""
    return find_hidden_links if request.param == "text" else _find_in_parsed_root


def _hows(find: Find, body: str, style: str = "", page: str = PAGE, site=SITE) -> list[str]:
    return [f.how for f in find(_page(body, style), page, site)]


@pytest.mark.parametrize(("body", "expected"), [
    (f"<a href='{SPAM}' style='display:none'>x</a>", "display:none (inline style)"),
    (f"<a href='{SPAM}' style='DISPLAY: NONE !important'>x</a>", "display:none (inline style)"),
    (f"<a href='{SPAM}' style='visibility:hidden'>x</a>", "visibility:hidden (inline style)"),
    (f"<a href='{SPAM}' style='opacity:0'>x</a>", "opacity:0 (inline style)"),
    (f"<a href='{SPAM}' hidden>x</a>", "hidden attribute"),
])
def test_link_hidden_by_its_own_inline_style_is_reported(find, body, expected):
    assert _hows(find, body) == [expected]


def test_link_inside_a_hidden_wrapper_is_reported_with_the_wrapper(find):
    body = f"<div style='display:none'><p><a href='{SPAM}'>博彩</a></p></div>"
    [finding] = find(_page(body), PAGE, SITE)
    assert finding.target == SPAM
    assert finding.text == "博彩"
    assert finding.how == "display:none (inline style) on enclosing <div>"


def test_class_hidden_in_the_pages_own_style_is_reported(find):
    body = f"<div class='xq'><a href='{SPAM}'>x</a></div>"
    assert _hows(find, body, ".xq{visibility:hidden}") == ["visibility:hidden (class .xq in <style>)"]


def test_rule_with_a_compound_selector_is_named(find):
    body = f"<div id='f'><span class='s'><a href='{SPAM}'>x</a></span></div>"
    assert _hows(find, body, "#f span.s { display:none }") == [
        "display:none (rule '#f span.s' in <style>) on enclosing <span>"
    ]


@pytest.mark.parametrize("style", [
    "position:absolute;left:-9999px",
    "position:fixed; top:-2000px",
    "text-indent:-9999em",
    "margin-left:-10000px",
    "margin:0 0 0 -9999px",
])
def test_off_screen_positioning_is_reported(find, style):
    [how] = _hows(find, f"<div style='{style}'><a href='{SPAM}'>x</a></div>")
    assert how.startswith("off-screen position")


def test_negative_offset_without_positioning_has_no_effect(find):
    assert _hows(find, f"<div style='left:-9999px'><a href='{SPAM}'>x</a></div>") == []


def test_small_negative_margin_is_ordinary_layout(find):
    assert _hows(find, f"<div style='margin-left:-10px'><a href='{SPAM}'>x</a></div>") == []


@pytest.mark.parametrize("style", [
    "height:0;overflow:hidden",
    "width:0px;height:0px;overflow:hidden",
    "max-height:1px;overflow-y:hidden",
])
def test_zero_size_clipped_box_is_reported(find, style):
    [how] = _hows(find, f"<div style='{style}'><a href='{SPAM}'>x</a></div>")
    assert how.startswith("zero size")


def test_zero_height_without_clipping_still_shows_its_content(find):
    assert _hows(find, f"<div style='height:0'><a href='{SPAM}'>x</a></div>") == []


@pytest.mark.parametrize("style", ["font-size:0", "font-size:0px", "font:0/0 a"])
def test_zero_font_size_is_reported(find, style):
    [how] = _hows(find, f"<p style='{style}'><a href='{SPAM}'>x</a></p>")
    assert how.startswith("zero font size")


def test_zero_font_size_inherited_through_relative_sizes(find):
    body = f"<p style='font-size:0'><span style='font-size:1.5em'><a href='{SPAM}'>x</a></span></p>"
    assert len(_hows(find, body)) == 1


def test_descendant_resetting_font_size_is_visible(find):
    body = f"<p style='font-size:0'><a style='font-size:14px' href='{SPAM}'>x</a></p>"
    assert _hows(find, body) == []


def test_image_link_in_zero_font_text_is_visible(find):
    body = f"<p style='font-size:0'><a href='{SPAM}'><img src='/logo.png'></a></p>"
    assert _hows(find, body) == []


def test_descendant_made_visible_again_is_not_hidden(find):
    body = f"<div style='visibility:hidden'><a style='visibility:visible' href='{SPAM}'>x</a></div>"
    assert _hows(find, body) == []


def test_later_visible_rule_of_higher_specificity_wins(find):
    style = ".ad{display:none} div.ad{display:block}"
    assert _hows(find, f"<div class='ad'><a href='{SPAM}'>x</a></div>", style) == []


def test_inline_style_overrides_a_hiding_class(find):
    style = ".ad{display:none}"
    body = f"<div class='ad' style='display:block'><a href='{SPAM}'>x</a></div>"
    assert _hows(find, body, style) == []


def test_important_rule_beats_inline_style(find):
    style = ".ad{display:none !important}"
    body = f"<div class='ad' style='display:block'><a href='{SPAM}'>x</a></div>"
    assert _hows(find, body, style) == ["display:none (class .ad in <style>) on enclosing <div>"]


def test_rules_inside_media_queries_are_ignored(find):
    style = "@media (max-width:768px){ .pc{display:none} } @media print{.pc{display:none}}"
    assert _hows(find, f"<div class='pc'><a href='{SPAM}'>x</a></div>", style) == []


def test_hover_rules_are_ignored(find):
    style = ".menu:hover .sub{display:none}"
    assert _hows(find, f"<div class='menu'><div class='sub'><a href='{SPAM}'>x</a></div></div>",
                 style) == []


def test_commented_out_rule_hides_nothing(find):
    assert _hows(find, f"<div class='x'><a href='{SPAM}'>x</a></div>", "/* .x{display:none} */") == []


def test_hidden_on_site_link_is_not_reported(find):
    body = ("<div style='display:none'><a href='/xxgk/index.html'>a</a>"
            "<a href='http://www.ruihe.gov.cn/b.html'>b</a>"
            "<a href='https://xxgk.ruihe.gov.cn/c.html'>c</a></div>")
    assert _hows(find, body) == []


def test_visible_off_site_link_is_not_reported(find):
    assert _hows(find, "<a href='http://www.gov.cn/'>中国政府网</a>") == []


def test_hidden_non_web_links_are_not_reported(find):
    body = ("<div style='display:none'><a href='javascript:void(0)'>a</a>"
            "<a href='mailto:gkb@example.gov.cn'>b</a><a href='#top'>c</a></div>")
    assert _hows(find, body) == []


def test_relative_target_is_made_absolute_before_comparing_hosts(find):
    page = "http://127.0.0.1:8000/slj/art.html"
    body = ("<div style='display:none'><a href='../other.html'>a</a>"
            "<a href='//127.0.0.1:9000/spam'>b</a></div>")
    findings = find(_page(body), page, ["127.0.0.1:8000"])
    assert [f.target for f in findings] == ["http://127.0.0.1:9000/spam"]


def test_site_host_without_port_accepts_any_port(find):
    body = "<div style='display:none'><a href='https://www.ruihe.gov.cn:8443/x'>a</a></div>"
    assert _hows(find, body) == []


# The project's own pages modelled on real CMS markup (tests/fixtures/cmspages/README.md).
CMS_PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "cmspages"
HANWEB_PAGE = CMS_PAGES / "hanweb_jcms_article.html"
HANWEB_PAGE_URL = "http://fgj.ruihe.gov.cn/art/2023/6/7/art_1402_88215.html"
HANWEB_SITE = ["fgj.ruihe.gov.cn"]


def test_platform_links_hidden_on_purpose_are_not_reported(find):
    body = ("<a style='display:none' href='http://www.hanweb.com'>Produced By</a>"
            "<a style='display:none' href='https://pucha.kaipuyun.cn/exposure/jiucuo.html"
            "?site_code=1'><img src='/jc.png'></a>")
    assert _hows(find, body) == []


def test_benign_list_can_be_replaced(find):
    body = "<a style='display:none' href='http://www.hanweb.com'>Produced By</a>"
    findings = find(_page(body), PAGE, SITE, benign=())
    assert [f.target for f in findings] == ["http://www.hanweb.com"]


def test_hanweb_article_has_no_hidden_links(find):
    # Its hidden "Produced By" and 纠错 links are platform links, its hidden menu is on-site.
    html = HANWEB_PAGE.read_text(encoding="utf-8")
    assert find(html, HANWEB_PAGE_URL, HANWEB_SITE) == []


def test_spam_injected_into_a_hanweb_article_is_found(find):
    html = HANWEB_PAGE.read_text(encoding="utf-8").replace(
        "</body>", f"<div style='position:absolute;top:-3000px'><a href='{SPAM}'>x</a></div></body>")
    [finding] = find(html, HANWEB_PAGE_URL, HANWEB_SITE)
    assert finding.target == SPAM
    assert finding.how.startswith("off-screen position")


@pytest.mark.parametrize("bad_selector", ["div..x", "a[href", "> a", "#1a", "svg|a", "[xlink|href]"])
def test_invalid_selector_in_the_style_hides_nothing_and_other_rules_still_apply(find, bad_selector):
    style = f"{bad_selector}{{display:none}} .xq{{display:none}}"
    body = (f"<div id='1a' class='x' xlink:href='#'><a href='http://other.example.org/'>a</a></div>"
            f"<div class='xq'><a href='{SPAM}'>b</a></div>")
    findings = find(_page(body, style), PAGE, SITE)
    assert [(f.target, f.how) for f in findings] == [
        (SPAM, "display:none (class .xq in <style>) on enclosing <div>")
    ]


def test_spam_after_a_stray_closing_html_tag_is_found(find):
    # A CMS header template that is a whole page ends the document early; browsers show what
    # follows, and lxml parses it into a second top-level <html>.
    html = ("<html><head><title>t</title></head><body><div class='header'>头部</div></html>"
            "<!--end header--><div class='article'><p>正文</p></div>"
            f"<div class='f'><a href='{SPAM}'>a</a></div>"
            "<div style='display:none'><a href='http://spam.example.net/'>b</a></div>"
            "<style>.f{display:none}</style></body></html>")
    assert [(f.target, f.how) for f in find(html, PAGE, SITE)] == [
        (SPAM, "display:none (class .f in <style>) on enclosing <div>"),
        ("http://spam.example.net/", "display:none (inline style) on enclosing <div>"),
    ]


def test_link_text_leaves_out_comments_and_scripts(find):
    body = f"<a style='display:none' href='{SPAM}'>博<!-- x -->彩<script>var a;</script> 网</a>"
    [finding] = find(_page(body), PAGE, SITE)
    assert finding.text == "博 彩 网"


@pytest.mark.parametrize("html", ["", "   ", "<!-- only a comment -->",
                                  "<?xml version='1.0' encoding='utf-8'?>"
                                  f"<html><body><a hidden href='{SPAM}'>x</a></body></html>"])
def test_empty_page_or_xml_declaration_in_the_text_is_handled(html):
    expected = [SPAM] if SPAM in html else []
    assert [f.target for f in find_hidden_links(html, PAGE, SITE)] == expected


def test_the_parsed_tree_is_left_unchanged():
    html = _page(f"<!-- c --><div class='ad'><a href='{SPAM}'>博彩<img src='/a.png'></a></div>"
                 "<template><a href='http://t.example.com/'>t</a></template>"
                 "<div style='font-size:0'><a href='http://other.example.org/'>x</a></div>",
                 ".ad{display:none} #f span.s{visibility:hidden}")
    root = parse_html(html)
    before = lxml.html.tostring(root.getroottree())
    assert len(find_hidden_links(root, PAGE, SITE)) == 2
    assert lxml.html.tostring(root.getroottree()) == before


# --- the same findings from the page's text and from the crawler's parsed root -------------

SAMPLE_HOSTS = Hosts("http://127.0.0.1:8000", "http://127.0.0.1:8001", "http://127.0.0.1:8002")
CMS_PAGE_URLS = {
    "hanweb_jcms_article.html": HANWEB_PAGE_URL,
    "trs_county_article.html": "http://www.ruihe.gov.cn/yw/rhyw/202309/t20230915_57650.shtml",
    "trs_gongbao_article.html": "http://www.ruihe.gov.cn/gongbao/content/2022/content_1.htm",
    "trs_wcm_column_list.html": "http://www.ruihe.gov.cn/zwgk/zhxx/",
}
INJECTED = (f"<style>.ft9{{position:absolute;left:-9999px}}</style>"
            f"<p class='ft9'><span><a href='{SPAM}'>博<b>彩</b></a></span></p>")


def _sample_portal_hidden_link_pages() -> list[tuple[str, str, str]]:
    """(page URL, HTML, hidden target) for each sample-portal page carrying its hidden link."""
    portal = generate_portal(1)
    site = Site(portal, SAMPLE_HOSTS, SimulatedClock(portal.default_now))
    pages = []
    for link in Truth(portal).hidden_links(SAMPLE_HOSTS):
        for url in link.sources:
            response = site.respond("GET", url.removeprefix(SAMPLE_HOSTS.site), {})
            charset = "gbk" if "gbk" in (response.content_type or "").lower() else "utf-8"
            pages.append((url, response.body.decode(charset), link.url))
    return pages


def test_sample_portal_hidden_link_is_found_from_the_text_and_from_the_parsed_root():
    pages = _sample_portal_hidden_link_pages()
    assert pages
    for url, html, target in pages:
        from_text = find_hidden_links(html, url, [SAMPLE_HOSTS.site])
        assert [f.target for f in from_text] == [target]
        assert _find_in_parsed_root(html, url, [SAMPLE_HOSTS.site]) == from_text


@pytest.mark.parametrize("name", sorted(CMS_PAGE_URLS))
@pytest.mark.parametrize("injected", [False, True], ids=["as written", "spam injected"])
def test_cms_pages_give_the_same_findings_from_the_text_and_from_the_parsed_root(name, injected):
    html = (CMS_PAGES / name).read_text(encoding="utf-8")
    if injected:
        html = html.replace("</body>", INJECTED + "</body>")
    url = CMS_PAGE_URLS[name]
    from_text = find_hidden_links(html, url, [])
    assert _find_in_parsed_root(html, url, []) == from_text
    assert [(f.target, f.text) for f in from_text] == ([(SPAM, "博 彩")] if injected else [])


@pytest.mark.parametrize("href", ["http://x:99999/", "http://[::1/"])
def test_a_malformed_link_is_not_a_hidden_link_and_does_not_stop_the_check(href: str) -> None:
    page = (f"<html><body><a href='{href}' style='display:none'>x</a>"
            "<a href='http://spam.example/' style='display:none'>y</a></body></html>")
    found = find_hidden_links(page, "http://127.0.0.1:8000/a.html", [])
    assert [finding.target for finding in found] == ["http://spam.example/"]
