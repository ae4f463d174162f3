"""The portal down for a night (SPEC §4.5): the sample portal crawled, stopped, crawled
while nothing answers, then served again and crawled once more.

Nobody is accused for the night the portal did not answer: no problem is opened, moved
or fixed but the one `site_unreachable`; every column is `unreachable` with its last
known posts; `monitor crawl` exits 1 saying so. The next good night fixes it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from monitor.domain import ProblemType
from monitor.problem_types import kind_of
from sampleportal import serve_portal
from sampleportal.model import Portal

# Several crawls in one module fixture: slow on a loaded machine.
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(1800)]

# How the command line names the open problem (in the office's language, the default).
SITE_UNREACHABLE = kind_of(ProblemType.SITE_UNREACHABLE).alert_label


def problem_states(workspace) -> dict[tuple[str, str], tuple]:
    return {(kind, key): (state, detail, last_seen, fixed_at) for kind, key, state, detail,
            last_seen, fixed_at in workspace.query(
                "SELECT type, key, state, detail, last_seen, fixed_at FROM problem")}


def run_monitor(workspace, now, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", *args], env=workspace.env(now),
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def outage(sample_portal: Portal, tmp_path_factory: pytest.TempPathFactory, crawl_workspace):
    first = sample_portal.default_now - timedelta(days=2)
    night = first + timedelta(days=1)
    after = night + timedelta(days=1)
    running = serve_portal(sample_portal, now=first)
    workspace = crawl_workspace(running, tmp_path_factory.mktemp("outage"))
    workspace.crawl(first)
    before = problem_states(workspace)
    broken_before = workspace.query("SELECT url FROM link_target WHERE status IN "
                                    "('broken', 'blocked')")
    ports = running.hosts
    running.stop()
    down = run_monitor(workspace, night, "crawl", "--json")
    during = problem_states(workspace)
    unchecked = workspace.query("SELECT url FROM link_target WHERE status = 'unchecked' "
                                "AND reason = 'host_not_answering'")
    check = run_monitor(workspace, night, "check", "--unit", sample_portal.units[0].name,
                        "--no-crawl", "--json")
    stats = run_monitor(workspace, night, "stats", "--json")
    unit_check = run_monitor(workspace, night + timedelta(hours=1), "check", "--unit",
                             sample_portal.units[0].name, "--json")
    after_unit_check = problem_states(workspace)
    told = what_the_office_is_told(workspace, night, tmp_path_factory.mktemp("told"))
    site_port = int(ports.site.rsplit(":", 1)[1])
    external_port = int(ports.external.rsplit(":", 1)[1])
    with serve_portal(sample_portal, port=site_port, external_port=external_port,
                      now=after) as again:
        workspace.running = again
        back = run_monitor(workspace, after, "crawl", "--json")
        yield {"workspace": workspace, "before": before, "down": down, "during": during,
               "check": check, "stats": stats, "unit_check": unit_check,
               "after_unit_check": after_unit_check, "unchecked": unchecked,
               "broken_before": broken_before, "told": told, "night": night, "back": back,
               "after": problem_states(workspace)}


def what_the_office_is_told(workspace, now, directory: Path) -> dict[str, object]:
    """The weekly alerts (a dry run, with an e-mail section added to the config) and the
    month's report, the morning after the night the portal did not answer."""
    config = workspace.config_with_mail(directory)
    mail = directory / "alerts"
    alerts = run_monitor(workspace, now, "alerts", "weekly", "--dry-run", "--out", str(mail),
                         "--config", str(config))
    report = run_monitor(workspace, now, "report", "monthly", "--month", f"{now:%Y-%m}",
                         "--format", "md", "--out", str(directory / "report"))
    messages = {path.name: message_from_bytes(path.read_bytes(), policy=default)
                for path in sorted(mail.glob("*.eml"))}
    texts = {name: message.get_body(preferencelist=("plain",)).get_content()
             for name, message in messages.items()}
    markdown = "".join(path.read_text(encoding="utf-8")
                       for path in sorted((directory / "report").glob("*.md")))
    return {"alerts": alerts, "texts": texts, "report": report, "markdown": markdown}


def test_the_crawl_without_an_answer_exits_1_saying_the_portal_did_not_answer(outage) -> None:
    down = outage["down"]
    assert down.returncode == 1
    assert down.stderr.strip().splitlines()[-1].startswith(
        "错误：网站本次没有响应（首页：refused；")
    summary = json.loads(down.stdout)
    assert summary["portal_answered"] is False
    assert summary["columns_ok"] == 0


def test_the_night_without_an_answer_accuses_nobody(outage) -> None:
    before, during = outage["before"], outage["during"]
    opened = {key: value for key, value in during.items() if key not in before}
    assert [key[0] for key in opened] == ["site_unreachable"]
    # Facts about stored posts (undated, back-dated) are seen again; nothing else moves.
    moved = {key for key in before if during[key] != before[key]}
    assert {key[0] for key in moved} <= {"undated_post", "backdated_post"}
    assert {key: during[key][0:2] for key in before} == \
        {key: value[0:2] for key, value in before.items()}


def test_every_column_is_unreachable_with_its_last_known_posts(outage) -> None:
    check = outage["check"]
    assert check.returncode == 0, check.stderr
    document = json.loads(check.stdout)
    assert {column["status"] for column in document["columns"]} == {"unreachable"}
    assert all(column["posts"] > 0 or column["last_post"] is None
               for column in document["columns"])
    assert all(column["unreachable_reason"].startswith("最近一次抓取时门户网站无应答")
               for column in document["columns"])


def test_the_targets_due_that_night_are_recorded_unchecked(outage) -> None:
    # Broken and blocked targets are due every night: none was requested, none accused.
    assert set(outage["broken_before"]) <= set(outage["unchecked"])


def test_the_next_good_night_fixes_site_unreachable_and_checks_again(outage) -> None:
    back = outage["back"]
    assert back.returncode == 0, back.stderr[-2000:]
    after = outage["after"]
    [(key, value)] = [(k, v) for k, v in after.items() if k[0] == "site_unreachable"]
    assert value[0] == "fixed"
    workspace = outage["workspace"]
    assert workspace.query("SELECT count(*) FROM link_target WHERE reason = "
                           "'host_not_answering'") == [(0,)]
    link_types = {"broken_link", "dead_image", "broken_attachment", "blocked"}
    open_before = {k for k, value in outage["before"].items()
                   if value[0] == "open" and k[0] in link_types}
    assert open_before
    assert {k for k in open_before if after[k][0] == "open"} == open_before


def test_checking_one_unit_while_the_portal_is_down_accuses_no_other_unit(outage) -> None:
    unit_check = outage["unit_check"]
    assert unit_check.returncode == 0, unit_check.stderr
    assert "警告：网站没有响应" in unit_check.stderr
    during, after = outage["during"], outage["after_unit_check"]
    assert set(after) == set(during)
    accusing = [key for key in during if key[0] != "site_unreachable"]
    assert {key: after[key][0:2] for key in accusing} == \
        {key: during[key][0:2] for key in accusing}


@pytest.fixture(scope="module")
def files_down(sample_portal: Portal, tmp_path_factory: pytest.TempPathFactory,
               crawl_workspace):
    """The portal's attachment server refuses everything on the first night, answers the
    next."""
    night = sample_portal.default_now - timedelta(days=1)
    with serve_portal(sample_portal, now=night, files_host=True) as running:
        workspace = crawl_workspace(running, tmp_path_factory.mktemp("files"))
        running.stop_files()
        down = run_monitor(workspace, night, "crawl", "--json")
        during = problem_states(workspace)
        attachments = workspace.query(
            "SELECT status, reason, count(*) FROM link_target WHERE kind = 'attachment' "
            "AND url LIKE ? GROUP BY status, reason", running.hosts.files + "/%")
        running.start_files()
        running.set_now(sample_portal.default_now)
        back = run_monitor(workspace, sample_portal.default_now, "crawl", "--json")
        yield {"hosts": running.hosts, "down": down, "during": during,
               "attachments": attachments, "back": back, "after": problem_states(workspace)}


def test_an_attachment_host_refusing_everything_accuses_nobody(files_down) -> None:
    down, files = files_down["down"], files_down["hosts"].files
    assert down.returncode == 1
    assert down.stderr.strip().splitlines()[-1] == (
        f"错误：网站的主机{files}本次没有响应：其链接未检查，已记录问题“{SITE_UNREACHABLE}”")
    [(status, reason, count)] = files_down["attachments"]
    assert (status, reason) == ("unchecked", "host_not_answering") and count >= 3
    during = files_down["during"]
    assert not [key for key in during if key[1].startswith(files)]
    assert [key for key in during if key[0] == "site_unreachable"] == \
        [("site_unreachable", f"crawl {files}")]
    summary = json.loads(down.stdout)
    assert (summary["columns_failed"], summary["portal_answered"]) == (0, True)


def test_the_attachment_host_answering_again_fixes_site_unreachable(files_down) -> None:
    back = files_down["back"]
    assert back.returncode == 0, back.stderr[-2000:]
    after = files_down["after"]
    assert after[("site_unreachable", f"crawl {files_down['hosts'].files}")][0] == "fixed"
    assert not [key for key in after if key[1].startswith(files_down["hosts"].files)]


def test_the_office_digest_says_the_nights_crawl_failed(outage) -> None:
    told = outage["told"]
    assert told["alerts"].returncode == 0, told["alerts"].stderr
    digests = [text for name, text in told["texts"].items() if "办公室汇总" in name]
    assert digests, sorted(told["texts"])
    assert "采集未完成" in digests[0]
    assert "0个栏目读取成功" in digests[0]


def test_no_unit_is_told_of_a_problem_found_on_the_night_nobody_answered(outage) -> None:
    night = outage["night"]
    found_that_night = f"发现日期：{night.year}年{night.month}月{night.day}日"
    told = [name for name, text in outage["told"]["texts"].items()
            if "办公室汇总" not in name and found_that_night in text]
    assert told == []


def test_the_months_report_says_the_portal_could_not_be_read(outage) -> None:
    told = outage["told"]
    assert told["report"].returncode == 0, told["report"].stderr
    assert "网站无法访问" in told["markdown"]
