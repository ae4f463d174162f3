"""`monitor export posts|links|problems`: exact fields, CSV with BOM, JSON, XLSX, filters."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import Result

from storage.models import LinkRef, LinkTarget, Page
from tests.conftest import one_site

SITE = "http://127.0.0.1:8000/"  # the site of every portal the conftest writes
UNITS = [
    {"name": "县水利局", "group": "县直单位", "columns": ["slj/gzdt/"]},
    {"name": "青石镇", "group": "乡镇", "columns": ["qsz/xzdt/"]},
]
NOW = {"MONITOR_NOW": "2024-05-10T09:00:00+08:00"}
# 18:30 UTC is 02:30 the next day in Shanghai: exports must show the local time.
SEEN = datetime.fromisoformat("2024-04-19T18:30:00+00:00")
LONG_TITLE = "关于印发《瑞河县2024年防汛抗旱应急预案（修订稿）》及相关配套工作方案的通知"
# The office's tables (CSV, XLSX) head their columns in its language; JSON keeps the fields.
POST_HEADERS = "单位,栏目,链接,标题,发布日期,日期来源,首次发现"
LINK_HEADERS = "链接,类型,站内链接,状态,原因,HTTP状态码,隐藏,所在页面"
PROBLEM_HEADERS = "编号,问题,单位,栏目,页面,链接目标,详情,状态,首次发现,最近发现,反复出现,截图取证"


def posts_with_links(portal) -> None:
    """Two posts whose pages link a broken attachment (once hidden) and an unchecked image,
    and a withdrawn post that exports leave out."""
    flood = portal.post("slj/gzdt/", 1, date(2024, 4, 19), SEEN, title=LONG_TITLE,
                        date_source="list")
    meeting = portal.post("qsz/xzdt/", 2, date(2024, 3, 5), SEEN, title="镇党委召开会议",
                          date_source="meta")
    portal.post("slj/gzdt/", 3, date(2024, 4, 20), SEEN, title="撤稿", removed_at=SEEN)
    session = portal.session
    session.flush()
    pages = [Page(site_id=one_site(session),
                  url=post.url, post_id=post.id, fetched_at=SEEN) for post in (flood, meeting)]
    broken = LinkTarget(site_id=one_site(session),
                        url=f"{SITE}files/plan.pdf", kind="attachment", internal=True,
                        status="broken", reason="HTTP 404", http_status=404, first_seen=SEEN)
    pending = LinkTarget(site_id=one_site(session),
                         url="http://127.0.0.1:9/img.png", kind="img", internal=False,
                         first_seen=SEEN)
    session.add_all([*pages, broken, pending])
    session.flush()
    session.add_all([
        LinkRef(page_id=pages[0].id, target_id=broken.id),
        LinkRef(page_id=pages[1].id, target_id=broken.id, hidden=True),
        LinkRef(page_id=pages[1].id, target_id=pending.id),
    ])


@pytest.fixture
def options(record_portal: Callable[..., list[str]]) -> list[str]:
    return record_portal(UNITS, posts_with_links)


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_posts_csv_has_a_bom_the_exact_fields_and_local_times(
    run_cli: Callable[..., Result], options: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "posts.csv"
    result = run_cli("export", "posts", "--out", str(out), *options, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"已将2行写入{out}\n"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [
        POST_HEADERS.split(","),
        ["县水利局", "工作动态", f"{SITE}slj/gzdt/1.html", LONG_TITLE, "2024-04-19", "列表页",
         "2024-04-20 02:30:00"],
        ["青石镇", "乡镇动态", f"{SITE}qsz/xzdt/2.html", "镇党委召开会议", "2024-03-05",
         "页面元数据", "2024-04-20 02:30:00"],
    ]


def test_posts_json_to_stdout_filtered_by_unit_and_period(
    run_cli: Callable[..., Result], options: list[str]
) -> None:
    result = run_cli("export", "posts", "--format", "json", "--unit", "县水利局",
                     "--from", "2024-04-01", "--to", "2024-04-30", *options, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"unit": "县水利局", "column": "工作动态", "url": f"{SITE}slj/gzdt/1.html",
         "title": LONG_TITLE, "date": "2024-04-19", "date_source": "list",
         "first_seen": "2024-04-20T02:30:00+08:00"},
    ]


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_links_fold_their_pages_into_sources(
    run_cli: Callable[..., Result], options: list[str]
) -> None:
    result = run_cli("export", "links", "--format", "json", *options, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"url": f"{SITE}files/plan.pdf", "kind": "attachment", "internal": True,
         "status": "broken", "reason": "HTTP 404", "http_status": 404, "hidden": True,
         "sources": [f"{SITE}qsz/xzdt/2.html", f"{SITE}slj/gzdt/1.html"]},
        {"url": "http://127.0.0.1:9/img.png", "kind": "img", "internal": False,
         "status": "unchecked", "reason": None, "http_status": None, "hidden": False,
         "sources": [f"{SITE}qsz/xzdt/2.html"]},
    ]
    only_water = run_cli("export", "links", "--unit", "县水利局", *options, env=NOW)
    rows = list(csv.reader(io.StringIO(only_water.stdout.removeprefix("\ufeff"))))
    assert rows == [LINK_HEADERS.split(","),
                    [f"{SITE}files/plan.pdf", "附件", "是", "无法访问", "页面不存在（HTTP 404）", "404",
                     "否", f"{SITE}slj/gzdt/1.html"]]


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_problems_xlsx_has_the_exact_header_and_rows(
    run_cli: Callable[..., Result], options: list[str], tmp_path: Path
) -> None:
    assert run_cli("check", "-u", "县水利局", "--no-crawl", "--json", *options,
                   env=NOW).exit_code == 0
    out = tmp_path / "problems.xlsx"
    result = run_cli("export", "problems", "--format", "xlsx", "--out", str(out), *options,
                     env=NOW)
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert ",".join(rows[0]) == PROBLEM_HEADERS
    # The columns were never crawled, so no status is judged; but the township's post dated
    # 5 March was first seen on 20 April, which is back-dating whatever the crawls say.
    refreshed = datetime(2024, 5, 10, 9, 0)
    assert rows[1:] == [
        (1, "标注日期早于实际发布", "青石镇", "乡镇动态", f"{SITE}qsz/xzdt/2.html", None,
         "标注日期2024-03-05，首次发现于2024-04-20（晚46天）", "未整改", refreshed,
         refreshed, "否", None),
    ]


def test_problems_xlsx_is_laid_out_for_print_under_a_title_row(
    run_cli: Callable[..., Result], options: list[str], tmp_path: Path
) -> None:
    assert run_cli("check", "-u", "县水利局", "--no-crawl", "--json", *options,
                   env=NOW).exit_code == 0
    out = tmp_path / "problems.xlsx"
    assert run_cli("export", "problems", "--format", "xlsx", "--out", str(out), *options,
                   env=NOW).exit_code == 0
    book = load_workbook(out)
    sheet = book.active
    # The title names the portal, in the CLI's language; the office is the author.
    assert sheet["A1"].value == "瑞河县人民政府门户网站: Problems export"
    assert book.properties.creator == "政务公开办"  # report.issuer's default
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:L1"]
    assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$2:$2"
    assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth) == ("landscape", 1)
    assert all(cell.border.left.style == "thin" for row in sheet["A2:L3"] for cell in row)
    assert {cell.font.name for cell in sheet[3]} == {"宋体"}
    # Widths follow the content: the URL column is wider than the id column.
    assert sheet.column_dimensions["E"].width > sheet.column_dimensions["A"].width


def test_xlsx_without_out_exits_1(run_cli: Callable[..., Result], options: list[str]) -> None:
    result = run_cli("export", "posts", "--format", "xlsx", *options, env=NOW)
    assert (result.exit_code, result.stderr) == (
        1, "error: xlsx is a binary file: give --out FILE, e.g. --out posts.xlsx\n")


@pytest.mark.parametrize("arguments", [["nothing"], ["posts", "--format", "pdf"]])
def test_unknown_kind_or_format_is_a_usage_error(
    run_cli: Callable[..., Result], options: list[str], arguments: list[str]
) -> None:
    assert run_cli("export", *arguments, *options, env=NOW).exit_code == 2


def test_bad_period_exits_1(run_cli: Callable[..., Result], options: list[str]) -> None:
    result = run_cli("export", "posts", "--from", "2024-04-31", "--to", "2024-05-01", *options)
    assert (result.exit_code, result.stderr) == (
        1, "error: --from: '2024-04-31' is not a date; expected YYYY-MM-DD, e.g. 2024-05-10\n")


HOSTILE_TITLES = ["=HYPERLINK(\"http://127.0.0.1:9/\",\"点击\")", " @SUM(1+1)*cmd|' /C calc'!A0",
                  "标题\x01带控制\x1b[2J字符\x07", "通知\u202etxt.exe\u202c"]


def hostile_posts(portal) -> None:
    for number, title in enumerate(HOSTILE_TITLES, start=1):
        portal.post("slj/gzdt/", number, date(2024, 4, number), SEEN, title=title,
                    date_source="list")


def test_hostile_titles_export_to_csv_as_inert_text(
    run_cli: Callable[..., Result], record_portal: Callable[..., list[str]], tmp_path: Path
) -> None:
    options = record_portal(UNITS, hostile_posts)
    out = tmp_path / "posts.csv"
    result = run_cli("export", "posts", "--out", str(out), *options, env=NOW)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert sorted(row[3] for row in rows[1:]) == sorted([
        "'=HYPERLINK(\"http://127.0.0.1:9/\",\"点击\")", "' @SUM(1+1)*cmd|' /C calc'!A0",
        "标题带控制[2J字符", "通知txt.exe"])


def test_hostile_titles_export_to_xlsx_as_text_cells_without_a_crash(
    run_cli: Callable[..., Result], record_portal: Callable[..., list[str]], tmp_path: Path
) -> None:
    options = record_portal(UNITS, hostile_posts)
    out = tmp_path / "posts.xlsx"
    result = run_cli("export", "posts", "--format", "xlsx", "--out", str(out), *options,
                     env=NOW)
    assert result.exit_code == 0, result.stderr
    sheet = load_workbook(out).active
    cells = {cell.value: cell for cell in (row[3] for row in sheet.iter_rows(min_row=3))}
    assert sorted(cells) == sorted([HOSTILE_TITLES[0], HOSTILE_TITLES[1], "标题带控制[2J字符",
                                    "通知txt.exe"])
    assert all(cell.data_type == "s" for cell in cells.values())
    assert cells[HOSTILE_TITLES[0]].quotePrefix and cells[HOSTILE_TITLES[1]].quotePrefix
    assert not cells["通知txt.exe"].quotePrefix
