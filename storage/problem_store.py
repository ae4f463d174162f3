"""The life of problems in storage (SPEC §4.7): open, fixed, reopened, ignored.

A refresh hands over what it found and which (type, column) pairs it judged completely.
`reconcile` then applies the life rules:
- a new finding opens a problem;
- a finding still present updates `last_seen` (and the detail, which may have moved on);
- an open problem of a judged pair that was not found again is fixed;
- a finding seen again after it was fixed is reopened and marked recurring (屡禁不止);
- an ignored problem stays ignored, but its `last_seen` follows the findings.
Pairs that were not judged (a column whose last crawl failed) are left exactly as they were:
the crawler's failure neither accuses a unit nor clears an accusation.
A whole type can be judged at once (`judged_types`) when its findings are derived from a
complete stored state (link problems from every target's last verdict): then every open
problem of that type not found again is fixed, whatever its column (or none).
Single problems can be judged by key (`judged_keys`): a run that reached a host judges that
host's `site_unreachable` problem, and no other. Problems about targets in
`spared_targets` (targets a run could not check because their host did not answer) are
never fixed by their absence.
With nothing judged, `reconcile` only opens and updates: findings made once (an article's
content, read once) never fix anything by their absence.
Every change of state is written as a ProblemEvent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.domain import ProblemState, ProblemType
from monitor.errors import MonitorError, UnknownProblemError
from storage.models import Problem, ProblemEvent


@dataclass(frozen=True)
class Finding:
    """One problem found now; `key` names the same finding across refreshes."""

    type: ProblemType
    key: str
    unit_id: int | None
    column_id: int | None
    url: str | None
    detail: str
    target: str | None = None


# Problem.key is a String(1024); keys built from URLs may be longer.
KEY_LENGTH = 1024


def bounded_key(key: str) -> str:
    """`key` itself when it fits the key column, else its start and a digest of the whole:
    still one key per finding, and still readable."""
    if len(key) <= KEY_LENGTH:
        return key
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return f"{key[:KEY_LENGTH - len(digest) - 1]}~{digest}"


CONFIRMED_NOTE = "confirmed by an officer"


@dataclass(frozen=True)
class LifeCounts:
    opened: int
    reopened: int
    still_found: int
    fixed: int


def reconcile(
    session: Session,
    site_id: int,
    findings: Iterable[Finding],
    judged: frozenset[tuple[ProblemType, int]],
    at: datetime,
    judged_types: frozenset[ProblemType] = frozenset(),
    judged_keys: frozenset[tuple[ProblemType, str]] = frozenset(),
    spared_targets: frozenset[str] = frozenset(),
) -> LifeCounts:
    """Bring the portal's stored problems of the judged pairs (and of the wholly judged
    types) in line with `findings` at instant `at`."""
    found = {(finding.type, finding.key): finding for finding in findings}
    whole_types = set(judged_types)
    keys = set(judged_keys)
    existing = _existing(session, site_id, found, {t for t, _ in judged} | whole_types)
    existing.update(_by_key(session, site_id, keys - set(existing)))
    opened = reopened = still = 0
    for natural_key, finding in found.items():
        problem = existing.get(natural_key)
        if problem is None:
            _open(session, site_id, finding, at)
            opened += 1
        elif problem.state is ProblemState.FIXED:
            _reopen_found(session, problem, finding, at)
            reopened += 1
        else:
            _still_found(problem, finding, at)
            still += 1
    fixed = 0
    for natural_key, problem in existing.items():
        if natural_key in found or problem.state is not ProblemState.OPEN:
            continue
        if problem.target is not None and problem.target in spared_targets:
            continue
        if (problem.type in whole_types or natural_key in keys
                or (problem.type, problem.column_id) in judged):
            _fix(session, problem, at)
            fixed += 1
    session.flush()
    return LifeCounts(opened, reopened, still, fixed)


# SQLite caps a statement's parameters; keys are looked up in chunks below that cap.
_KEYS_PER_QUERY = 500


def _existing(
    session: Session, site_id: int, found: dict[tuple[ProblemType, str], Finding],
    judged_types: set[ProblemType],
) -> dict[tuple[ProblemType, str], Problem]:
    """Every stored problem of a judged type, and the stored problems of the findings.

    Findings of a type not judged are looked up by key only: a crawl's articles add their
    few problems without loading every problem of that type.
    """
    existing = {
        (problem.type, problem.key): problem
        for problem in session.scalars(select(Problem).where(
            Problem.site_id == site_id, Problem.type.in_(judged_types)))
    } if judged_types else {}
    others: dict[ProblemType, list[str]] = {}
    for problem_type, key in found:
        if problem_type not in judged_types:
            others.setdefault(problem_type, []).append(key)
    for problem_type, keys in others.items():
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            chunk = keys[start:start + _KEYS_PER_QUERY]
            for problem in session.scalars(select(Problem).where(
                    Problem.site_id == site_id, Problem.type == problem_type,
                    Problem.key.in_(chunk))):
                existing[(problem.type, problem.key)] = problem
    return existing


def _by_key(session: Session, site_id: int, keys: set[tuple[ProblemType, str]]
            ) -> dict[tuple[ProblemType, str], Problem]:
    found: dict[tuple[ProblemType, str], Problem] = {}
    for problem_type, key in keys:
        problem = session.scalar(select(Problem).where(
            Problem.site_id == site_id, Problem.type == problem_type, Problem.key == key))
        if problem is not None:
            found[(problem_type, key)] = problem
    return found


def _event(session: Session, problem: Problem, state: ProblemState, at: datetime,
           note: str, actor: str | None = None) -> None:
    session.add(ProblemEvent(problem=problem, at=at, state=state, note=note, actor=actor))


def _apply(problem: Problem, finding: Finding, at: datetime) -> None:
    problem.unit_id = finding.unit_id
    problem.column_id = finding.column_id
    problem.url = finding.url
    problem.target = finding.target
    problem.detail = finding.detail
    problem.last_seen = at


def _open(session: Session, site_id: int, finding: Finding, at: datetime) -> None:
    problem = Problem(site_id=site_id, type=finding.type, key=finding.key,
                      state=ProblemState.OPEN, first_seen=at, recurring=False, reopen_count=0)
    _apply(problem, finding, at)
    session.add(problem)
    _event(session, problem, ProblemState.OPEN, at, "found")


def _reopen_found(session: Session, problem: Problem, finding: Finding, at: datetime) -> None:
    _apply(problem, finding, at)
    problem.state = ProblemState.OPEN
    problem.fixed_at = None
    problem.recurring = True
    problem.reopen_count = (problem.reopen_count or 0) + 1
    _event(session, problem, ProblemState.OPEN, at, "found again after being fixed")


def _still_found(problem: Problem, finding: Finding, at: datetime) -> None:
    # An ignored problem keeps its state: the officer decided it is not to be reported.
    _apply(problem, finding, at)


def _fix(session: Session, problem: Problem, at: datetime) -> None:
    problem.state = ProblemState.FIXED
    problem.fixed_at = at
    _event(session, problem, ProblemState.FIXED, at, "no longer found")


def _problem(session: Session, problem_id: int, site_id: int | None) -> Problem:
    """The problem `problem_id`; with `site_id`, only when it is that portal's: an officer
    of one portal never acts on another's by mistyping an id."""
    problem = session.get(Problem, problem_id)
    if problem is None or (site_id is not None and problem.site_id != site_id):
        raise UnknownProblemError(problem_id)
    return problem


def ignore_problem(session: Session, problem_id: int, reason: str, at: datetime,
                   actor: str | None = None, site_id: int | None = None) -> Problem:
    """An officer decides a problem is not to be reported; the reason is kept, and who
    decided when it was done on the dashboard (`actor`)."""
    reason = reason.strip()
    if not reason:
        raise MonitorError("a reason is required to ignore a problem (--reason TEXT)")
    problem = _problem(session, problem_id, site_id)
    problem.state = ProblemState.IGNORED
    problem.ignored_reason = reason
    _event(session, problem, ProblemState.IGNORED, at, reason, actor)
    session.flush()
    return problem


def confirm_problem(session: Session, problem_id: int, at: datetime,
                    actor: str | None = None, site_id: int | None = None) -> Problem:
    """An officer has looked at an open problem and confirms it is real: it stays open and
    the confirmation is written in its history."""
    problem = _problem(session, problem_id, site_id)
    if problem.state is not ProblemState.OPEN:
        raise MonitorError(f"problem {problem_id} is {problem.state}; only an open problem "
                           "can be confirmed")
    _event(session, problem, ProblemState.OPEN, at, CONFIRMED_NOTE, actor)
    session.flush()
    return problem


def reopen_problem(session: Session, problem_id: int, at: datetime,
                   actor: str | None = None, site_id: int | None = None) -> Problem:
    """An officer takes back an ignore (or disputes a fix): the problem is open again.

    Not marked recurring: that is for a finding the monitor saw come back by itself.
    """
    problem = _problem(session, problem_id, site_id)
    if problem.state is ProblemState.OPEN:
        raise MonitorError(f"problem {problem_id} is already open")
    previous = problem.state
    problem.state = ProblemState.OPEN
    problem.fixed_at = None
    problem.ignored_reason = None
    _event(session, problem, ProblemState.OPEN, at, f"reopened by an officer (was {previous})",
           actor)
    session.flush()
    return problem
