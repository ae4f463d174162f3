"""Content checks at article time: `monitor crawl` against the sample portal finds its
privacy leak (masked, never in full) and its hidden off-site link, and nothing else of
the kind (SPEC §4.7 privacy_leak, hidden_link).

One crawl serves the module, at the portal's default now (2024-05-10 09:00).
"""

from __future__ import annotations

import json

import pytest

from monitor.content.privacy import mask_id, mask_mobile
from monitor.problem_details import detail_text
from sampleportal import Truth
from sampleportal.traps import INVALID_ID, MOBILE, VALID_ID

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def content_problems(workspace, problem_type: str) -> list[tuple]:
    return workspace.query(
        "SELECT url, target, detail, unit_id, column_id, state FROM problem WHERE type = ?",
        problem_type)


def test_the_valid_id_and_the_mobile_are_found_masked_on_the_truths_page(
        crawled, sample_truth: Truth):
    leaks = sample_truth.privacy_leaks(crawled.running.hosts)
    pages = {leak.page for leak in leaks}
    found = content_problems(crawled, "privacy_leak")
    assert {url for url, *_ in found} == pages
    assert {target for _, target, *_ in found} == {mask_id(VALID_ID), mask_mobile(MOBILE)}
    for _, target, detail, unit_id, column_id, state in found:
        assert target in detail and state == "open"
        assert unit_id is not None and column_id is not None


def test_the_invalid_id_is_not_a_leak(crawled):
    # Same digits but a wrong check character: reported neither on its own nor merged
    # with the valid one under a shared mask.
    assert mask_id(INVALID_ID) != mask_id(VALID_ID)
    found = content_problems(crawled, "privacy_leak")
    assert len(found) == 2
    assert mask_id(INVALID_ID) not in {target for _, target, *_ in found}
    assert not any("共" in detail for _, _, detail, *_ in found)


def test_no_full_personal_number_is_stored_or_printed(crawled):
    stored = crawled.db_path.read_bytes()
    outputs = [
        crawled.monitor("problems", "list", "--json"),
        crawled.monitor("export", "problems", "--format", "json"),
        crawled.monitor("export", "problems", "--format", "csv"),
        crawled.monitor("problems", "list"),
    ]
    for number in (VALID_ID, MOBILE):
        assert number.encode("ascii") not in stored
        for output in outputs:
            assert number not in output


def test_the_hidden_offsite_link_is_one_problem_and_its_reference_is_hidden(
        crawled, sample_truth: Truth):
    (hidden,) = sample_truth.hidden_links(crawled.running.hosts)
    [(url, target, detail, unit_id, _, state)] = content_problems(crawled, "hidden_link")
    assert (url, target, state) == (hidden.sources[0], hidden.url, "open")
    assert "外层元素设为不显示，由行内样式设置" in detail_text("hidden_link", detail)
    assert unit_id is not None
    refs = crawled.query(
        "SELECT link_ref.hidden FROM link_ref JOIN link_target "
        "ON link_target.id = link_ref.target_id WHERE link_target.url = ?", hidden.url)
    assert refs == [(1,)]
    assert crawled.query("SELECT count(*) FROM link_ref WHERE hidden = 1") == [(1,)]


def test_problems_list_check_and_export_show_the_content_problems(
        crawled, sample_truth: Truth):
    listed = json.loads(crawled.monitor("problems", "list", "--json"))
    leak_rows = [row for row in listed if row["type"] == "privacy_leak"]
    assert {row["target"] for row in leak_rows} == {mask_id(VALID_ID), mask_mobile(MOBILE)}
    unit = leak_rows[0]["unit"]
    checked = json.loads(crawled.monitor("check", "--unit", unit, "--no-crawl",
                                        "--json"))
    assert {row["target"] for row in checked["problems"] if row["type"] == "privacy_leak"} \
        == {mask_id(VALID_ID), mask_mobile(MOBILE)}
    (hidden,) = sample_truth.hidden_links(crawled.running.hosts)
    exported = {row["url"]: row for row in json.loads(
        crawled.monitor("export", "links", "--format", "json"))}
    assert exported[hidden.url]["hidden"] is True
    assert exported[hidden.url]["sources"] == [hidden.sources[0]]
    assert sum(row["hidden"] for row in exported.values()) == 1
