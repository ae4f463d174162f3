"""Which problems the monthly report states, and under which heading of 存在问题.

Fairness decides the rules here (an accusation must be true):
- problems an officer ignored are never reported;
- `blocked` targets could not be verified, so they are counted as unverified, not accused;
- a column that was due soon once and then updated in time did nothing wrong: only a
  column reminded repeatedly (on two or more different days this month, or that came back
  after being fixed) is reported as 多次被提醒即将逾期.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from monitor.domain import ProblemState, ProblemType
from monitor.problem_types import kind_of
from reports.model import ProblemSection, Rectification, ReportProblem, SectionKind

MIN_REMINDER_DAYS = 2


def report_order(problem: ReportProblem) -> tuple[object, ...]:
    return (problem.seen_on, problem.unit, problem.column or "", problem.url or "",
            problem.target or "")


def _reportable(problems: Iterable[ReportProblem]) -> list[ReportProblem]:
    return [p for p in problems if p.state is not ProblemState.IGNORED
            and kind_of(p.type).section is not SectionKind.UNVERIFIED]


def repeated_due_soon(problems: Sequence[ReportProblem]) -> list[ReportProblem]:
    """The due-soon problems of the (unit, column) pairs reminded repeatedly."""
    due_soon = [p for p in problems if p.type is ProblemType.DUE_SOON_COLUMN]
    days: defaultdict[tuple[str, str | None], set[object]] = defaultdict(set)
    recurring: set[tuple[str, str | None]] = set()
    for problem in due_soon:
        key = (problem.unit, problem.column)
        days[key].add(problem.seen_on)
        if problem.recurring:
            recurring.add(key)
    repeated = {key for key, seen in days.items() if len(seen) >= MIN_REMINDER_DAYS} | recurring
    return [p for p in due_soon if (p.unit, p.column) in repeated]


def problem_sections(problems: Sequence[ReportProblem]) -> tuple[ProblemSection, ...]:
    """The headings of 存在问题 that have problems, in `SectionKind` order."""
    reportable = _reportable(problems)
    kept = [p for p in reportable if p.type is not ProblemType.DUE_SOON_COLUMN]
    kept += repeated_due_soon(reportable)
    by_kind: defaultdict[SectionKind, list[ReportProblem]] = defaultdict(list)
    for problem in kept:
        by_kind[kind_of(problem.type).section].append(problem)
    return tuple(
        ProblemSection(kind=kind, problems=tuple(sorted(by_kind[kind], key=report_order)))
        for kind in SectionKind
        if by_kind[kind] and kind is not SectionKind.UNVERIFIED
    )


def unverified_count(problems: Iterable[ReportProblem]) -> int:
    """Targets a WAF stood in front of: reported as a count, never as broken (SPEC §4.5)."""
    return sum(
        1
        for p in problems
        if p.type is ProblemType.BLOCKED and p.state is not ProblemState.IGNORED
    )


def rectification(previous: Iterable[ReportProblem]) -> Rectification:
    """Last month's reported problems split into still open and fixed.

    Only what last month's report actually stated is followed up: ignored and blocked
    problems, and due-soon reminders that were not repeated, were not reported then.
    """
    reported = [p for section in problem_sections(list(previous)) for p in section.problems]
    still_open = [p for p in reported if p.state is ProblemState.OPEN]
    fixed = [p for p in reported if p.state is ProblemState.FIXED]
    return Rectification(
        still_open=tuple(sorted(still_open, key=report_order)),
        fixed=tuple(sorted(fixed, key=report_order)),
    )
