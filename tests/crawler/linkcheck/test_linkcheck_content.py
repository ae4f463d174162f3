"""Images, soft 404 pages and WAF challenges, judged from headers and first bytes."""

import pytest

from crawler.linkcheck.images import looks_like_image
from crawler.linkcheck.pagetext import PageText, read_page
from crawler.linkcheck.soft404 import SHORT_PAGE_CHARS, is_soft_404
from crawler.linkcheck.waf import is_waf_challenge


@pytest.mark.parametrize(
    "prefix",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"GIF89a\x01\x00",
        b"GIF87a\x01\x00",
        b"RIFF\x10\x00\x00\x00WEBPVP8 ",
        b"BM\x36\x00\x00\x00",
        b"\x00\x00\x01\x00\x01\x00",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" width="1"></svg>',
    ],
)
def test_known_image_formats_are_images_whatever_the_content_type(prefix: bytes) -> None:
    assert looks_like_image("application/octet-stream", prefix)


def test_html_labelled_as_an_image_is_not_an_image() -> None:
    assert not looks_like_image("image/jpeg", b"<!DOCTYPE html><html><body>x</body></html>")


def test_an_unknown_format_declared_as_image_is_given_the_benefit_of_the_doubt() -> None:
    assert looks_like_image("image/jxl", b"\xff\x0a\x00\x00")


def test_text_that_is_neither_image_nor_declared_image_is_not_an_image() -> None:
    assert not looks_like_image("text/plain", b"hello")


def page(title: str, text: str) -> PageText:
    return PageText(html="", title=title, text=text)


@pytest.mark.parametrize(
    "title", ["页面不存在", "404", "404 Not Found", "Error 404", "404错误 - 县政府门户网站"]
)
def test_not_found_titles_are_soft_404(title: str) -> None:
    assert is_soft_404(page(title, "首页 政务公开"))


@pytest.mark.parametrize(
    "title",
    ["关于印发〔2024〕404号文件的通知", "G404国道改造工程进展", "县水利局工作动态"],
)
def test_real_titles_mentioning_404_are_not_soft_404(title: str) -> None:
    assert not is_soft_404(page(title, "正文内容"))


def test_a_short_page_saying_the_page_is_gone_is_soft_404() -> None:
    assert is_soft_404(page("提示信息", "首页 政务公开 您访问的页面不存在或已被删除 返回首页"))


def test_a_long_article_quoting_the_phrase_is_not_soft_404() -> None:
    text = "某网友反映网站提示页面不存在，经核查已修复。" + "正文" * SHORT_PAGE_CHARS
    assert not is_soft_404(page("关于网站纠错的回复", text))


def test_page_text_is_decoded_with_the_declared_charset_and_skips_scripts() -> None:
    body = "<html><head><title>通知</title><script>var a='页面不存在';</script></head>"
    body += "<body><p>正文</p></body></html>"
    read = read_page("text/html; charset=gbk", body.encode("gbk"))
    assert (read.title, read.text) == ("通知", "正文")


RUISHU = b"<html><head><meta content='x'><script>$_ts=window['$_ts'];</script></head></html>"


@pytest.mark.parametrize("status", [202, 412, 200])
def test_a_ruishu_challenge_is_recognised(status: int) -> None:
    assert is_waf_challenge(status, {"content-type": "text/html"}, RUISHU)


def test_a_jiasule_521_with_its_cookie_is_a_challenge() -> None:
    headers = {"set-cookie": "__jsluid_h=abc; path=/", "content-type": "text/html"}
    assert is_waf_challenge(521, headers, b"<script>document.cookie=...</script>")


def test_a_normal_page_setting_the_jiasule_cookie_is_not_a_challenge() -> None:
    headers = {"set-cookie": "__jsluid_h=abc; path=/", "content-type": "text/html"}
    assert not is_waf_challenge(200, headers, "<html><body>通知正文</body></html>".encode())


def test_a_long_page_that_loads_a_protection_script_is_not_a_challenge() -> None:
    body = "<html><head><script>$_ts={}</script></head><body>" + "正文" * 400 + "</body></html>"
    assert not is_waf_challenge(200, {"content-type": "text/html"}, body.encode())


def test_a_chinese_security_check_page_is_a_challenge() -> None:
    body = "<html><body><h1>安全验证</h1><p>请完成验证后继续访问</p></body></html>".encode()
    assert is_waf_challenge(403, {"content-type": "text/html; charset=utf-8"}, body)


def test_a_plain_404_is_not_a_challenge() -> None:
    assert not is_waf_challenge(404, {}, RUISHU)
