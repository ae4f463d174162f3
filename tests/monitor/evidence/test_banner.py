"""The banner drawn on screenshots: verdict, unit, page, target and Shanghai time, in Chinese."""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.domain import ProblemType
from monitor.evidence import ACCUSING_TYPES
from monitor.evidence.banner import EvidenceSubject, banner_lines, local_time_text
from monitor.problem_types import kind_of


def subject(problem_type: ProblemType, **fields: object) -> EvidenceSubject:
    values: dict = {"problem_id": 7, "type": problem_type, "unit": "县水利局",
                    "column": "工作动态", "url": "http://127.0.0.1:8000/slj/a.html",
                    "target": "http://127.0.0.1:8000/missing.png", "detail": "HTTP 404"}
    return EvidenceSubject(**(values | fields))


def test_the_accusing_types_are_those_a_visitor_can_see_on_a_page() -> None:
    assert ACCUSING_TYPES == {
        ProblemType.BROKEN_LINK, ProblemType.DEAD_IMAGE, ProblemType.BROKEN_ATTACHMENT,
        ProblemType.PRIVACY_LEAK, ProblemType.HIDDEN_LINK, ProblemType.OVERDUE_COLUMN,
        ProblemType.EMPTY_COLUMN}


def test_the_banner_names_the_catalogues_verdict() -> None:
    lines = banner_lines(subject(ProblemType.DEAD_IMAGE), "瑞河县人民政府",
                         datetime(2024, 5, 6, 2, tzinfo=UTC), "0.1.0")
    assert lines[0] == f"监测取证　{kind_of(ProblemType.DEAD_IMAGE).evidence_verdict}"


def test_the_time_is_shown_in_shanghai() -> None:
    assert local_time_text(datetime(2024, 5, 10, 1, 0, tzinfo=UTC)) == (
        "2024年05月10日 09:00:00（北京时间）")


def test_banner_names_verdict_unit_column_page_target_and_time() -> None:
    lines = banner_lines(subject(ProblemType.DEAD_IMAGE), "瑞河县人民政府门户网站",
                         datetime(2024, 5, 10, 1, 0, tzinfo=UTC), "0.1.0")
    assert lines == (
        "监测取证　图片无法显示",
        "问题：HTTP 404",
        "单位：县水利局　栏目：工作动态",
        "页面：http://127.0.0.1:8000/slj/a.html",
        "目标：http://127.0.0.1:8000/missing.png",
        "截图时间：2024年05月10日 09:00:00（北京时间）　问题编号：7　portal-monitor 0.1.0",
    )


def test_a_site_wide_problem_is_put_on_the_site_and_a_privacy_leak_shows_no_target() -> None:
    lines = banner_lines(subject(ProblemType.PRIVACY_LEAK, unit=None, column=None,
                                 target="138****5678"),
                         "瑞河县人民政府门户网站", datetime(2024, 5, 10, tzinfo=UTC), "0.1.0")
    assert lines[2] == "单位：瑞河县人民政府门户网站"
    assert not any(line.startswith("目标") for line in lines)
