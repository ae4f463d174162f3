"""Soft 404: a 200 answer whose page says the document does not exist (SPEC §4.5).

Only a title or a short page counts: a long article that happens to quote one of the
phrases is a real page, and calling it broken would be a false accusation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crawler.linkcheck.pagetext import PageText

# Phrases not-found pages of Chinese government CMSs and common servers use.
DEFAULT_SOFT404_PHRASES: tuple[str, ...] = (
    "页面不存在",
    "页面未找到",
    "页面没有找到",
    "找不到页面",
    "找不到该页面",
    "页面找不到",
    "页面已删除",
    "页面已被删除",
    "已被删除或不存在",
    "信息不存在",
    "文章不存在",
    "内容不存在",
    "404 not found",
    "page not found",
)

# A title that *starts* with 404 or pairs it with an error word; '关于…404号文件' does not.
_TITLE_404 = re.compile(
    r"^\W*(?:error|http)?\W*404(?![0-9号])|404\s*(?:not\s*found|error|错误|页面)",
    re.IGNORECASE,
)

# Visible text of a not-found page, even with the portal's header, menus and footer
# around it, stays below this; real articles carrying such a phrase are longer.
SHORT_PAGE_CHARS = 3000


def is_soft_404(page: PageText, extra_phrases: Iterable[str] = ()) -> bool:
    phrases = [p.lower() for p in (*DEFAULT_SOFT404_PHRASES, *extra_phrases) if p.strip()]
    title = page.title.lower()
    if _TITLE_404.search(title) or any(p in title for p in phrases):
        return True
    if len(page.text) > SHORT_PAGE_CHARS:
        return False
    text = page.text.lower()
    return any(p in text for p in phrases)
