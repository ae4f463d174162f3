"""Writing the pages a crawl read — articles and the home page — in batches.

A first crawl reads some 100,000 articles. One transaction per article spent more time in
queries and commits than the crawl spent reading; a batch costs a handful of queries
whatever its size. Every write is an upsert on a natural key (the portal's page URL, the
portal's target URL, page → target), so a batch written twice, or a batch lost to a
killed crawl and read again on the next run, leaves the same rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar
from urllib.parse import urlsplit

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from monitor.content import ContentFinding
from monitor.crawlfacts.article import Article
from monitor.crawlfacts.article import LinkRef as LinkRefFound
from monitor.crawlfacts.precedence import (
    PostDate,
    PostTitle,
    dated_by_article,
    titled_by_article,
)
from monitor.crawlfacts.urls import normalize_url
from monitor.domain import ProblemType
from monitor.problem_details import encode
from storage.models import LinkRef, LinkTarget, Page, Post
from storage.problem_store import Finding, bounded_key, reconcile

# Bound parameters per IN list: below SQLite's old limit of 999 host parameters.
_IN_CHUNK = 900

_T = TypeVar("_T")


@dataclass(frozen=True)
class PageRead:
    """One page as the crawl read it, with where it belongs.

    `post_url` and `column_id` name the post the page is the article of (None for the
    home page); `unit_id` is the unit its content problems are charged to.
    `list_year_printed`: the post's list showed its date with the year, which the
    article's PubDate then does not change (False when the year was guessed, or unknown).
    """

    page_url: str
    http_status: int
    encoding: str | None
    article: Article | None
    findings: tuple[ContentFinding, ...]
    column_id: int | None = None
    post_url: str | None = None
    unit_id: int | None = None
    is_home: bool = False
    list_year_printed: bool = False


def write_pages(session: Session, site_id: int, reads: Sequence[PageRead], now: datetime,
                site_host: str) -> None:
    """Record a batch of the portal's pages: page rows, their posts' article dates, link
    targets and page → target references, and content problems."""
    if not reads:
        return
    pages = _upsert_pages(session, site_id, reads, now)
    posts = _posts_of(session, reads)
    for read in reads:
        post = posts.get((read.column_id, read.post_url))
        if post is None:
            continue
        pages[read.page_url].post_id = post.id
        post.article_fetched_at = now
        if read.article is not None:
            article = read.article
            record_date(post, dated_by_article(date_of(post), article.pub_date,
                                               article.pub_date_source, read.list_year_printed))
            record_title(post, titled_by_article(title_of(post), article.title,
                                                 article.title_source))
    targets = _upsert_targets(session, site_id, reads, now, site_host)
    _insert_references(session, reads, pages, targets)
    for read in reads:
        if read.is_home and read.article is not None:
            for link in read.article.links:
                targets[link.url].on_home = True
        if read.findings:
            _record_content(session, site_id, pages[read.page_url], read.findings,
                            read.unit_id, read.column_id, now)


def _upsert_pages(session: Session, site_id: int, reads: Sequence[PageRead], now: datetime
                  ) -> dict[str, Page]:
    urls = list(dict.fromkeys(read.page_url for read in reads))
    pages = {page.url: page for chunk in chunks(urls) for page in session.scalars(
        select(Page).where(Page.site_id == site_id, Page.url.in_(chunk)))}
    for read in reads:
        page = pages.get(read.page_url)
        if page is None:
            page = pages[read.page_url] = Page(site_id=site_id, url=read.page_url,
                                               fetched_at=now)
            session.add(page)
        page.fetched_at = now
        page.http_status = read.http_status
        page.encoding = read.encoding
        if read.is_home:
            page.is_home = True
        if read.article is not None:
            page.title = read.article.title
            page.meta_pub_date = read.article.meta.get("PubDate")
            page.content_hash = hashlib.sha256(read.article.text.encode("utf-8")).hexdigest()
    session.flush()  # one multi-row INSERT for the new pages; their ids are needed below
    return pages


def _posts_of(session: Session, reads: Sequence[PageRead]) -> dict[tuple[int | None, str | None],
                                                                   Post]:
    wanted = {(read.column_id, read.post_url) for read in reads if read.post_url is not None}
    urls = list(dict.fromkeys(url for _, url in wanted))
    column_ids = {column_id for column_id, _ in wanted}
    posts: dict[tuple[int | None, str | None], Post] = {}
    for chunk in chunks(urls):
        # Both keys of the (column_id, url) unique index, so the lookup uses it.
        query = select(Post).where(Post.column_id.in_(column_ids), Post.url.in_(chunk))
        for post in session.scalars(query):
            # The same article can be listed in two columns; each column has its own post.
            if (post.column_id, post.url) in wanted:
                posts[(post.column_id, post.url)] = post
    return posts


def _upsert_targets(session: Session, site_id: int, reads: Sequence[PageRead], now: datetime,
                    site_host: str) -> dict[str, LinkTarget]:
    found: dict[str, LinkRefFound] = {}
    for read in reads:
        for link in _links(read):
            found.setdefault(link.url, link)
    targets = {target.url: target for chunk in chunks(list(found))
               for target in session.scalars(select(LinkTarget).where(
                   LinkTarget.site_id == site_id, LinkTarget.url.in_(chunk)))}
    for url, link in found.items():
        if url not in targets:
            target = targets[url] = LinkTarget(
                site_id=site_id, url=url, kind=link.kind, first_seen=now,
                internal=urlsplit(url).hostname == site_host)
            session.add(target)
    session.flush()
    return targets


def _insert_references(session: Session, reads: Sequence[PageRead], pages: dict[str, Page],
                       targets: dict[str, LinkTarget]) -> None:
    """page → target rows not yet stored, with the first anchor text seen for each."""
    page_ids = list({pages[read.page_url].id for read in reads})
    stored: set[tuple[int, int]] = {
        (row.page_id, row.target_id) for chunk in chunks(page_ids) for row in session.execute(
            select(LinkRef.page_id, LinkRef.target_id).where(LinkRef.page_id.in_(chunk)))}
    rows = []
    for read in reads:
        page_id = pages[read.page_url].id
        for link in _links(read):
            pair = (page_id, targets[link.url].id)
            if pair in stored:
                continue
            stored.add(pair)
            rows.append({"page_id": pair[0], "target_id": pair[1], "hidden": False,
                         "anchor_text": link.anchor_text, "in_template": not link.in_body})
    if rows:
        # Core executemany: tens of thousands of rows per crawl need no ORM bookkeeping.
        session.execute(insert(LinkRef), rows)


def _links(read: PageRead) -> list[LinkRefFound]:
    return read.article.links if read.article is not None else []


def date_of(post: Post) -> PostDate:
    """The post's stored date, as the precedence reads it (monitor.crawlfacts.precedence)."""
    return PostDate(post.date, post.date_source)


def title_of(post: Post) -> PostTitle:
    """The post's stored title, as the precedence reads it."""
    return PostTitle(post.title, post.title_source)


def record_date(post: Post, decided: PostDate) -> None:
    """Write the date the precedence decided (SPEC §4.2), leaving an unchanged row alone."""
    if decided != date_of(post):
        post.date = decided.value
        post.date_source = decided.source


def record_title(post: Post, decided: PostTitle) -> None:
    """Write the title the precedence decided, leaving an unchanged row alone."""
    if decided != title_of(post):
        post.title = decided.text
        post.title_source = decided.source


def _record_content(session: Session, site_id: int, page: Page,
                    findings: Iterable[ContentFinding], unit_id: int | None,
                    column_id: int | None, now: datetime) -> None:
    """Content findings become problems of the page's unit and column, and the links the
    hidden-link check reports are marked hidden.

    An article is read once, so its absence from later crawls proves nothing: these
    problems are never fixed by the monitor and stay open until an officer ignores them.
    Details come masked from the checks.
    """
    findings = list(findings)
    problems = [
        Finding(finding.problem_type, bounded_key(f"{page.url} {finding.key}"), unit_id,
                column_id, page.url, _content_detail(finding), finding.target)
        for finding in findings
    ]
    if problems:
        reconcile(session, site_id, problems, frozenset(), now)
    hidden = {normalize_url(finding.target, page.url) or finding.target
              for finding in findings if finding.problem_type is ProblemType.HIDDEN_LINK}
    if hidden:
        session.execute(
            update(LinkRef)
            .where(LinkRef.page_id == page.id,
                   LinkRef.target_id.in_(select(LinkTarget.id).where(
                       LinkTarget.site_id == site_id, LinkTarget.url.in_(hidden))))
            .values(hidden=True)
        )


def _content_detail(finding: ContentFinding) -> str:
    return encode(finding.detail_facts())


def chunks(values: Sequence[_T]) -> Iterator[Sequence[_T]]:
    """`values` in slices short enough for one IN list."""
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start:start + _IN_CHUNK]
