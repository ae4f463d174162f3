"""Chromium captures of pages served on loopback: the banner on the image, the element
framed, the full page cut at its maximum height with 截断, personal numbers masked in what
was captured, and a page that never answers failing alone within its time limit."""

from __future__ import annotations

import io
import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from crawler.capture import (
    CapturedPage,
    CaptureFailed,
    CaptureRequest,
    CaptureSettings,
    capture_pages,
)
from monitor.content.privacy import mask_mobile

pytestmark = [pytest.mark.slow, pytest.mark.browser]

MOBILE = "13912342468"
PAGES = {
    "/long.html": "<h1>长页面</h1>" + "".join(f"<p>第{i}段</p>" for i in range(400)),
    # The number split over two elements: a visitor reads it whole.
    "/leak.html": f"<p id=n>联系电话：<b>{MOBILE[:3]}</b>{MOBILE[3:]}</p>",
    "/image.html": "<p>正文</p><img src='/missing.png' width=120 height=90>",
    # A page whose image and script sit on another address of the office's network.
    "/inward.html": "<p>正文</p><img src='{private}/pixel.png'>"
                    "<script src='{private}/probe.js'></script>",
}
BANNER = ("监测取证　图片无法显示", "单位：县水利局")
# Where the private listener of the SSRF test listens (set by its fixture).
PRIVATE_ORIGIN = ["http://127.0.0.2:9"]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server API)
        if self.path == "/slow.html":
            time.sleep(12)
        body = PAGES.get(self.path)
        if body is not None:
            body = body.replace("{private}", PRIVATE_ORIGIN[0])
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        data = f"<!doctype html><html><head><meta charset=utf-8></head><body>{body}</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(data.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def settings(chromium: str, **changes: object) -> CaptureSettings:
    values: dict = {"browser": chromium, "concurrency": 2, "page_timeout": 15,
                    "viewport_width": 800, "viewport_height": 600, "full_page_max_height": 2000,
                    "jpeg_quality": 70}
    return CaptureSettings(**(values | changes))


def capture(chromium: str, *requests: CaptureRequest, **changes: object) -> dict:
    # The pages captured are the portal's own: the test site is the portal.
    host = requests[0].url.split("/")[2]
    changes.setdefault("site_url", f"http://{host}/")
    return capture_pages(requests, settings(chromium, **changes),
                         lambda: datetime(2024, 5, 10, 1, tzinfo=UTC))


def banner_is_drawn(image: Image.Image) -> bool:
    """The top rows are the banner's red, with lighter (text) pixels on it."""
    top = image.convert("RGB").crop((0, 0, image.width, 40))
    colours = top.getcolors(maxcolors=100_000) or []
    red = sum(n for n, (r, g, b) in colours if r > 150 and g < 40 and b < 40)
    light = sum(n for n, (r, g, b) in colours if r > 200 and g > 200 and b > 200)
    return red > top.width * 40 * 0.5 and light > 50


def test_long_page_is_cut_at_the_maximum_height_and_says_so(chromium: str, site: str) -> None:
    result = capture(chromium, CaptureRequest(1, f"{site}/long.html", BANNER))[1]
    assert isinstance(result, CapturedPage)
    full = Image.open(io.BytesIO(result.files["fullpage.jpg"]))
    viewport = Image.open(io.BytesIO(result.files["screenshot.png"]))
    assert (full.format, full.size) == ("JPEG", (800, 2000))
    assert (viewport.format, viewport.size) == ("PNG", (800, 600))
    assert result.facts.truncated and result.facts.full_page_height > 2000
    assert banner_is_drawn(full) and banner_is_drawn(viewport)
    # The 截断 caption is the last 40 pixels: the banner's red.
    bottom = full.convert("RGB").crop((0, 1965, 800, 1995))
    reds = sum(1 for r, g, b in bottom.get_flattened_data() if r > 150 and g < 60 and b < 60)
    assert reds > 800 * 30 * 0.5


def test_a_number_split_over_elements_is_masked_before_the_shot(chromium: str, site: str) -> None:
    result = capture(chromium, CaptureRequest(2, f"{site}/leak.html", BANNER))[2]
    assert isinstance(result, CapturedPage)
    dom = result.files["dom.html"].decode()
    page = result.files["page.html"].decode()
    for text in (dom, page):
        assert MOBILE not in text.replace("<b>", "").replace("</b>", "")
    assert mask_mobile(MOBILE) in dom.replace("<b>", "").replace("</b>", "")
    assert result.facts.masked_numbers >= 1


def test_the_dead_image_is_found_and_framed(chromium: str, site: str) -> None:
    request = CaptureRequest(3, f"{site}/image.html", BANNER, target=f"{site}/missing.png",
                             highlight="image", element_label="无法显示的图片")
    result = capture(chromium, request)[3]
    assert isinstance(result, CapturedPage) and result.facts.highlighted
    dom = result.files["dom.html"].decode()
    assert re.search(r'<img src="/missing.png"[^>]*style="outline: rgb\(224, 0, 0\) solid', dom)
    assert "无法显示的图片" in dom
    assert result.facts.http_status == 200 and not result.facts.truncated


def test_a_page_that_does_not_answer_fails_alone_within_its_limit(
        chromium: str, site: str) -> None:
    started = time.monotonic()
    results = capture(chromium, CaptureRequest(4, f"{site}/slow.html", BANNER),
                      CaptureRequest(5, f"{site}/image.html", BANNER), page_timeout=6)
    assert time.monotonic() - started < 12
    assert isinstance(results[4], CaptureFailed) and "超时" in results[4].reason
    assert isinstance(results[5], CapturedPage)


def test_a_browser_that_will_not_start_fails_each_capture_with_the_reason(site: str) -> None:
    results = capture("/bin/false", CaptureRequest(6, f"{site}/image.html", BANNER),
                      CaptureRequest(7, f"{site}/leak.html", BANNER))
    assert set(results) == {6, 7}
    for result in results.values():
        assert isinstance(result, CaptureFailed)
        assert result.reason.startswith("浏览器无法启动：")


@pytest.fixture
def private_listener() -> Iterator[list[str]]:
    """An HTTP server on 127.0.0.2 that records every request reaching it."""
    seen: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.2", 0), Record)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    PRIVATE_ORIGIN[0] = f"http://127.0.0.2:{server.server_address[1]}"
    yield seen
    server.shutdown()


def test_a_captured_page_cannot_make_the_browser_request_a_private_address(
        chromium: str, site: str, private_listener: list[str]) -> None:
    results = capture(chromium, CaptureRequest(8, f"{site}/inward.html", BANNER),
                      site_url=f"{site}/", allow_private=False)
    assert isinstance(results[8], CapturedPage)
    assert private_listener == []


def test_private_targets_are_requested_when_the_config_allows_them(
        chromium: str, site: str, private_listener: list[str]) -> None:
    results = capture(chromium, CaptureRequest(9, f"{site}/inward.html", BANNER),
                      site_url=f"{site}/", allow_private=True)
    assert isinstance(results[9], CapturedPage)
    assert "/pixel.png" in private_listener
