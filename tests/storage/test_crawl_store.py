from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import PortalConfig
from monitor.crawlfacts.article import Article, LinkRef
from monitor.crawlfacts.items import ArticleItem, ColumnDone, HomePageItem, ListedPost, ListPageItem
from monitor.crawlfacts.links import LinkCheckResult
from monitor.domain import DateSource, LinkKind, LinkStatus, TitleSource
from storage import crawl_store
from storage.crawl_store import CrawlRecorder, start_run
from storage.models import Column, ColumnCrawl, CrawlRun, LinkTarget, Page, Post
from storage.models import LinkRef as StoredRef
from storage.sync import sync_config

SITE = "http://127.0.0.1:8000/"
NOW = datetime.fromisoformat("2024-05-10T02:00:00+00:00")
FOOTER = LinkRef("http://www.gov.cn/", LinkKind.A, "中国政府网", in_body=False)


def _recorder(sessions: sessionmaker[Session]) -> tuple[CrawlRecorder, int]:
    config = PortalConfig.model_validate({
        "site": {"name": "瑞河县人民政府门户网站", "url": SITE},
        "units": [{"name": "县水利局", "group": "县直单位", "columns": [
            {"name": "工作动态", "url": f"{SITE}slj/gzdt/", "category": "dynamics",
             "cycle": "weekly"}]}],
    })
    with sessions.begin() as session:
        site_id = sync_config(session, config).site_id
    with sessions() as session:
        run_id = start_run(session, site_id, [], "cli", NOW)
        column_id = session.scalars(select(Column.id)).one()
    return CrawlRecorder(sessions, run_id, NOW, "127.0.0.1", timedelta(days=7)), column_id


def _post_url(number: int) -> str:
    return f"{SITE}slj/gzdt/{number}.html"


def _article_item(column_id: int, number: int) -> ArticleItem:
    article = Article(
        title=f"第{number}篇", pub_date=date(2024, 5, 6), pub_date_source=DateSource.META,
        meta={"PubDate": "2024-05-06"}, text="正文",
        links=[LinkRef(f"{SITE}files/{number}.pdf", LinkKind.ATTACHMENT, "附件", True), FOOTER],
    )
    return ArticleItem(column_id, _post_url(number), _post_url(number), 200, "utf-8", article)


def _list(recorder: CrawlRecorder, column_id: int, numbers: range) -> None:
    posts = tuple(ListedPost(_post_url(n), f"第{n}篇", None, False) for n in numbers)
    recorder.list_page(ListPageItem(column_id, 1, f"{SITE}slj/gzdt/", posts))


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_articles_are_held_until_flush_then_written_with_their_links(
        sessions: sessionmaker[Session]) -> None:
    recorder, column_id = _recorder(sessions)
    _list(recorder, column_id, range(3))
    for number in range(3):
        recorder.article(_article_item(column_id, number))
    with sessions() as session:
        assert _count(session, Page) == 0
    recorder.flush()
    with sessions() as session:
        assert _count(session, Page) == 3
        # The footer link is one target, referenced from each of the three pages.
        assert _count(session, LinkTarget) == 4
        assert _count(session, StoredRef) == 6
        posts = session.scalars(select(Post)).all()
        assert {(post.date, post.date_source) for post in posts} == {(date(2024, 5, 6), "meta")}
        assert all(post.article_fetched_at is not None for post in posts)
        footer = session.scalars(select(LinkTarget).where(LinkTarget.url == FOOTER.url)).one()
        assert (footer.internal, footer.kind) == (False, "a")


def test_a_full_batch_is_written_without_waiting_for_flush(sessions: sessionmaker[Session]) -> None:
    recorder, column_id = _recorder(sessions)
    batch = crawl_store.WRITE_BATCH
    _list(recorder, column_id, range(batch))
    for number in range(batch):
        recorder.article(_article_item(column_id, number))
    with sessions() as session:
        assert _count(session, Page) == batch


def test_writing_the_same_articles_again_adds_no_rows(sessions: sessionmaker[Session]) -> None:
    recorder, column_id = _recorder(sessions)
    _list(recorder, column_id, range(2))
    for _ in range(2):
        for number in range(2):
            recorder.article(_article_item(column_id, number))
        recorder.flush()
    with sessions() as session:
        counts = (_count(session, Page), _count(session, LinkTarget), _count(session, StoredRef))
    assert counts == (2, 3, 4)


def test_home_page_links_are_marked_as_on_the_home_page(sessions: sessionmaker[Session]) -> None:
    recorder, _ = _recorder(sessions)
    article = Article(title="首页", pub_date=None, pub_date_source=None, links=[FOOTER])
    recorder.home_page(HomePageItem(SITE, 200, article))
    recorder.flush()
    with sessions() as session:
        assert session.scalars(select(Page.is_home)).one() is True
        assert session.scalars(select(LinkTarget.on_home)).one() is True


def test_link_verdicts_are_written_at_finish(sessions: sessionmaker[Session]) -> None:
    recorder, column_id = _recorder(sessions)
    _list(recorder, column_id, range(1))
    recorder.article(_article_item(column_id, 0))
    recorder.flush()
    broken = f"{SITE}files/0.pdf"
    recorder.link_result(LinkCheckResult(broken, LinkKind.ATTACHMENT, LinkStatus.BROKEN,
                                         "http_404", 404, broken, (), 2))
    recorder.finish(NOW, "finished")
    with sessions() as session:
        target = session.scalars(select(LinkTarget).where(LinkTarget.url == broken)).one()
        assert (target.status, target.reason, target.next_check_at) == (
            "broken", "http_404", NOW)


def test_a_run_left_running_is_closed_as_interrupted_its_unread_columns_not_reached(
    sessions: sessionmaker[Session],
) -> None:
    recorder, column_id = _recorder(sessions)
    with sessions.begin() as session:
        site_id = session.scalars(select(Column.site_id)).one()
        assert crawl_store.close_stale_runs(session, site_id, NOW) == [recorder.run_id]
    with sessions() as session:
        run = session.get(CrawlRun, recorder.run_id)
        assert (run.status, run.columns_ok, run.columns_failed) == ("interrupted", 0, 1)
        [outcome] = session.scalars(select(ColumnCrawl.outcome).where(
            ColumnCrawl.run_id == recorder.run_id, ColumnCrawl.column_id == column_id))
        assert outcome == "not_reached"


def test_a_column_the_run_never_ended_is_recorded_not_reached_once(
        sessions: sessionmaker[Session]) -> None:
    recorder, column_id = _recorder(sessions)
    assert recorder.not_reached([column_id]) == 1
    assert recorder.not_reached([column_id]) == 0
    assert (recorder.counts.columns_ok, recorder.counts.columns_failed) == (0, 1)


def test_a_cut_list_title_is_completed_by_the_article_and_kept_on_later_lists(
        sessions: sessionmaker[Session]) -> None:
    recorder, column_id = _recorder(sessions)
    cut, full = "县财政局：债务风险防控工作取得阶...", "县财政局：债务风险防控工作取得阶段性成效"
    listed = (ListedPost(_post_url(1), cut, None, False),)
    recorder.list_page(ListPageItem(column_id, 1, f"{SITE}slj/gzdt/", listed))
    article = Article(title=full, pub_date=None, pub_date_source=None,
                      title_source=TitleSource.H1)
    recorder.article(ArticleItem(column_id, _post_url(1), _post_url(1), 200, "utf-8", article))
    recorder.flush()
    # The next night's list shows the cut title again: the whole one stays.
    recorder.list_page(ListPageItem(column_id, 1, f"{SITE}slj/gzdt/", listed))
    with sessions() as session:
        post = session.scalars(select(Post)).one()
        assert (post.title, post.title_source) == (full, "h1")


def test_a_whole_list_title_stays_the_lists(sessions: sessionmaker[Session]) -> None:
    recorder, column_id = _recorder(sessions)
    _list(recorder, column_id, range(1))
    article = Article(title="县水利局首页", pub_date=None, pub_date_source=None,
                      title_source=TitleSource.H1)
    recorder.article(ArticleItem(column_id, _post_url(0), _post_url(0), 200, "utf-8", article))
    recorder.flush()
    with sessions() as session:
        post = session.scalars(select(Post)).one()
        assert (post.title, post.title_source) == ("第0篇", "list")


def test_a_column_read_while_an_article_still_has_to_date_a_post_is_named(
        sessions: sessionmaker[Session]) -> None:
    recorder, column_id = _recorder(sessions)
    _list(recorder, column_id, range(2))  # the list shows no dates: the articles give them
    recorder.column_done(ColumnDone(column_id, "ok", None, 1, True, None))
    recorder.article(_article_item(column_id, 0))
    recorder.flush()
    assert recorder.read_without_dates() == [column_id]
    recorder.article(_article_item(column_id, 1))
    recorder.flush()
    assert recorder.read_without_dates() == []


def _annual_report(
        sessions: sessionmaker[Session], listed_day: date, printed_in_full: bool) -> Post:
    """A report listed on `listed_day` whose article's PubDate is a year earlier, same day."""
    recorder, column_id = _recorder(sessions)
    url = _post_url(1)
    recorder.list_page(ListPageItem(column_id, 1, f"{SITE}slj/gzdt/", (
        ListedPost(url, "2023年政府信息公开工作年度报告", listed_day, printed_in_full),)))
    pub_date = listed_day.replace(year=listed_day.year - 1)
    article = Article(title="2023年政府信息公开工作年度报告", pub_date=pub_date,
                      pub_date_source=DateSource.META, meta={"PubDate": pub_date.isoformat()})
    recorder.article(ArticleItem(column_id, url, url, 200, "utf-8", article))
    recorder.flush()
    with sessions() as session:
        return session.scalars(select(Post)).one()


def test_a_short_list_date_takes_its_year_from_the_articles_pubdate(
        sessions: sessionmaker[Session]) -> None:
    post = _annual_report(sessions, date(2024, 1, 20), printed_in_full=False)
    assert (post.date, post.date_source) == (date(2023, 1, 20), "list")


def test_a_list_date_printed_with_its_year_keeps_that_year_against_the_pubdate(
        sessions: sessionmaker[Session]) -> None:
    # SPEC §4.2: the list's date comes first; only a year the crawl guessed yields.
    post = _annual_report(sessions, date(2024, 1, 20), printed_in_full=True)
    assert (post.date, post.date_source) == (date(2024, 1, 20), "list")
