"""office sees and acts on everything; a unit user sees only its unit (SPEC §8)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from .conftest import OTHER_UNIT, UNIT_NAME, csrf_of


def test_a_unit_user_is_sent_from_the_overview_to_its_unit(unit_client) -> None:
    response = unit_client.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == f"/units/{quote(UNIT_NAME)}"


def test_a_unit_user_sees_its_own_unit(unit_client) -> None:
    page = unit_client.get(f"/units/{UNIT_NAME}")
    assert page.status_code == 200
    assert f"<h1>{UNIT_NAME}" in page.text


@pytest.mark.parametrize("path", [f"/units/{OTHER_UNIT}", f"/api/units/{OTHER_UNIT}",
                                  "/units/卫生健康", f"/problems?unit={OTHER_UNIT}"])
def test_another_units_page_is_a_404_for_a_unit_user(unit_client, path) -> None:
    assert unit_client.get(path).status_code == 404


def test_another_unit_answers_like_a_unit_that_does_not_exist(unit_client) -> None:
    other = unit_client.get(f"/units/{OTHER_UNIT}")
    missing = unit_client.get("/units/不存在的单位")
    assert other.status_code == missing.status_code == 404
    assert other.text == missing.text


@pytest.mark.parametrize("path", ["/reports", "/runs", "/reports/files/monthly-2024-04.md"])
def test_office_pages_are_refused_to_a_unit_user(unit_client, path) -> None:
    response = unit_client.get(path)
    assert response.status_code == 403
    assert "无权访问" in response.text


def test_a_unit_user_lists_only_its_own_problems(unit_client, office_client) -> None:
    own = unit_client.get("/problems?state=all").text
    everyone = office_client.get("/problems?state=all").text
    assert f"<td>{UNIT_NAME}</td>" in own
    assert f"<td>{OTHER_UNIT}</td>" not in own
    assert f"<td>{OTHER_UNIT}</td>" in everyone


def test_a_unit_user_cannot_act_on_a_problem(unit_client, office_client) -> None:
    page = unit_client.get("/problems").text
    assert "/ignore" not in page
    token = csrf_of(page)
    response = unit_client.post("/problems/1/ignore",
                                data={"csrf_token": token, "reason": "不是我们的问题"})
    assert response.status_code == 403


def test_a_unit_users_stats_hold_its_unit_only(unit_client, office_client, dashboard) -> None:
    own = unit_client.get("/api/stats").json()
    assert [row["unit"] for row in own] == [UNIT_NAME]
    assert len(office_client.get("/api/stats").json()) == len(dashboard.unit_names)


def test_the_office_opens_every_unit(office_client, dashboard) -> None:
    for name in dashboard.unit_names:
        assert office_client.get(f"/units/{name}").status_code == 200, name
