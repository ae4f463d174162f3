"""What an article page says about itself: title, publication date, body text, links.

Government CMSs (TRS, Hanweb, 拓尔思/大汉 and others) write a standard block of meta tags
(SiteName, SiteIDCode, ColumnName, ArticleTitle, PubDate, ContentSource …), in varying
letter case and sometimes twice. The publication date comes from `PubDate` (or, on
pages that lack it, the TRS `firstpublishedtime` tag), else from a visible
"发布时间：/发布日期：/日期：" line (SPEC §4.2). A signing date (成文日期) is not a
publication date and is never taken.

The body is found by CMS markers (`ContentStart`/`ContentEnd`), then by the editor
containers CMSs use (`TRS_Editor`, `#zoom`, `#UCAP-CONTENT` …), then as the block
holding most paragraph text. Links inside it are marked `in_body`.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qsl, urlsplit

from lxml import etree, html

from crawler.extract.dates import find_full_date, to_ascii
from crawler.extract.html import block_text, document_base, parse_html, squash, visible_text
from monitor.crawlfacts.article import Article, LinkRef
from monitor.crawlfacts.urls import normalize_url
from monitor.domain import DateSource, LinkKind, TitleSource

# The gov meta names in their canonical spelling; matched case-insensitively.
GOV_META_NAMES = (
    "SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription",
    "ColumnKeywords", "ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Keywords",
    "Author", "Description", "Image", "Url", "firstpublishedtime", "lastmodifiedtime",
)
_CANONICAL_META = {name.lower(): name for name in GOV_META_NAMES}
_PUBLISH_META = ("PubDate", "firstpublishedtime")

ATTACHMENT_EXTENSIONS = frozenset(
    {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".zip", ".rar", ".ppt", ".pptx",
     ".et", ".txt", ".ofd", ".7z", ".csv", ".dps"}
)

# "发布时间：2024-04-29" and the like; plain "日期：" only when no signing/validity word
# stands before it.
_PUBLISH_LABEL = re.compile(r"(?:发布|发表|公开|更新)(?:时间|日期)\s*[:：]?\s*")
_DATE_LABEL = re.compile(r"(?<!成文)(?<!印发)(?<!生效)(?<!实施)(?<!废止)(?<!生成)(?<!失效)"
                         r"(?<!签发)(?<!截止)(?<!办结)日期\s*[:：]\s*")
_LABEL_REACH = 40  # characters after a label read for the date
_LABEL_GAP = 12  # the date must start this close to its label

_BODY_MARKERS = ("contentstart", "contentend")
_BODY_CONTAINERS = etree.XPath(
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')"
    " or @id='zoom' or @id='UCAP-CONTENT' or @id='Zoom'"
    " or contains(concat(' ', normalize-space(@class), ' '), ' pages_content ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' article-content ')"
    " or @id='js_content' or @id='content-body' or @class='bt_content' or @id='fontzoom']"
)
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||－|——| - )\s*")


def extract_article(markup: str | html.HtmlElement, url: str) -> Article:
    """Everything the monitor reads from one article page: its text, or its document
    root from `parse_html` (read only, so other checks can use the same parse)."""
    root = markup if isinstance(markup, html.HtmlElement) else parse_html(markup)
    base = document_base(root, url)
    meta = gov_meta(root)
    pub_date, source = _publication_date(root, meta)
    body = find_body(root)
    title, title_source = _title(root, meta)
    return Article(
        title=title,
        title_source=title_source,
        pub_date=pub_date,
        pub_date_source=source,
        meta=meta,
        text=block_text(body) if body is not None else "",
        links=extract_links(root, base, body),
    )


def gov_meta(root: html.HtmlElement) -> dict[str, str]:
    """The gov meta tags with non-empty values, names in canonical case, first wins."""
    found: dict[str, str] = {}
    for element in root.iter("meta"):
        name = (element.get("name") or "").strip().lower()
        canonical = _CANONICAL_META.get(name)
        if canonical is None or canonical in found:
            continue
        value = squash(element.get("content") or "")
        if value:
            found[canonical] = value
    return found


def _publication_date(
    root: html.HtmlElement, meta: dict[str, str]
) -> tuple[date | None, DateSource | None]:
    for name in _PUBLISH_META:
        if name in meta:
            found = find_full_date(meta[name])
            if found is not None:
                return found.to_date(), DateSource.META
    page_body = root.find("body")
    visible = visible_publication_date(visible_text(page_body if page_body is not None else root))
    if visible is not None:
        return visible, DateSource.VISIBLE
    return None, None


def visible_publication_date(text: str) -> date | None:
    """The date after a "发布时间/发布日期" label, else after a plain "日期：" label."""
    ascii_text = to_ascii(text)
    for label in (_PUBLISH_LABEL, _DATE_LABEL):
        for match in label.finditer(ascii_text):
            window = ascii_text[match.end() : match.end() + _LABEL_REACH]
            found = find_full_date(window)
            if found is not None and 0 <= window.find(found.raw) < _LABEL_GAP:
                return found.to_date()
    return None


def _title(root: html.HtmlElement, meta: dict[str, str]) -> tuple[str, TitleSource | None]:
    if meta.get("ArticleTitle", "").strip():
        return squash(meta["ArticleTitle"]), TitleSource.META
    for element in root.iter("h1"):
        text = visible_text(element)
        if len(text) >= 4:
            return text, TitleSource.H1
    title = root.find(".//title")
    if title is not None and title.text:
        parts = [part for part in _TITLE_SEPARATORS.split(squash(title.text)) if part]
        if parts:
            return parts[0], TitleSource.TITLE
    return "", None


# --- body --------------------------------------------------------------------------


def find_body(root: html.HtmlElement) -> html.HtmlElement | None:
    """The element holding the article text, or None for a page without any text."""
    marked = _marked_body(root)
    if marked is not None:
        return marked
    containers: list[html.HtmlElement] = _BODY_CONTAINERS(root)  # an element list, by the query
    if containers:
        return max(containers, key=lambda element: len(visible_text(element)))
    return _densest_block(root)


def _marked_body(root: html.HtmlElement) -> html.HtmlElement | None:
    """The common parent of `<meta name="ContentStart">`, or of a ContentStart comment."""
    for element in root.iter("meta"):
        if (element.get("name") or "").lower() == _BODY_MARKERS[0]:
            parent = element.getparent()
            if parent is not None and parent.tag != "head":
                return parent
    for comment in root.iter(etree.Comment):
        if (comment.text or "").strip().lower().replace(" ", "") == _BODY_MARKERS[0]:
            return comment.getparent()
    return None


def _densest_block(root: html.HtmlElement) -> html.HtmlElement | None:
    # The parent whose direct <p> children hold the most text: article bodies are runs of
    # paragraphs, while menus and footers are links and short cells.
    weights: dict[html.HtmlElement, int] = {}
    for paragraph in root.iter("p"):
        parent = paragraph.getparent()
        if parent is not None:
            weights[parent] = weights.get(parent, 0) + len(visible_text(paragraph))
    if not weights:
        return root.find("body")
    return max(weights, key=weights.__getitem__)


# --- links -------------------------------------------------------------------------


def extract_links(
    root: html.HtmlElement, base: str, body: html.HtmlElement | None
) -> list[LinkRef]:
    """Every distinct (url, kind) target of <a href>, <img src/srcset/data-src>, in page
    order; `in_body` is true when any occurrence sits in the body."""
    body_elements = set(body.iter()) if body is not None else set()
    found: dict[tuple[str, LinkKind], LinkRef] = {}
    for element in root.iter("a", "img", "area"):
        in_body = element in body_elements
        for url, kind, text in _targets(element, base):
            key = (url, kind)
            known = found.get(key)
            if known is None:
                found[key] = LinkRef(url, kind, text, in_body)
            elif (in_body and not known.in_body) or (text and not known.anchor_text):
                found[key] = LinkRef(url, kind, known.anchor_text or text,
                                     known.in_body or in_body)
    return list(found.values())


def _targets(element: html.HtmlElement, base: str) -> list[tuple[str, LinkKind, str]]:
    if element.tag == "img":
        text = squash(element.get("alt") or element.get("title") or "")
        sources = [element.get("src"), element.get("data-src"), element.get("data-original")]
        sources.extend(_srcset_urls(element.get("srcset")))
        targets = []
        for source in sources:
            url = normalize_url(source, base) if source else None
            if url is not None:
                targets.append((url, LinkKind.IMG, text))
        return targets
    href = element.get("href")
    url = normalize_url(href, base) if href else None
    if url is None:
        return []
    text = visible_text(element) or squash(element.get("title") or element.get("alt") or "")
    return [(url, link_kind(url), text)]


def _srcset_urls(srcset: str | None) -> list[str]:
    if not srcset:
        return []
    return [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]


def link_kind(url: str) -> LinkKind:
    """`attachment` when the path (or a file-name query value, as in download.jsp?
    filename=x.pdf) ends in a document extension, else `a`."""
    parts = urlsplit(url)
    if _has_attachment_extension(parts.path):
        return LinkKind.ATTACHMENT
    for _, value in parse_qsl(parts.query):
        if _has_attachment_extension(value):
            return LinkKind.ATTACHMENT
    return LinkKind.A


def _has_attachment_extension(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    dot = name.rfind(".")
    return dot > 0 and name[dot:] in ATTACHMENT_EXTENSIONS
