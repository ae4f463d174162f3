"""/problems: filters, and confirm / ignore with a reason / reopen, the same actions and
history as `monitor problems` (SPEC §4.7, §8)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from monitor.cli import app
from storage.models import ProblemEvent

from .conftest import OFFICE, UNIT_NAME, csrf_of


def _cli(dashboard, *args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=dashboard.environ(),
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _open_problems(dashboard, *args: str) -> list[dict]:
    return json.loads(_cli(dashboard, "problems", "list", "--json", *args))


def _events(dashboard, problem_id: int) -> list[tuple[str, str | None, str | None]]:
    application = dashboard.application()
    with application.sessions() as session:
        rows = session.query(ProblemEvent).filter_by(problem_id=problem_id).order_by(
            ProblemEvent.id).all()
        found = [(row.state, row.note, row.actor) for row in rows]
    application.engine.dispose()
    return found


def test_ignoring_with_a_reason_shows_in_the_cli_with_the_reason(office_client, dashboard):
    problem = _open_problems(dashboard)[0]
    token = csrf_of(office_client.get("/problems").text)
    response = office_client.post(f"/problems/{problem['id']}/ignore",
                                  data={"csrf_token": token, "reason": "栏目已撤并"})
    assert response.status_code == 303
    ignored = _open_problems(dashboard, "--state", "ignored")
    assert [(p["id"], p["ignored_reason"]) for p in ignored] == [(problem["id"], "栏目已撤并")]
    assert problem["id"] not in [p["id"] for p in _open_problems(dashboard)]
    assert _events(dashboard, problem["id"])[-1] == ("ignored", "栏目已撤并", OFFICE)
    page = office_client.get("/problems?state=ignored").text
    assert f"问题 {problem['id']} 已忽略：栏目已撤并" in page
    assert "理由：栏目已撤并" in page


def test_ignoring_without_a_reason_is_refused_and_nothing_changes(office_client, dashboard):
    problem = _open_problems(dashboard)[0]
    token = csrf_of(office_client.get("/problems").text)
    office_client.post(f"/problems/{problem['id']}/ignore",
                       data={"csrf_token": token, "reason": "  "})
    assert "操作未完成：忽略问题须填写理由" in office_client.get("/problems").text
    assert problem["id"] in [p["id"] for p in _open_problems(dashboard)]


def test_reopening_an_ignored_problem_makes_it_open_again(office_client, dashboard):
    problem = _open_problems(dashboard)[0]
    _cli(dashboard, "problems", "ignore", str(problem["id"]), "--reason", "误报")
    token = csrf_of(office_client.get("/problems").text)
    office_client.post(f"/problems/{problem['id']}/reopen", data={"csrf_token": token})
    assert problem["id"] in [p["id"] for p in _open_problems(dashboard)]
    assert _events(dashboard, problem["id"])[-1] == (
        "open", "reopened by an officer (was ignored)", OFFICE)


def test_confirming_keeps_the_problem_open_and_writes_its_history(office_client, dashboard):
    problem = _open_problems(dashboard)[0]
    token = csrf_of(office_client.get("/problems").text)
    office_client.post(f"/problems/{problem['id']}/confirm", data={"csrf_token": token})
    assert problem["id"] in [p["id"] for p in _open_problems(dashboard)]
    assert _events(dashboard, problem["id"])[-1] == ("open", "confirmed by an officer", OFFICE)
    assert "工作人员确认属实（office）" in office_client.get("/problems").text


def test_an_action_without_the_csrf_token_is_refused(office_client, dashboard):
    problem = _open_problems(dashboard)[0]
    response = office_client.post(f"/problems/{problem['id']}/ignore",
                                  data={"reason": "没有校验码"})
    assert response.status_code == 403
    assert problem["id"] in [p["id"] for p in _open_problems(dashboard)]


def test_the_unit_filter_lists_that_units_problems_only(office_client, dashboard):
    expected = {p["id"] for p in _open_problems(dashboard, "--unit", UNIT_NAME)}
    page = office_client.get(f"/problems?unit={UNIT_NAME}").text
    shown = {p["id"] for p in _open_problems(dashboard) if f'id="problem-{p["id"]}"' in page}
    assert shown == expected and expected


def test_the_type_filter_and_htmx_get_the_table_alone(office_client, dashboard):
    problems = _open_problems(dashboard)
    kind = problems[0]["type"]
    response = office_client.get(f"/problems?type={kind}", headers={"HX-Request": "true"})
    assert response.text.startswith('<section id="problem-table">')
    shown = {p["id"] for p in problems if f'id="problem-{p["id"]}"' in response.text}
    assert shown == {p["id"] for p in problems if p["type"] == kind}


def test_the_date_filter_keeps_problems_seen_in_the_range(office_client, dashboard):
    assert "共 0 个问题" in office_client.get("/problems?from=2020-01-01&to=2020-01-31").text
    total = len(_open_problems(dashboard))
    assert f"共 {total} 个问题" in office_client.get("/problems?from=2024-05-10&to=2024-05-10").text
