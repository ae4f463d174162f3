"""Hidden links (暗链): links to other sites that a visitor cannot see.

Injected spam links are kept on a page but hidden from readers, by an inline style or by a
class styled in the page's own <style>. A link counts as hidden when it or any enclosing
element is hidden, because hiding a wrapper <div> is the usual trick. Only the page's own
markup is read: external stylesheets are not fetched, so this module never touches the network.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import soupsieve
from bs4 import BeautifulSoup, Tag


@dataclass(frozen=True)
class HiddenLinkFinding:
    """A hidden off-site link: absolute `target`, its anchor text, and how it was hidden."""

    target: str
    text: str
    how: str


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
_ID_SEL_RE = re.compile(r"#[\w-]+")
_CLASS_SEL_RE = re.compile(r"\.[\w-]+|\[[^\]]*\]")
_TYPE_SEL_RE = re.compile(r"(?:^|[\s>+~])([a-zA-Z][\w-]*)")
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "#")


def find_hidden_links(
    html: str,
    page_url: str,
    site_hosts: Collection[str],
    benign: Collection[BenignTarget] = KNOWN_BENIGN_TARGETS,
) -> list[HiddenLinkFinding]:
    """Every off-site link in `html` that is hidden from readers, in document order,
    except the platform links in `benign`."""
    soup = BeautifulSoup(html, "lxml")
    matched = _stylesheet_matches(soup, _page_rules(soup))
    findings = []
    for link in soup.find_all("a", href=True):
        target = _absolute_target(str(link["href"]), page_url)
        if target is None or _is_on_site(target, page_url, site_hosts):
            continue
        if any(known.covers(target) for known in benign):
            continue
        how = _how_hidden(link, matched)
        if how is not None:
            text = " ".join(link.get_text(" ").split())
            findings.append(HiddenLinkFinding(target=target, text=text, how=how))
    return findings


# --- the page's own stylesheet ------------------------------------------------------------


def _page_rules(soup: BeautifulSoup) -> list[_Rule]:
    rules: list[_Rule] = []
    for style in soup.find_all("style"):
        for selector_list, body in _top_level_blocks(style.get_text()):
            declarations = tuple(d for d in _declarations(body) if d.prop in _WATCHED)
            if not declarations:
                continue
            for selector in selector_list.split(","):
                selector = selector.strip()
                if selector:
                    rules.append(_Rule(selector, _specificity(selector), len(rules), declarations))
    return rules


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


def _stylesheet_matches(soup: BeautifulSoup, rules: list[_Rule]) -> dict[int, list[_Rule]]:
    """Rules that apply to each element, keyed by the element's id()."""
    matched: dict[int, list[_Rule]] = {}
    for rule in rules:
        if ":" in rule.selector:
            continue  # :hover, :focus, ::before — states and pseudo-elements, not the page at rest
        try:
            elements = soup.select(rule.selector)
        except soupsieve.SelectorSyntaxError:
            continue  # a selector the page's author got wrong hides nothing in a browser either
        for element in elements:
            matched.setdefault(id(element), []).append(rule)
    return matched


# --- the cascade for one element ----------------------------------------------------------


def _style_of(element: Tag, matched: dict[int, list[_Rule]]) -> dict[str, _Winner]:
    ranked: dict[str, tuple[_Rank, _Winner]] = {}

    def offer(declaration: _Declaration, rank: _Rank, source: str) -> None:
        current = ranked.get(declaration.prop)
        if current is None or rank >= current[0]:
            ranked[declaration.prop] = (rank, _Winner(declaration.value, source))

    for rule in matched.get(id(element), ()):
        for declaration in rule.declarations:
            offer(declaration, (declaration.important, False, rule.specificity, rule.order),
                  rule.source)
    inline = element.get("style")
    if isinstance(inline, str):
        for order, declaration in enumerate(_declarations(inline)):
            if declaration.prop in _WATCHED:
                offer(declaration, (declaration.important, True, (0, 0, 0), order),
                      "inline style")
    return {prop: winner for prop, (_, winner) in ranked.items()}


def _length_px(value: str) -> float | None:
    match = _LENGTH_RE.match(value)
    if match is None or match.group(2) not in _UNIT_PX:
        return None
    return float(match.group(1)) * _UNIT_PX[match.group(2)]


def _own_hiding(element: Tag, style: dict[str, _Winner]) -> str | None:
    """How `element` itself is hidden by non-inherited means, or None."""
    if element.has_attr("hidden"):
        return "hidden attribute"
    display = style.get("display")
    if display is not None and display.value == "none":
        return f"display:none ({display.source})"
    opacity = style.get("opacity")
    if opacity is not None and _length_px(opacity.value) == 0:
        return f"opacity:0 ({opacity.source})"
    return _off_screen(style) or _zero_size(style)


def _off_screen(style: dict[str, _Winner]) -> str | None:
    position = style.get("position")
    positioned = position is not None and position.value in _POSITIONED
    props = (_OFFSET_PROPS if positioned else ()) + _MARGIN_PROPS
    for prop in props:
        winner = style.get(prop)
        px = _length_px(winner.value) if winner is not None else None
        if winner is not None and px is not None and px <= _OFF_SCREEN_PX:
            return f"off-screen position ({prop}:{winner.value}, {winner.source})"
    return None


def _zero_size(style: dict[str, _Winner]) -> str | None:
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
            return f"zero size ({prop}:{winner.value}, overflow:hidden, {winner.source})"
    return None


def _how_hidden(link: Tag, matched: dict[int, list[_Rule]]) -> str | None:
    styles = [(element, _style_of(element, matched)) for element in _self_and_ancestors(link)]
    for element, style in styles:
        how = _own_hiding(element, style)
        if how is not None:
            return how if element is link else f"{how} on enclosing <{element.name}>"
    return _hidden_visibility(styles) or _zero_font(link, styles)


def _self_and_ancestors(link: Tag) -> Iterator[Tag]:
    element: Tag | None = link
    while element is not None and element.name != "[document]":
        yield element
        element = element.parent


def _hidden_visibility(styles: list[tuple[Tag, dict[str, _Winner]]]) -> str | None:
    # Visibility is inherited, and a descendant may make itself visible again, so the
    # nearest declaration decides.
    for _, style in styles:
        winner = style.get("visibility")
        if winner is not None and winner.value not in ("inherit", "unset"):
            if winner.value in ("hidden", "collapse"):
                return f"visibility:{winner.value} ({winner.source})"
            return None
    return None


def _zero_font(link: Tag, styles: list[tuple[Tag, dict[str, _Winner]]]) -> str | None:
    if link.find("img") is not None:
        return None  # an image inside the link stays visible whatever the font size
    for _, style in styles:
        winner = style.get("font-size")
        if winner is None:
            continue
        match = _LENGTH_RE.match(winner.value)
        if match is None:
            return None  # keywords such as small or larger give a visible size
        if float(match.group(1)) == 0:
            return f"zero font size (font-size:{winner.value}, {winner.source})"
        if match.group(2) in _ABSOLUTE_FONT_UNITS:
            return None
        # em and % scale the parent's size: keep looking for a zero further up.
    return None


# --- where the link goes ------------------------------------------------------------------


def _absolute_target(href: str, page_url: str) -> str | None:
    href = href.strip()
    if not href or href.lower().startswith(_SKIPPED_SCHEMES):
        return None
    target = urljoin(page_url, href)
    return target if urlsplit(target).scheme in ("http", "https") else None


def _is_on_site(target: str, page_url: str, site_hosts: Collection[str]) -> bool:
    """Same host as the page or one of the site's hosts, or a sub-domain of one (of its
    domain, for a www. host). A port is compared only where the page URL or a site host
    names one explicitly."""
    parts = urlsplit(target)
    host = (parts.hostname or "").lower()
    port = _port(parts.scheme, parts.port)
    for site_host, site_port in _site_entries(page_url, site_hosts):
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
