"""What fits in a chat message (pure): the vendors' size limits, the cut, the 详见 link.

A chat message is short and carries no attachment: the full list is on the dashboard, and
the message ends with a link there. The size is counted in UTF-8 bytes, as 企业微信 counts
its 2,048-byte text limit; a longer text is cut at a character (never inside one) and
ends with … before the link, which is always kept.
"""

from __future__ import annotations

from urllib.parse import quote

from monitor.i18n import N_, _

DINGTALK = "dingtalk"
WECOMBOT = "wecombot"
# The vendors' own limits on a text message, in UTF-8 bytes; the config's max_bytes may
# ask for less, never for more.
TEXT_LIMITS = {WECOMBOT: 2048, DINGTALK: 20_000}
ELLIPSIS = "…"
SEE_MORE = N_("详见：")  # worded in the reader's language where the link is added
# A cut may step back to the last line end when that keeps this share of the room, so a
# message does not end half-way through a column name.
_LINE_CUT_SHARE = 0.75


def vendor_of(channel: str) -> str:
    """The scheme of a chat URL (dingtalk, wecombot, json, feishu …)."""
    return channel.partition("://")[0].lower()


def text_limit(channel: str, max_bytes: int) -> int:
    return min(max_bytes, TEXT_LIMITS.get(vendor_of(channel), max_bytes))


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def fit(body: str, link: str | None, max_bytes: int) -> str:
    """`body`, then `详见：link` on a line of its own, in at most `max_bytes` UTF-8 bytes."""
    tail = f"\n{_(SEE_MORE)}{link}" if link else ""
    body = body.strip()
    if utf8_size(body + tail) <= max_bytes:
        return body + tail
    room = max_bytes - utf8_size(tail) - utf8_size(ELLIPSIS)
    if link and room < max_bytes // 2:
        # A link that would take half the message: the text matters more.
        return fit(body, None, max_bytes)
    return cut(body, room) + ELLIPSIS + tail


def cut(text: str, size: int) -> str:
    """The longest start of `text` of at most `size` UTF-8 bytes, ending on a whole
    character (and on a line end when one is near)."""
    kept = text.encode("utf-8")[:size].decode("utf-8", "ignore")
    line_end = kept.rfind("\n")
    if line_end >= 0 and utf8_size(kept[:line_end]) >= size * _LINE_CUT_SHARE:
        kept = kept[:line_end]
    return kept.rstrip()


def dashboard_link(link_base: str | None, unit_name: str | None = None) -> str | None:
    """The dashboard's 总览, or a unit's page (SPEC §8: /units/{unit name})."""
    if link_base is None:
        return None
    base = link_base.rstrip("/")
    if unit_name is None:
        return f"{base}/"
    return f"{base}/units/{quote(unit_name, safe='')}"
