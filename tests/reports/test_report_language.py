"""The 月报 and the quarterly table in the reader's language (SPEC §9).

The same report — the same figures, problems, national items and the shipped office texts —
is built and written in Chinese (the default) and with MONITOR_LANG=en. The Chinese files
hold no English word outside URLs and the evidence code; the English ones hold no Chinese
character or Chinese punctuation outside the names the config gives (units, columns,
groups, the site and the issuer).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from monitor.config import ReportConfig
from monitor.domain import GROUP_COUNTY_DEPARTMENTS, GROUP_TOWNSHIPS, ProblemState, ProblemType
from monitor.rules.figures import PostCount, UnitFigures, completion_percent
from monitor.rules.national import NationalItem, NationalKey, NationalResult
from monitor.rules.weekly import WeeklyResult
from monitor.services.national import national_section
from monitor.services.reports import in_reader_language, issue_number, quarterly_title
from reports import (
    MonthlySettings,
    QuarterlySettings,
    ReportProblem,
    TextContext,
    build_monthly_report,
    build_quarterly_report,
    render_monthly_texts,
    write_report,
)
from reports.model import MonthlyReport, QuarterlyReport

SITE = "瑞河县人民政府门户网站"
ISSUER = "瑞河县政务公开办"
UNITS = {"县水利局": GROUP_COUNTY_DEPARTMENTS, "县卫健委": GROUP_COUNTY_DEPARTMENTS,
         "县民政局": GROUP_COUNTY_DEPARTMENTS, "青石镇": GROUP_TOWNSHIPS,
         "小江镇": GROUP_TOWNSHIPS}
COLUMNS = ("工作动态", "通知公告")
# What the config names: these stay as written in every language.
CONFIG_NAMES = (SITE, ISSUER, *UNITS, *set(UNITS.values()), *COLUMNS)
MONDAYS = (date(2024, 4, 1), date(2024, 4, 8), date(2024, 4, 15), date(2024, 4, 22),
           date(2024, 4, 29))

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
URL = re.compile(r"https?://\S+")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# "HTTP 404" is how a problem's detail names a status in both languages.
ALLOWED_IN_CHINESE = {"HTTP"}


def unit_figures(unit: str, target: int | None, ytd: int, month: int) -> UnitFigures:
    return UnitFigures(unit=unit, group=UNITS[unit], annual_target=target,
                       period=PostCount(dynamics=month // 2, disclosure=month - month // 2),
                       ytd=PostCount(dynamics=ytd // 2, disclosure=ytd - ytd // 2),
                       weeks=13, missed=1 if unit == "县卫健委" else 0,
                       completion=completion_percent(ytd, target), rank_in_group=None,
                       rank=None)


FIGURES = [unit_figures("县水利局", 450, 86, 19), unit_figures("县卫健委", 450, 184, 44),
           unit_figures("县民政局", 350, 242, 77), unit_figures("青石镇", 560, 908, 270),
           unit_figures("小江镇", None, 12, 3)]


def seen(day: int) -> date:
    return date(2024, 4, day)


PROBLEMS = [
    ReportProblem(ProblemType.OVERDUE_COLUMN, "县卫健委", seen(29), column="工作动态",
                  recurring=True),
    ReportProblem(ProblemType.EMPTY_COLUMN, "县民政局", seen(3), column="通知公告"),
    ReportProblem(ProblemType.DUE_SOON_COLUMN, "小江镇", seen(11), column="工作动态"),
    ReportProblem(ProblemType.DUE_SOON_COLUMN, "小江镇", seen(25), column="工作动态"),
    ReportProblem(ProblemType.DEAD_IMAGE, "青石镇", seen(19), column="工作动态",
                  url="http://127.0.0.1:8000/qsz/gzdt/1.html",
                  target="http://127.0.0.1:8000/img/a.jpg", detail="HTTP 404",
                  evidence="var/evidence/1a2b3c4d5e6f7a8b9c0d"),
    ReportProblem(ProblemType.BROKEN_LINK, "县水利局", seen(8), column="通知公告",
                  url="http://127.0.0.1:8000/slj/tzgg/2.html",
                  target="http://127.0.0.1:8000/gone.html", detail="HTTP 404",
                  title="关于做好防汛工作的通知", published_on=date(2024, 4, 2)),
    ReportProblem(ProblemType.BROKEN_LINK, "县水利局", seen(8), column="通知公告",
                  url="http://127.0.0.1:8000/slj/tzgg/3.html",
                  target="http://127.0.0.1:8000/gone.html", detail="HTTP 404"),
    ReportProblem(ProblemType.BLOCKED, "县水利局", seen(8), target="https://waf.example/"),
    ReportProblem(ProblemType.SITE_UNREACHABLE, SITE, seen(14), url="http://127.0.0.1:8000/",
                  site_wide=True),
]
PREVIOUS = [
    ReportProblem(ProblemType.OVERDUE_COLUMN, "县水利局", date(2024, 3, 18), column="工作动态",
                  state=ProblemState.FIXED),
    ReportProblem(ProblemType.DEAD_IMAGE, "青石镇", date(2024, 3, 31), column="工作动态",
                  url="http://127.0.0.1:8000/qsz/9.html", state=ProblemState.OPEN),
]
# The names a post title carries are the portal's, not ours: the English check leaves them.
POST_TITLES = ("关于做好防汛工作的通知",)


def monthly_report() -> MonthlyReport:
    """April 2024's 月报 as `monitor report monthly` makes it with the default `report`
    settings, in the active language."""
    config = ReportConfig(issuer=ISSUER)
    texts = render_monthly_texts(TextContext(site_name=SITE, issuer=ISSUER, year=2024,
                                             month=4))
    settings = MonthlySettings(
        title=in_reader_language(config, "title"),
        issue_no=issue_number(config, 2024, 4), issuer=ISSUER, site_name=SITE, year=2024,
        month=4, as_of=date(2024, 4, 30), editor_note=texts.editor_note,
        requirements=texts.requirements, issued_on=date(2024, 5, 10))
    weekly = {f.unit: WeeklyResult(weeks=MONDAYS[:4], missed=(MONDAYS[1],) if f.unit ==
                                   "县卫健委" else ()) for f in FIGURES}
    return build_monthly_report(FIGURES, PROBLEMS, PREVIOUS, weekly, settings)


def national_item(key: NationalKey, value: float | None, unit: str, threshold: float | None,
                  veto: bool, warned: bool, *behind: dict[str, str | None]) -> NationalItem:
    return NationalItem(key, value, unit, threshold, None, veto, warned, behind)


NATIONAL = NationalResult(date(2024, 3, 31), (
    national_item(NationalKey.SITE_UNAVAILABLE, None, "%", 5, False, False),
    national_item(NationalKey.HOME_NOT_UPDATED, 3, "days", 14, False, False,
                  {"newest_item": "2024-03-28"}),
    national_item(NationalKey.STALE_COLUMNS, 5, "columns", 5, True, True,
                  {"unit": "县水利局", "column": "工作动态", "last_post": "2023-11-02"},
                  {"unit": "县民政局", "column": "通知公告", "last_post": None}),
    national_item(NationalKey.BROKEN_LINKS, 2, "links", None, False, True,
                  {"page": "http://127.0.0.1:8000/slj/1.html",
                   "target": "http://127.0.0.1:8000/gone.html"}),
))


def quarterly_report() -> QuarterlyReport:
    """2024 Q1's table as `monitor report quarterly` makes it, in the active language."""
    settings = QuarterlySettings(title=quarterly_title(2024, 1), issuer=ISSUER, year=2024,
                                 quarter=1, as_of=date(2024, 4, 2), issued_on=date(2024, 4, 2))
    report = build_quarterly_report(FIGURES, settings)
    return QuarterlyReport(**{**report.__dict__, "national": national_section(NATIONAL)})


def docx_texts(path: Path) -> list[str]:
    document = docx.Document(str(path))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows
              for cell in row.cells]
    return [*texts, document.core_properties.title or ""]


def xlsx_texts(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    texts = [str(value) for sheet in book.worksheets for row in sheet.iter_rows(
        values_only=True) for value in row if value is not None]
    return [*texts, *book.sheetnames, book.properties.title or ""]


def html_text(path: Path) -> str:
    page = re.sub(r"<style\b.*?</style>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def written(report: MonthlyReport | QuarterlyReport, out: Path) -> dict[str, str]:
    """Every text of every format, by format."""
    files = {path.suffix: path for path in write_report(report, out)}
    return {
        "docx": "\n".join(docx_texts(files[".docx"])),
        "xlsx": "\n".join(xlsx_texts(files[".xlsx"])),
        "md": files[".md"].read_text(encoding="utf-8"),
        "html": html_text(files[".html"]),
    }


def english_words(text: str) -> list[str]:
    evidence_free = re.sub(r"(?<![0-9a-f])[0-9a-f]{12}(?![0-9a-f])", " ", URL.sub(" ", text))
    return [word for word in ENGLISH_WORD.findall(evidence_free)
            if word not in ALLOWED_IN_CHINESE]


def chinese_left(text: str) -> list[str]:
    """The lines that still hold a Chinese character once the config's names are gone."""
    for name in sorted({*CONFIG_NAMES, *POST_TITLES}, key=len, reverse=True):
        text = text.replace(name, " ")
    return [line for line in text.splitlines() if CJK.search(line)]


def build(kind: str) -> MonthlyReport | QuarterlyReport:
    return monthly_report() if kind == "monthly" else quarterly_report()


@pytest.mark.parametrize("kind", ["monthly", "quarterly"])
def test_the_report_in_chinese_has_no_english_word(kind: str, tmp_path: Path) -> None:
    texts = written(build(kind), tmp_path)
    found = {fmt: sorted(set(english_words(text))) for fmt, text in texts.items()}
    assert not any(found.values()), found


@pytest.mark.parametrize("kind", ["monthly", "quarterly"])
def test_the_report_in_english_has_no_chinese_beyond_the_configured_names(
    kind: str, english: None, tmp_path: Path
) -> None:
    texts = written(build(kind), tmp_path)
    found = {fmt: chinese_left(text) for fmt, text in texts.items()}
    assert not any(found.values()), found


def test_the_monthly_report_in_english_reads_english_dates_issue_and_headings(
    english: None, tmp_path: Path
) -> None:
    text = written(monthly_report(), tmp_path)["docx"]
    assert "Issue No. 4, 2024" in text and "10 May 2024" in text
    for heading in ("I. Overview", "II. Problems found", "IV. Requirements", "Annex 4"):
        assert heading in text
    assert "29 April: 县卫健委 工作动态 – overdue" in text
    assert "8 April: 县水利局 通知公告 – broken link (2 times)" in text
    assert "小江镇 was reminded more than once that 工作动态 was about to fall overdue" in text
    book = openpyxl.load_workbook(tmp_path / "monthly-2024-04.xlsx")
    assert book.sheetnames == ["Annex 1 County departments", "Annex 2 Townships",
                               "Weekly updates", "Annex 4 Problems"]
    assert [cell.value for cell in book["Annex 4 Problems"][2]] == [
        "Unit", "Column", "Title", "Published", "Problem", "Link", "Found on"]
    assert docx.Document(str(tmp_path / "monthly-2024-04.docx")).core_properties.title == \
        "Government Transparency Monthly Report"


def test_the_quarterly_table_in_english_words_the_national_items(
    english: None, tmp_path: Path
) -> None:
    text = written(quarterly_report(), tmp_path)["docx"]
    assert "Report on the content upkeep of the websites in Q1 2024" in text
    assert "on 31 March 2024 the website has a single-veto item and fails" in text
    assert "columns not updated: 5 (veto threshold: ≥5), vetoes the site" in text
    assert "县民政局 通知公告 (last post none)" in text
    assert "Year-to-date figures cover 1 January 2024 to 31 March 2024." in text


def test_the_default_title_and_issue_number_follow_the_language_an_office_s_own_do_not(
    english: None,
) -> None:
    assert in_reader_language(ReportConfig(), "title") == "Government Transparency Monthly Report"
    assert issue_number(ReportConfig(), 2024, 5) == "Issue No. 5, 2024"
    own = ReportConfig(title="政务公开工作月报", issue_no="瑞政公〔{year}〕{month}号")
    assert in_reader_language(own, "title") == "政务公开工作月报"
    assert issue_number(own, 2024, 5) == "瑞政公〔2024〕5号"
