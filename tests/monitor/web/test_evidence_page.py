"""Evidence on the 问题 page (SPEC §8): 截图 / 整页 / 网页原文 links where a capture was
kept, 无截图 and why where none was; each file served only to whoever may see the problem,
only by a fixed name, and only while it still matches its manifest."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.domain import EvidenceStatus
from monitor.evidence.manifest import CaptureFacts, build_manifest, manifest_bytes
from monitor.services.evidence import evidence_root
from storage.evidence_store import (
    latest_evidence,
    record_captured,
    record_failed,
    write_item,
)
from storage.models import Site
from storage.queries import ProblemFilter, ProblemRow, problems

from .conftest import OTHER_UNIT, UNIT_NAME

PAGE_WITH_SCRIPT = "<html><script>alert(document.cookie)</script>页面</html>".encode()


def _problems(dashboard) -> list[ProblemRow]:
    application = dashboard.application()
    with application.sessions() as session:
        rows = problems(session, session.scalars(select(Site.id)).one(), ProblemFilter())
    application.engine.dispose()
    return rows


def _problem_of(dashboard, unit: str) -> ProblemRow:
    return next(row for row in _problems(dashboard) if row.unit == unit)


def _row_html(page: str, problem_id: int) -> str:
    start = page.index(f'<tr id="problem-{problem_id}"')
    return page[start:page.index("</tr>", start)]


def _store_capture(dashboard, problem_id: int, files: dict[str, bytes]) -> Path:
    """A capture of `problem_id` kept as the crawl keeps one: the files, their manifest,
    the row; later than any capture the crawl made."""
    application = dashboard.application()
    at = application.clock.now() + timedelta(hours=1)
    url = f"http://127.0.0.1/{problem_id}.html"
    facts = CaptureFacts(url, url, 200, at, 900, False, True, 0)
    # The problem id in the manifest keeps each test's folder its own.
    manifest = build_manifest(facts, files, "0.1.0", {"id": problem_id, "test": str(at)})
    root = evidence_root(application.config)
    with application.sessions.begin() as session:
        item = write_item(root, files, manifest_bytes(manifest))
        record_captured(session, problem_id, at, item)
    application.engine.dispose()
    return root / item.path


def _kept_capture(dashboard) -> tuple[ProblemRow, Path, datetime]:
    """A problem the crawl captured, its folder and capture time."""
    application = dashboard.application()
    rows = _problems(dashboard)
    with application.sessions() as session:
        records = latest_evidence(session, [row.id for row in rows])
    application.engine.dispose()
    root = evidence_root(application.config)
    for row in rows:
        record = records.get(row.id)
        if record is not None and record.status is EvidenceStatus.CAPTURED and record.path is not None:
            return row, root / record.path, record.captured_at
    raise AssertionError("the crawl of the sample portal captured no evidence")


def _files(name: str) -> dict[str, bytes]:
    return {"screenshot.png": b"\x89PNG\r\n\x1a\n" + name.encode(),
            "fullpage.jpg": b"\xff\xd8\xff" + name.encode(),
            "page.html": PAGE_WITH_SCRIPT}


@pytest.mark.slow
@pytest.mark.browser
def test_a_captured_problem_links_its_files_and_serves_them_as_captured(
        office_client, dashboard) -> None:
    problem, folder, at = _kept_capture(dashboard)
    row = _row_html(office_client.get("/problems?state=all").text, problem.id)
    assert f'href="/problems/{problem.id}/evidence/screenshot.png"' in row
    assert ">截图</a>" in row and ">整页</a>" in row and ">网页原文</a>" in row
    assert re.search(r"截取于 \d{4}-\d\d-\d\d \d\d:\d\d", row)
    assert "无截图" not in row
    for name, media_type in (("screenshot.png", "image/png"), ("fullpage.jpg", "image/jpeg")):
        response = office_client.get(f"/problems/{problem.id}/evidence/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"] == media_type
        assert response.content == (folder / name).read_bytes()
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "content-security-policy" in response.headers


@pytest.mark.slow
@pytest.mark.browser
def test_the_captured_page_is_only_a_download_never_html(office_client, dashboard) -> None:
    problem, folder, _ = _kept_capture(dashboard)
    response = office_client.get(f"/problems/{problem.id}/evidence/page.html")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="problem-{problem.id}-page.html"')
    assert response.content == (folder / "page.html").read_bytes()


def test_a_page_with_scripts_is_served_as_an_attachment(office_client, dashboard) -> None:
    problem = _problem_of(dashboard, UNIT_NAME)
    _store_capture(dashboard, problem.id, _files("script"))
    response = office_client.get(f"/problems/{problem.id}/evidence/page.html")
    assert response.status_code == 200
    assert "text/html" not in response.headers["content-type"]
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.content == PAGE_WITH_SCRIPT


def test_a_failed_capture_shows_no_screenshot_and_the_reason(office_client, dashboard) -> None:
    problem = _problem_of(dashboard, UNIT_NAME)
    application = dashboard.application()
    with application.sessions.begin() as session:
        record_failed(session, problem.id, application.clock.now() + timedelta(hours=1),
                      "截图超时（超过20秒）")
    application.engine.dispose()
    row = _row_html(office_client.get("/problems?state=all").text, problem.id)
    assert "无截图" in row and "截图超时（超过20秒）" in row
    assert "/evidence/" not in row
    response = office_client.get(f"/problems/{problem.id}/evidence/screenshot.png")
    assert response.status_code == 404
    assert "该问题没有可提供的截图证据" in response.text


def test_a_unit_user_sees_its_own_evidence_and_not_another_units(
        unit_client, dashboard) -> None:
    own = _problem_of(dashboard, UNIT_NAME)
    other = _problem_of(dashboard, OTHER_UNIT)
    own_files, other_files = _files("own"), _files("other")
    _store_capture(dashboard, own.id, own_files)
    _store_capture(dashboard, other.id, other_files)
    response = unit_client.get(f"/problems/{own.id}/evidence/screenshot.png")
    assert (response.status_code, response.content) == (200, own_files["screenshot.png"])
    refused = unit_client.get(f"/problems/{other.id}/evidence/screenshot.png")
    assert refused.status_code == 404
    assert other_files["screenshot.png"] not in refused.content
    assert unit_client.get("/problems/999999/evidence/screenshot.png").status_code == 404


@pytest.mark.parametrize("name", ["dom.html", "portal.yaml", "..%2Fportal.yaml",
                                  "%2E%2E%2F%2E%2E%2Fportal.yaml", "screenshot.PNG"])
def test_a_name_outside_the_evidence_files_is_404(office_client, dashboard, name) -> None:
    problem = _problem_of(dashboard, UNIT_NAME)
    _store_capture(dashboard, problem.id, {**_files("names"), "dom.html": b"<html></html>"})
    assert office_client.get(f"/problems/{problem.id}/evidence/{name}").status_code == 404
    served = office_client.get(f"/problems/{problem.id}/evidence/screenshot.png")
    assert served.status_code == 200


def test_the_manifest_is_served_from_a_kept_capture(office_client, dashboard) -> None:
    problem = _problem_of(dashboard, UNIT_NAME)
    folder = _store_capture(dashboard, problem.id, _files("manifest"))
    response = office_client.get(f"/problems/{problem.id}/evidence/manifest.json")
    assert response.status_code == 200
    assert response.content == (folder / "manifest.json").read_bytes()


@pytest.mark.parametrize("changed", ["screenshot.png", "page.html", "manifest.json"])
def test_a_file_changed_after_the_capture_is_refused_not_served(
        office_client, dashboard, changed) -> None:
    problem = _problem_of(dashboard, UNIT_NAME)
    folder = _store_capture(dashboard, problem.id, _files(f"tampered-{changed}"))
    tampered = (folder / changed).read_bytes() + b" changed"
    (folder / changed).write_bytes(tampered)
    for name in ("screenshot.png", changed):
        response = office_client.get(f"/problems/{problem.id}/evidence/{name}")
        assert response.status_code == 409
        assert "校验值不符" in response.text
        assert tampered not in response.content


def test_the_unit_pages_show_the_evidence_of_their_open_problems(
        office_client, dashboard) -> None:
    open_rows = [row for row in _problems(dashboard) if row.state.value == "open" and row.unit]
    captured = next(row for row in open_rows if row.unit == UNIT_NAME)
    application = dashboard.application()
    with application.sessions() as session:
        kept = latest_evidence(session, [row.id for row in open_rows])
    failed = next(row for row in open_rows if row.unit != UNIT_NAME
                  and (row.id not in kept or kept[row.id].status is not EvidenceStatus.CAPTURED))
    _store_capture(dashboard, captured.id, _files("unit page"))
    with application.sessions.begin() as session:
        record_failed(session, failed.id, application.clock.now() + timedelta(hours=1),
                      "页面无法打开：HTTP 503")
    application.engine.dispose()
    page = office_client.get(f"/units/{UNIT_NAME}").text
    assert f'href="/problems/{captured.id}/evidence/fullpage.jpg"' in page
    other = office_client.get(f"/units/{failed.unit}").text
    assert "无截图" in other and "页面无法打开：HTTP 503" in other
