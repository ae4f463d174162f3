"""A list title cut short, and the article title that completes it (SPEC §3: the posts
export holds the full title).

Lists cut long titles to fit a line: with an ellipsis ("县财政局：债务风险防控工作取得阶…"),
or silently (only the beginning is shown). The article page carries the whole title
(ArticleTitle meta, <h1>, <title>). The article's title replaces the list's only when it
continues the list's words, so a page whose <h1> is the site's name changes nothing.
"""

from __future__ import annotations

import re

_ELLIPSIS = re.compile(r"(?:…+|\.{3,}|⋯+|．{3,}|。{3,})\s*$")
_SPACES = re.compile(r"\s+")


def _bare(text: str) -> str:
    return _SPACES.sub("", text)


def completed_title(listed: str, article_title: str) -> str | None:
    """The article's title when `listed` is it cut short, else None."""
    stem = _ELLIPSIS.sub("", listed)
    head, full = _bare(stem), _bare(article_title)
    if not head or not full.startswith(head) or len(full) <= len(head):
        return None
    return article_title.strip()
