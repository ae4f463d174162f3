"""Which targets are checked at all, and the URL actually requested for each."""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

from w3lib.url import safe_url_string

# Not documents: following them would run script, open a mail client or dial a phone.
_NOT_CHECKED_SCHEMES = {"javascript": "javascript", "mailto": "mailto", "tel": "tel"}
_CHECKED_SCHEMES = frozenset({"http", "https"})


def skip_reason(url: str) -> str | None:
    """Why a target is not requested at all, or None when it is an http(s) URL to check.

    Fragment-only links point into the page that carries them, so there is nothing to
    fetch; `file:`, `ftp:`, `data:` and the like are never requested (they would read the
    monitor's own disk or another protocol).
    """
    text = url.strip()
    if not text:
        return "no_url"
    if text.startswith("#"):
        return "fragment"
    scheme = urlsplit(text).scheme.lower()
    if scheme in _NOT_CHECKED_SCHEMES:
        return _NOT_CHECKED_SCHEMES[scheme]
    if not scheme:
        return "not_absolute"
    if scheme not in _CHECKED_SCHEMES:
        return "unsupported_scheme"
    if not urlsplit(text).hostname:
        return "no_host"
    return None


def request_url(url: str) -> str:
    """The URL a browser would send for `url`: fragment dropped, non-ASCII path and query
    percent-encoded as UTF-8, spaces as %20. Two spellings of one target map to one URL,
    so each distinct target is requested once."""
    without_fragment, _ = urldefrag(url.strip())
    return safe_url_string(without_fragment, encoding="utf-8")


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, effective port) of an http(s) URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower(), port


def same_host(url: str, site_url: str) -> bool:
    """Whether `url` is on the site's own host name (any port): used for
    `crawl.check_external_links`, where 'external' means another web site."""
    return origin(url)[1] == origin(site_url)[1]
