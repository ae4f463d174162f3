"""The command line speaks the office's language (SPEC §9): Chinese by default — every
command's help, the tables, their status labels, the messages — and English with
MONITOR_LANG=en. JSON keeps the SPEC §5 keys and values in both."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from monitor import docs
from monitor.cli import app
from monitor.i18n import speaking

ROOT = Path(__file__).resolve().parents[2]
NOW = {"MONITOR_NOW": "2024-05-10T09:00:00+08:00"}
UNITS = [
    {"name": "县水利局", "group": "县直单位", "aliases": ["水利局"], "annual_target": 450,
     "columns": ["slj/gzdt/", "slj/tzgg/"]},
    {"name": "青石镇", "group": "乡镇", "annual_target": 4, "columns": ["qsz/xzdt/"]},
]

# What Chinese help may still spell in Latin letters: what a user types or reads on the
# machine (option names, placeholders for values, file names, URLs, config keys, variables,
# commands), format names and a few proper names.
TYPED = [
    r"--?[\w-]+",  # option names
    r"\$\w+", r"MONITOR_\w+",  # environment variables
    r"[\w+]+://\S+",  # URLs
    r"[\w/-]*(?:\.\w[\w-]*)+",  # config keys, file names, addresses: crawl.workers, .eml
    r"<[^>]*>",  # the values of a choice: <posts|links|problems>
    r"\[默认：[^\]]*\]",  # a default value
    r"[“'](?:monitor|problems)[^”']*[”']",  # a command line quoted in the help
    r"monitor [\w-]+(?: [\w-]+)?",  # a command and its sub-command
    r"evidence-编号",  # a directory name
]
ALLOWED_WORDS = {
    "JSON", "CSV", "XLSX", "xlsx", "BOM", "UTF", "Excel", "YAML", "HTTP", "SMTP", "ISO",
    "URL", "API", "SIGINT", "SIGTERM", "Ctrl", "YYYY", "MM", "DD", "YYYYQN", "Forwarded",
    "sqlite", "postgresql", "office", "unit", "open", "fixed", "ignored", "broken_link",
    "monitor",
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def command_names() -> list[str]:
    with speaking("zh_CN"):
        return [name for name, _command in docs.cli_commands()]


# The commands themselves, as the help lists them (`crawl`, `due-soon`).
COMMAND_WORDS = {word for name in command_names() for part in name.split()
                 for word in LATIN_WORD.findall(part)}


def english_words(text: str) -> set[str]:
    for pattern in TYPED:
        text = re.sub(pattern, " ", text)
    return {word for word in LATIN_WORD.findall(text)
            if word not in ALLOWED_WORDS | COMMAND_WORDS}


def help_of(name: str, language: str) -> str:
    arguments = [*name.split()[1:], "--help"]
    with speaking(language):
        result = CliRunner().invoke(app, arguments, env={"COLUMNS": "200"},
                                    prog_name="monitor")
    assert result.exit_code == 0, result.output
    return ANSI.sub("", result.stdout)


@pytest.mark.parametrize("name", command_names())
def test_every_help_is_chinese_by_default(name: str) -> None:
    text = help_of(name, "zh_CN")
    assert "用法：" in text and "显示本帮助并退出。" in text
    assert english_words(text) == set(), text
    for placeholder in ("<str>", "<bool>", "<int", "<list[", "<path>", "[OPTIONS]"):
        assert placeholder not in text


@pytest.mark.parametrize("name", command_names())
def test_every_help_is_english_on_request(name: str) -> None:
    text = help_of(name, "en")
    assert "Usage:" in text and "Show this message and exit." in text
    assert re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", text) == []


@pytest.mark.slow
def test_monitor_lang_en_gives_english_help_in_a_fresh_process() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    env["COLUMNS"] = "200"
    chinese = subprocess.run([sys.executable, "-m", "monitor", "check", "--help"],
                             capture_output=True, text=True, env=env, cwd=ROOT)
    english = subprocess.run([sys.executable, "-m", "monitor", "check", "--help"],
                             capture_output=True, text=True, env=env | {"MONITOR_LANG": "en"},
                             cwd=ROOT)
    assert "单位：名称、别名或名称的一部分。" in chinese.stdout
    assert "The unit: its name, an alias or part of its name." in english.stdout


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00")


def overdue_water_bureau(portal) -> None:
    """工作动态 last posted on 19 April (overdue by 10 May); 通知公告 failed on the last
    crawl; the township's column is up to date."""
    days = [date(2024, 1, 3) + timedelta(weeks=n) for n in range(15)] + [date(2024, 4, 19)]
    for number, day in enumerate(days):
        portal.post("slj/gzdt/", number, day, at("2024-04-20 02:00"), date_source="list")
    portal.post("slj/tzgg/", 100, date(2024, 4, 2), at("2024-04-20 02:00"))
    portal.post("qsz/xzdt/", 200, date(2024, 5, 8), at("2024-05-09 02:00"))
    portal.crawl(at("2024-05-10 02:00"), unreachable={"slj/tzgg/": "HTTP 503"})


@pytest.fixture
def portal(record_portal: Callable[..., list[str]]) -> list[str]:
    return record_portal(UNITS, overdue_water_bureau)


def header_cells(table: str) -> list[str]:
    return [cell.strip() for line in table.splitlines() if line.startswith("┃")
            for cell in line.strip("┃").split("┃")]


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_the_check_table_has_chinese_headers_and_statuses(
    run_cli: Callable[..., Result], portal: list[str]
) -> None:
    result = run_cli("check", "-u", "水利局", "--no-crawl", *portal, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert "县水利局（截至2024-05-10）" in result.stdout
    headers = " ".join(header_cells(result.stdout))
    for heading in ("栏目", "类别", "更新周期", "状态", "最近发布", "到期日", "本周", "本月"):
        assert heading in headers
    rows = result.stdout
    assert "逾期" in rows and "无法访问" in rows and "动态信息" in rows and "每周" in rows
    assert "overdue" not in rows and "dynamics" not in rows and "weekly" not in rows
    assert "每周更新情况（2024-01-01至2024-05-10）：统计18周" in rows
    assert "未整改问题" in rows and "栏目逾期未更新" in rows


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_json_keeps_the_spec_keys_and_values_in_chinese_mode(
    run_cli: Callable[..., Result], portal: list[str]
) -> None:
    result = run_cli("check", "-u", "水利局", "--no-crawl", "--json", *portal, env=NOW)
    document = json.loads(result.stdout)
    assert [column["status"] for column in document["columns"]] == ["overdue", "unreachable"]
    assert document["columns"][0]["category"] == "dynamics"
    assert {problem["state"] for problem in document["problems"]} == {"open"}


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_the_problems_list_names_types_and_states_in_chinese(
    run_cli: Callable[..., Result], portal: list[str]
) -> None:
    assert run_cli("check", "-u", "水利局", "--no-crawl", *portal, env=NOW).exit_code == 0
    result = run_cli("problems", "list", *portal, env=NOW | {"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert "问题（未整改）" in result.stdout
    assert header_cells(result.stdout) == ["编号", "问题", "单位", "栏目", "页面", "链接目标",
                                           "详情", "首次发现", "最近发现", "反复出现"]
    assert "栏目逾期未更新" in result.stdout and "overdue_column" not in result.stdout


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_the_stats_table_has_chinese_headers(
    run_cli: Callable[..., Result], portal: list[str]
) -> None:
    result = run_cli("stats", "--from", "2024-04-01", "--to", "2024-04-30", *portal,
                     env=NOW | {"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert "2024-04-01至2024-04-30发布情况（截至2024-05-10）" in result.stdout
    assert header_cells(result.stdout) == [
        "单位", "分组", "年度目标", "动态信息", "信息公开", "合计", "全年合计", "统计周数",
        "未达标周数", "完成率%", "组内排名", "总排名"]


def test_the_stats_table_is_english_with_monitor_lang_en(
    run_cli: Callable[..., Result], portal: list[str]
) -> None:
    result = run_cli("stats", "--from", "2024-04-01", "--to", "2024-04-30", *portal,
                     env=NOW | {"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    assert "Figures 2024-04-01 to 2024-04-30 (as of 2024-05-10)" in result.stdout
    assert header_cells(result.stdout)[:4] == ["unit", "group", "annual target", "dynamics"]


def test_the_check_table_is_english_with_monitor_lang_en(
    run_cli: Callable[..., Result], portal: list[str]
) -> None:
    result = run_cli("check", "-u", "水利局", "--no-crawl", *portal, env=NOW)
    assert "县水利局 as of 2024-05-10" in result.stdout
    assert "overdue" in result.stdout and "unreachable" in result.stdout
    assert "逾期" not in result.stdout.replace("栏目逾期未更新", "")


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_an_unknown_unit_is_one_chinese_line(
    run_cli: Callable[..., Result], portal: list[str]
) -> None:
    result = run_cli("check", "-u", "水力局", "--no-crawl", *portal, env=NOW)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "错误：未知单位“水力局”；最接近的：县水利局\n"


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_a_config_error_keeps_file_line_and_key_path(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    config = tmp_path / "portal.yaml"
    config.write_text("site:\n  name: 瑞河县\n  url: http://127.0.0.1:8000/\n  colour: red\n"
                      "units: []\n", encoding="utf-8")
    result = run_cli("config", "check", "--config", str(config))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"错误：{config}:4 site.colour: 未知的键“colour”")


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_a_usage_error_is_chinese(run_cli: Callable[..., Result]) -> None:
    result = run_cli("check")
    assert result.exit_code == 2
    assert "缺少选项 '--unit' / '-u'。" in result.stderr
    assert "Missing" not in result.stderr and "Usage" not in result.stderr


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_exports_head_their_columns_in_chinese_and_json_keeps_the_fields(
    run_cli: Callable[..., Result], portal: list[str]
) -> None:
    csv_text = run_cli("export", "posts", "--unit", "青石镇", *portal, env=NOW).stdout
    assert csv_text.removeprefix("\ufeff").splitlines()[0] == (
        "单位,栏目,链接,标题,发布日期,日期来源,首次发现")
    document = json.loads(run_cli("export", "posts", "--unit", "青石镇", "--format", "json",
                                  *portal, env=NOW).stdout)
    assert list(document[0]) == ["unit", "column", "url", "title", "date", "date_source",
                                 "first_seen"]


def test_exports_are_english_with_monitor_lang_en(
    run_cli: Callable[..., Result], portal: list[str]
) -> None:
    csv_text = run_cli("export", "posts", "--unit", "青石镇", *portal, env=NOW).stdout
    assert csv_text.removeprefix("\ufeff").splitlines()[0] == (
        "unit,column,link,title,date,date source,first seen")
