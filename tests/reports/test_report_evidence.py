"""The 月报's problem list cites each problem's evidence folder (截图取证) when it has one."""

from __future__ import annotations

from datetime import date

from monitor.domain import ProblemType
from reports.model import ReportProblem
from reports.wording import problem_links

PROBLEM = ReportProblem(type=ProblemType.DEAD_IMAGE, unit="县水利局", seen_on=date(2024, 4, 29),
                        column="工作动态", url="http://127.0.0.1:8000/slj/a.html",
                        target="http://127.0.0.1:8000/missing.png", detail="HTTP 404")


def test_a_captured_problem_cites_its_evidence_folder() -> None:
    folder = "var/evidence/ab/abcdef"
    cited = ReportProblem(**{**PROBLEM.__dict__, "evidence": folder})
    assert problem_links(cited) == (
        ("页面", "http://127.0.0.1:8000/slj/a.html"),
        ("链接", "http://127.0.0.1:8000/missing.png"),
        ("截图取证", folder),
    )


def test_a_problem_without_evidence_cites_only_its_page_and_link() -> None:
    assert [label for label, _ in problem_links(PROBLEM)] == ["页面", "链接"]
