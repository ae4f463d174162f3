"""Read a week's alert facts: the portal's one judgement plus the open problems.

Which columns are behind and which links are dead comes from the open problems (so an
officer's `ignore` silences an alert); what the unit acts on (status, last post, due date)
and the weeks missed come from `services.judgement.judge_portal`, the judgement `monitor
check` and the 月报 give for the same day. Nothing here reads posts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.alerts.facts import ColumnLag, DeadTarget, MailNotDelivered, UnitFacts, WeekFacts
from monitor.alerts.outbox import undelivered_since
from monitor.clock import SHANGHAI, local_date
from monitor.config import PortalConfig
from monitor.domain import ColumnStatus, ProblemState, ProblemType
from monitor.rules.periods import Period
from monitor.services.facts import ColumnJudgement
from monitor.services.judgement import PortalJudgement, judge_portal
from storage.models import Problem, Unit

COLUMN_TYPES = {
    ProblemType.OVERDUE_COLUMN: ColumnStatus.OVERDUE,
    ProblemType.EMPTY_COLUMN: ColumnStatus.EMPTY,
    ProblemType.DUE_SOON_COLUMN: ColumnStatus.DUE_SOON,
}
TARGET_TYPES = (ProblemType.BROKEN_LINK, ProblemType.DEAD_IMAGE, ProblemType.BROKEN_ATTACHMENT)


def gather_week(
    session: Session, config: PortalConfig, site_id: int, as_of: date
) -> WeekFacts:
    units = list(session.scalars(
        select(Unit).where(Unit.site_id == site_id, Unit.active).order_by(Unit.id)))
    judgement = judge_portal(session, config, site_id, as_of)
    problems = _open_problems(session, [unit.id for unit in units])
    facts = tuple(_unit_facts(unit, problems.get(unit.id, []), judgement) for unit in units)
    return WeekFacts(config.site.name, as_of, facts, _undelivered_last_week(session, as_of))


def _undelivered_last_week(session: Session, as_of: date) -> tuple[MailNotDelivered, ...]:
    """Alerts finished between last Monday and this Monday that did not reach someone for
    sure: the weeks follow each other, so each is told to the office once."""
    monday = as_of - timedelta(days=as_of.weekday())
    end = datetime.combine(monday, time(), SHANGHAI)
    return tuple(
        MailNotDelivered(item.recipient, item.kind, item.week, item.refused, item.reply)
        for item in undelivered_since(session, end - timedelta(days=7), end))


def _open_problems(session: Session, unit_ids: list[int]) -> dict[int, list[Problem]]:
    types = [t.value for t in (*COLUMN_TYPES, *TARGET_TYPES)]
    by_unit: dict[int, list[Problem]] = defaultdict(list)
    if unit_ids:
        for problem in session.scalars(
            select(Problem)
            .where(Problem.unit_id.in_(unit_ids), Problem.type.in_(types),
                   Problem.state == ProblemState.OPEN.value)
            .order_by(Problem.id)
        ):
            by_unit[problem.unit_id].append(problem)  # type: ignore[index]
    return by_unit


def _unit_facts(unit: Unit, problems: list[Problem], judgement: PortalJudgement) -> UnitFacts:
    columns = {judged.facts.column.id: judged for judged in judgement.of_unit(unit.id)}
    lags = [lag for problem in problems
            if (lag := _lag(problem, columns.get(problem.column_id or -1))) is not None]
    month, quarter = _missed_weeks(unit.id, judgement)
    return UnitFacts(
        unit_id=unit.id, name=unit.name, group=unit.group_name,
        contacts=tuple(unit.contacts or ()),
        overdue=tuple(lag for lag in lags if lag.status in _OVERDUE),
        due_soon=tuple(lag for lag in lags if lag.status is ColumnStatus.DUE_SOON),
        missed_this_month=month, missed_this_quarter=quarter,
        dead_targets=tuple(_target(p) for p in problems if ProblemType(p.type) in TARGET_TYPES),
        unreachable=tuple(_column_lag(judged) for judged in columns.values()
                          if judged.status is ColumnStatus.UNREACHABLE
                          and judged.facts.last_crawl is not None),
    )


_OVERDUE = (ColumnStatus.OVERDUE, ColumnStatus.EMPTY)


def _lag(problem: Problem, judged: ColumnJudgement | None) -> ColumnLag | None:
    """The column of an open status problem as the judgement sees it today. A column the
    last crawl could not read is never reported as behind (SPEC §4.4): it is listed as
    unreachable instead, and a problem the judgement no longer supports says nothing."""
    if ProblemType(problem.type) not in COLUMN_TYPES or judged is None:
        return None
    if judged.status not in (*_OVERDUE, ColumnStatus.DUE_SOON):
        return None
    return _column_lag(judged)


def _column_lag(judged: ColumnJudgement) -> ColumnLag:
    column, state = judged.facts.column, judged.state
    return ColumnLag(column.name, column.url, column.cycle, judged.status,
                     state.last_post, state.due)


def _target(problem: Problem) -> DeadTarget:
    return DeadTarget(ProblemType(problem.type), problem.url or "", problem.target or "",
                      problem.detail, local_date(problem.first_seen))


def _missed_weeks(unit_id: int, judgement: PortalJudgement
                  ) -> tuple[tuple[date, ...], tuple[date, ...]]:
    # A unit without weekly columns, or whose weekly columns were never read, has no weeks
    # to miss: nothing is known against it.
    if not judgement.has_weekly_facts(unit_id):
        return (), ()
    as_of = judgement.as_of
    month = Period.month(as_of.year, as_of.month)
    quarter = Period.quarter(as_of.year, (as_of.month - 1) // 3 + 1)
    return judgement.weekly(unit_id, month).missed, judgement.weekly(unit_id, quarter).missed
