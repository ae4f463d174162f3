"""The 月报's problem table cites each problem's evidence (截图取证) when it has one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from monitor.domain import ProblemType
from reports.model import ReportProblem
from reports.outline import problem_table
from reports.wording import EVIDENCE_NOTE, problem_text

PROBLEM = ReportProblem(type=ProblemType.DEAD_IMAGE, unit="县水利局", seen_on=date(2024, 4, 29),
                        column="工作动态", url="http://127.0.0.1:8000/slj/a.html",
                        target="http://127.0.0.1:8000/missing.png", detail="HTTP 404")
FOLDER = "var/evidence/ab/abcdef0123456789abcdef"


def test_a_captured_problem_cites_its_evidence_folder_by_a_short_name() -> None:
    cited = replace(PROBLEM, evidence=FOLDER)
    assert problem_text(cited).endswith("；截图取证abcdef012345")
    table = problem_table("附件4", (cited, PROBLEM))
    assert table.notes == (EVIDENCE_NOTE,)


def test_a_problem_without_evidence_cites_none() -> None:
    assert "截图取证" not in problem_text(PROBLEM)
    assert problem_table("附件4", (PROBLEM,)).notes == ()
