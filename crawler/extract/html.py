"""Parsing helpers shared by the extractors: one lxml parse per page, cheap text access.

lxml is used directly (not BeautifulSoup): extraction runs for every page of a crawl
of some 100,000 articles.
"""

from __future__ import annotations

import re

from lxml import etree, html

from monitor.crawlfacts.urls import normalize_url

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")

_INVISIBLE = frozenset({"script", "style", "noscript", "template", "title"})
_BLOCKS = frozenset(
    {"p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
     "section", "article", "blockquote", "pre", "dd", "dt", "hr"}
)

_PARSER = html.HTMLParser(remove_blank_text=False, collect_ids=False)


def parse_html(markup: str | bytes) -> html.HtmlElement:
    """The document root for `markup`; an empty or unparsable page gives an empty <html>."""
    if isinstance(markup, str):
        # lxml refuses str input that carries an XML encoding declaration.
        markup = _XML_DECLARATION.sub("", markup, count=1)
    if not markup or not markup.strip():
        return html.Element("html")
    try:
        root = html.document_fromstring(markup, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return html.Element("html")
    _take_in_stray_documents(root)
    return root


def _take_in_stray_documents(root: html.HtmlElement) -> None:
    """Bring what follows a stray `</html>` back into the document.

    Templates that close the page in an included header (the gov.cn 公报 pages do) leave
    lxml with a second top-level <html> beside the root, holding the article body. A
    browser shows it as part of the page, so extraction must see it too.
    """
    head, body = root.find("head"), root.find("body")
    for stray in list(root.itersiblings()):
        if not isinstance(stray.tag, str):
            continue  # a comment or processing instruction between the two
        for part in list(stray):
            # The first document's meta tags come first, so they win where both have one.
            into = {"body": body, "head": head}.get(str(part.tag))
            if into is not None:
                into.extend(list(part))
            else:
                (body if body is not None else root).append(part)


def parse_fragment(markup: str) -> html.HtmlElement:
    """A wrapper <div> holding the elements of an HTML fragment (e.g. one list record)."""
    wrapper = html.Element("div")
    if not markup.strip():
        return wrapper
    try:
        parsed = html.fragments_fromstring(markup, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return wrapper
    for part in parsed:
        if isinstance(part, str):
            wrapper.text = (wrapper.text or "") + part
        else:
            wrapper.append(part)
    return wrapper


def squash(text: str) -> str:
    """`text` with runs of whitespace (including &nbsp; and ideographic spaces) as one space."""
    return _SPACES.sub(" ", text.replace("\xa0", " ").replace("\u3000", " ")).strip()


_VISIBLE_TEXT = etree.XPath(
    "descendant::text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template or ancestor::title)]"
)


def visible_text(element: html.HtmlElement) -> str:
    """The element's text without scripts, styles and comments, whitespace squashed.

    Text nodes are joined without a separator: Chinese has no spaces between words, and
    editors split words and ID numbers across <span>s.
    """
    if next(element.iter(*_INVISIBLE), None) is None:
        # Most elements (links, cells) hold no script: lxml's own text walk is faster.
        return squash("".join(element.itertext()))
    return squash("".join(_VISIBLE_TEXT(element)))


def block_text(element: html.HtmlElement) -> str:
    """Visible text with one line per block (paragraph, row, heading, line break)."""
    parts: list[str] = []
    _collect_blocks(element, parts)
    lines = (squash(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _collect_blocks(element: etree._Element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag not in _INVISIBLE:
            block = tag in _BLOCKS
            if block:
                parts.append("\n")
            if child.text:
                parts.append(child.text)
            _collect_blocks(child, parts)
            if block:
                parts.append("\n")
        if child.tail:
            parts.append(child.tail)


def text_nodes(element: html.HtmlElement) -> list[str]:
    """The element's visible text nodes in document order (for line-oriented searches)."""
    return [str(node) for node in _VISIBLE_TEXT(element)]


def document_base(root: html.HtmlElement, page_url: str) -> str:
    """The base URL for relative links: the page URL, or its <base href> when present."""
    for base in root.iter("base"):
        href = base.get("href")
        if href:
            resolved = normalize_url(href, page_url)
            if resolved:
                return resolved
    return page_url


def class_and_id_words(element: html.HtmlElement) -> str:
    """The element's class and id attributes, lower-cased, for layout-role hints."""
    return f"{element.get('class', '')} {element.get('id', '')}".lower()
