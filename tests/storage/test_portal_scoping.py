"""Two portals in one database (SPEC §7): the same page, link target, problem key and probe
URL in both are two rows, one per portal, and each portal's reads and writes see only its
own. Both portals sit on one provincial platform, so their URLs can be the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from monitor.config import PortalConfig
from monitor.crawlfacts.article import Article, LinkRef
from monitor.domain import LinkKind, LinkStatus, ProblemState, ProblemType
from monitor.probe.availability import AvailabilityVerdict, ProbeOutcome
from monitor.services.link_problems import refresh_link_problems
from storage.crawl_store import CrawlRecorder, start_run
from storage.models import LinkTarget, Page, Problem
from storage.page_store import PageRead, write_pages
from storage.probe_store import apply_verdict, record_outcomes, samples_since
from storage.problem_store import Finding, reconcile
from storage.queries import ProblemFilter, broken_target_pages, link_sources, problems
from storage.sync import sync_config

PLATFORM = "http://127.0.0.1:8000/"
HOST = "127.0.0.1"
NOW = datetime.fromisoformat("2024-05-10T02:00:00+08:00")
ARTICLE = f"{PLATFORM}art/1.html"
DEAD = f"{PLATFORM}dead.html"


@dataclass(frozen=True)
class Portals:
    ruihe: int
    qinghe: int


def _config(name: str, path: str) -> PortalConfig:
    return PortalConfig.model_validate({
        "site": {"name": name, "url": f"{PLATFORM}{path}/"},
        "units": [{"name": "县水利局", "group": "县直单位", "columns": [
            {"name": "工作动态", "url": f"{PLATFORM}{path}/slj/gzdt/", "category": "dynamics",
             "cycle": "weekly"}]}],
    })


@pytest.fixture
def portals(session: Session) -> Portals:
    ruihe = sync_config(session, _config("瑞河县人民政府门户网站", "ruihe")).site_id
    qinghe = sync_config(session, _config("清河县人民政府门户网站", "qinghe")).site_id
    session.commit()
    return Portals(ruihe, qinghe)


def _home_read() -> PageRead:
    article = Article(title="首页", pub_date=None, pub_date_source=None, meta={}, text="首页",
                      links=[LinkRef(DEAD, LinkKind.A, "失效链接", in_body=True)])
    return PageRead(ARTICLE, 200, "utf-8", article, (), is_home=True)


def _count(session: Session, model: type, site_id: int) -> int:
    return session.scalar(select(func.count()).select_from(model).where(
        model.site_id == site_id)) or 0  # type: ignore[attr-defined]  # every scoped model


def test_the_same_page_and_link_target_are_one_row_per_portal(
    session: Session, portals: Portals,
) -> None:
    for site_id in (portals.ruihe, portals.qinghe, portals.ruihe):
        write_pages(session, site_id, [_home_read()], NOW, HOST)
        session.commit()
    for site_id in (portals.ruihe, portals.qinghe):
        assert _count(session, Page, site_id) == 1
        assert _count(session, LinkTarget, site_id) == 1
    assert [row.page_url for row in link_sources(session, portals.qinghe, None, None, None)] \
        == [ARTICLE]


def test_a_portals_page_url_is_unique_within_it(session: Session, portals: Portals) -> None:
    session.add_all([Page(site_id=portals.ruihe, url=ARTICLE, fetched_at=NOW),
                     Page(site_id=portals.ruihe, url=ARTICLE, fetched_at=NOW)])
    with pytest.raises(IntegrityError):
        session.flush()


def _dead_link(key: str = DEAD) -> Finding:
    return Finding(ProblemType.BROKEN_LINK, key, None, None, ARTICLE, "", DEAD)


def test_the_same_problem_key_in_two_portals_lives_two_lives(
    session: Session, portals: Portals,
) -> None:
    reconcile(session, portals.ruihe, [_dead_link()], frozenset(), NOW)
    reconcile(session, portals.qinghe, [_dead_link()], frozenset(), NOW)
    # 清河 no longer finds it: its own is fixed, 瑞河's stays open.
    later = NOW + timedelta(days=1)
    counts = reconcile(session, portals.qinghe, [], frozenset(), later,
                       judged_types=frozenset({ProblemType.BROKEN_LINK}))
    session.commit()
    assert counts.fixed == 1
    states = {site_id: [row.state for row in problems(session, site_id, ProblemFilter())]
              for site_id in (portals.ruihe, portals.qinghe)}
    assert states == {portals.ruihe: [ProblemState.OPEN], portals.qinghe: [ProblemState.FIXED]}


def test_a_finding_seen_again_in_one_portal_is_not_the_others_problem_reopened(
    session: Session, portals: Portals,
) -> None:
    reconcile(session, portals.ruihe, [_dead_link()], frozenset(), NOW)
    counts = reconcile(session, portals.qinghe, [_dead_link()], frozenset(), NOW)
    assert (counts.opened, counts.still_found) == (1, 0)


def test_probes_of_the_same_url_are_each_portals_own(
    session: Session, portals: Portals,
) -> None:
    record_outcomes(session, portals.ruihe, [ProbeOutcome(PLATFORM, NOW, True, 200, 100, None)])
    record_outcomes(session, portals.qinghe,
                    [ProbeOutcome(PLATFORM, NOW, False, None, 15000, "timeout")])
    assert [s.ok for s in samples_since(session, portals.ruihe, PLATFORM, NOW)] == [True]
    assert [s.ok for s in samples_since(session, portals.qinghe, PLATFORM, NOW)] == [False]
    failing = AvailabilityVerdict(PLATFORM, NOW.date(), NOW.date(), 10, 10, (), True)
    assert apply_verdict(session, portals.qinghe, failing, NOW).change == "opened"
    passing = AvailabilityVerdict(PLATFORM, NOW.date(), NOW.date(), 10, 0, (), False)
    # 瑞河's passing window has no problem of its own to fix.
    assert apply_verdict(session, portals.ruihe, passing, NOW).change is None
    assert [p.state for p in session.scalars(select(Problem))] == ["open"]


def _recorder(sessions: sessionmaker[Session], site_id: int) -> CrawlRecorder:
    with sessions() as session:
        run_id = start_run(session, site_id, [], "cli", NOW)
    return CrawlRecorder(sessions, run_id, NOW, HOST, timedelta(days=7))


def test_a_runs_link_checks_read_and_write_only_its_portals_targets(
    session: Session, sessions: sessionmaker[Session], portals: Portals,
) -> None:
    for site_id in (portals.ruihe, portals.qinghe):
        write_pages(session, site_id, [_home_read()], NOW, HOST)
    session.commit()
    ruihe = _recorder(sessions, portals.ruihe)
    assert [target.url for target in ruihe.due_link_targets()] == [DEAD]
    assert ruihe.mark_unchecked([DEAD], "host did not answer") == 1
    session.expire_all()
    statuses = {target.site_id: target.status for target in session.scalars(select(LinkTarget))}
    assert statuses == {portals.ruihe: LinkStatus.UNCHECKED.value,
                        portals.qinghe: LinkStatus.PENDING.value}


def test_broken_links_are_listed_for_their_own_portal_only(
    session: Session, portals: Portals,
) -> None:
    for site_id in (portals.ruihe, portals.qinghe):
        write_pages(session, site_id, [_home_read()], NOW, HOST)
    session.flush()
    target = session.scalars(select(LinkTarget).where(
        LinkTarget.site_id == portals.qinghe)).one()
    target.status = LinkStatus.BROKEN.value
    session.flush()
    assert [row.target for row in broken_target_pages(session, portals.qinghe)] == [DEAD]
    assert broken_target_pages(session, portals.ruihe) == []


def test_two_portals_link_problems_refreshed_into_one_database_stay_apart(
    session: Session, portals: Portals,
) -> None:
    for site_id in (portals.ruihe, portals.qinghe):
        write_pages(session, site_id, [_home_read()], NOW, HOST)
    session.flush()
    for target in session.scalars(select(LinkTarget)):
        target.status = LinkStatus.BROKEN.value
    session.flush()
    for site_id in (portals.ruihe, portals.qinghe):
        assert refresh_link_problems(session, site_id, NOW).opened == 1
    # 瑞河 repaired the link; 清河 did not.
    session.scalars(select(LinkTarget).where(
        LinkTarget.site_id == portals.ruihe)).one().status = LinkStatus.OK.value
    later = NOW + timedelta(days=1)
    assert refresh_link_problems(session, portals.ruihe, later).fixed == 1
    assert refresh_link_problems(session, portals.qinghe, later).still_found == 1
    states = {site_id: [row.state for row in problems(session, site_id, ProblemFilter())]
              for site_id in (portals.ruihe, portals.qinghe)}
    assert states == {portals.ruihe: [ProblemState.FIXED], portals.qinghe: [ProblemState.OPEN]}
