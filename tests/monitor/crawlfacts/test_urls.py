"""An href as written in a page becomes the one URL a browser would request."""

import pytest

from monitor.crawlfacts.urls import normalize_url

URL = "http://127.0.0.1:8000/slj/gzdt/202404/t20240429_12.html"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("../a b.html", "http://127.0.0.1:8000/slj/gzdt/a%20b.html"),
        ("/附件/通知.pdf", "http://127.0.0.1:8000/%E9%99%84%E4%BB%B6/%E9%80%9A%E7%9F%A5.pdf"),
        ("/%E9%99%84.pdf", "http://127.0.0.1:8000/%E9%99%84.pdf"),
        ("//Example.GOV.cn:80/x", "http://example.gov.cn/x"),
        ("https://h.cn:8443/p?q=县#frag", "https://h.cn:8443/p?q=%E5%8E%BF"),
        ("  ./x.html\n", "http://127.0.0.1:8000/slj/gzdt/202404/x.html"),
        ("..\\img\\a.jpg", "http://127.0.0.1:8000/slj/gzdt/img/a.jpg"),
        ("javascript:void(0)", None),
        ("#", None),
        ("ftp://h.cn/a", None),
    ],
)
def test_normalize_url_like_a_browser(href, expected):
    assert normalize_url(href, URL) == expected
