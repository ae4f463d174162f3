"""What an article page says about itself, as plain data: the crawler reads it
(`crawler.extract.article`), storage records it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from monitor.domain import DateSource, LinkKind, TitleSource


@dataclass(frozen=True)
class LinkRef:
    """A link target found on the page: `kind` a/img/attachment, `in_body` when it sits
    in the article body (not in the site's header, sidebar or footer)."""

    url: str
    kind: LinkKind
    anchor_text: str
    in_body: bool


@dataclass(frozen=True)
class Article:
    title: str
    pub_date: date | None
    pub_date_source: DateSource | None
    meta: dict[str, str] = field(default_factory=dict)
    text: str = ""
    links: list[LinkRef] = field(default_factory=list)
    title_source: TitleSource | None = None
