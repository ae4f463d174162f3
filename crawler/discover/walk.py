"""The discovery walk's state: which pages are in scope, which were read, who links where.

Scope is the site's hosts: the hosts of the start pages (the home page, and any other
entry such as a 信息公开 directory on another host of the same platform) and the
sub-domains of the home page's domain (xxgk.ruihe.gov.cn beside www.ruihe.gov.cn). Only
navigation is followed: short link texts, never files, article pages or list rows, at
most `max_depth` links from a start page and `max_pages` pages in all.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.discover.page import PageReport

DEFAULT_MAX_PAGES = 3000
DEFAULT_MAX_DEPTH = 5
# Navigation link texts are names (县水利局, 工作动态, 部门信息公开); a longer text is a
# post title met outside a column list (home-page news blocks).
MAX_NAV_TEXT = 20

_FILE = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|wps|et|zip|rar|7z|txt|jpe?g|png|gif|bmp|mp[34]|avi|flv|"
    r"apk|exe|css|js|xml|json)$",
    re.IGNORECASE,
)
# Article URLs of the usual platforms: TRS ./YYYYMM/tYYYYMMDD_N.html, Hanweb
# /art/YYYY/M/D/art_…, and the common content paths.
_ARTICLE = re.compile(
    r"/t\d{8}_\d+\.s?html?$|/art/\d{4}/|/art_\d+_\d+\.html$|/content/(?:post_)?\d+|"
    r"/\d{6}/t\d+|[?&](?:id|articleid|contentid|newsid)=\d+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Edge:
    """A navigation link from `source` to `target`, as the source page shows it."""

    source: str
    target: str
    text: str
    heading: str | None


@dataclass
class Visit:
    url: str
    depth: int
    status: int | None = None
    error: str | None = None
    report: PageReport | None = None


@dataclass
class Walk:
    start_urls: tuple[str, ...]
    max_pages: int = DEFAULT_MAX_PAGES
    max_depth: int = DEFAULT_MAX_DEPTH
    visits: dict[str, Visit] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    budget_exhausted: bool = False

    def __post_init__(self) -> None:
        self.hosts = {_netloc(url) for url in self.start_urls}
        self.domain = _site_domain(self.start_urls[0])

    def in_scope(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        if parts.netloc.lower() in self.hosts:
            return True
        host = (parts.hostname or "").lower()
        return self.domain is not None and host.endswith("." + self.domain)

    def admit(self, url: str, depth: int) -> bool:
        """Whether to read `url` now (marks it read when so)."""
        if url in self.visits or depth > self.max_depth or not self.in_scope(url):
            return False
        path = urlsplit(url).path
        if _FILE.search(path) or _ARTICLE.search(url):
            return False
        if len(self.visits) >= self.max_pages:
            self.budget_exhausted = True
            return False
        self.visits[url] = Visit(url, depth)
        return True

    def record(self, url: str, report: PageReport) -> list[tuple[str, int]]:
        """Record a read page; the navigation links to read next, with their depth."""
        visit = self.visits[url]
        visit.report = report
        visit.status = visit.status or 200
        following = []
        for link in report.links:
            if not self.in_scope(link.url) or len(link.text) > MAX_NAV_TEXT:
                continue
            self.edges.append(Edge(url, link.url, link.text, link.heading))
            if self.admit(link.url, visit.depth + 1):
                following.append((link.url, visit.depth + 1))
        return following

    def failed(self, url: str, status: int | None, error: str | None) -> None:
        visit = self.visits[url]
        visit.status, visit.error = status, error

    @property
    def pages_read(self) -> int:
        return sum(1 for visit in self.visits.values() if visit.report is not None)


def _netloc(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _site_domain(url: str) -> str | None:
    """The domain whose sub-domains belong to the site: www.ruihe.gov.cn → ruihe.gov.cn.
    None for an address (127.0.0.1) or a bare name."""
    host = (urlsplit(url).hostname or "").lower()
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    if host.startswith("www."):
        host = host[4:]
    # gov.cn, com.cn …: two labels are a public suffix, not a site's domain.
    return host if host.count(".") >= 2 or (host.count(".") == 1
                                            and not host.endswith(".cn")) else None
