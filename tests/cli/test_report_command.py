"""`monitor report monthly|quarterly`: written paths, office settings, bad options, on the
counted portal (tests/cli/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import Result

NOW = {"MONITOR_NOW": "2024-05-10T09:00:00+08:00"}
ALL = ("docx", "xlsx", "md", "html")


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_monthly_writes_every_format_and_prints_the_paths(
    run_cli: Callable[..., Result], counted_portal: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run_cli("report", "monthly", "--month", "2024-04", "--out", str(out), *counted_portal,
                     env=NOW)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(out / f"monthly-2024-04.{name}") for name in ALL]
    assert result.stderr == ""
    sheet = openpyxl.load_workbook(out / "monthly-2024-04.xlsx")["附件1 县直单位"]
    assert [cell.value for cell in sheet[3]] == ["县水利局", 450, 4, 3, 0.89]


def test_monthly_writes_only_the_formats_asked_for(
    run_cli: Callable[..., Result], counted_portal: list[str], tmp_path: Path
) -> None:
    result = run_cli("report", "monthly", "--month", "2024-04", "--format", "md, HTML",
                     "--out", str(tmp_path), *counted_portal, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(tmp_path / "monthly-2024-04.md"),
                                          str(tmp_path / "monthly-2024-04.html")]
    assert not (tmp_path / "monthly-2024-04.docx").exists()


def test_monthly_report_in_english_names_its_sheets_and_headers_in_english(
    run_cli: Callable[..., Result], counted_portal: list[str], tmp_path: Path
) -> None:
    result = run_cli("report", "monthly", "--month", "2024-04", "--format", "xlsx",
                     "--out", str(tmp_path), *counted_portal, env=NOW)
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / "monthly-2024-04.xlsx")
    assert book.properties.title == "Government Transparency Monthly Report"
    sheet = book["Annex 1 County departments"]
    assert [cell.value for cell in sheet[2]] == [
        "Unit", "Annual target", "Published this year", "Posts in April", "Completion (%)"]
    assert [cell.value for cell in sheet[3]] == ["县水利局", 450, 4, 3, 0.89]


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_quarterly_writes_the_table(
    run_cli: Callable[..., Result], counted_portal: list[str], tmp_path: Path
) -> None:
    result = run_cli("report", "quarterly", "--quarter", "2024Q1", "--format", "xlsx",
                     "--out", str(tmp_path), *counted_portal, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(tmp_path / "quarterly-2024Q1.xlsx")]
    sheet = openpyxl.load_workbook(tmp_path / "quarterly-2024Q1.xlsx")["附件2 县直单位"]
    # 信息公开 this quarter and year-to-date, 动态信息 likewise, missed weeks of the quarter:
    # all 13 (the Spring Festival week counts: Sunday 18 February 2024 was a working day).
    assert [cell.value for cell in sheet[3]] == [1, "县水利局", 1, 1, 0, 0, 13]


def test_report_settings_and_templates_come_from_the_config(
    run_cli: Callable[..., Result], record_counted_portal: Callable[..., list[str]],
    tmp_path: Path
) -> None:
    templates = tmp_path / "office"
    templates.mkdir()
    (templates / "monthly_requirements.j2").write_text("一是{{ month }}月问题限期整改。\n",
                                                       encoding="utf-8")
    options = record_counted_portal(
        report={"title": "政务公开工作月报", "issuer": "县政务公开办",
                "issue_no": "{year}年第{month}期", "templates_dir": "office"},
        schedule={"report_dir": str(tmp_path / "reports")})
    result = run_cli("report", "monthly", "--month", "2024-04", "--format", "md", *options,
                     env=NOW)
    assert result.exit_code == 0, result.stderr
    written = tmp_path / "reports" / "monthly-2024-04.md"
    assert result.stdout.splitlines() == [str(written)]
    text = written.read_text(encoding="utf-8")
    assert "政务公开工作月报" in text and "2024年第4期" in text and "县政务公开办" in text
    assert "一是4月问题限期整改。" in text


def test_a_missing_templates_dir_exits_1(
    run_cli: Callable[..., Result], record_counted_portal: Callable[..., list[str]],
    tmp_path: Path
) -> None:
    options = record_counted_portal(report={"templates_dir": "nowhere"})
    result = run_cli("report", "monthly", "--month", "2024-04", "--out", str(tmp_path),
                     *options, env=NOW)
    assert result.exit_code == 1
    assert result.stderr == f"error: report.templates_dir: {tmp_path / 'nowhere'} is not a directory\n"


def test_an_unknown_year_warns_on_stderr(
    run_cli: Callable[..., Result], counted_portal: list[str], tmp_path: Path
) -> None:
    result = run_cli("report", "quarterly", "--quarter", "2031Q1", "--format", "md",
                     "--out", str(tmp_path), *counted_portal,
                     env={"MONITOR_NOW": "2031-04-02T09:00:00+08:00"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [str(tmp_path / "quarterly-2031Q1.md")]
    assert "2031: the official holiday calendar is not known" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("monthly", "--month", "2024-13"), "error: month must be 1..12, got 13\n"),
    (("monthly", "--month", "April"),
     "error: 'April' is not a month; expected YYYY-MM, e.g. 2024-04\n"),
    (("quarterly", "--quarter", "2024Q5"),
     "error: '2024Q5' is not a quarter; expected YYYYQN, e.g. 2024Q1\n"),
    (("monthly", "--month", "2024-04", "--format", "pdf"),
     "error: unknown report format pdf; choose from docx, xlsx, md, html\n"),
    (("monthly", "--month", "2024-06"),
     "error: 2024-06 starts on 2024-06-01, after 2024-05-10: nothing to report yet\n"),
    (("quarterly", "--quarter", "2024Q3"),
     "error: 2024Q3 starts on 2024-07-01, after 2024-05-10: nothing to report yet\n"),
])
def test_bad_period_or_format_exits_1_with_one_line(
    run_cli: Callable[..., Result], counted_portal: list[str], tmp_path: Path,
    args: tuple[str, ...], message: str
) -> None:
    result = run_cli("report", *args, "--out", str(tmp_path), *counted_portal, env=NOW)
    assert result.exit_code == 1
    assert result.stderr == message
    assert result.stdout == ""
    assert list(tmp_path.glob("monthly-*")) == [] and list(tmp_path.glob("quarterly-*")) == []


def test_month_is_required(run_cli: Callable[..., Result], counted_portal: list[str]) -> None:
    result = run_cli("report", "monthly", *counted_portal, env=NOW)
    assert result.exit_code == 2
    assert "--month" in result.stderr


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_the_monthly_report_judges_the_rule_problems_without_a_crawl_first(
    run_cli: Callable[..., Result], record_portal: Callable[..., list[str]], tmp_path: Path
) -> None:
    def crawled_on_sunday(portal) -> None:
        seen = datetime.fromisoformat("2024-04-28T02:00:00+08:00")
        portal.post("slj/gzdt/", 1, date(2024, 4, 19), seen)
        portal.post("slj/tzgg/", 2, date(2024, 3, 29), seen)
        portal.post("qsz/xzdt/", 3, date(2024, 4, 26), seen)
        portal.crawl(seen)

    units = [{"name": "县水利局", "group": "县直单位", "columns": ["slj/gzdt/", "slj/tzgg/"]},
             {"name": "青石镇", "group": "乡镇", "columns": ["qsz/xzdt/"]}]
    options = record_portal(units, crawled_on_sunday)
    # No crawl and no check since Sunday: the report itself judges Monday 29 April.
    result = run_cli("report", "monthly", "--month", "2024-04", "--format", "md", "--out",
                     str(tmp_path), *options, env={"MONITOR_NOW": "2024-04-29T09:00:00+08:00"})
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "monthly-2024-04.md").read_text(encoding="utf-8")
    assert "4月29日县水利局工作动态出现逾期" in text
    assert "青石镇乡镇动态出现逾期" not in text
