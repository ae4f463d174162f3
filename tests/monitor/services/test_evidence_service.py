"""The evidence step of a crawl, on a recorded database: retention over the size limit, and
a machine that cannot capture (no browser) marking problems 无截图 without failing."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import select

from monitor.app import App
from monitor.evidence.manifest import CaptureFacts, build_manifest, manifest_bytes
from monitor.services.evidence import NO_BROWSER, capture_evidence
from monitor.settings import Environment
from storage.evidence_store import record_captured, write_item
from storage.models import Evidence, Problem, ProblemEvent, Site
from storage.session import session_factory

NOW = datetime.fromisoformat("2024-05-10T09:00:00+08:00")
PAGE = "http://127.0.0.1:8000/slj/gzdt/1.html"


def make_app(tmp_path: Path, database_url: str, **evidence: object) -> App:
    config = {"site": {"name": "瑞河县人民政府门户网站", "url": "http://127.0.0.1:8000/"},
              "crawl": {"browser": "off"},
              "evidence": {"directory": str(tmp_path / "evidence"), **evidence},
              "units": [{"name": "县水利局", "group": "县直单位", "columns": [
                  {"name": "工作动态", "url": "http://127.0.0.1:8000/slj/gzdt/",
                   "category": "dynamics", "cycle": "weekly"}]}]}
    path = tmp_path / "portal.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return App(environment=Environment(config_path=path, db_url=database_url, now=NOW))


def portal_site(session) -> int:
    """The configured portal's site row, recorded as a crawl would."""
    site_id = session.scalar(select(Site.id))
    if site_id is None:
        site = Site(name="瑞河县人民政府门户网站", url="http://127.0.0.1:8000/")
        session.add(site)
        session.flush()
        site_id = site.id
    return site_id


def add_problem(session, key: str, state: str, problem_type: str = "broken_link") -> Problem:
    opened = NOW - timedelta(days=60)
    row = Problem(site_id=portal_site(session), type=problem_type, key=key, url=PAGE,
                  target=f"{PAGE}?{key}", detail="HTTP 404", state=state, first_seen=opened, last_seen=opened,
                  recurring=False, reopen_count=0)
    session.add(row)
    session.add(ProblemEvent(problem=row, at=opened, state="open", note="found"))
    session.flush()
    return row


def add_evidence(session, root: Path, problem: Problem, days_ago: int) -> str:
    """A stored capture of about 100 kB, `days_ago` days before NOW; gives its folder."""
    at = NOW - timedelta(days=days_ago)
    files = {"page.html": f"<html>{problem.key}</html>".encode() + b" " * 100_000}
    facts = CaptureFacts(PAGE, PAGE, 200, at, 900, False, True, 0)
    item = write_item(root, files, manifest_bytes(build_manifest(facts, files, "0.1.0", {})))
    record_captured(session, problem.id, at, item)
    return item.path


def test_over_the_size_limit_oldest_evidence_of_fixed_problems_goes_first_and_open_stays(
        tmp_path: Path, database_url: str) -> None:
    app = make_app(tmp_path, database_url, max_total_mb=1)
    root = tmp_path / "evidence"
    with app.sessions.begin() as session:
        open_ = add_problem(session, "open", "open")
        fixed_old = add_problem(session, "fixed-old", "fixed")
        fixed_new = add_problem(session, "fixed-new", "fixed")
        # About 100 kB each, 11 in all: over 1 MB by less than one capture. The open
        # problem's are the oldest, and stay; of the fixed ones only the older goes.
        kept_open = [add_evidence(session, root, open_, 100 + n) for n in range(9)]
        oldest = add_evidence(session, root, fixed_old, 50)
        newer = add_evidence(session, root, fixed_new, 10)
    run = capture_evidence(app)
    assert run.expired == 1
    assert not (root / oldest).exists() and (root / newer).exists()
    assert all((root / path).is_dir() for path in kept_open)
    with app.sessions() as session:
        states = dict(session.execute(select(Evidence.problem_id, Evidence.status)
                                      .where(Evidence.problem_id.in_([fixed_old.id,
                                                                      fixed_new.id]))).all())
    assert states == {fixed_old.id: "expired", fixed_new.id: "captured"}


def test_without_a_browser_problems_are_marked_no_screenshot_and_nothing_fails(
        tmp_path: Path, database_url: str) -> None:
    app = make_app(tmp_path, database_url)
    with app.sessions.begin() as session:
        accusing = add_problem(session, "a", "open", "dead_image")
        add_problem(session, "b", "open", "stale_national")
    run = capture_evidence(app)
    assert (run.captured, run.failed, run.reasons) == (0, 1, (NO_BROWSER,))
    with app.sessions() as session:
        rows = session.execute(select(Evidence.problem_id, Evidence.status, Evidence.reason)).all()
    assert rows == [(accusing.id, "unavailable", NO_BROWSER)]
    # Not counted as an attempt: once a browser is there, the capture is tried again.
    assert capture_evidence(app).failed == 1


def test_switched_off_in_config_nothing_is_attempted(tmp_path: Path, database_url: str) -> None:
    app = make_app(tmp_path, database_url, enabled=False)
    with app.sessions.begin() as session:
        add_problem(session, "a", "open")
    assert capture_evidence(app).failed == 0
    with session_factory(app.engine)() as session:
        assert session.scalars(select(Evidence)).all() == []
