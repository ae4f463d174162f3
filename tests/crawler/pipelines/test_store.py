"""`crawler.pipelines.store.StorePipeline`: each item the spiders yield, handed by Scrapy's
own pipeline manager to the crawl recorder (on a real database) and the progress display.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from rich.console import Console
from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.test import get_crawler
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from crawler.progress import CrawlProgress
from crawler.spiders.columns import ColumnSpider
from monitor.config import PortalConfig
from monitor.crawlfacts.article import Article, LinkRef
from monitor.crawlfacts.items import (
    ArticleItem,
    ColumnDone,
    HomePageItem,
    ListedPost,
    ListPageItem,
    PageAnswered,
)
from monitor.crawlfacts.links import CheckResult, LinkCheckResult
from monitor.crawlfacts.plan import CrawlPlan
from monitor.domain import DateSource, LinkKind, LinkStatus
from storage import crawl_store
from storage.crawl_store import CrawlRecorder, start_run
from storage.models import Column, ColumnCrawl, LinkTarget, Page, Post
from storage.sync import sync_config

SITE = "http://127.0.0.1:8000/"
COLUMN_URL = f"{SITE}slj/gzdt/"
NOW = datetime.fromisoformat("2024-05-10T02:00:00+08:00")
PIPELINES = {"crawler.pipelines.store.StorePipeline": 300}
ATTACHMENT = f"{SITE}files/1.pdf"


@dataclass
class Crawl:
    """A column spider's crawl with the store pipeline, as Scrapy's manager runs it."""

    sessions: sessionmaker[Session]
    column_id: int
    recorder: CrawlRecorder
    progress: CrawlProgress | None
    manager: ItemPipelineManager

    def send(self, *items: Any) -> list[Any]:
        """What the pipelines pass on for each item."""
        async def process() -> list[Any]:
            return [await self.manager.process_item_async(item) for item in items]
        return asyncio.run(process())

    def close(self) -> None:
        asyncio.run(self.manager.close_spider_async())

    def pages(self) -> dict[str, bool]:
        with self.sessions() as session:
            return dict(session.execute(select(Page.url, Page.is_home)).tuples().all())


def _recorder(sessions: sessionmaker[Session]) -> tuple[CrawlRecorder, int]:
    config = PortalConfig.model_validate({
        "site": {"name": "瑞河县人民政府门户网站", "url": SITE},
        "units": [{"name": "县水利局", "group": "县直单位", "columns": [
            {"name": "工作动态", "url": COLUMN_URL, "category": "dynamics", "cycle": "weekly"}]}],
    })
    with sessions.begin() as session:
        site_id = sync_config(session, config).site_id
    with sessions() as session:
        run_id = start_run(session, site_id, [], "cli", NOW)
        column_id = session.scalars(select(Column.id)).one()
    return CrawlRecorder(sessions, run_id, NOW, "127.0.0.1", timedelta(days=7)), column_id


def _crawl(sessions: sessionmaker[Session], display: bool = True, **settings: Any) -> Crawl:
    recorder, column_id = _recorder(sessions)
    progress = CrawlProgress(1, Console(file=io.StringIO())) if display else None
    crawler = get_crawler(ColumnSpider, {"ITEM_PIPELINES": PIPELINES, **settings})
    plan = CrawlPlan(recorder.run_id, (), NOW.date(), 10, None, SITE)
    crawler.spider = ColumnSpider.from_crawler(crawler, plan=plan, recorder=recorder,
                                               progress_display=progress)
    return Crawl(sessions, column_id, recorder, progress,
                 ItemPipelineManager.from_crawler(crawler))


@pytest.fixture
def crawl(sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> Iterator[Crawl]:
    # Held pages are written by size or at close only, however slow the machine.
    monkeypatch.setattr(crawl_store, "WRITE_SECONDS", 3600.0)
    yield _crawl(sessions)


def _url(number: int) -> str:
    return f"{COLUMN_URL}{number}.html"


def _list_page(column_id: int, numbers: range) -> ListPageItem:
    posts = tuple(ListedPost(_url(n), f"第{n}篇", date(2024, 5, 6), True) for n in numbers)
    return ListPageItem(column_id, 1, COLUMN_URL, posts)


def _article(column_id: int, number: int, *more_links: LinkRef) -> ArticleItem:
    article = Article(title=f"第{number}篇", pub_date=date(2024, 5, 6),
                      pub_date_source=DateSource.META, text="正文",
                      links=[LinkRef(ATTACHMENT, LinkKind.ATTACHMENT, "附件", True),
                             *more_links])
    return ArticleItem(column_id, _url(number), _url(number), 200, "utf-8", article)


def test_a_list_page_is_recorded_and_its_new_posts_shown(crawl: Crawl) -> None:
    crawl.send(_list_page(crawl.column_id, range(2)))
    crawl.send(_list_page(crawl.column_id, range(3)))  # the next page repeats two posts
    with crawl.sessions() as session:
        assert set(session.scalars(select(Post.url))) == {_url(0), _url(1), _url(2)}
    assert crawl.recorder.counts.posts_new == 3
    assert crawl.progress is not None
    assert (crawl.progress.pages, crawl.progress.new_posts) == (2, 3)


def test_a_columns_end_is_recorded_and_advances_the_display(crawl: Crawl) -> None:
    crawl.send(_list_page(crawl.column_id, range(1)),
               ColumnDone(crawl.column_id, "ok", None, 1, True, date(2024, 5, 6)))
    with crawl.sessions() as session:
        outcome = session.scalars(select(ColumnCrawl.outcome).where(
            ColumnCrawl.column_id == crawl.column_id)).one()
        first_crawled = session.scalars(select(Column.first_crawled_at)).one()
    assert (outcome, first_crawled) == ("ok", NOW)
    assert crawl.progress is not None
    assert crawl.progress._bar.tasks[0].completed == 1


def test_articles_are_shown_at_once_and_written_when_the_spider_closes(crawl: Crawl) -> None:
    crawl.send(_list_page(crawl.column_id, range(2)),
               _article(crawl.column_id, 0), _article(crawl.column_id, 1))
    assert crawl.progress is not None and crawl.progress.articles == 2
    assert crawl.pages() == {}
    crawl.close()
    assert crawl.pages() == {_url(0): False, _url(1): False}
    with crawl.sessions() as session:
        assert set(session.scalars(select(Post.article_fetched_at))) == {NOW}


def test_the_home_page_is_recorded_but_not_shown_as_an_article(crawl: Crawl) -> None:
    home = Article(title="瑞河县人民政府门户网站", pub_date=None, pub_date_source=None)
    crawl.send(HomePageItem(SITE, 200, home, newest_item=date(2024, 5, 9)))
    crawl.close()
    assert crawl.pages() == {SITE: True}
    assert (crawl.recorder.counts.home_page, crawl.recorder.counts.home_newest_item) == (
        "ok", date(2024, 5, 9))
    assert crawl.progress is not None and crawl.progress.articles == 0


def test_link_verdicts_are_recorded_and_shown(crawl: Crawl) -> None:
    crawl.send(_list_page(crawl.column_id, range(1)), _article(crawl.column_id, 0))
    crawl.recorder.flush()  # the targets exist once the article is written
    crawl.send(LinkCheckResult(ATTACHMENT, LinkKind.ATTACHMENT, LinkStatus.BROKEN, "http_404",
                               404, ATTACHMENT, (), 2))
    assert crawl.progress is not None and crawl.progress.links == 1
    crawl.close()
    with crawl.sessions() as session:
        target = session.scalars(select(LinkTarget).where(LinkTarget.url == ATTACHMENT)).one()
    assert (target.status, target.reason, target.http_status) == ("broken", "http_404", 404)


def test_a_page_the_crawl_read_with_a_working_answer_is_settled_as_a_working_link(
        crawl: Crawl) -> None:
    # The article links to its column's list page, which the crawl itself has just read.
    to_list = LinkRef(COLUMN_URL, LinkKind.A, "工作动态", False)
    crawl.send(_list_page(crawl.column_id, range(1)), _article(crawl.column_id, 0, to_list),
               PageAnswered(COLUMN_URL, CheckResult(LinkStatus.OK, http_status=200)))
    crawl.close()
    crawl.recorder.settle_answered_targets()
    with crawl.sessions() as session:
        statuses = dict(session.execute(select(LinkTarget.url, LinkTarget.status)).tuples().all())
    assert statuses == {COLUMN_URL: "ok", ATTACHMENT: "pending"}
    assert crawl.recorder.counts.links_checked == 1


def test_every_item_is_passed_on_as_it_came(crawl: Crawl) -> None:
    items = [_list_page(crawl.column_id, range(1)), _article(crawl.column_id, 0),
             ColumnDone(crawl.column_id, "ok", None, 1, True, None)]
    assert [out is item for out, item in zip(crawl.send(*items), items, strict=True)] == [
        True, True, True]


def test_an_item_of_another_kind_is_passed_on_and_recorded_nowhere(crawl: Crawl) -> None:
    stray = {"url": _url(0), "title": "第0篇"}
    assert crawl.send(stray) == [stray]
    crawl.close()
    assert crawl.pages() == {}
    assert crawl.recorder.counts == crawl_store.RunCounts()
    assert crawl.progress is not None
    assert (crawl.progress.pages, crawl.progress.articles) == (0, 0)


def test_an_item_the_database_refuses_fails_alone(crawl: Crawl) -> None:
    unknown_column = crawl.column_id + 1000
    with pytest.raises(IntegrityError):
        crawl.send(_list_page(unknown_column, range(1)))
    crawl.send(_list_page(crawl.column_id, range(2)))
    with crawl.sessions() as session:
        assert set(session.scalars(select(Post.column_id))) == {crawl.column_id}
    assert crawl.recorder.counts.posts_new == 2


def test_without_a_display_the_items_are_still_recorded(
        sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crawl_store, "WRITE_SECONDS", 3600.0)
    crawl = _crawl(sessions, display=False)
    crawl.send(_list_page(crawl.column_id, range(1)), _article(crawl.column_id, 0),
               ColumnDone(crawl.column_id, "ok", None, 1, True, None))
    crawl.close()
    assert crawl.pages() == {_url(0): False}
    assert crawl.recorder.counts.columns_ok == 1


def test_the_store_switched_off_is_left_out_of_the_crawl(
        sessions: sessionmaker[Session]) -> None:
    crawl = _crawl(sessions, MONITOR_STORE_ENABLED=False)
    assert crawl.manager.middlewares == ()
    crawl.send(_list_page(crawl.column_id, range(1)))
    crawl.close()
    with sessions() as session:
        assert list(session.scalars(select(Post))) == []
