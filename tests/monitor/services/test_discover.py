"""The guesses `monitor discover` makes from names (SPEC §4.1 categories, the office's
default cycles, 县直单位 / 乡镇 groups)."""

from __future__ import annotations

import pytest

from monitor.domain import Category, Cycle
from monitor.services.discover import (
    guess_category,
    guess_cycle,
    guess_group,
    is_unit_name,
    site_name_from_title,
    start_url,
    url_key,
)


@pytest.mark.parametrize(("name", "category"), [
    ("工作动态", Category.DYNAMICS), ("要闻", Category.DYNAMICS), ("乡镇动态", Category.DYNAMICS),
    ("通知公告", Category.NOTICE), ("政策文件", Category.POLICY), ("政策解读", Category.POLICY),
    ("公开指南", Category.GUIDE), ("政府信息公开指南", Category.GUIDE),
    ("机构职能", Category.DUTIES), ("领导信息", Category.DUTIES),
    ("政府信息公开年度报告", Category.REPORT), ("财政资金", Category.DISCLOSURE),
    ("其他信息公开", Category.DISCLOSURE),
])
def test_category_is_guessed_from_the_column_name(name: str, category: Category) -> None:
    assert guess_category(name)[0] is category


def test_cycles_are_the_office_defaults_by_category() -> None:
    assert guess_cycle(Category.DYNAMICS)[:2] == (Cycle.WEEKLY, None)
    assert guess_cycle(Category.REPORT)[:2] == (Cycle.YEARLY, "01-31")
    for category in (Category.NOTICE, Category.POLICY, Category.GUIDE, Category.DUTIES,
                     Category.DISCLOSURE):
        assert guess_cycle(category)[:2] == (Cycle.NONE, None)


@pytest.mark.parametrize(("name", "group"), [
    ("青石镇", "乡镇"), ("白沙乡", "乡镇"), ("城关街道", "乡镇"), ("石门镇人民政府", "乡镇"),
    ("县水利局", "县直单位"), ("县卫生健康委员会", "县直单位"),
])
def test_group_follows_the_name_ending(name: str, group: str) -> None:
    assert guess_group(name, None)[0] == group


def test_the_portals_own_grouping_wins_over_the_name() -> None:
    assert guess_group("县工业园区", "乡镇信息公开")[0] == "乡镇"
    assert guess_group("某某镇", "部门信息公开")[0] == "县直单位"


@pytest.mark.parametrize("text", ["县水利局", "青石镇", "县融媒体中心", "发展和改革委员会", "第3乡镇"])
def test_unit_names_are_recognised(text: str) -> None:
    assert is_unit_name(text)


@pytest.mark.parametrize("text", ["工作动态", "部门信息公开", "乡镇", "新闻中心", "政务公开",
                                  "首页", "县直单位"])
def test_sections_and_groupings_are_not_units(text: str) -> None:
    assert not is_unit_name(text)


def test_site_name_is_the_longest_part_of_the_home_page_title() -> None:
    assert site_name_from_title("首页_瑞河县人民政府门户网站", "x") == "瑞河县人民政府门户网站"
    assert site_name_from_title("", "127.0.0.1:8000") == "127.0.0.1:8000"


def test_column_urls_compare_with_and_without_index_page() -> None:
    assert url_key("http://a.gov.cn/x/") == url_key("http://A.gov.cn/x/index.html")
    assert url_key("http://a.gov.cn/x/") != url_key("http://a.gov.cn/y/")
    assert start_url("http://a.gov.cn") == "http://a.gov.cn/"
