import pytest

from crawler.linkcheck.classify import classify
from monitor.domain import LinkKind, LinkStatus

HTML = {"content-type": "text/html; charset=utf-8"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
URL = "http://127.0.0.1:8000/a.html"


def check(kind, status, headers, body, error=None, patterns=()):
    return classify(kind, status, headers, body, URL, (URL,), error, patterns)


def test_a_network_failure_is_broken_with_its_reason() -> None:
    result = check(LinkKind.A, None, {}, None, error="timeout")
    assert (result.status, result.reason, result.http_status) == (
        LinkStatus.BROKEN, "timeout", None
    )


@pytest.mark.parametrize("status", [404, 410, 500, 502])
def test_client_and_server_errors_are_broken_with_the_status(status: int) -> None:
    result = check(LinkKind.A, status, HTML, b"<html></html>")
    assert (result.status, result.reason) == (LinkStatus.BROKEN, f"http_{status}")


@pytest.mark.parametrize("status", [401, 403, 412, 429])
def test_access_refusals_are_blocked_never_broken(status: int) -> None:
    result = check(LinkKind.A, status, HTML, b"<html><body>Forbidden</body></html>")
    assert (result.status, result.reason) == (LinkStatus.BLOCKED, f"http_{status}")


def test_a_challenge_page_answered_with_200_is_blocked() -> None:
    body = b"<html><head><script>$_ts=window['$_ts'];</script></head><body></body></html>"
    result = check(LinkKind.IMG, 200, HTML, body)
    assert (result.status, result.reason) == (LinkStatus.BLOCKED, "waf_challenge")


def test_a_head_answer_without_body_is_ok_on_2xx() -> None:
    assert check(LinkKind.ATTACHMENT, 200, {"content-type": "application/pdf"}, None).status \
        is LinkStatus.OK


def test_an_image_with_image_bytes_is_ok_even_when_labelled_octet_stream() -> None:
    result = check(LinkKind.IMG, 200, {"content-type": "application/octet-stream"}, PNG)
    assert result.status is LinkStatus.OK


def test_an_image_answered_with_a_not_found_page_is_a_soft_404() -> None:
    body = "<html><head><title>页面不存在</title></head><body></body></html>".encode()
    assert check(LinkKind.IMG, 200, HTML, body).reason == "soft404"


def test_an_image_answered_with_an_ordinary_page_is_not_an_image() -> None:
    body = "<html><head><title>首页</title></head><body>欢迎</body></html>".encode()
    assert check(LinkKind.IMG, 200, {"content-type": "image/jpeg"}, body).reason == "not_image"


@pytest.mark.parametrize("kind", [LinkKind.IMG, LinkKind.ATTACHMENT])
def test_an_empty_image_or_attachment_is_broken(kind: LinkKind) -> None:
    assert check(kind, 200, {"content-type": "image/png"}, b"").reason == "empty"


def test_an_empty_page_behind_a_link_is_not_called_broken() -> None:
    assert check(LinkKind.A, 200, HTML, b"").status is LinkStatus.OK


def test_configured_patterns_extend_the_soft_404_phrases() -> None:
    body = "<html><head><title>提示</title></head><body>栏目已撤销</body></html>".encode()
    assert check(LinkKind.A, 200, HTML, body).status is LinkStatus.OK
    assert check(LinkKind.A, 200, HTML, body, patterns=["栏目已撤销"]).reason == "soft404"


def test_the_chain_and_final_url_are_carried_into_the_result() -> None:
    chain = (URL, "http://127.0.0.1:8000/b.html")
    result = classify(LinkKind.A, 200, HTML, b"<p>x</p>", chain[-1], chain, None)
    assert (result.final_url, result.redirect_chain, result.http_status) == (
        chain[-1], chain, 200
    )
