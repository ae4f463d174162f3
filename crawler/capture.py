"""Screenshots of problem pages with Chromium (截图取证), driven by Playwright.

For each request: open the page in a fresh browser context, keep the body as fetched, mask
personal numbers in the page's text the way the database masks them, locate and frame the
problem's element (revealing it when it was hidden), draw the banner on the page, then take
a viewport PNG (scrolled to the element) and a full-page JPEG cut at a maximum height.

Banner and frame are injected as DOM (the banner inside a shadow root, out of reach of the
page's own CSS) rather than painted afterwards: the browser lays out the Chinese text with
the system's CJK font, so no image library is needed at run time.

Captures run with a bounded concurrency in one browser, each within a time limit; a capture
that fails says why and never stops the others.
"""

from __future__ import annotations

import asyncio
import glob
import re
import threading
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from playwright.async_api import (
    Browser,
    BrowserContext,
    Page,
    Response,
    Route,
    async_playwright,
)
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout

from crawler.browser import LAUNCH_ARGS
from crawler.extract.encoding import decode_html
from monitor.content.privacy import find_privacy_leaks, mask_text
from monitor.errors import EvidenceFontMissing
from monitor.evidence.banner import TRUNCATED_CAPTION
from monitor.evidence.manifest import (
    DOM_NAME,
    FULL_PAGE_NAME,
    PAGE_NAME,
    SCREENSHOT_NAME,
    CaptureFacts,
)

Highlight = Literal["link", "image", "hidden"]

# Where Debian's fonts-noto-cjk (and the usual manual installs) put the fonts.
CJK_FONT_GLOBS = (
    "/usr/share/fonts/**/Noto*CJK*",
    "/usr/local/share/fonts/**/Noto*CJK*",
    "~/.local/share/fonts/**/Noto*CJK*",
    "~/.fonts/**/Noto*CJK*",
)
FONT_HINT = ("截图横幅需要中文字体：请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk，"
             "或运行 scripts/ensure-chromium）")
# A page that keeps loading (an unreachable stylesheet) is shot once its HTML is parsed and
# this much of its time limit has gone.
_LOAD_SHARE = 0.5


@dataclass(frozen=True)
class CaptureRequest:
    key: int
    url: str
    banner: tuple[str, ...]
    target: str | None = None
    highlight: Highlight | None = None
    element_label: str | None = None


@dataclass(frozen=True)
class CaptureSettings:
    browser: str
    concurrency: int
    page_timeout: float
    viewport_width: int
    viewport_height: int
    full_page_max_height: int
    jpeg_quality: int
    user_agent: str | None = None
    # Requests one host answers at once, all tabs together (crawl.concurrency_per_host).
    per_host: int = 4
    # Chromium's flags; the caller adds the SSRF guard proxy (`crawler.browser.launch_args`).
    launch_args: tuple[str, ...] = LAUNCH_ARGS


@dataclass(frozen=True)
class CapturedPage:
    facts: CaptureFacts
    files: dict[str, bytes] = field(repr=False)


@dataclass(frozen=True)
class CaptureFailed:
    reason: str


CaptureResult = CapturedPage | CaptureFailed


def require_cjk_font() -> None:
    """Raise `EvidenceFontMissing` when no Noto CJK font is installed."""
    for pattern in CJK_FONT_GLOBS:
        if glob.glob(str(Path(pattern).expanduser()), recursive=True):
            return
    raise EvidenceFontMissing(FONT_HINT)


def capture_pages(requests: Sequence[CaptureRequest], settings: CaptureSettings,
                  now: Callable[[], datetime]) -> dict[int, CaptureResult]:
    """Capture every request; the result for each key, a page or the reason it failed.

    Runs in a thread of its own with its own event loop, so it does not depend on what the
    crawl's reactor left behind in this one. The browser itself failing (it crashed, the
    driver would not start) fails the captures not yet done, with the reason; it is never
    raised, since evidence must not fail the crawl.
    """
    results: dict[int, CaptureResult] = {}
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(_capture_all(requests, settings, now, results))
        except PlaywrightError as error:
            reason = f"浏览器出错：{_first_line(error)}"
            for request in requests:
                results.setdefault(request.key, CaptureFailed(reason))
        except BaseException as error:  # a bug: handed to the calling thread, raised there
            errors.append(error)

    thread = threading.Thread(target=run, name="evidence-capture")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results


async def _capture_all(requests: Sequence[CaptureRequest], settings: CaptureSettings,
                       now: Callable[[], datetime], results: dict[int, CaptureResult]) -> None:
    async with async_playwright() as playwright:
        try:
            browser = await playwright.chromium.launch(
                executable_path=settings.browser, headless=True,
                args=list(settings.launch_args))
        except PlaywrightError as error:
            reason = f"浏览器无法启动：{_first_line(error)}"
            results.update({request.key: CaptureFailed(reason) for request in requests})
            return
        try:
            queue: asyncio.Queue[CaptureRequest] = asyncio.Queue()
            for request in requests:
                queue.put_nowait(request)
            workers = min(settings.concurrency, len(requests))
            gates = HostGates(settings.per_host)
            await asyncio.gather(*(_worker(browser, queue, settings, now, results, gates)
                                   for _ in range(workers)))
        finally:
            await browser.close()


async def _worker(browser: Browser, queue: asyncio.Queue[CaptureRequest],
                  settings: CaptureSettings, now: Callable[[], datetime],
                  results: dict[int, CaptureResult], gates: HostGates) -> None:
    """Capture from the queue until it is empty, one page at a time, in a browser tab of its
    own: a tab navigated from page to page costs much less than a new tab (a new renderer
    process) or a new context per capture. The tab is renewed after a failure (it may be
    stuck) and, with its context, every `_PAGES_PER_CONTEXT` captures so that its memory
    stays bounded."""
    context: BrowserContext | None = None
    page: Page | None = None
    used = 0
    try:
        while not queue.empty():
            request = queue.get_nowait()
            if context is None or used >= _PAGES_PER_CONTEXT:
                if context is not None:
                    await context.close()
                context, page, used = await _new_context(browser, settings, gates), None, 0
            if page is None:
                page = await context.new_page()
                page.set_default_timeout(settings.page_timeout * 1000)
            used += 1
            result = await _capture_bounded(page, request, settings, now)
            results[request.key] = result
            if isinstance(result, CaptureFailed):
                with suppress(PlaywrightError):  # a tab that will not close is dropped
                    await page.close()
                page = None
    finally:
        if context is not None:
            await context.close()


_PAGES_PER_CONTEXT = 50


async def _new_context(browser: Browser, settings: CaptureSettings,
                       gates: HostGates) -> BrowserContext:
    context = await browser.new_context(
        viewport={"width": settings.viewport_width, "height": settings.viewport_height},
        device_scale_factor=1, user_agent=settings.user_agent, ignore_https_errors=True)
    await context.route("**/*", gates.fetch)
    return context


class HostGates:
    """Every request of every tab passes here, so that no host answers more than `per_host`
    of them at once, as with the crawl: a browser alone opens up to six connections per
    host and tab. Redirects are not followed here but handed to the browser, which asks
    again (through here), so the page's final URL stays the browser's own."""

    def __init__(self, per_host: int):
        self.per_host = per_host
        self._gates: dict[str, asyncio.Semaphore] = {}

    async def fetch(self, route: Route) -> None:
        host = urlsplit(route.request.url).netloc
        gate = self._gates.setdefault(host, asyncio.Semaphore(self.per_host))
        try:
            async with gate:
                response = await route.fetch(max_redirects=0,
                                             headers=_wire_headers(route.request.headers))
            await route.fulfill(response=response)
        except PlaywrightError:
            # Refused, reset, or the tab went away: the browser sees a failed request.
            with suppress(PlaywrightError):
                await route.abort("failed")


def _wire_headers(headers: dict[str, str]) -> dict[str, str] | None:
    """The request's headers as the fetch below can send them, or None when they can go
    as they are. The User-Agent names the office in Chinese; the browser sends it in
    UTF-8, as the crawl does, but the fetch refuses any character beyond Latin-1, so each
    such value is handed over as its UTF-8 bytes, one character per byte: the same bytes
    reach the portal."""
    if all(value.isascii() for value in headers.values()):
        return None
    return {name: value.encode().decode("latin-1") for name, value in headers.items()}


async def _capture_bounded(page: Page, request: CaptureRequest, settings: CaptureSettings,
                           now: Callable[[], datetime]) -> CaptureResult:
    try:
        return await asyncio.wait_for(_capture(page, request, settings, now),
                                      timeout=settings.page_timeout)
    except TimeoutError:
        return CaptureFailed(f"截图超时（超过{settings.page_timeout:g}秒）")
    except PlaywrightTimeout:
        return CaptureFailed(f"页面打开超时（超过{settings.page_timeout:g}秒）")
    except PlaywrightError as error:
        return CaptureFailed(f"页面无法打开：{_first_line(error)}")


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:200]


async def _capture(page: Page, request: CaptureRequest, settings: CaptureSettings,
                   now: Callable[[], datetime]) -> CaptureResult:
    fetched_at = now()
    response = await page.goto(request.url, wait_until="domcontentloaded")
    if response is None:
        return CaptureFailed("页面无法打开：浏览器没有收到响应")
    try:
        await page.wait_for_load_state(
            "load", timeout=settings.page_timeout * _LOAD_SHARE * 1000)
    except PlaywrightTimeout:
        pass  # shot as it is: what stays unloaded is part of what a visitor sees
    masked_in_dom, numbers = await _mask_dom(page)
    raw, masked_in_html = await _page_as_fetched(response, numbers)
    # The banner first: it pushes the page down, and the element is scrolled to after.
    await page.evaluate(_BANNER_JS, list(request.banner))
    highlighted = False
    if request.highlight is not None and request.target:
        highlighted = bool(await page.evaluate(
            _HIGHLIGHT_JS, [request.target, request.highlight, request.element_label or ""]))
    viewport = await page.screenshot(type="png")
    height = int(await page.evaluate(_FULL_PAGE_JS, [settings.full_page_max_height,
                                                     TRUNCATED_CAPTION]))
    truncated = height > settings.full_page_max_height
    full = await page.screenshot(
        type="jpeg", quality=settings.jpeg_quality, full_page=True,
        clip={"x": 0, "y": 0, "width": settings.viewport_width,
              "height": min(height, settings.full_page_max_height)})
    dom = (await page.content()).encode("utf-8")
    facts = CaptureFacts(
        url=request.url, final_url=response.url, http_status=response.status,
        fetched_at=fetched_at, full_page_height=height, truncated=truncated,
        highlighted=highlighted, masked_numbers=max(masked_in_html, masked_in_dom))
    files = {PAGE_NAME: raw, SCREENSHOT_NAME: viewport, FULL_PAGE_NAME: full, DOM_NAME: dom}
    return CapturedPage(facts, files)


async def _page_as_fetched(response: Response, numbers: dict[str, str]) -> tuple[bytes, int]:
    """The body as the server sent it; with personal numbers masked when it has any, since
    no file of the evidence may carry one in full. `numbers` (full → masked digits) are the
    ones the page's text showed, masked here even where tags split them in the source."""
    body = await response.body()
    decoded = decode_html(body, await response.header_value("content-type"))
    masked = _mask_source(mask_text(decoded.text), numbers)
    if masked == decoded.text:
        return body, 0
    return masked.encode(decoded.encoding, errors="replace"), len(
        find_privacy_leaks(decoded.text)) or len(numbers)


# Between two digits of a number in the page source: tags, spaces and hyphens.
_SOURCE_GAP = r"(?:<[^>]*>|[ \t\r\n-]|&nbsp;)*"


def _mask_source(source: str, numbers: dict[str, str]) -> str:
    for full, masked in numbers.items():
        pattern = _SOURCE_GAP.join(re.escape(digit) for digit in full)

        def star(match: re.Match[str], masked: str = masked) -> str:
            digits = iter(masked)
            out, inside_tag = [], False
            for char in match.group():
                if char == "<":
                    inside_tag = True
                elif char == ">":
                    inside_tag = False
                elif not inside_tag and char in _NUMBER_CHARS:
                    char = next(digits, char)
                out.append(char)
            return "".join(out)

        source = re.sub(rf"(?<![0-9]){pattern}(?![0-9])", star, source)
    return source


_NUMBER_CHARS = frozenset("0123456789Xx")


def _numbers_in(text: str) -> dict[str, str]:
    """Each personal number of `text` as its digits, with the masked digits to put instead."""
    numbers: dict[str, str] = {}
    for leak in find_privacy_leaks(text):
        digits: list[str] = []
        for char in text[leak.offset:]:
            if len(digits) == len(leak.masked):
                break
            if char in _NUMBER_CHARS or char in "０１２３４５６７８９Ｘｘ":
                digits.append(char)
        numbers["".join(digits)] = leak.masked
    return numbers


async def _mask_dom(page: Page) -> tuple[int, dict[str, str]]:
    """Mask personal numbers in the page's text nodes before anything is shot. Each node is
    masked, then the nodes' text as one string, so a number split over elements
    (<b>138</b>12345678) is masked too; masking keeps lengths, so the pieces line up.
    Returns how many numbers were masked, and which (full → masked digits)."""
    texts: list[str] = await page.evaluate(_COLLECT_TEXT_JS)
    numbers: dict[str, str] = {}
    for text in texts:
        numbers.update(_numbers_in(text))
    each = [mask_text(text) for text in texts]
    joined = "".join(each)
    whole = mask_text(joined)
    if whole != joined:
        numbers.update(_numbers_in(joined))
    masked, offset = [], 0
    for text in each:
        masked.append(whole[offset:offset + len(text)])
        offset += len(text)
    changes = [[index, new] for index, (old, new) in enumerate(zip(texts, masked, strict=True))
               if old != new]
    if changes:
        await page.evaluate(_APPLY_TEXT_JS, changes)
    return len(numbers), numbers


# Text nodes of the page (not of scripts or styles), kept in order for _APPLY_TEXT_JS; the
# title and the attributes a visitor can read are masked as text nodes too.
_COLLECT_TEXT_JS = """() => {
  const nodes = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const tag = n.parentNode && n.parentNode.nodeName;
    if (tag !== 'SCRIPT' && tag !== 'STYLE' && tag !== 'NOSCRIPT') nodes.push(n);
  }
  for (const el of document.querySelectorAll('[title],[alt],[placeholder],input[value]')) {
    for (const name of ['title', 'alt', 'placeholder', 'value']) {
      if (el.hasAttribute(name)) nodes.push(el.getAttributeNode(name));
    }
  }
  window.__monitorTextNodes = nodes;
  return nodes.map(n => n.nodeValue || '');
}"""

_APPLY_TEXT_JS = """(changes) => {
  for (const [index, text] of changes) window.__monitorTextNodes[index].nodeValue = text;
}"""

# Find the problem's element by its resolved URL (what the crawler recorded), reveal the
# hidden block around a hidden link, frame it in red with a label and scroll it into view.
_HIGHLIGHT_JS = """([target, kind, label]) => {
  const norm = (u) => { try { const x = new URL(u, document.baseURI); x.hash = '';
                              return x.href; } catch (e) { return u; } };
  const wanted = norm(target);
  const tags = kind === 'image' ? 'img' : 'a[href],area[href]';
  let el = null;
  for (const candidate of document.querySelectorAll(tags)) {
    const url = kind === 'image' ? (candidate.currentSrc || candidate.src) : candidate.href;
    if (url && norm(url) === wanted) { el = candidate; break; }
  }
  if (!el && kind !== 'image') {
    for (const candidate of document.querySelectorAll('img[src],embed[src],iframe[src]')) {
      if (norm(candidate.src) === wanted) { el = candidate; break; }
    }
  }
  if (!el) return false;
  let frame = el;
  if (kind === 'hidden') {
    const set = (node, prop, value) => node.style.setProperty(prop, value, 'important');
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      let changed = false;
      if (style.display === 'none') { set(node, 'display', 'block'); changed = true; }
      if (style.visibility !== 'visible') { set(node, 'visibility', 'visible'); changed = true; }
      if (parseFloat(style.opacity) < 0.5) { set(node, 'opacity', '1'); changed = true; }
      if (parseFloat(style.fontSize) < 6) { set(node, 'font-size', '14px'); changed = true; }
      if (style.position === 'absolute' || style.position === 'fixed') {
        const box = node.getBoundingClientRect();
        if (box.right < 0 || box.bottom < 0 || box.left > document.documentElement.scrollWidth) {
          set(node, 'position', 'static'); changed = true;
        }
      }
      if (parseFloat(style.textIndent) < -100) { set(node, 'text-indent', '0'); changed = true; }
      if (style.overflow !== 'visible' && (node.clientHeight < 2 || node.clientWidth < 2)) {
        set(node, 'overflow', 'visible'); set(node, 'height', 'auto'); set(node, 'width', 'auto');
        set(node, 'max-height', 'none'); set(node, 'max-width', 'none'); changed = true;
      }
      if (changed) frame = node;
    }
  }
  frame.style.setProperty('outline', '4px solid #e00000', 'important');
  frame.style.setProperty('outline-offset', '2px', 'important');
  if (label) {
    const tag = document.createElement('span');
    tag.textContent = label;
    tag.style.cssText = 'all:initial;display:inline-block;background:#e00000;color:#fff;' +
      'font:bold 14px "Noto Sans CJK SC","Noto Sans CJK",sans-serif;padding:2px 6px;margin:2px;';
    frame.insertAdjacentElement('beforebegin', tag);
  }
  frame.scrollIntoView({block: 'center', inline: 'nearest'});
  return true;
}"""

# The banner: a host element with a shadow root (the page's CSS cannot reach inside), fixed
# at the top of the viewport; the page is pushed down by its height so it hides nothing.
_BANNER_JS = """(lines) => {
  const host = document.createElement('monitor-evidence-banner');
  host.style.cssText = 'all:initial;position:fixed;top:0;left:0;right:0;' +
    'z-index:2147483647;display:block;';
  const root = host.attachShadow({mode: 'open'});
  const box = document.createElement('div');
  box.style.cssText = 'background:#b40000;color:#fff;padding:8px 14px;' +
    'font:15px/1.45 "Noto Sans CJK SC","Noto Sans CJK",sans-serif;' +
    'border-bottom:3px solid #ffd400;word-break:break-all;';
  lines.forEach((line, index) => {
    const row = document.createElement('div');
    row.textContent = line;
    if (index === 0) row.style.cssText = 'font-weight:bold;font-size:18px;';
    box.appendChild(row);
  });
  root.appendChild(box);
  document.documentElement.appendChild(host);
  const height = box.getBoundingClientRect().height;
  const html = document.documentElement;
  const before = parseFloat(getComputedStyle(html).paddingTop) || 0;
  html.style.setProperty('padding-top', (before + height) + 'px', 'important');
  window.__monitorBannerHeight = height;
  return height;
}"""

# Before the full-page shot: back to the top (the fixed banner then heads the page), and a
# 截断 caption where the shot will be cut. Returns the page's full height.
_FULL_PAGE_JS = """([maxHeight, caption]) => {
  window.scrollTo(0, 0);
  const html = document.documentElement;
  const height = Math.max(html.scrollHeight, document.body ? document.body.scrollHeight : 0);
  if (height > maxHeight) {
    const note = document.createElement('monitor-evidence-cut');
    note.style.cssText = 'all:initial;position:absolute;left:0;right:0;display:block;' +
      'z-index:2147483647;background:#b40000;color:#fff;text-align:center;' +
      'font:bold 18px/40px "Noto Sans CJK SC","Noto Sans CJK",sans-serif;height:40px;' +
      'top:' + (maxHeight - 40) + 'px;';
    note.textContent = caption;
    html.appendChild(note);
  }
  return height;
}"""
