"""`monitor national --json` on the crawled sample portal equals what the portal's truth
gives, on a night with a veto and on a night without one (SPEC §4.8, §5); the early
warnings open and are fixed as the portal changes.

The portal here carries a 最新动态 block on its home page, so 首页不更新 has a fact to
read. The office's thresholds for 应更新未更新 are lowered in the config to 5 (warning
3), so that the portal's own history crosses the veto on one night and not on the other.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from monitor.alerts.service import DIGEST_FILE_LABEL
from monitor.cli import app
from monitor.domain import ColumnStatus, Cycle, LinkStatus
from sampleportal import Truth, serve_portal
from sampleportal.model import Portal

pytestmark = [pytest.mark.slow, pytest.mark.browser]

VETO_NIGHT, CLEAR_NIGHT = "2024-04-29", "2024-05-10"
UNUPDATED_VETO, UNUPDATED_WARNING = 5, 3


def night(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T02:00:00+08:00")


def national(workspace, day: str, *args: str) -> dict:
    result = CliRunner().invoke(app, ["national", "--as-of", day, "--json", *args],
                                env=workspace.env(night(day)), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def table(workspace, day: str) -> str:
    result = CliRunner().invoke(app, ["national", "--as-of", day],
                                env=workspace.env(night(day)), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def warnings_open(workspace) -> set[str]:
    with sqlite3.connect(workspace.db_path) as connection:
        rows = connection.execute("SELECT key FROM problem WHERE type = 'national_warning' "
                                  "AND state = 'open'").fetchall()
    return {key for (key,) in rows}


def digest_text(workspace, day: str, directory: Path) -> str:
    """The plain text of the office's weekly digest composed on `day` (a dry run, with an
    e-mail section added to a copy of the config)."""
    config = workspace.config_with_mail(directory)
    result = CliRunner().invoke(app, ["alerts", "weekly", "--dry-run", "--out",
                                      str(directory / "alerts"), "--config", str(config)],
                                env=workspace.env(night(day)), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    [digest] = (directory / "alerts").glob(f"*_{DIGEST_FILE_LABEL}.eml")
    message = message_from_bytes(digest.read_bytes(), policy=default)
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture(scope="module")
def news_portal(sample_portal: Portal) -> Portal:
    return dataclasses.replace(sample_portal, home_news=True)


@pytest.fixture(scope="module")
def nights(news_portal: Portal, tmp_path_factory: pytest.TempPathFactory, crawl_workspace
           ) -> Iterator[tuple[object, dict[str, dict], dict[str, set[str]]]]:
    found: dict[str, dict] = {}
    warned: dict[str, set[str]] = {}
    with serve_portal(news_portal, now=night(VETO_NIGHT)) as running:
        workspace = crawl_workspace(running, tmp_path_factory.mktemp("national"))
        document = yaml.safe_load(workspace.config.read_text(encoding="utf-8"))
        document["rules"]["national"] = {"unupdated_columns": UNUPDATED_VETO,
                                         "unupdated_warning": UNUPDATED_WARNING}
        workspace.config.write_text(yaml.safe_dump(document, allow_unicode=True),
                                    encoding="utf-8")
        for day in (VETO_NIGHT, CLEAR_NIGHT):
            workspace.crawl(night(day))
            found[day] = national(workspace, day)
            found[day]["table"] = table(workspace, day)
            warned[day] = warnings_open(workspace)
            found[day]["digest"] = digest_text(workspace, day,
                                               tmp_path_factory.mktemp(f"digest-{day}"))
        yield workspace, found, warned


def expected_items(portal: Portal, day: str, hosts) -> dict[str, dict]:
    """Each item's value, veto and the columns or pages behind it, from the truth."""
    truth = Truth(portal)
    at = night(day)
    statuses = truth.column_statuses(at)
    cycles = {(unit.name, column.name): column.cycle
              for unit in portal.units for column in unit.columns}

    def behind(columns) -> list[dict]:
        return [{"unit": c.unit, "column": c.column,
                 "last_post": c.last_post.isoformat() if c.last_post else None}
                for c in columns]

    stale = [c for c in statuses if c.stale]
    blank = [c for c in statuses if c.status is ColumnStatus.EMPTY]
    unupdated = [c for c in statuses if c.status is ColumnStatus.OVERDUE
                 and cycles[(c.unit, c.column)] is not Cycle.NONE]
    newest = max(post.claimed for _, post in portal.newest_dynamics(at))
    age = (at.date() - newest).days
    broken = [link for link in truth.links(hosts, at)
              if link.status is LinkStatus.BROKEN and not link.hidden]
    return {
        "site_unavailable": {"value": None, "veto": False, "behind": []},
        "home_not_updated": {"value": age, "veto": age > 14,
                             "behind": [{"newest_item": newest.isoformat()}]},
        "stale_columns": {"value": len(stale), "veto": len(stale) >= 5,
                          "behind": behind(stale)},
        "blank_columns": {"value": len(blank), "veto": len(blank) >= 5,
                          "behind": behind(blank)},
        "unupdated_columns": {"value": len(unupdated),
                              "veto": len(unupdated) >= UNUPDATED_VETO,
                              "behind": behind(unupdated)},
        "home_broken_links": {"value": sum(1 for link in broken if link.site_wide),
                              "veto": False},
        "broken_links": {"value": len(broken), "veto": False},
    }


def actual_items(document: dict) -> dict[str, dict]:
    items = {}
    for item in document["items"]:
        kept = {"value": item["value"], "veto": item["veto"]}
        if not item["key"].endswith("broken_links"):
            kept["behind"] = item["behind"]
        items[item["key"]] = kept
    return items


@pytest.mark.parametrize(("day", "veto"), [(VETO_NIGHT, True), (CLEAR_NIGHT, False)])
def test_national_json_equals_the_portal_truth(nights, news_portal, day, veto) -> None:
    workspace, found, _ = nights
    document = found[day]
    assert document["as_of"] == day
    assert actual_items(document) == expected_items(news_portal, day, workspace.running.hosts)
    assert document["veto"] is veto


def test_the_veto_night_is_vetoed_by_the_columns_that_should_have_updated(nights) -> None:
    _, found, _ = nights
    vetoes = [item["key"] for item in found[VETO_NIGHT]["items"] if item["veto"]]
    assert vetoes == ["unupdated_columns"]
    item = next(item for item in found[VETO_NIGHT]["items"]
                if item["key"] == "unupdated_columns")
    assert (item["label"], item["unit"], item["threshold"]) == ("应更新未更新栏目", "columns", 5)


def test_early_warnings_open_and_are_fixed_as_the_portal_changes(nights, news_portal) -> None:
    workspace, found, warned = nights
    for day in (VETO_NIGHT, CLEAR_NIGHT):
        expected = {f"national:{item['key']}" for item in found[day]["items"] if item["warned"]}
        assert warned[day] == expected
    # 4 blank columns (warning at 2) stay warned on both nights; 应更新未更新 falls from
    # 5 (veto) to 4 columns, still above its warning of 3.
    assert "national:blank_columns" in warned[VETO_NIGHT] & warned[CLEAR_NIGHT]


@pytest.mark.parametrize(("day", "verdict"), [
    (VETO_NIGHT, "结论：存在单项否决项，网站不合格"), (CLEAR_NIGHT, "结论：未触及单项否决项")])
def test_the_table_says_the_verdict_in_chinese(nights, day, verdict) -> None:
    _, found, _ = nights
    printed = found[day]["table"]
    assert "国办指标单项否决项" in printed and "应更新未更新栏目" in printed
    assert printed.rstrip().splitlines()[-1] == verdict


def test_a_bad_as_of_exits_1_naming_the_option(nights) -> None:
    workspace, _, _ = nights
    result = CliRunner().invoke(app, ["national", "--as-of", "2024-13-01"],
                                env=workspace.env(night(VETO_NIGHT)))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "错误：--as-of：“2024-13-01”不是日期；应为 YYYY-MM-DD，如 2024-05-10")


def test_the_quarterly_report_states_the_national_items(nights, tmp_path) -> None:
    workspace, found, _ = nights
    result = CliRunner().invoke(app, ["report", "quarterly", "--quarter", "2024Q2",
                                      "--format", "md", "--out", str(tmp_path)],
                                env=workspace.env(night(CLEAR_NIGHT)), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    [written] = tmp_path.glob("*.md")
    text = written.read_text(encoding="utf-8")
    assert "对照国办秘函〔2019〕19号单项否决项，截至2024年5月10日，网站未触及单项否决项。" in text
    items = {item["key"]: item for item in found[CLEAR_NIGHT]["items"]}
    blank = items["blank_columns"]
    assert f"空白栏目：{blank['value']}个（否决标准≥5个），达到预警线" in text
    assert "站点无法访问：未判定（否决标准≥5%），正常" in text


UNIT_WORDS = {"%": "%", "days": "天", "columns": "个", "links": "个"}


def expected_digest_section(document: dict) -> list[str]:
    """The 国办指标 section as the digest must say it, from `national --json`: the verdict,
    the vetoed items, then the warned ones (with at most three columns or pages behind
    each), then the rest on one line."""
    def value(item: dict) -> str:
        return "未判定" if item["value"] is None else f"{item['value']}{UNIT_WORDS[item['unit']]}"

    def threshold(item: dict) -> str:
        if item["threshold"] is None:
            return "不否决"
        if item["key"] == "home_not_updated":
            return f"超过{item['threshold']}天"
        return f"≥{item['threshold']}{UNIT_WORDS[item['unit']]}"

    def behind(entry: dict) -> str:
        if "column" in entry:
            return f"{entry['unit']}{entry['column']}（最近发布{entry['last_post'] or '无'}）"
        if "page" in entry:
            return f"{entry['page']}中的{entry['target']}"
        return f"首页最新信息发布于{entry['newest_item']}"

    day = datetime.fromisoformat(document["as_of"])
    verdict = "存在单项否决项，不合格" if document["veto"] else "未触及单项否决项"
    lines = [f"【国办指标】对照国办秘函〔2019〕19号单项否决项，"
             f"截至{day.year}年{day.month}月{day.day}日，网站{verdict}："]
    items = document["items"]
    for alarming in ([i for i in items if i["veto"]],
                     [i for i in items if i["warned"] and not i["veto"]]):
        for item in alarming:
            line = (f"   - {item['label']}：{value(item)}（否决标准{threshold(item)}），"
                    f"{'单项否决' if item['veto'] else '达到预警线'}")
            names = [behind(entry) for entry in item["behind"]]
            if names:
                line += "；涉及" + "、".join(names[:3])
                line += f"等{len(names)}处" if len(names) > 3 else ""
            lines.append(line)
    calm = [f"{i['label']}（{value(i)}）" for i in items if not (i["veto"] or i["warned"])]
    if calm:
        lines.append("   - 其余各项正常：" + "、".join(calm))
    return lines


def digest_section(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("【国办指标】"))
    end = lines.index("", start)
    return lines[start:end]


@pytest.mark.parametrize("day", [VETO_NIGHT, CLEAR_NIGHT])
def test_the_office_digest_states_the_national_items_as_monitor_national_does(
        nights, day) -> None:
    _, found, _ = nights
    assert digest_section(found[day]["digest"]) == expected_digest_section(found[day])


def test_the_digest_lists_the_veto_first_then_the_early_warnings(nights) -> None:
    _, found, _ = nights
    section = digest_section(found[VETO_NIGHT]["digest"])
    assert section[1].startswith("   - 应更新未更新栏目：5个（否决标准≥5个），单项否决；涉及")
    assert section[2].startswith("   - 空白栏目：")
