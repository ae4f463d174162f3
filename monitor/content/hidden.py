"""Hidden links (暗链): links to other sites that a visitor cannot see.

Injected spam links are kept on a page but hidden from readers, by an inline style or by a
class styled in the page's own <style>. A link counts as hidden when it or any enclosing
element is hidden, because hiding a wrapper <div> is the usual trick. Only the page's own
markup is read: external stylesheets are not fetched, so this module never touches the network.

The check runs on lxml (not BeautifulSoup) because it runs for every crawled page: it takes
the page's HTML text, or the crawler's already-parsed document root, which it only reads.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import cssselect
from cssselect import ExpressionError, HTMLTranslator, SelectorError
from cssselect.parser import Attrib, Class, CombinedSelector, Hash
from lxml import etree
from lxml import html as lxml_html

_Element = etree._Element  # an element of a parsed page (lxml.html gives HtmlElement)


@dataclass(frozen=True)
class HiddenLinkFinding:
    """A hidden off-site link: absolute `target`, its anchor text, and how it was hidden."""

    target: str
    text: str
    hiding: Hiding

    @property
    def how(self) -> str:
        """How it was hidden, in the words of CSS (what a web developer checks)."""
        return str(self.hiding)


@dataclass(frozen=True)
class Hiding:
    """How a link is hidden: the means (`method`), the CSS declaration that does it, where
    that declaration comes from (`source`: the inline style or a rule of the page's own
    <style>), and the tag of the enclosing element hiding the link, if not the link itself.
    Kept as facts so that a problem's detail is worded when it is read."""

    method: str
    words: str  # the means in CSS terms: "display:none", "off-screen position (left:-9999px"
    source: str | None = None
    enclosing: str | None = None

    def __str__(self) -> str:
        if self.source is None:
            text = self.words
        elif "(" in self.words:  # the declaration is already in brackets: add the source
            text = f"{self.words}, {self.source})"
        else:
            text = f"{self.words} ({self.source})"
        return text if self.enclosing is None else f"{text} on enclosing <{self.enclosing}>"

    def facts(self) -> dict[str, object]:
        return {"method": self.method, "source": _source_kind(self.source),
                "enclosing": self.enclosing}


def _source_kind(source: str | None) -> str | None:
    if source is None:
        return None
    if source == INLINE_STYLE:
        return "inline"
    return "class" if source.startswith("class ") else "rule"


@dataclass(frozen=True)
class BenignTarget:
    """A hidden off-site link that portal platforms put on every page on purpose, so it is
    not a 暗链: a target on `host` (any host if None) whose path starts with `path_prefix`."""

    host: str | None
    path_prefix: str
    why: str

    def covers(self, target: str) -> bool:
        parts = urlsplit(target)
        host_ok = self.host is None or (parts.hostname or "").lower() == self.host
        return host_ok and (parts.path or "/").startswith(self.path_prefix)


KNOWN_BENIGN_TARGETS: tuple[BenignTarget, ...] = (
    BenignTarget("www.hanweb.com", "/",
                 "the Hanweb CMS writes a hidden 'Produced By' link into every page"),
    BenignTarget(None, "/exposure/jiucuo.html",
                 "the national 政府网站找错 widget; its script shows the link when it loads"),
)


@dataclass(frozen=True)
class _Declaration:
    prop: str
    value: str
    important: bool


@dataclass(frozen=True)
class _Rule:
    selector: str
    specificity: tuple[int, int, int]
    order: int
    declarations: tuple[_Declaration, ...]

    @property
    def source(self) -> str:
        if _SIMPLE_CLASS_RE.fullmatch(self.selector):
            return f"class {self.selector} in <style>"
        return f"rule '{self.selector}' in <style>"


@dataclass(frozen=True)
class _Winner:
    """The declaration that wins the cascade for one property of one element."""

    value: str
    source: str


# Cascade rank: (important, inline, specificity, order). Inline beats any rule of equal
# importance, and an !important rule beats a normal inline declaration, as in browsers.
_Rank = tuple[bool, bool, tuple[int, int, int], int]

_WATCHED = frozenset({
    "display", "visibility", "opacity", "position", "left", "top", "right", "bottom",
    "margin-left", "margin-top", "text-indent", "width", "height", "max-width", "max-height",
    "overflow", "overflow-x", "overflow-y", "font-size",
})
_OFFSET_PROPS = ("left", "top", "right", "bottom")
_MARGIN_PROPS = ("margin-left", "margin-top", "text-indent")
_SIZE_PROPS = ("width", "height", "max-width", "max-height")
_POSITIONED = frozenset({"absolute", "fixed", "relative"})
# Pushing content this far out of view has no layout purpose; it only hides.
_OFF_SCREEN_PX = -500.0
_ZERO_SIZE_PX = 1.0
_UNIT_PX = {"px": 1.0, "": 1.0, "pt": 4 / 3, "pc": 16.0, "em": 16.0, "rem": 16.0,
            "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
_ABSOLUTE_FONT_UNITS = frozenset({"px", "pt", "pc", "in", "cm", "mm", "rem", "vw", "vh"})

_COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
_LENGTH_RE = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))([a-z%]*)$")
_SIMPLE_CLASS_RE = re.compile(r"\.[\w-]+")
INLINE_STYLE = "inline style"
_ID_SEL_RE = re.compile(r"#[\w-]+")
_CLASS_SEL_RE = re.compile(r"\.[\w-]+|\[[^\]]*\]")
_TYPE_SEL_RE = re.compile(r"(?:^|[\s>+~])([a-zA-Z][\w-]*)")
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#")
# Selectors cssselect would take but that match nothing on an HTML page: `#1a` is no ID
# selector (an identifier cannot start with a digit), so browsers drop the rule; `svg|a` and
# `|a` ask for a namespace that HTML elements are not in (`*|a` is any namespace). Quoted
# strings and attribute conditions are removed before looking.
_MATCHES_NOTHING_RE = re.compile(r"#-?\d|(?<!\*)\|")
_QUOTED_RE = re.compile(r"\"[^\"]*\"|'[^']*'")
_ATTRIBUTE_RE = re.compile(r"\[[^\]]*\]")
# Strings inside these elements are not part of a link's visible text (scripts, styles,
# inert templates, ruby annotations).
_NOT_LINK_TEXT = frozenset({"script", "style", "template", "rt", "rp"})

_XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_PARSER = lxml_html.HTMLParser(remove_blank_text=False, collect_ids=False)
_TRANSLATOR = HTMLTranslator()
_CLASS_VALUES = etree.XPath("//@class", smart_strings=False)
_ID_VALUES = etree.XPath("//@id", smart_strings=False)
# The separators XPath's normalize-space knows, so that class names split as the compiled
# selectors see them.
_CLASS_SEP_RE = re.compile(r"[ \t\r\n]+")


def find_hidden_links(
    document: str | lxml_html.HtmlElement,
    page_url: str,
    site_hosts: Collection[str],
    benign: Collection[BenignTarget] = KNOWN_BENIGN_TARGETS,
) -> list[HiddenLinkFinding]:
    """Every off-site link in `document` that is hidden from readers, in document order,
    except the platform links in `benign`.

    `document` is the page's HTML text or its parsed document root (`lxml.html`); a parsed
    tree is read, never changed, so the caller can go on extracting from it.
    """
    root = parse_document(document) if isinstance(document, str) else document
    cascade = _PageCascade(_stylesheet_matches(root, _page_rules(root)))
    site = tuple(_site_entries(page_url, site_hosts))
    findings = []
    for link in _all_elements(root, "a"):
        href = link.get("href")
        if href is None:
            continue
        target = _absolute_target(href, page_url)
        if target is None or _is_on_site(target, site):
            continue
        if any(known.covers(target) for known in benign):
            continue
        hiding = _how_hidden(link, cascade)
        if hiding is not None:
            text = " ".join(_link_text(link).split())
            findings.append(HiddenLinkFinding(target=target, text=text, hiding=hiding))
    return findings


def parse_document(markup: str) -> lxml_html.HtmlElement:
    """The document root for `markup`; an empty or unparsable page gives an empty <html>."""
    # lxml refuses str input that carries an XML encoding declaration.
    markup = _XML_DECLARATION_RE.sub("", markup, count=1)
    if not markup.strip():
        return lxml_html.Element("html")
    try:
        return lxml_html.document_fromstring(markup, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return lxml_html.Element("html")


def _all_elements(root: _Element, tag: str) -> Iterator[_Element]:
    """The `tag` elements of the whole document, in document order. Markup after a stray
    </html> (a CMS header template that is a whole page) is parsed into a second top-level
    <html> beside `root`; spam placed at the end of such a page is there."""
    yield from root.iter(tag)
    for top in root.itersiblings(etree.Element):
        yield from top.iter(tag)


def _link_text(link: _Element) -> str:
    """The link's strings joined by spaces. Text in scripts, styles, inert templates and
    ruby annotations is no link text; a link inside a template has none."""
    if any(ancestor.tag in _NOT_LINK_TEXT for ancestor in link.iterancestors()):
        return ""
    parts: list[str] = []
    _collect_text(link, parts)
    return " ".join(parts)


def _collect_text(element: _Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        # Comments and processing instructions (whose tag is not a str) hold no page text,
        # but the text after them does.
        if isinstance(child.tag, str) and child.tag not in _NOT_LINK_TEXT:
            _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)


# --- the page's own stylesheet ------------------------------------------------------------


def _page_rules(root: _Element) -> tuple[_Rule, ...]:
    return _stylesheet_rules(tuple("".join(style.itertext())
                                   for style in _all_elements(root, "style")))


@lru_cache(maxsize=32)
def _stylesheet_rules(stylesheets: tuple[str, ...]) -> tuple[_Rule, ...]:
    """The rules with watched declarations in a page's <style> elements, in order. Read once
    per distinct set: the pages of one site carry the same <style>, sometimes hundreds of
    rules long."""
    rules: list[_Rule] = []
    for css in stylesheets:
        for selector_list, body in _top_level_blocks(css):
            declarations = tuple(d for d in _declarations(body) if d.prop in _WATCHED)
            if not declarations:
                continue
            for selector in selector_list.split(","):
                selector = selector.strip()
                if selector:
                    rules.append(_Rule(selector, _specificity(selector), len(rules), declarations))
    return tuple(rules)


def _top_level_blocks(css: str) -> Iterator[tuple[str, str]]:
    """(selector list, declarations) of plain rules; @media and other at-rule blocks are
    skipped because they apply only under conditions (print, narrow screens) we cannot know."""
    css = _COMMENT_RE.sub("", css)
    depth, start, body_start, selector = 0, 0, 0, ""
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                selector, body_start = css[start:index].strip(), index + 1
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                if selector and not selector.startswith("@"):
                    yield selector, css[body_start:index]
                start = index + 1
        elif char == ";" and depth == 0:
            start = index + 1


def _declarations(body: str) -> Iterator[_Declaration]:
    for part in body.split(";"):
        prop, colon, value = part.partition(":")
        if not colon:
            continue
        prop, value = prop.strip().lower(), " ".join(value.lower().split())
        important = value.endswith("!important")
        value = value.removesuffix("!important").strip()
        for expanded_prop, expanded_value in _expand_shorthand(prop, value):
            yield _Declaration(expanded_prop, expanded_value, important)


def _expand_shorthand(prop: str, value: str) -> list[tuple[str, str]]:
    if prop == "margin":
        sides = value.split()
        if not 1 <= len(sides) <= 4:
            return []
        top = sides[0]
        left = sides[{1: 0, 2: 1, 3: 1, 4: 3}[len(sides)]]
        return [("margin-top", top), ("margin-left", left)]
    if prop == "font":
        # `font: 0/0 a` is the classic way to hide text; the size is the token with a digit.
        for token in value.split():
            if token[0].isdigit() or token[0] == ".":
                return [("font-size", token.partition("/")[0])]
        return []
    return [(prop, value)]


def _specificity(selector: str) -> tuple[int, int, int]:
    ids = len(_ID_SEL_RE.findall(selector))
    classes = len(_CLASS_SEL_RE.findall(selector))
    types = len(_TYPE_SEL_RE.findall(_CLASS_SEL_RE.sub("", _ID_SEL_RE.sub("", selector))))
    return ids, classes, types


def _stylesheet_matches(
    root: _Element, rules: Sequence[_Rule]
) -> dict[_Element, list[_Rule]]:
    """Rules that apply to each element. The dict's keys keep the elements' lxml proxies
    alive, so looking an element up again finds the same object."""
    matched: dict[_Element, list[_Rule]] = {}
    names: _PageNames | None = None
    for rule in rules:
        if ":" in rule.selector:
            continue  # :hover, :focus, ::before — states and pseudo-elements, not the page at rest
        selector = _compiled_selector(rule.selector)
        if selector is None:
            continue  # a selector the page's author got wrong hides nothing in a browser either
        if names is None:
            names = _PageNames.of(root)
        if not selector.may_match(names):
            continue
        try:
            elements = selector.select(root)
        except etree.XPathEvalError:
            continue  # an attribute namespace ([xlink|href]) the page never declared
        for element in elements:
            matched.setdefault(element, []).append(rule)
    return matched


@dataclass(frozen=True)
class _PageNames:
    """The class names and IDs used anywhere in a page."""

    classes: frozenset[str]
    ids: frozenset[str]

    @classmethod
    def of(cls, root: _Element) -> _PageNames:
        classes = {name for value in _CLASS_VALUES(root) for name in _CLASS_SEP_RE.split(value)}
        return cls(frozenset(classes), frozenset(_ID_VALUES(root)))


@dataclass(frozen=True)
class _Selector:
    """A <style> selector as XPath, and the class names and IDs it names: a page that lacks
    one of them cannot match it, which spares evaluating most of a site-wide stylesheet."""

    select: etree.XPath
    classes: frozenset[str]
    ids: frozenset[str]

    def may_match(self, names: _PageNames) -> bool:
        return self.classes <= names.classes and self.ids <= names.ids


@lru_cache(maxsize=4096)
def _compiled_selector(selector: str) -> _Selector | None:
    """The selector compiled once per distinct text (pages of one site share their <style>),
    or None when CSS does not accept it or it can match nothing."""
    if _MATCHES_NOTHING_RE.search(_ATTRIBUTE_RE.sub("", _QUOTED_RE.sub("", selector))):
        return None
    try:
        parsed = cssselect.parse(selector)
        if len(parsed) != 1:
            return None  # a stray comma: the selector list was split at commas before
        # From the document node, so that every top-level element is searched.
        path = _TRANSLATOR.selector_to_xpath(parsed[0], prefix="//")
    except (SelectorError, ExpressionError):
        return None
    classes: set[str] = set()
    ids: set[str] = set()
    _collect_names(parsed[0].parsed_tree, classes, ids)
    # A <template>'s content is inert, not part of the page: selectors never match in it.
    select = etree.XPath(f"({path})[not(ancestor::template)]")
    return _Selector(select, frozenset(classes), frozenset(ids))


def _collect_names(tree: object, classes: set[str], ids: set[str]) -> None:
    """Add the class names and IDs of a parsed selector. Pseudo-classes, which could negate
    a name, do not occur: rules with them are skipped before."""
    if isinstance(tree, CombinedSelector):
        _collect_names(tree.selector, classes, ids)
        _collect_names(tree.subselector, classes, ids)
        return
    if isinstance(tree, Class):
        classes.add(tree.class_name)
    elif isinstance(tree, Hash):
        ids.add(tree.id)
    if isinstance(tree, Class | Hash | Attrib):
        _collect_names(tree.selector, classes, ids)


# --- the cascade for one element ----------------------------------------------------------


def _style_of(element: _Element, matched: dict[_Element, list[_Rule]]) -> dict[str, _Winner]:
    ranked: dict[str, tuple[_Rank, _Winner]] = {}

    def offer(declaration: _Declaration, rank: _Rank, source: str) -> None:
        current = ranked.get(declaration.prop)
        if current is None or rank >= current[0]:
            ranked[declaration.prop] = (rank, _Winner(declaration.value, source))

    for rule in matched.get(element, ()):
        for declaration in rule.declarations:
            offer(declaration, (declaration.important, False, rule.specificity, rule.order),
                  rule.source)
    inline = element.get("style")
    if inline is not None:
        for order, declaration in enumerate(_declarations(inline)):
            if declaration.prop in _WATCHED:
                offer(declaration, (declaration.important, True, (0, 0, 0), order),
                      INLINE_STYLE)
    return {prop: winner for prop, (_, winner) in ranked.items()}


def _length_px(value: str) -> float | None:
    match = _LENGTH_RE.match(value)
    if match is None or match.group(2) not in _UNIT_PX:
        return None
    return float(match.group(1)) * _UNIT_PX[match.group(2)]


def _own_hiding(element: _Element, style: dict[str, _Winner]) -> Hiding | None:
    """How `element` itself is hidden by non-inherited means, or None."""
    if element.get("hidden") is not None:
        return Hiding("hidden_attribute", "hidden attribute")
    display = style.get("display")
    if display is not None and display.value == "none":
        return Hiding("display_none", "display:none", display.source)
    opacity = style.get("opacity")
    if opacity is not None and _length_px(opacity.value) == 0:
        return Hiding("opacity_zero", "opacity:0", opacity.source)
    return _off_screen(style) or _zero_size(style)


def _off_screen(style: dict[str, _Winner]) -> Hiding | None:
    position = style.get("position")
    positioned = position is not None and position.value in _POSITIONED
    props = (_OFFSET_PROPS if positioned else ()) + _MARGIN_PROPS
    for prop in props:
        winner = style.get(prop)
        px = _length_px(winner.value) if winner is not None else None
        if winner is not None and px is not None and px <= _OFF_SCREEN_PX:
            return Hiding("off_screen", f"off-screen position ({prop}:{winner.value}",
                          winner.source)
    return None


def _zero_size(style: dict[str, _Winner]) -> Hiding | None:
    # A zero-height box still shows its content unless the overflow is clipped.
    clipped = any(
        style[p].value in ("hidden", "clip")
        for p in ("overflow", "overflow-x", "overflow-y") if p in style
    )
    if not clipped:
        return None
    for prop in _SIZE_PROPS:
        winner = style.get(prop)
        px = _length_px(winner.value) if winner is not None else None
        if winner is not None and px is not None and px <= _ZERO_SIZE_PX:
            return Hiding("zero_size", f"zero size ({prop}:{winner.value}, overflow:hidden",
                          winner.source)
    return None


class _PageCascade:
    """Each element's style and own hiding, worked out once per page: a page's links share
    their enclosing elements."""

    def __init__(self, matched: dict[_Element, list[_Rule]]) -> None:
        self._matched = matched
        self._styles: dict[_Element, dict[str, _Winner]] = {}
        self._hiding: dict[_Element, Hiding | None] = {}

    def style(self, element: _Element) -> dict[str, _Winner]:
        style = self._styles.get(element)
        if style is None:
            style = self._styles[element] = _style_of(element, self._matched)
        return style

    def own_hiding(self, element: _Element) -> Hiding | None:
        if element not in self._hiding:
            self._hiding[element] = _own_hiding(element, self.style(element))
        return self._hiding[element]


def _how_hidden(link: _Element, cascade: _PageCascade) -> Hiding | None:
    styles = [(element, cascade.style(element)) for element in _self_and_ancestors(link)]
    for element, _ in styles:
        how = cascade.own_hiding(element)
        if how is not None:
            return how if element is link else replace(how, enclosing=str(element.tag))
    return _hidden_visibility(styles) or _zero_font(link, styles)


def _self_and_ancestors(link: _Element) -> Iterator[_Element]:
    yield link
    yield from link.iterancestors()


def _hidden_visibility(styles: list[tuple[_Element, dict[str, _Winner]]]) -> Hiding | None:
    # Visibility is inherited, and a descendant may make itself visible again, so the
    # nearest declaration decides.
    for _, style in styles:
        winner = style.get("visibility")
        if winner is not None and winner.value not in ("inherit", "unset"):
            if winner.value in ("hidden", "collapse"):
                return Hiding("visibility_hidden", f"visibility:{winner.value}", winner.source)
            return None
    return None


def _zero_font(link: _Element, styles: list[tuple[_Element, dict[str, _Winner]]]
               ) -> Hiding | None:
    if next(link.iterdescendants("img"), None) is not None:
        return None  # an image inside the link stays visible whatever the font size
    for _, style in styles:
        winner = style.get("font-size")
        if winner is None:
            continue
        match = _LENGTH_RE.match(winner.value)
        if match is None:
            return None  # keywords such as small or larger give a visible size
        if float(match.group(1)) == 0:
            return Hiding("zero_font", f"zero font size (font-size:{winner.value}",
                          winner.source)
        if match.group(2) in _ABSOLUTE_FONT_UNITS:
            return None
        # em and % scale the parent's size: keep looking for a zero further up.
    return None


# --- where the link goes ------------------------------------------------------------------


def _absolute_target(href: str, page_url: str) -> str | None:
    href = href.strip()
    if not href or href.lower().startswith(_SKIPPED_SCHEMES):
        return None
    try:
        target = urljoin(page_url, href)
        parts = urlsplit(target)
        parts.port  # noqa: B018 - raises for a port out of range
    except ValueError:
        return None  # a link no browser can follow ("http://[::1/", port 99999) leads nowhere
    return target if parts.scheme in ("http", "https") else None


def _is_on_site(target: str, site: Collection[tuple[str, int | None]]) -> bool:
    """Same host as the page or one of the site's hosts (`site`, from `_site_entries`), or a
    sub-domain of one (of its domain, for a www. host). A port is compared only where the
    page URL or a site host names one explicitly."""
    parts = urlsplit(target)
    host = (parts.hostname or "").lower()
    port = _port(parts.scheme, parts.port)
    for site_host, site_port in site:
        if site_port is not None and site_port != port:
            continue
        if host == site_host or host.endswith("." + site_host):
            return True
    return False


def _site_entries(
    page_url: str, site_hosts: Collection[str]
) -> Iterator[tuple[str, int | None]]:
    for entry in (page_url, *site_hosts):
        parts = urlsplit(entry if "//" in entry else "//" + entry)
        if parts.hostname:
            explicit = parts.port
            # www.ruihe.gov.cn stands for the whole ruihe.gov.cn: xxgk.ruihe.gov.cn is the
            # same government's site, not someone else's.
            yield parts.hostname.lower().removeprefix("www."), (
                _port(parts.scheme or "http", explicit) if explicit is not None else None
            )


def _port(scheme: str, port: int | None) -> int:
    if port is not None:
        return port
    return 443 if scheme == "https" else 80
