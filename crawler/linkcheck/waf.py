"""Recognising a WAF / anti-bot challenge instead of the document (SPEC §4.5: such a
target is `blocked`, unverifiable, never `broken`).

Markers: 瑞数 (`$_ts`), 加速乐 (`__jsluid`, `__jsl_clearance`), and the Chinese words the
challenge pages show. A 200 page that merely loads a protection script is not a
challenge: only a page with almost no visible text is.
"""

from __future__ import annotations

from collections.abc import Mapping

from crawler.linkcheck.pagetext import decode_page, visible_text

_BODY_MARKERS: tuple[str, ...] = (
    "$_ts",
    "__jsluid",
    "__jsl_clearance",
    "安全验证",
    "访问异常",
    "人机验证",
    "滑动验证",
    "访问验证",
    "网站防火墙",
    "访问被拦截",
)
_COOKIE_MARKERS: tuple[str, ...] = ("__jsluid", "__jsl_clearance")
# Statuses challenge products answer with (瑞数 412/202, 加速乐 521, others 403/200).
_CHALLENGE_STATUSES = frozenset({200, 202, 403, 412, 503, 521})
_ERROR_CHALLENGE_STATUSES = frozenset({412, 521})
CHALLENGE_MAX_TEXT_CHARS = 400


def is_waf_challenge(status: int, headers: Mapping[str, str], body_prefix: bytes) -> bool:
    """`headers` has lower-case names; repeated headers are joined with newlines."""
    if status not in _CHALLENGE_STATUSES:
        return False
    html = decode_page(headers.get("content-type", ""), body_prefix)
    body_marked = any(marker in html for marker in _BODY_MARKERS)
    cookie = headers.get("set-cookie", "")
    cookie_marked = any(marker in cookie for marker in _COOKIE_MARKERS)
    if status in _ERROR_CHALLENGE_STATUSES and (body_marked or cookie_marked):
        return True
    # The visible text needs a parse: only for the rare page that carries a marker.
    return body_marked and len(visible_text(html)) <= CHALLENGE_MAX_TEXT_CHARS
