"""Link checks become problems: `monitor crawl` against the sample portal, compared with the
portal's truth for every trap target (SPEC §4.5, §4.7).

One crawl serves the module, at the portal's default now (2024-05-10 09:00).
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from monitor.crawlfacts.urls import normalize_url
from monitor.domain import LinkStatus
from monitor.problem_details import detail_text
from sampleportal import Truth
from sampleportal.truth import LinkTruth

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# The truth's words for a failure → the checker's stored reason.
STORED_REASONS = {
    "HTTP 404": "http_404",
    "redirect to HTTP 404": "http_404",
    "not an image": "not_image",
    "empty image": "empty",
    "redirect loop": "redirect_loop",
    "soft 404": "soft404",
    "connection refused": "refused",
    "WAF challenge (412)": "waf_challenge",
}
PROBLEM_TYPES = {"a": "broken_link", "img": "dead_image", "attachment": "broken_attachment"}


def targets(workspace) -> dict[str, tuple[str, str | None]]:
    return {url: (status, reason) for url, status, reason in workspace.query(
        "SELECT url, status, reason FROM link_target")}


def carrying_pages(workspace, url: str) -> set[str]:
    return {page for (page,) in workspace.query(
        "SELECT page.url FROM link_ref JOIN page ON page.id = link_ref.page_id "
        "JOIN link_target ON link_target.id = link_ref.target_id "
        "WHERE link_target.url = ? AND page.is_home = 0", url)}


def link_problems(workspace, url: str) -> list[tuple]:
    return workspace.query(
        "SELECT type, unit_id, column_id, url, detail, state FROM problem "
        "WHERE target = ? AND type IN ('broken_link', 'dead_image', 'broken_attachment', "
        "'blocked')", url)


def unit_of_page(workspace, page: str) -> int:
    (unit_id,), = workspace.query(
        "SELECT portal_column.unit_id FROM page JOIN post ON post.id = page.post_id "
        "JOIN portal_column ON portal_column.id = post.column_id WHERE page.url = ?", page)
    return unit_id


def truth_links(truth: Truth, running) -> list[LinkTruth]:
    """The truth's links as the monitor writes URLs (percent-encoded paths)."""
    return [replace(link, url=as_stored(link.url),
                    sources=tuple(as_stored(page) for page in link.sources))
            for link in truth.links(running.hosts)]


def as_stored(url: str) -> str:
    return normalize_url(url, url) or url if url.startswith("http") else url


def checked_truth(truth: Truth, running) -> list[LinkTruth]:
    return [link for link in truth_links(truth, running)
            if link.status in (LinkStatus.BROKEN, LinkStatus.BLOCKED, LinkStatus.OK)]


def test_every_trap_target_has_the_truths_status_and_reason(crawled, sample_truth: Truth):
    stored = targets(crawled)
    for link in checked_truth(sample_truth, crawled.running):
        status, reason = stored[link.url]
        assert status == link.status.value, (link.url, link.reason, status, reason)
        if link.status is not LinkStatus.OK:
            assert reason == STORED_REASONS[link.reason], (link.url, reason)


def test_links_that_are_never_checked_make_no_target_and_no_problem(
        crawled, sample_truth: Truth):
    stored = targets(crawled)
    for link in truth_links(sample_truth, crawled.running):
        if link.status is LinkStatus.UNCHECKED:
            assert stored.get(link.url, ("unchecked", None))[0] == "unchecked", link.url
            assert crawled.query("SELECT id FROM problem WHERE target = ?", link.url) == []


def test_each_broken_or_blocked_target_is_one_problem_on_a_page_that_carries_it(
        crawled, sample_truth: Truth):
    for link in truth_links(sample_truth, crawled.running):
        if link.status not in (LinkStatus.BROKEN, LinkStatus.BLOCKED) or link.site_wide:
            continue
        assert carrying_pages(crawled, link.url) == set(link.sources), link.url
        [(kind, unit_id, column_id, page, detail, state)] = link_problems(crawled, link.url)
        expected = ("blocked" if link.status is LinkStatus.BLOCKED
                    else PROBLEM_TYPES[link.kind.value])
        assert (kind, state) == (expected, "open"), link.url
        assert page in link.sources and unit_id == unit_of_page(crawled, page)
        assert column_id is not None


def test_problem_details_name_the_reason_and_never_call_blocked_broken(
        crawled, sample_truth: Truth):
    details = {}
    for link in truth_links(sample_truth, crawled.running):
        if link.status in (LinkStatus.BROKEN, LinkStatus.BLOCKED):
            [(kind, _, _, _, detail, _)] = link_problems(crawled, link.url)
            details[link.reason] = detail_text(kind, detail)
    # Several traps share a reason; a page count may follow ("；共2个页面").
    assert details["HTTP 404"].startswith("页面不存在（HTTP 404）")
    assert details["soft 404"].startswith("页面显示为不存在")
    assert details["redirect loop"].startswith("循环跳转")
    assert details["not an image"].startswith("不是图片")
    assert details["empty image"].startswith("空文件")
    assert details["connection refused"].startswith("拒绝连接")
    assert details["redirect to HTTP 404"].startswith("页面不存在（HTTP 404，经2次跳转）")
    blocked = details["WAF challenge (412)"]
    assert blocked.startswith("无法核实") and "412" in blocked


def test_the_site_wide_footer_link_is_one_problem_without_unit(crawled, sample_truth: Truth):
    [footer] = [link for link in truth_links(sample_truth, crawled.running)
                if link.site_wide and link.status is LinkStatus.BROKEN]
    pages = crawled.query("SELECT count(*) FROM link_ref JOIN link_target "
                          "ON link_target.id = link_ref.target_id WHERE link_target.url = ?",
                          footer.url)[0][0]
    assert pages > 10
    [(kind, unit_id, column_id, _, detail, state)] = link_problems(crawled, footer.url)
    assert (kind, unit_id, column_id, state) == ("broken_link", None, None, "open")
    assert detail_text(kind, detail) == \
        f"页面不存在（HTTP 404）；全站链接（位于首页，共{pages}个页面）"


def test_no_working_target_is_a_problem(crawled, sample_truth: Truth):
    for link in truth_links(sample_truth, crawled.running):
        if link.status is LinkStatus.OK:
            assert link_problems(crawled, link.url) == [], link.url
    truth_bad = {link.url for link in truth_links(sample_truth, crawled.running)
                 if link.status in (LinkStatus.BROKEN, LinkStatus.BLOCKED)}
    stored_bad = {url for (url,) in crawled.query(
        "SELECT target FROM problem WHERE type IN ('broken_link', 'dead_image', "
        "'broken_attachment', 'blocked')")}
    assert stored_bad == truth_bad


def test_problems_list_and_unit_check_show_the_link_problems(crawled, sample_truth: Truth):
    listed = json.loads(crawled.monitor("problems", "list", "--json"))
    by_target = {row["target"]: row for row in listed if row["target"]}
    broken = [link for link in truth_links(sample_truth, crawled.running)
              if link.status is LinkStatus.BROKEN and not link.site_wide]
    for link in broken:
        assert by_target[link.url]["state"] == "open"
    link = broken[0]
    unit = by_target[link.url]["unit"]
    checked = json.loads(crawled.monitor("check", "--unit", unit, "--no-crawl", "--json"))
    shown = {(row["type"], row["target"]) for row in checked["problems"]}
    assert (PROBLEM_TYPES[link.kind.value], link.url) in shown


def test_export_links_carries_status_reason_and_every_source_page(
        crawled, sample_truth: Truth):
    exported = {row["url"]: row for row in json.loads(
        crawled.monitor("export", "links", "--format", "json"))}
    # The portal's footer also carries the external home page: the truth lists only the
    # articles that carry a target, so targets of the home page may have more sources.
    on_home = {url for (url,) in crawled.query("SELECT url FROM link_target WHERE on_home")}
    for link in checked_truth(sample_truth, crawled.running):
        row = exported[link.url]
        assert row["status"] == link.status.value and row["hidden"] is link.hidden, link.url
        if link.url in on_home:
            assert set(link.sources) <= set(row["sources"]), link.url
        else:
            assert set(row["sources"]) == set(link.sources), link.url
