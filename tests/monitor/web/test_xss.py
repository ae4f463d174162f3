"""Crawled text and configured names reach the pages escaped, never as markup."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import yaml
from sqlalchemy import select
from starlette.testclient import TestClient

from monitor.app import App
from monitor.services.facts import portal_site_id
from monitor.settings import Environment
from monitor.web.app import create_app
from storage.models import Column, Post, Problem

from .conftest import UNIT_NAME, log_in

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_a_crawled_title_with_script_is_escaped_on_the_unit_page(office_client, dashboard):
    application = dashboard.application()
    with application.sessions.begin() as session:
        column = session.scalars(select(Column).where(Column.name == "工作动态")).first()
        assert column is not None
        seen = datetime(2024, 5, 10, tzinfo=UTC)
        session.add(Post(column_id=column.id, url="javascript:alert(1)", title=EVIL,
                         date=date(2024, 5, 9), date_source="list", first_seen=seen,
                         last_seen=seen))
        unit = column.unit.name
    application.engine.dispose()
    html = office_client.get(f"/units/{unit}").text
    assert EVIL not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


def test_a_problem_detail_with_script_is_escaped_on_the_problems_page(office_client, dashboard):
    application = dashboard.application()
    with application.sessions.begin() as session:
        problem = session.scalars(select(Problem).where(Problem.state == "open")).first()
        problem.detail = EVIL
        problem.url = "javascript:alert(2)"
    application.engine.dispose()
    html = office_client.get("/problems").text
    assert EVIL not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html


def test_a_unit_name_with_script_is_escaped_everywhere(dashboard, tmp_path: Path, wall_clock):
    document = yaml.safe_load(dashboard.config.read_text(encoding="utf-8"))
    renamed = next(unit for unit in document["units"] if unit["name"] == UNIT_NAME)
    renamed["name"] = EVIL
    renamed["aliases"] = []
    config = tmp_path / "portal.yaml"
    config.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    application = App(environment=Environment.from_environ(
        dashboard.environ(MONITOR_CONFIG=str(config))))
    # The renamed unit reaches the database as it would in use: through a command that
    # brings the config in (a crawl or a check); the dashboard only reads.
    with application.sessions.begin() as session:
        portal_site_id(session, application.config)
    with TestClient(create_app(application, clock=wall_clock), follow_redirects=False) as client:
        log_in(client)
        for path in ("/", "/problems", f"/units/{EVIL}"):
            html = client.get(path).text
            assert EVIL not in html, path
            assert "&lt;script&gt;" in html, path
        assert client.get(f"/api/units/{EVIL}").json()["unit"] == EVIL
    application.engine.dispose()
