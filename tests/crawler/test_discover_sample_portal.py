"""`monitor discover` on the sample portal: the draft it writes against the hand-written
config of the same portal (`sampleportal.configfile`), and a crawl with the draft."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from monitor.domain import Category
from sampleportal import RunningPortal, generate_portal, portal_config, serve_portal
from sampleportal.model import ListStyle as PortalStyle
from sampleportal.model import Portal

pytestmark = pytest.mark.slow  # a crawl of the sample portal or a whole run

# The lists a script fetches from an /api/ endpoint: the draft reads them through it
# (list.style jsonapi, no browser), where the hand-written config draws the script's
# list in the browser.
_API_LISTS = (PortalStyle.JSLIST, PortalStyle.JSONAPI)


def _discover(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", "discover", *args],
                          capture_output=True, text=True, env=env, timeout=600)


def _fast_config(running: RunningPortal, directory: Path) -> Path:
    """The hand-written config (its crawl section has no delay, so the walk is quick)."""
    path = directory / "hand.yaml"
    path.write_text(yaml.safe_dump(portal_config(running.portal, running.base_url),
                                   allow_unicode=True), encoding="utf-8")
    return path


def _columns(document: dict) -> dict[str, tuple[str, str, str, str, str, str | None]]:
    return {column["url"]: (unit["name"], unit["group"], column["name"], column["category"],
                            column.get("render", "static"),
                            (column.get("list") or {}).get("style"))
            for unit in document["units"] for column in unit["columns"]}


def _expected_columns(portal: Portal, base_url: str) -> dict:
    expected = _columns(portal_config(portal, base_url))
    for column in portal.columns():
        if column.style in _API_LISTS:
            url = base_url + column.list_path
            expected[url] = (*expected[url][:4], "static", "jsonapi")
    return expected


def _assert_draft_matches(draft: dict, portal: Portal, base_url: str) -> None:
    hand = _expected_columns(portal, base_url)
    found = _columns(draft)
    assert sorted(set(hand) - set(found)) == []  # recall: every configured column
    assert sorted(set(found) - set(hand)) == []  # no page that is not a column
    # unit, group, name, category, render, list style
    assert {url: found[url] for url in hand} == hand
    for unit in draft["units"]:
        for column in unit["columns"]:
            cycle = {"dynamics": "weekly", "report": "yearly"}.get(column["category"], "none")
            assert column["cycle"] == cycle, column
            expected_deadline = "01-31" if column["category"] == Category.REPORT else None
            assert column.get("deadline") == expected_deadline, column


@pytest.fixture(scope="module")
def discovered(sample_portal: Portal, tmp_path_factory: pytest.TempPathFactory):
    """One discovery of the default sample portal, with the default politeness."""
    directory = tmp_path_factory.mktemp("discover")
    with serve_portal(sample_portal) as running:
        draft = directory / "draft.yaml"
        done = _discover(running.base_url + "/", "--out", str(draft), "--json")
        assert done.returncode == 0, done.stderr[-3000:]
        yield running.base_url, draft, json.loads(done.stdout), done.stderr, running.log


def test_discover_finds_every_column_of_the_sample_portal_and_nothing_else(
        discovered, sample_portal: Portal) -> None:
    base_url, _draft, document, _stderr, _log = discovered
    _assert_draft_matches(document, sample_portal, base_url)
    assert document["unassigned"] == []
    assert document["site"] == {"name": sample_portal.site_name, "url": base_url + "/"}


def test_discover_is_polite_and_reads_no_article(discovered) -> None:
    _base_url, _draft, _document, stderr, log = discovered
    assert log.max_concurrent_requests <= 4  # crawl.concurrency_per_host's default
    assert log.count("/robots.txt", "GET") == 1
    assert "读取52个页面：12个单位，50个栏目" in stderr
    assert log.total <= 60


def test_discover_json_is_the_yaml_draft_as_data(discovered) -> None:
    _base_url, draft, document, _stderr, _log = discovered
    written = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert _columns(written) == _columns(document)
    assert [unit["name"] for unit in written["units"]] == [
        unit["name"] for unit in document["units"]]
    assert all(unit["annual_target"] is None and unit["contacts"] == []
               for unit in written["units"])


def test_draft_comments_give_the_evidence_of_every_guess(discovered) -> None:
    _base_url, draft, _document, _stderr, _log = discovered
    text = draft.read_text(encoding="utf-8")
    assert "annual_target: null   # 待填：年度任务数" in text
    assert "contacts: []   # 待填：" in text
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.lstrip().startswith("- name:") and line.startswith("      "):
            assert lines[index - 2].lstrip().startswith("# ") and "链接见" in lines[index - 2]
            assert "类别" in lines[index - 1] and "周期" in lines[index - 1]
        elif line.startswith("  - name:"):
            assert "分组" in lines[index - 1]
    # The evidence of 青石镇's list, drawn by a script from the portal's JSON API.
    assert "青石镇" in text and "由脚本从 JSON 接口" in text and "无需浏览器" in text
    assert "        list:\n          style: jsonapi\n" in text


def test_draft_passes_config_check_as_it_is(discovered, tmp_path: Path) -> None:
    _base_url, draft, _document, _stderr, _log = discovered
    done = subprocess.run([sys.executable, "-m", "monitor", "--config", str(draft), "config",
                           "check", "--json"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["units"] == 12 and summary["columns"] == 50
    assert summary["groups"] == {"县直单位": 7, "乡镇": 5}
    assert summary["browser_columns"] == 0  # the script-drawn list is read through its API


def test_discover_reports_known_columns_additions_and_missing_ones(
        sample_portal: Portal, tmp_path: Path) -> None:
    with serve_portal(sample_portal) as running:
        document = portal_config(running.portal, running.base_url)
        dropped = document["units"][0]["columns"].pop(0)  # the portal grew a column
        gone = {"name": "旧栏目", "url": running.base_url + "/old/lm/", "category": "notice"}
        document["units"][1]["columns"].append(gone)
        existing = tmp_path / "existing.yaml"
        existing.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        done = _discover(running.base_url + "/", "--config", str(existing), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["additions"] == [dropped["url"]]
    assert len(result["known"]) == 49
    assert result["missing"] == [{"unit": "县卫生健康委员会", "column": "旧栏目",
                                  "url": gone["url"]}]
    assert "50个栏目（已配置49个，新发现1个，已配置但未找到1个）" in done.stderr


def test_discover_of_an_unreachable_portal_is_a_one_line_error(tmp_path: Path) -> None:
    with serve_portal(generate_portal(1)) as running:
        url = running.hosts.refused + "/"
    done = _discover(url, "--max-pages", "5")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith(
        f"错误：无法读取首页 {url}（")
    assert done.stdout == ""


def test_crawl_with_the_draft_records_the_same_posts_as_the_hand_written_config(
        discovered, crawled, crawl_workspace, sample_portal: Portal, tmp_path: Path) -> None:
    _base_url, draft, _document, _stderr, _log = discovered
    with serve_portal(sample_portal) as running:
        workspace = crawl_workspace(running, tmp_path)
        # The draft, at the address this portal now answers on, with the same crawl
        # settings as the hand-written config (an office edits these).
        text = draft.read_text(encoding="utf-8").replace(_base_url, running.base_url)
        document = yaml.safe_load(text)
        document["crawl"] = portal_config(sample_portal, running.base_url)["crawl"]
        workspace.config.write_text(yaml.safe_dump(document, allow_unicode=True),
                                    encoding="utf-8")
        workspace.crawl(sample_portal.default_now)
        ours = workspace.live_posts()
    theirs = crawled.live_posts()
    port_of = crawled.running.base_url

    def path_only(posts: dict, base: str) -> dict:
        return {url.replace(base, ""): value for url, value in posts.items()}

    assert path_only(ours, running.base_url) == path_only(theirs, port_of)
    assert len(ours) > 900


@pytest.mark.slow
def test_discover_finds_every_column_of_the_large_sample_portal(tmp_path: Path) -> None:
    portal = generate_portal(1, large=True)
    with serve_portal(portal) as running:
        done = _discover(running.base_url + "/", "--config",
                         str(_fast_config(running, tmp_path)), "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    document = json.loads(done.stdout)
    _assert_draft_matches(document, portal, running.base_url)
    assert len(document["known"]) == 1000 and document["additions"] == []
