"""The link-checker benchmark's pure parts: reading each peer's output, and judging
verdicts against the sample portal's traps. No peer needs to be installed."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

from sampleportal import generate_portal
from sampleportal.model import Hosts
from sampleportal.traps import TRAPS_BY_KEY

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "bench_linkcheck.py"
HOSTS = Hosts("http://127.0.0.1:8000", "http://127.0.0.1:8001", "http://127.0.0.1:8002")
PAGE = "http://127.0.0.1:8000/art/2024/5/6/art_1023_901390.html"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_linkcheck", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def trap(key: str) -> str:
    return TRAPS_BY_KEY[key].url(HOSTS)


LINKCHECKER_CSV = f"""\
# created by LinkChecker at 2026-11-23 11:41:54+000
urlname;parentname;base;result;warningstring;infostring;valid;url;line;column;name;dltime;size;checktime;cached;level;modified
{PAGE};;;200 OK;;;True;{PAGE};;0.0;2425;0.01;0;0;
mailto:zwgk@example.gov.cn;{PAGE};;filtered;;outside of the domain filter;True;mailto:zwgk@example.gov.cn;29;99;联系我们;-1;-1;0.0;0;1;
/jiucuo/index.html;{PAGE};;404 Not Found;;;False;http://127.0.0.1:8000/jiucuo/index.html;29;59;网站纠错;-1;168;3.9;0;1;
# created by LinkChecker at 2026-11-23 11:41:54+000
urlname;parentname;base;result;warningstring;infostring;valid;url;line;column;name;dltime;size;checktime;cached;level;modified
/zwgk/move/a.html;{PAGE};;404 Not Found;;;False;http://127.0.0.1:8000/zwgk/move/gone.html;30;1;原栏目;-1;-1;0.1;0;1;
/xxgk/政策解读/解读材料.html;{PAGE};;200 OK;;;True;http://127.0.0.1:8000/xxgk/%E6%94%BF%E7%AD%96%E8%A7%A3%E8%AF%BB/%E8%A7%A3%E8%AF%BB%E6%9D%90%E6%96%99.html;31;1;解读材料;-1;-1;0.1;0;1;
# Stopped checking at 2026-11-23 11:41:57+000 (3 seconds)
"""


def test_linkchecker_rows_are_read_as_the_links_written_on_the_page(bench) -> None:
    verdicts = bench.parse_linkchecker_csv(LINKCHECKER_CSV)
    assert verdicts == {
        PAGE: "ok",
        "mailto:zwgk@example.gov.cn": "skipped",
        "http://127.0.0.1:8000/jiucuo/index.html": "broken",
        # The redirecting link, not the page its redirects end on.
        "http://127.0.0.1:8000/zwgk/move/a.html": "broken",
        "http://127.0.0.1:8000/xxgk/政策解读/解读材料.html": "ok",
    }


def test_a_url_reported_from_several_pages_keeps_its_worst_verdict(bench) -> None:
    links = [{"url": PAGE, "status": 200, "state": "OK"},
             {"url": trap("footer_broken"), "status": 404, "state": "BROKEN", "parent": PAGE},
             {"url": trap("footer_broken"), "status": 200, "state": "OK", "parent": PAGE},
             {"url": "mailto:zwgk@example.gov.cn", "state": "SKIPPED", "parent": PAGE}]
    verdicts = bench.parse_linkinator_json(json.dumps({"links": links, "passed": False}))
    assert verdicts == {PAGE: "ok", trap("footer_broken"): "broken",
                        "mailto:zwgk@example.gov.cn": "skipped"}
    assert bench.checked_count(verdicts) == 2


def test_spellings_of_one_target_are_one_url(bench) -> None:
    assert bench.canonical("http://h/xxgk/%E8%A7%A3%E8%AF%BB.html#top") == "http://h/xxgk/解读.html"


def correct_verdicts(bench) -> dict[str, str]:
    verdicts = {}
    for item in bench.expected_traps(HOSTS):
        if item.status in ("ok", "broken", "blocked"):
            verdicts[item.url] = item.status
    return verdicts


def test_correct_verdicts_score_nothing(bench) -> None:
    score = bench.judge(correct_verdicts(bench), bench.expected_traps(HOSTS))
    assert (score.false_positives, score.false_negatives) == ([], [])
    assert score.trap_verdicts["waf"] == "blocked" and score.trap_verdicts["mailto"] == ""


def test_a_blocked_or_working_target_called_broken_is_a_false_positive(bench) -> None:
    verdicts = correct_verdicts(bench) | {trap("waf"): "broken", PAGE: "broken",
                                          trap("mailto"): "broken"}
    score = bench.judge(verdicts, bench.expected_traps(HOSTS))
    assert score.false_positives == sorted([trap("waf"), PAGE, trap("mailto")])
    assert score.false_negatives == []


def test_a_broken_target_called_ok_or_never_reported_is_a_false_negative(bench) -> None:
    verdicts = correct_verdicts(bench) | {trap("soft_404"): "ok"}
    del verdicts[trap("refused")]
    score = bench.judge(verdicts, bench.expected_traps(HOSTS))
    assert score.false_negatives == sorted([trap("soft_404"), trap("refused")])
    assert score.trap_verdicts["refused"] == ""


def test_fragment_links_are_not_judged(bench) -> None:
    keys = {item.key for item in bench.expected_traps(HOSTS)}
    assert "fragment" not in keys
    assert {"footer_broken", "sitemap", "waf", "mailto"} <= keys


def test_the_link_check_phase_starts_after_the_last_page_read(bench) -> None:
    home, article, image = "http://h/", "http://h/a.html", "http://h/i.png"
    requests = [(1.0, home), (2.0, article), (3.0, "http://h/list_2.htm"), (4.0, article),
                (5.0, image), (6.0, home)]
    phases = bench.phases(requests, pages={home, article}, targets={home, image},
                          started=0.5, last_answer=6.5, ended=8.0)
    assert phases == bench.Phases(start_up=0.5, columns=4.0, link_check=1.5, after=1.5,
                                  first_pass=1.0, first_pass_targets=2)


def test_the_first_pass_ends_when_the_last_target_is_first_asked_not_at_its_confirmation(
        bench) -> None:
    article, broken, image = "http://h/a.html", "http://h/gone.html", "http://h/i.png"
    requests = [(1.0, article), (2.0, broken), (2.5, image), (5.0, broken)]
    phases = bench.phases(requests, pages={article}, targets={broken, image},
                          started=0.0, last_answer=5.1, ended=6.0)
    assert (phases.link_check, phases.first_pass, phases.first_pass_targets) == \
        pytest.approx((3.1, 0.5, 2))


def result(bench, tool: str, seconds: float, urls: int, rss: float, phases=None,
           link_targets: int = 0):
    return bench.ToolResult(tool, "1", "", seconds, urls, rss, urls, 8, bench.Score([], [], {}),
                            phases=phases, link_targets=link_targets)


def test_portal_monitor_is_compared_with_capped_linkinator_of_the_same_run(bench) -> None:
    phases = bench.Phases(1.0, 2.0, 2.0, 0.5, first_pass=0.5, first_pass_targets=1000)
    ours = result(bench, "portal-monitor", 5.0, 3000, 150.0, phases, link_targets=1200)
    results = [ours, result(bench, "linkinator", 2.0, 2000, 500.0),
               result(bench, "linkinator (capped)", 4.0, 2000, 200.0)]
    ratios = {ratio.what.strip(): (round(ratio.times, 2), ratio.met)
              for ratio in bench.comparison(results)}
    assert ratios == {
        "whole run, URLs/s": (1.2, False),  # 600 against 500
        "link-check phase, URLs/s": (1.2, False),  # 600 against 500
        "its first pass (every target asked once), URLs/s": (4.0, True),
        "peak RSS, MiB": (0.75, True),
    }
    assert bench.comparison(results[:2]) == []


def test_wrk_report_gives_the_request_rate(bench) -> None:
    report = ("Running 5s test @ http://127.0.0.1:1/\n  1 threads and 8 connections\n"
              "  19234 requests in 5.00s, 50.1MB read\nRequests/sec:   3846.71\n"
              "Transfer/sec:     10.02MB\n")
    assert bench.wrk_rate(report) == pytest.approx(3846.71)
    assert bench.wrk_rate("unable to connect") is None


def test_the_site_is_every_trap_carrier_and_the_config_names_only_its_columns(bench) -> None:
    portal = generate_portal(1)
    site = bench.BenchSite.choose(portal, extra=2)
    carriers = {(unit.slug, column.slug) for unit in portal.units for column in unit.columns
                if any(post.trap_keys for post in column.posts)}
    chosen = [(unit.slug, column.slug) for unit, column in site.columns]
    assert set(chosen[:len(carriers)]) == carriers and len(chosen) == len(carriers) + 2
    config = site.config("http://127.0.0.1:9000", concurrency=5)
    urls = {column["url"] for unit in config["units"] for column in unit["columns"]}
    assert urls == {"http://127.0.0.1:9000" + column.list_path for _, column in site.columns}
    assert config["crawl"]["concurrency_per_host"] == 5
    assert config["crawl"]["browser"] == "off"


def test_of_repeated_runs_the_fastest_is_shown_with_every_run_noted(bench) -> None:
    def run(seconds: float, false_alarms: int):
        score = bench.Score([f"http://h/{n}" for n in range(false_alarms)], [], {})
        return bench.ToolResult("linkinator", "7.6.1", "--concurrency 8", seconds, 100, 200.0,
                                120, 9, score)

    best = bench.fastest([run(9.0, 2), run(6.0, 5), run(7.5, 2)])
    assert best.seconds == 6.0
    assert best.notes == ["runs: 9.0 s (2 false +, 0 false -), 6.0 s (5 false +, 0 false -), "
                          "7.5 s (2 false +, 0 false -)"]


def test_a_process_tree_is_the_root_and_everything_below_it(bench) -> None:
    parents = {1: 0, 10: 1, 11: 10, 12: 10, 13: 12, 20: 1, 21: 20}
    assert bench.descendants(parents, 10) == {10, 11, 12, 13}
    assert bench.descendants(parents, 13) == {13}


def test_the_benchmark_process_tree_holds_at_least_this_process(bench) -> None:
    assert bench.tree_rss_kib(os.getpid()) > 1000


def test_the_checker_alone_meets_the_crawls_targets_on_the_fresh_servers_ports(bench) -> None:
    fresh = Hosts("http://127.0.0.1:9100", "http://127.0.0.1:9101", "http://127.0.0.1:9102")
    assert bench.moved(trap("footer_broken"), HOSTS, fresh) == trap("footer_broken").replace(
        HOSTS.site, fresh.site)
    assert bench.moved(trap("external_ok"), HOSTS, fresh).startswith(fresh.external + "/")
    assert bench.moved(trap("refused"), HOSTS, fresh).startswith(fresh.refused + "/")
    # A port that merely starts like the site's is another host.
    assert bench.moved("http://127.0.0.1:80001/a", Hosts("http://127.0.0.1:8000", "", ""),
                       fresh) == "http://127.0.0.1:80001/a"


def test_the_checker_alone_is_compared_too(bench) -> None:
    results = [result(bench, "portal-monitor", 5.0, 3000, 150.0),
               result(bench, bench.CHECKER_ALONE, 1.0, 1500, 90.0),
               result(bench, "linkinator (capped)", 4.0, 2000, 200.0)]
    ratios = [(ratio.what, round(ratio.times, 2)) for ratio in bench.comparison(results)]
    assert ratios == [("whole run, URLs/s", 1.2),
                      ("link checker alone, own process, URLs/s", 3.0),
                      ("peak RSS, MiB", 0.75)]
