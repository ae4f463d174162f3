"""`storage.page_store.write_pages`: what one batch of pages read by a crawl leaves stored.

Posts are put in place as the column lists would have left them; each test then writes a
batch of pages (articles, the home page) and reads the rows back from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.extract.article import extract_article
from crawler.extract.html import parse_html
from monitor.config import PortalConfig
from monitor.content import ContentFinding, check_article
from monitor.content.expressions import ExpressionDictionary
from monitor.crawlfacts.article import Article, LinkRef
from monitor.domain import DateSource, LinkKind, TitleSource
from storage.models import Column, LinkTarget, Page, Post, Problem, ProblemEvent, Site
from storage.models import LinkRef as StoredRef
from storage.page_store import PageRead, chunks, write_pages
from storage.problem_store import KEY_LENGTH
from storage.sync import sync_config

HOST = "127.0.0.1"
SITE = f"http://{HOST}:8000/"
NOW = datetime.fromisoformat("2024-05-10T02:00:00+08:00")
NEXT_NIGHT = NOW + timedelta(days=1)
GOV_CN = LinkRef("http://www.gov.cn/", LinkKind.A, "中国政府网", in_body=False)
ID_NUMBER = "360722197702280095"


@dataclass(frozen=True)
class Portal:
    unit_id: int
    dynamics: int  # 工作动态
    notices: int  # 通知公告


@pytest.fixture
def portal(session: Session) -> Portal:
    config = PortalConfig.model_validate({
        "site": {"name": "瑞河县人民政府门户网站", "url": SITE},
        "units": [{"name": "县水利局", "group": "县直单位", "columns": [
            {"name": "工作动态", "url": f"{SITE}slj/gzdt/", "category": "dynamics",
             "cycle": "weekly"},
            {"name": "通知公告", "url": f"{SITE}slj/tzgg/", "category": "notice"}]}],
    })
    sync_config(session, config)
    session.commit()
    columns = {column.name: column for column in session.scalars(select(Column))}
    return Portal(columns["工作动态"].unit_id, columns["工作动态"].id, columns["通知公告"].id)


def _url(number: int) -> str:
    return f"{SITE}slj/gzdt/{number}.html"


def _listed(session: Session, column_id: int, number: int, title: str = "",
            day: date | None = None) -> None:
    """A post as its column's list left it: list title, list date when the list had one."""
    session.add(Post(column_id=column_id, url=_url(number), title=title or f"第{number}篇",
                     date=day, date_source=DateSource.LIST.value if day else None,
                     title_source=TitleSource.LIST.value, first_seen=NOW, last_seen=NOW))
    session.commit()


def _article(title: str = "", day: date | None = None,
             source: DateSource | None = DateSource.META,
             title_source: TitleSource | None = TitleSource.H1,
             links: tuple[LinkRef, ...] = ()) -> Article:
    return Article(title=title, pub_date=day, pub_date_source=source if day else None,
                   meta={"PubDate": day.isoformat()} if day and source is DateSource.META
                   else {},
                   text="县水利局召开防汛工作会议。", links=list(links), title_source=title_source)


def _read(portal: Portal, number: int, article: Article | None, column_id: int | None = None,
          status: int = 200, findings: tuple[ContentFinding, ...] = ()) -> PageRead:
    return PageRead(_url(number), status, "utf-8", article, findings,
                    column_id=portal.dynamics if column_id is None else column_id,
                    post_url=_url(number), unit_id=portal.unit_id)


def _write(session: Session, reads: list[PageRead], now: datetime = NOW) -> None:
    # The one portal of these tests (tests/storage/test_portal_scoping.py has two).
    write_pages(session, session.scalars(select(Site.id)).one(), reads, now, HOST)
    session.commit()
    session.expire_all()


def _post(session: Session, column_id: int, number: int) -> Post:
    return session.scalars(select(Post).where(Post.column_id == column_id,
                                              Post.url == _url(number))).one()


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


# -- pages and their posts ----------------------------------------------------------------


def test_an_article_page_is_stored_with_what_the_crawl_read_of_it(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1)
    article = _article("县水利局召开防汛工作会议", date(2024, 5, 6))
    _write(session, [_read(portal, 1, article)])
    page = session.scalars(select(Page)).one()
    assert (page.url, page.http_status, page.encoding, page.title, page.meta_pub_date) == (
        _url(1), 200, "utf-8", "县水利局召开防汛工作会议", "2024-05-06")
    assert page.fetched_at == NOW and page.is_home is False
    # The hash of the body text, so a changed article can be told from an unchanged one.
    assert page.content_hash is not None and len(page.content_hash) == 64
    post = _post(session, portal.dynamics, 1)
    assert page.post_id == post.id
    assert post.article_fetched_at == NOW


def test_a_page_whose_post_is_not_stored_is_kept_without_one(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1)
    # Post 2 was never listed in this column: the page is stored, no post is touched.
    _write(session, [_read(portal, 2, _article("另一篇", date(2024, 5, 6)))])
    page = session.scalars(select(Page)).one()
    assert (page.url, page.post_id) == (_url(2), None)
    assert _post(session, portal.dynamics, 1).article_fetched_at is None


def test_a_page_that_did_not_load_marks_its_post_read_and_keeps_what_was_read_before(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1)
    _write(session, [_read(portal, 1, _article("县水利局召开防汛工作会议", date(2024, 5, 6)))])
    _write(session, [_read(portal, 1, None, status=503)], NEXT_NIGHT)
    page = session.scalars(select(Page)).one()
    assert (page.http_status, page.title, page.fetched_at) == (
        503, "县水利局召开防汛工作会议", NEXT_NIGHT)
    post = _post(session, portal.dynamics, 1)
    assert (post.date, post.article_fetched_at) == (date(2024, 5, 6), NEXT_NIGHT)


def test_an_article_listed_in_two_columns_reads_for_the_post_of_each(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1)
    _listed(session, portal.notices, 1)
    article = _article("县水利局关于汛期值班的通知", date(2024, 5, 6))
    _write(session, [_read(portal, 1, article, portal.dynamics),
                     _read(portal, 1, article, portal.notices)])
    assert _count(session, Page) == 1
    for column_id in (portal.dynamics, portal.notices):
        post = _post(session, column_id, 1)
        assert (post.date, post.date_source, post.article_fetched_at) == (
            date(2024, 5, 6), "meta", NOW)


# -- dates (SPEC §4.2) --------------------------------------------------------------------


@pytest.mark.parametrize("source", [DateSource.META, DateSource.VISIBLE])
def test_a_post_the_list_left_undated_takes_the_articles_date_and_says_from_where(
        session: Session, portal: Portal, source: DateSource) -> None:
    _listed(session, portal.dynamics, 1)
    _write(session, [_read(portal, 1, _article("第1篇", date(2024, 5, 6), source))])
    post = _post(session, portal.dynamics, 1)
    assert (post.date, post.date_source) == (date(2024, 5, 6), source.value)


def test_the_list_date_stands_against_an_article_dated_another_day(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1, day=date(2024, 5, 8))
    _write(session, [_read(portal, 1, _article("第1篇", date(2024, 5, 6)))])
    post = _post(session, portal.dynamics, 1)
    assert (post.date, post.date_source) == (date(2024, 5, 8), "list")


def test_a_guessed_list_year_yields_to_the_pubdate_naming_the_same_month_and_day(
        session: Session, portal: Portal) -> None:
    # The list showed "01-20" and the crawl guessed this year; the article is last year's.
    _listed(session, portal.dynamics, 1, day=date(2024, 1, 20))
    _write(session, [_read(portal, 1, _article("2022年度报告", date(2023, 1, 20)))])
    post = _post(session, portal.dynamics, 1)
    assert (post.date, post.date_source) == (date(2023, 1, 20), "list")


def test_a_list_date_printed_with_its_year_keeps_it_against_a_pubdate_of_the_same_day(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1, day=date(2024, 1, 20))
    read = _read(portal, 1, _article("2023年度报告", date(2023, 1, 20)))
    _write(session, [replace(read, list_year_printed=True)])
    post = _post(session, portal.dynamics, 1)
    assert (post.date, post.date_source) == (date(2024, 1, 20), "list")


def test_an_article_without_a_date_leaves_its_post_undated_but_read(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1)
    _write(session, [_read(portal, 1, _article("第1篇", None))])
    post = _post(session, portal.dynamics, 1)
    assert (post.date, post.date_source) == (None, None)
    # Read, so the next crawl does not fetch it again: the post stays undated (§4.2).
    assert post.article_fetched_at == NOW


def test_a_post_dated_by_its_article_keeps_that_date_when_the_page_is_read_again(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1)
    _write(session, [_read(portal, 1, _article("第1篇", date(2024, 5, 6)))])
    # The page now shows another day on its visible line: the date first read stands.
    again = _article("第1篇", date(2024, 5, 9), DateSource.VISIBLE)
    _write(session, [_read(portal, 1, again)], NEXT_NIGHT)
    post = _post(session, portal.dynamics, 1)
    assert (post.date, post.date_source, post.article_fetched_at) == (
        date(2024, 5, 6), "meta", NEXT_NIGHT)


# -- titles -------------------------------------------------------------------------------


def test_a_title_the_list_cut_short_takes_the_articles_whole_title_and_its_source(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1, title="县财政局：债务风险防控工作取得阶...")
    whole = "县财政局：债务风险防控工作取得阶段性成效"
    _write(session, [_read(portal, 1, _article(whole, title_source=TitleSource.META))])
    post = _post(session, portal.dynamics, 1)
    assert (post.title, post.title_source) == (whole, "meta")


def test_a_whole_list_title_stays_the_lists_whatever_the_article_calls_itself(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1, title="县水利局召开防汛工作会议")
    _write(session, [_read(portal, 1, _article("瑞河县人民政府门户网站"))])
    post = _post(session, portal.dynamics, 1)
    assert (post.title, post.title_source) == ("县水利局召开防汛工作会议", "list")


def test_an_article_title_found_nowhere_in_the_page_completes_no_list_title(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1, title="县财政局：债务风险防控工作取得阶...")
    whole = _article("县财政局：债务风险防控工作取得阶段性成效", title_source=None)
    _write(session, [_read(portal, 1, whole)])
    post = _post(session, portal.dynamics, 1)
    assert (post.title, post.title_source) == ("县财政局：债务风险防控工作取得阶...", "list")


# -- links --------------------------------------------------------------------------------


def test_each_linked_url_is_one_target_referenced_from_every_page_that_carries_it(
        session: Session, portal: Portal) -> None:
    attachment = LinkRef(f"{SITE}files/1.pdf", LinkKind.ATTACHMENT, "附件1", in_body=True)
    for number in (1, 2):
        _listed(session, portal.dynamics, number)
    _write(session, [_read(portal, 1, _article("第1篇", links=(attachment, GOV_CN))),
                     _read(portal, 2, _article("第2篇", links=(GOV_CN,)))])
    targets = {t.url: (t.kind, t.internal, t.status, t.first_seen, t.on_home)
               for t in session.scalars(select(LinkTarget))}
    assert targets == {attachment.url: ("attachment", True, "pending", NOW, False),
                       GOV_CN.url: ("a", False, "pending", NOW, False)}
    refs = {(page_url, target_url): (anchor, in_template, hidden)
            for page_url, target_url, anchor, in_template, hidden in session.execute(
                select(Page.url, LinkTarget.url, StoredRef.anchor_text, StoredRef.in_template,
                       StoredRef.hidden)
                .join(Page, Page.id == StoredRef.page_id)
                .join(LinkTarget, LinkTarget.id == StoredRef.target_id))}
    assert refs == {(_url(1), attachment.url): ("附件1", False, False),
                    (_url(1), GOV_CN.url): ("中国政府网", True, False),
                    (_url(2), GOV_CN.url): ("中国政府网", True, False)}


def test_writing_a_batch_again_adds_no_rows_and_keeps_the_first_anchor_text(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1)
    _write(session, [_read(portal, 1, _article("第1篇", date(2024, 5, 6), links=(GOV_CN,)))])
    renamed = LinkRef(GOV_CN.url, LinkKind.A, "中央人民政府", in_body=False)
    # A crawl killed before its batch was known to be written reads the page again.
    _write(session, [_read(portal, 1, _article("第1篇", date(2024, 5, 6), links=(renamed,)))],
           NEXT_NIGHT)
    assert (_count(session, Page), _count(session, LinkTarget), _count(session, StoredRef),
            _count(session, Post)) == (1, 1, 1, 1)
    assert session.scalars(select(StoredRef.anchor_text)).one() == "中国政府网"
    assert session.scalars(select(LinkTarget.first_seen)).one() == NOW
    assert session.scalars(select(Page.fetched_at)).one() == NEXT_NIGHT


def test_the_home_page_is_marked_and_its_links_weigh_as_on_the_home_page(
        session: Session, portal: Portal) -> None:
    on_article = LinkRef(f"{SITE}files/1.pdf", LinkKind.ATTACHMENT, "附件1", in_body=True)
    _listed(session, portal.dynamics, 1)
    home = PageRead(SITE, 200, None, _article("瑞河县人民政府门户网站", links=(GOV_CN,)), (),
                    is_home=True)
    _write(session, [home, _read(portal, 1, _article("第1篇", links=(on_article, GOV_CN)))])
    assert dict(session.execute(select(Page.url, Page.is_home)).tuples().all()) == {
        SITE: True, _url(1): False}
    assert dict(session.execute(select(LinkTarget.url, LinkTarget.on_home)).tuples().all()) == {
        GOV_CN.url: True, on_article.url: False}


# -- content problems (SPEC §4.7) ---------------------------------------------------------


HIDDEN_TARGET = "http://SPAM.example.com/彩票 页.html"
ARTICLE_HTML = f"""<html><head><meta name="PubDate" content="2024-05-06 09:30">
<title>县水利局召开防汛工作会议</title></head><body><h1>县水利局召开防汛工作会议</h1>
<div class="TRS_Editor"><p>县水利局召开防汛工作会议，联系人王某，身份证号{ID_NUMBER}。</p>
<p><a href="/files/1.pdf">附件</a></p></div>
<div style="display:none"><a href="{HIDDEN_TARGET}">彩票</a></div>
<div class="footer"><a href="http://www.gov.cn/">中国政府网</a></div></body></html>"""


def _checked_read(portal: Portal, number: int) -> PageRead:
    """The page as the crawler reads it: the article extracted, its content checked."""
    root = parse_html(ARTICLE_HTML)
    article = extract_article(root, _url(number))
    findings = check_article(article.title, article.text, root, _url(number), [HOST],
                             ExpressionDictionary.load_default())
    return _read(portal, number, article, findings=tuple(findings))


def test_content_findings_open_problems_of_the_pages_unit_and_column(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1)
    _write(session, [_checked_read(portal, 1)])
    problems = {p.type: p for p in session.scalars(select(Problem))}
    assert set(problems) == {"privacy_leak", "hidden_link"}
    for problem in problems.values():
        assert (problem.unit_id, problem.column_id, problem.url, problem.state) == (
            portal.unit_id, portal.dynamics, _url(1), "open")
        assert problem.first_seen == NOW
    assert problems["privacy_leak"].target == "36**************95"
    assert ID_NUMBER not in problems["privacy_leak"].detail


def test_content_problems_read_again_are_the_same_problems_still_open(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1)
    _write(session, [_checked_read(portal, 1)])
    _write(session, [_checked_read(portal, 1)], NEXT_NIGHT)
    problems = list(session.scalars(select(Problem)))
    assert len(problems) == 2
    assert {(p.state, p.first_seen, p.last_seen) for p in problems} == {
        ("open", NOW, NEXT_NIGHT)}
    assert _count(session, ProblemEvent) == 2  # one "found" each, nothing more


def test_a_hidden_link_marks_its_reference_hidden_however_the_check_spelled_its_url(
        session: Session, portal: Portal) -> None:
    _listed(session, portal.dynamics, 1)
    read = _checked_read(portal, 1)
    [hidden] = [f for f in read.findings if f.target == HIDDEN_TARGET]
    assert hidden.target != "http://spam.example.com/%E5%BD%A9%E7%A5%A8%20%E9%A1%B5.html"
    _write(session, [read])
    marked = dict(session.execute(
        select(LinkTarget.url, StoredRef.hidden)
        .join(LinkTarget, LinkTarget.id == StoredRef.target_id)).tuples().all())
    assert marked == {"http://spam.example.com/%E5%BD%A9%E7%A5%A8%20%E9%A1%B5.html": True,
                      f"{SITE}files/1.pdf": False, "http://www.gov.cn/": False}


def test_a_finding_on_a_page_with_a_very_long_url_is_kept_under_a_bounded_key(
        session: Session, portal: Portal) -> None:
    url = f"{SITE}slj/gzdt/show.html?" + "&".join(f"p{n}=县水利局" for n in range(120))
    session.add(Post(column_id=portal.dynamics, url=url, title="第1篇", first_seen=NOW,
                     last_seen=NOW))
    session.commit()
    finding = _checked_read(portal, 1).findings[0]
    read = PageRead(url, 200, "utf-8", _article("第1篇"), (finding,),
                    column_id=portal.dynamics, post_url=url, unit_id=portal.unit_id)
    _write(session, [read])
    _write(session, [read], NEXT_NIGHT)
    problem = session.scalars(select(Problem)).one()
    assert len(problem.key) == KEY_LENGTH and problem.key.startswith(url[:200])
    assert (problem.url, problem.last_seen) == (url, NEXT_NIGHT)


# -- batches ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_batch_longer_than_one_in_list_is_written_whole(
        session: Session, portal: Portal) -> None:
    numbers = range(950)  # more pages, and targets, than one IN list holds
    session.add_all(Post(column_id=portal.dynamics, url=_url(n), title=f"第{n}篇",
                         first_seen=NOW, last_seen=NOW) for n in numbers)
    session.commit()
    reads = [_read(portal, n, _article(f"第{n}篇", date(2024, 5, 6), links=(
        LinkRef(f"{SITE}files/{n}.pdf", LinkKind.ATTACHMENT, "附件", True),))) for n in numbers]
    _write(session, reads)
    _write(session, reads, NEXT_NIGHT)
    assert (_count(session, Page), _count(session, LinkTarget), _count(session, StoredRef)) == (
        950, 950, 950)
    dated = session.scalar(select(func.count()).select_from(Post).where(
        Post.date == date(2024, 5, 6), Post.article_fetched_at == NEXT_NIGHT))
    assert dated == 950


def test_an_empty_batch_writes_nothing(session: Session, portal: Portal) -> None:
    _write(session, [])
    assert (_count(session, Page), _count(session, LinkTarget)) == (0, 0)


def test_chunks_cut_a_sequence_into_in_lists_in_order() -> None:
    values = list(range(1801))
    parts = list(chunks(values))
    assert [len(part) for part in parts] == [900, 900, 1]
    assert [value for part in parts for value in part] == values
    assert list(chunks([])) == []
