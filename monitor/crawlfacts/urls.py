"""Turning an href as written in a page into the absolute URL a browser would request.

Every post URL and every link target is stored by this form, so two spellings of the
same target (relative vs absolute, raw vs percent-encoded Chinese file names) become one
row and are checked once (SPEC §4.5).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

# Schemes whose links are not pages or files (SPEC §4.5: not checked, never posts).
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:", "vbscript:", "sms:")

# Characters a browser leaves alone in a path / query (WHATWG URL percent-encode sets):
# everything printable except space, quotes, angle brackets and the like. "%" stays so
# that already-encoded sequences are not encoded twice.
_PATH_SAFE = "!$%&'()*+,-./:;=@_~[]|^"
_QUERY_SAFE = _PATH_SAFE + "?/{}`"

_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Browsers drop ASCII tab and newline anywhere in a URL and trim C0 controls and spaces.
_TAB_NEWLINE = re.compile(r"[\t\n\r]")


def is_skipped_href(href: str) -> bool:
    """True for links that lead to no fetchable target: scripts, mail, phone, fragments."""
    value = href.strip().lower()
    return not value or value.startswith("#") or value.startswith(_SKIPPED_SCHEMES)


def normalize_url(href: str, base_url: str) -> str | None:
    """The absolute http(s) URL for `href` as found on the page at `base_url`, or None.

    Resolves relative, `../` and protocol-relative forms, lower-cases scheme and host,
    drops the default port and the fragment (never sent to a server), and percent-encodes
    spaces and non-ASCII characters as UTF-8. Query strings are encoded as UTF-8 too,
    although a browser would use the page's encoding there: the links we meet on GBK
    pages carry ASCII queries in practice.
    """
    if is_skipped_href(href):
        return None
    cleaned = _TAB_NEWLINE.sub("", href).strip(" \x00\x0b\x0c")
    if base_url[:6].lower() in ("http:/", "https:"):
        # Browsers read a backslash as "/" in http(s) URLs; some CMS editors write
        # Windows paths.
        cleaned = cleaned.replace("\\", "/")
    return _resolve(cleaned, _relevant_base(cleaned, base_url))


def _relevant_base(href: str, base_url: str) -> str:
    """The part of the base URL that `href` depends on, so that the same menu and footer
    links on every page of a site hit the cache (absolute: none; "/x": the origin)."""
    if _ABSOLUTE.match(href):
        return ""
    if href.startswith("//"):
        return base_url.split("//", 1)[0]
    if href.startswith("/"):
        return _origin(base_url)
    return base_url


@lru_cache(maxsize=4096)
def _origin(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


# Extraction resolves the same hrefs many times (list detection reads a row at several
# levels; every page repeats the site menu): the cache keeps that cheap.
@lru_cache(maxsize=65536)
def _resolve(href: str, base: str) -> str | None:
    return canonical_url(urljoin(base, href) if base else href)


def canonical_url(url: str) -> str | None:
    """`url` in the one spelling used for storage, or None when it is not http(s)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = _encode_host(parts.hostname)
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if parts.username or parts.password:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        host = f"{userinfo}@{host}"
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    query = quote(parts.query, safe=_QUERY_SAFE + "=&")
    return urlunsplit((scheme, host, path, query, ""))


def _encode_host(hostname: str) -> str:
    """Internationalised host names (e.g. 中国政府网.政务) in their ASCII form; an IPv6
    address in its brackets (`urlsplit` drops them, and without them no request can be
    made of the URL)."""
    if ":" in hostname:
        return f"[{hostname.lower()}]"
    if hostname.isascii():
        return hostname.lower()
    try:
        return hostname.encode("idna").decode("ascii")
    except UnicodeError:
        return quote(hostname, safe="")
