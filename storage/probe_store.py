"""Probe results and the `site_unreachable` problem they raise and clear (SPEC §4.7).

The problem follows the usual life: opened when a judged window fails the rule, fixed
when a judged window passes it, reopened and marked recurring when it fails again; an
ignored problem stays ignored. The problem's key is the probed page's URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.domain import ProblemState, ProblemType
from monitor.probe.availability import AvailabilityVerdict, ProbeOutcome, ProbeSample
from monitor.problem_details import encode
from storage.models import ProbeResult, Problem, ProblemEvent

UNREACHABLE = ProblemType.SITE_UNREACHABLE


@dataclass(frozen=True)
class ProblemChange:
    """What a verdict did to the page's problem: opened, reopened, fixed, or None."""

    url: str
    change: str | None
    state: ProblemState | None


def record_outcomes(session: Session, site_id: int, outcomes: Iterable[ProbeOutcome]) -> None:
    for outcome in outcomes:
        session.add(ProbeResult(site_id=site_id, url=outcome.url, at=outcome.at, ok=outcome.ok,
                                http_status=outcome.http_status, elapsed_ms=outcome.elapsed_ms,
                                error=outcome.error))
    session.flush()


def samples_since(session: Session, site_id: int, url: str, since: datetime
                  ) -> list[ProbeSample]:
    rows = session.execute(
        select(ProbeResult.at, ProbeResult.ok)
        .where(ProbeResult.site_id == site_id, ProbeResult.url == url, ProbeResult.at >= since)
        .order_by(ProbeResult.at)
    )
    return [ProbeSample(at, ok) for at, ok in rows]


def apply_verdict(session: Session, site_id: int, verdict: AvailabilityVerdict,
                  at: datetime) -> ProblemChange:
    problem = session.scalar(
        select(Problem).where(Problem.site_id == site_id, Problem.type == UNREACHABLE,
                              Problem.key == verdict.url)
    )
    if verdict.unreachable is None:
        return ProblemChange(verdict.url, None, problem.state if problem else None)
    if verdict.unreachable:
        return _raise(session, site_id, problem, verdict, at)
    if problem is not None and problem.state is ProblemState.OPEN:
        problem.state = ProblemState.FIXED
        problem.fixed_at = at
        problem.detail = encode(verdict.facts())
        _event(session, problem, ProblemState.FIXED, at, verdict.describe())
        return ProblemChange(verdict.url, "fixed", problem.state)
    return ProblemChange(verdict.url, None, problem.state if problem else None)


def _raise(session: Session, site_id: int, problem: Problem | None,
           verdict: AvailabilityVerdict, at: datetime) -> ProblemChange:
    detail = encode(verdict.facts())
    if problem is None:
        problem = Problem(site_id=site_id, type=UNREACHABLE, key=verdict.url, unit_id=None,
                          column_id=None, url=verdict.url, target=None, detail=detail,
                          state=ProblemState.OPEN, first_seen=at, last_seen=at,
                          recurring=False, reopen_count=0)
        session.add(problem)
        _event(session, problem, ProblemState.OPEN, at, verdict.describe())
        return ProblemChange(verdict.url, "opened", problem.state)
    problem.detail = detail
    problem.last_seen = at
    if problem.state is not ProblemState.FIXED:
        # Still open, or ignored by an officer: the state stays as it is.
        return ProblemChange(verdict.url, None, problem.state)
    problem.state = ProblemState.OPEN
    problem.fixed_at = None
    problem.recurring = True
    problem.reopen_count = (problem.reopen_count or 0) + 1
    _event(session, problem, ProblemState.OPEN, at,
           "found again after being fixed: " + verdict.describe())
    return ProblemChange(verdict.url, "reopened", problem.state)


def _event(session: Session, problem: Problem, state: ProblemState, at: datetime,
           note: str) -> None:
    session.add(ProblemEvent(problem=problem, at=at, state=state, note=note))
