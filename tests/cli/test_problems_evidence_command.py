"""`monitor problems evidence ID [--out DIR]`: copies, checks against the manifest, and says
in one line why there is nothing to copy; `problems list --json` and `export problems` carry
the evidence folder or 无截图 and its reason."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import Result

from monitor.evidence.manifest import CaptureFacts, build_manifest, manifest_bytes
from storage.evidence_store import record_captured, record_failed, write_item
from storage.models import Problem, ProblemEvent
from tests.conftest import one_site

UNITS = [{"name": "县水利局", "group": "县直单位", "columns": ["slj/gzdt/"]}]
NOW = {"MONITOR_NOW": "2024-05-10T09:00:00+08:00"}
FOUND = datetime.fromisoformat("2024-05-10T02:00:00+08:00")
PAGE = "http://127.0.0.1:8000/slj/gzdt/1.html"
FILES = {"page.html": "<html>页面</html>".encode(), "screenshot.png": b"\x89PNG\r\n\x1a\n",
         "fullpage.jpg": b"\xff\xd8\xff"}


def problem(portal, problem_type: str, key: str) -> Problem:
    row = Problem(site_id=one_site(portal.session),
                  type=problem_type, key=key, unit_id=None, column_id=None, url=PAGE,
                  target=f"{PAGE}#{key}", detail="HTTP 404", state="open", first_seen=FOUND,
                  last_seen=FOUND, recurring=False, reopen_count=0)
    portal.session.add(row)
    portal.session.add(ProblemEvent(problem=row, at=FOUND, state="open", note="found"))
    portal.session.flush()
    return row


@pytest.fixture
def evidence_dir(tmp_path: Path) -> Path:
    return tmp_path / "evidence"


@pytest.fixture
def options(record_portal: Callable[..., list[str]], evidence_dir: Path) -> list[str]:
    """Problem 1 (broken link) captured, 2 (dead image) failed, 3 (stale) has none."""

    def fill(portal) -> None:
        captured = problem(portal, "broken_link", "a")
        failed = problem(portal, "dead_image", "b")
        problem(portal, "stale_national", "c")
        facts = CaptureFacts(PAGE, PAGE, 200, FOUND, 900, False, True, 0)
        manifest = build_manifest(facts, FILES, "0.1.0", {"id": captured.id})
        item = write_item(evidence_dir, FILES, manifest_bytes(manifest))
        record_captured(portal.session, captured.id, FOUND, item)
        record_failed(portal.session, failed.id, FOUND, "截图超时（超过20秒）")

    return record_portal(UNITS, fill, evidence={"directory": str(evidence_dir)})


def test_evidence_is_copied_with_its_manifest(
        run_cli: Callable[..., Result], options: list[str], tmp_path: Path) -> None:
    out = tmp_path / "copy"
    result = run_cli("problems", "evidence", "1", "--out", str(out), *options, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == (
        f"problem 1: evidence of 2024-05-10 02:00 copied to {out} "
        "(fullpage.jpg, manifest.json, page.html, screenshot.png)")
    assert (out / "page.html").read_bytes() == FILES["page.html"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["url"] == PAGE and manifest["http_status"] == 200


def test_unknown_problem_exits_1_with_one_line(
        run_cli: Callable[..., Result], options: list[str]) -> None:
    result = run_cli("problems", "evidence", "99", *options, env=NOW)
    assert (result.exit_code, result.stderr.strip()) == (
        1, "error: no problem with id 99 (see 'monitor problems list')")


def test_a_failed_capture_exits_1_saying_no_screenshot_and_why(
        run_cli: Callable[..., Result], options: list[str], tmp_path: Path) -> None:
    result = run_cli("problems", "evidence", "2", "--out", str(tmp_path / "x"), *options,
                     env=NOW)
    assert (result.exit_code, result.stderr.strip()) == (
        1, "error: problem 2 has no evidence: 截图超时（超过20秒）")
    assert not (tmp_path / "x").exists()


def test_a_type_without_screenshots_says_so(
        run_cli: Callable[..., Result], options: list[str]) -> None:
    result = run_cli("problems", "evidence", "3", *options, env=NOW)
    assert (result.exit_code, result.stderr.strip()) == (
        1, "error: problem 3 is a “Not updated within the national time limit” problem: no "
           "screenshot is taken for this type")


def test_damaged_evidence_is_not_copied(
        run_cli: Callable[..., Result], options: list[str], evidence_dir: Path,
        tmp_path: Path) -> None:
    (page,) = evidence_dir.glob("*/*/page.html")
    page.write_bytes(b"<html>changed afterwards</html>")
    result = run_cli("problems", "evidence", "1", "--out", str(tmp_path / "x"), *options,
                     env=NOW)
    assert (result.exit_code, result.stderr.strip()) == (
        1, "error: the evidence of problem 1 does not match its manifest: page.html")


def test_list_json_and_export_carry_the_evidence(
        run_cli: Callable[..., Result], options: list[str], evidence_dir: Path) -> None:
    (folder,) = evidence_dir.glob("*/*")
    listed = json.loads(run_cli("problems", "list", "--json", *options, env=NOW).stdout)
    by_id = {row["id"]: row["evidence"] for row in listed}
    assert by_id[1]["dir"] == str(folder)
    assert by_id[1]["screenshot"] == str(folder / "screenshot.png")
    assert by_id[2] == {"status": "failed", "captured_at": "2024-05-09T18:00:00+00:00",
                        "reason": "无截图：截图超时（超过20秒）"}
    assert by_id[3] is None
    exported = run_cli("export", "problems", "--format", "csv", *options, env=NOW).stdout
    rows = {row["id"]: row["evidence"] for row in csv.DictReader(io.StringIO(exported.lstrip("\ufeff")))}
    assert rows == {"1": str(folder), "2": "无截图：截图超时（超过20秒）", "3": ""}
