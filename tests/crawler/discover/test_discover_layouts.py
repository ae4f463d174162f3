"""`monitor discover` on the TRS directory and the Hanweb 信息公开 tree of conftest's portal."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

# End-to-end: each `monitor discover` is a subprocess walking the portal (over 1.5 s).
pytestmark = pytest.mark.slow

FixturePortal = Any  # conftest's FixturePortal (test modules cannot import conftest)


def _discover(portal: FixturePortal, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "monitor", "discover", portal.url("/"),
                           "--json", *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def plain(fixture_portal: FixturePortal) -> tuple[dict, list[str]]:
    """The discovery from the home page alone, and the paths it requested."""
    document = _discover(fixture_portal)
    return document, list(fixture_portal.requested)


@pytest.fixture(scope="module")
def with_tree(fixture_portal: FixturePortal) -> dict:
    """The discovery with the Hanweb tree given as another entry."""
    return _discover(fixture_portal, "--also", fixture_portal.url(fixture_portal.hanweb_tree))


def _columns(document: dict) -> dict[str, tuple[str, str, str]]:
    return {column["url"]: (unit["name"], column["name"], column["category"])
            for unit in document["units"] for column in unit["columns"]}


def test_columns_of_the_trs_department_directory_are_found_with_their_units(
        fixture_portal: FixturePortal, plain: tuple[dict, list[str]]) -> None:
    document = plain[0]
    expected = {
        fixture_portal.url(f"/bm/{path}/{slug}/"): (full, name)
        for _short, full, path, columns in fixture_portal.departments for slug, name in columns
    }
    found = {url: (unit, name) for url, (unit, name, _category) in _columns(document).items()}
    assert found == expected
    units = {unit["name"]: unit for unit in document["units"]}
    assert units["安澜县水利局"]["aliases"] == ["水利局"]
    assert units["安澜县发展和改革委员会"]["aliases"] == ["发展和改革委员会"]
    # The directory's own grouping heading is named as the evidence.
    assert units["安澜县水利局"]["group"] == "县直单位"
    assert "县直部门" in units["安澜县水利局"]["evidence"]["group"]


def test_categories_and_cycles_are_guessed_from_the_column_names(
        plain: tuple[dict, list[str]]) -> None:
    document = plain[0]
    guessed = {(unit["name"], column["name"]): (column["category"], column["cycle"],
                                               column["deadline"])
               for unit in document["units"] for column in unit["columns"]}
    assert guessed == {
        ("安澜县水利局", "工作动态"): ("dynamics", "weekly", None),
        ("安澜县水利局", "通知公告"): ("notice", "none", None),
        ("安澜县水利局", "政策解读"): ("policy", "none", None),
        ("安澜县水利局", "年度报告"): ("report", "yearly", "01-31"),
        ("安澜县发展和改革委员会", "机构职能"): ("duties", "none", None),
        ("安澜县发展和改革委员会", "规划计划"): ("disclosure", "none", None),
        ("安澜县发展和改革委员会", "工作动态"): ("dynamics", "weekly", None),
    }


def test_a_list_page_without_a_unit_is_set_aside_not_drafted(
        fixture_portal: FixturePortal, plain: tuple[dict, list[str]]) -> None:
    document = plain[0]
    assert [(column["name"], column["url"]) for column in document["unassigned"]] == [
        ("要闻", fixture_portal.url("/xwzx/yw/"))]


def test_robots_txt_is_obeyed_unless_told_otherwise(
        fixture_portal: FixturePortal, plain: tuple[dict, list[str]]) -> None:
    private = fixture_portal.url(fixture_portal.private_column)
    document, requested = plain
    assert private not in _columns(document)
    assert fixture_portal.private_column not in requested
    assert "/robots.txt" in requested
    assert _columns(_discover(fixture_portal, "--ignore-robots"))[private] == (
        "安澜县水利局", "内部栏目", "disclosure")


def test_columns_of_a_hanweb_tree_given_as_another_entry_are_found(
        fixture_portal: FixturePortal, plain: tuple[dict, list[str]], with_tree: dict) -> None:
    without = _columns(plain[0])
    document = with_tree
    found = _columns(document)
    expected = {
        fixture_portal.url(f"/col/col{column}/index.html"): full_name
        for _name, full_name, _number, columns in fixture_portal.townships for column, _title in columns
    }
    assert {url: found[url][0] for url in expected if url in found} == expected
    assert not set(expected) & set(without)
    units = {unit["name"]: unit for unit in document["units"]}
    assert units["石门镇人民政府"]["aliases"] == ["石门镇"]
    assert units["石门镇人民政府"]["group"] == "乡镇"
    assert units["河口乡人民政府"]["group"] == "乡镇"
    columns = {column["name"]: column for column in units["石门镇人民政府"]["columns"]}
    assert columns["乡镇动态"]["category"] == "dynamics"
    assert columns["政府信息公开年度报告"]["category"] == "report"
    assert "大汉" in columns["通知公告"]["evidence"]["list"]
    # The townships' own pages (a list of all their posts) are units, not columns.
    assert fixture_portal.url("/col/col210/index.html") not in found
