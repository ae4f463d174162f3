from pathlib import Path

import pytest

from monitor.content.hidden import find_hidden_links

PAGE = "http://www.ruihe.gov.cn/xwzx/2024/0415/art_1.html"
SITE = ["www.ruihe.gov.cn"]
SPAM = "http://spam.example.com/casino"


def _page(body: str, style: str = "") -> str:
    return (f"<html><head><meta charset='utf-8'><style>{style}</style></head>"
            f"<body><div class='article'><p>正文内容。</p>{body}</div></body></html>")


def _hows(body: str, style: str = "", page: str = PAGE, site=SITE) -> list[str]:
    return [f.how for f in find_hidden_links(_page(body, style), page, site)]


@pytest.mark.parametrize(("body", "expected"), [
    (f"<a href='{SPAM}' style='display:none'>x</a>", "display:none (inline style)"),
    (f"<a href='{SPAM}' style='DISPLAY: NONE !important'>x</a>", "display:none (inline style)"),
    (f"<a href='{SPAM}' style='visibility:hidden'>x</a>", "visibility:hidden (inline style)"),
    (f"<a href='{SPAM}' style='opacity:0'>x</a>", "opacity:0 (inline style)"),
    (f"<a href='{SPAM}' hidden>x</a>", "hidden attribute"),
])
def test_link_hidden_by_its_own_inline_style_is_reported(body, expected):
    assert _hows(body) == [expected]


def test_link_inside_a_hidden_wrapper_is_reported_with_the_wrapper():
    body = f"<div style='display:none'><p><a href='{SPAM}'>博彩</a></p></div>"
    [finding] = find_hidden_links(_page(body), PAGE, SITE)
    assert finding.target == SPAM
    assert finding.text == "博彩"
    assert finding.how == "display:none (inline style) on enclosing <div>"


def test_class_hidden_in_the_pages_own_style_is_reported():
    body = f"<div class='xq'><a href='{SPAM}'>x</a></div>"
    assert _hows(body, ".xq{visibility:hidden}") == ["visibility:hidden (class .xq in <style>)"]


def test_rule_with_a_compound_selector_is_named():
    body = f"<div id='f'><span class='s'><a href='{SPAM}'>x</a></span></div>"
    assert _hows(body, "#f span.s { display:none }") == [
        "display:none (rule '#f span.s' in <style>) on enclosing <span>"
    ]


@pytest.mark.parametrize("style", [
    "position:absolute;left:-9999px",
    "position:fixed; top:-2000px",
    "text-indent:-9999em",
    "margin-left:-10000px",
    "margin:0 0 0 -9999px",
])
def test_off_screen_positioning_is_reported(style):
    [how] = _hows(f"<div style='{style}'><a href='{SPAM}'>x</a></div>")
    assert how.startswith("off-screen position")


def test_negative_offset_without_positioning_has_no_effect():
    assert _hows(f"<div style='left:-9999px'><a href='{SPAM}'>x</a></div>") == []


def test_small_negative_margin_is_ordinary_layout():
    assert _hows(f"<div style='margin-left:-10px'><a href='{SPAM}'>x</a></div>") == []


@pytest.mark.parametrize("style", [
    "height:0;overflow:hidden",
    "width:0px;height:0px;overflow:hidden",
    "max-height:1px;overflow-y:hidden",
])
def test_zero_size_clipped_box_is_reported(style):
    [how] = _hows(f"<div style='{style}'><a href='{SPAM}'>x</a></div>")
    assert how.startswith("zero size")


def test_zero_height_without_clipping_still_shows_its_content():
    assert _hows(f"<div style='height:0'><a href='{SPAM}'>x</a></div>") == []


@pytest.mark.parametrize("style", ["font-size:0", "font-size:0px", "font:0/0 a"])
def test_zero_font_size_is_reported(style):
    [how] = _hows(f"<p style='{style}'><a href='{SPAM}'>x</a></p>")
    assert how.startswith("zero font size")


def test_zero_font_size_inherited_through_relative_sizes():
    body = f"<p style='font-size:0'><span style='font-size:1.5em'><a href='{SPAM}'>x</a></span></p>"
    assert len(_hows(body)) == 1


def test_descendant_resetting_font_size_is_visible():
    body = f"<p style='font-size:0'><a style='font-size:14px' href='{SPAM}'>x</a></p>"
    assert _hows(body) == []


def test_image_link_in_zero_font_text_is_visible():
    body = f"<p style='font-size:0'><a href='{SPAM}'><img src='/logo.png'></a></p>"
    assert _hows(body) == []


def test_descendant_made_visible_again_is_not_hidden():
    body = f"<div style='visibility:hidden'><a style='visibility:visible' href='{SPAM}'>x</a></div>"
    assert _hows(body) == []


def test_later_visible_rule_of_higher_specificity_wins():
    style = ".ad{display:none} div.ad{display:block}"
    assert _hows(f"<div class='ad'><a href='{SPAM}'>x</a></div>", style) == []


def test_inline_style_overrides_a_hiding_class():
    style = ".ad{display:none}"
    body = f"<div class='ad' style='display:block'><a href='{SPAM}'>x</a></div>"
    assert _hows(body, style) == []


def test_important_rule_beats_inline_style():
    style = ".ad{display:none !important}"
    body = f"<div class='ad' style='display:block'><a href='{SPAM}'>x</a></div>"
    assert _hows(body, style) == ["display:none (class .ad in <style>) on enclosing <div>"]


def test_rules_inside_media_queries_are_ignored():
    style = "@media (max-width:768px){ .pc{display:none} } @media print{.pc{display:none}}"
    assert _hows(f"<div class='pc'><a href='{SPAM}'>x</a></div>", style) == []


def test_hover_rules_are_ignored():
    style = ".menu:hover .sub{display:none}"
    assert _hows(f"<div class='menu'><div class='sub'><a href='{SPAM}'>x</a></div></div>",
                 style) == []


def test_commented_out_rule_hides_nothing():
    assert _hows(f"<div class='x'><a href='{SPAM}'>x</a></div>", "/* .x{display:none} */") == []


def test_hidden_on_site_link_is_not_reported():
    body = ("<div style='display:none'><a href='/xxgk/index.html'>a</a>"
            "<a href='http://www.ruihe.gov.cn/b.html'>b</a>"
            "<a href='https://xxgk.ruihe.gov.cn/c.html'>c</a></div>")
    assert _hows(body) == []


def test_visible_off_site_link_is_not_reported():
    assert _hows("<a href='http://www.gov.cn/'>中国政府网</a>") == []


def test_hidden_non_web_links_are_not_reported():
    body = ("<div style='display:none'><a href='javascript:void(0)'>a</a>"
            "<a href='mailto:gkb@example.gov.cn'>b</a><a href='#top'>c</a></div>")
    assert _hows(body) == []


def test_relative_target_is_made_absolute_before_comparing_hosts():
    page = "http://127.0.0.1:8000/slj/art.html"
    body = ("<div style='display:none'><a href='../other.html'>a</a>"
            "<a href='//127.0.0.1:9000/spam'>b</a></div>")
    findings = find_hidden_links(_page(body), page, ["127.0.0.1:8000"])
    assert [f.target for f in findings] == ["http://127.0.0.1:9000/spam"]


def test_site_host_without_port_accepts_any_port():
    body = "<div style='display:none'><a href='https://www.ruihe.gov.cn:8443/x'>a</a></div>"
    assert _hows(body) == []


REAL_HANWEB_PAGE = Path("/work/shared/realpages/hanweb_article_fgw_zj_gov_cn.html")
REAL_PAGE_URL = "http://www.zjdpc.gov.cn/art/2016/11/22/art_1621004_30332664.html"


def test_platform_links_hidden_on_purpose_are_not_reported():
    body = ("<a style='display:none' href='http://www.hanweb.com'>Produced By</a>"
            "<a style='display:none' href='https://pucha.kaipuyun.cn/exposure/jiucuo.html"
            "?site_code=1'><img src='/jc.png'></a>")
    assert _hows(body) == []


def test_benign_list_can_be_replaced():
    body = "<a style='display:none' href='http://www.hanweb.com'>Produced By</a>"
    findings = find_hidden_links(_page(body), PAGE, SITE, benign=())
    assert [f.target for f in findings] == ["http://www.hanweb.com"]


@pytest.mark.skipif(not REAL_HANWEB_PAGE.exists(), reason="real page copy not available")
def test_real_hanweb_article_has_no_hidden_links():
    html = REAL_HANWEB_PAGE.read_text(encoding="utf-8")
    assert find_hidden_links(html, REAL_PAGE_URL, ["www.zjdpc.gov.cn"]) == []


@pytest.mark.skipif(not REAL_HANWEB_PAGE.exists(), reason="real page copy not available")
def test_spam_injected_into_a_real_page_is_found():
    html = REAL_HANWEB_PAGE.read_text(encoding="utf-8").replace(
        "</body>", f"<div style='position:absolute;top:-3000px'><a href='{SPAM}'>x</a></div></body>")
    [finding] = find_hidden_links(html, REAL_PAGE_URL, ["www.zjdpc.gov.cn"])
    assert finding.target == SPAM
    assert finding.how.startswith("off-screen position")
