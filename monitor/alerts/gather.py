"""Read a week's alert facts from the database.

Which columns are behind and which links are dead comes from the open problems (so an
officer's `ignore` silences an alert); the dates the unit acts on (last post, due date)
and the weeks missed are recomputed here from the posts with the pure rules.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.alerts.facts import ColumnLag, DeadTarget, MailNotDelivered, UnitFacts, WeekFacts
from monitor.alerts.outbox import undelivered_since
from monitor.calendar import WorkCalendar
from monitor.clock import SHANGHAI, local_date
from monitor.config import PortalConfig
from monitor.domain import Category, ColumnStatus, Cycle, ProblemState, ProblemType
from monitor.rules.periods import Period
from monitor.rules.status import column_state
from monitor.rules.weekly import weekly_compliance
from storage.models import Column, Post, Problem, Site, Unit

COLUMN_TYPES = {
    ProblemType.OVERDUE_COLUMN: ColumnStatus.OVERDUE,
    ProblemType.EMPTY_COLUMN: ColumnStatus.EMPTY,
    ProblemType.DUE_SOON_COLUMN: ColumnStatus.DUE_SOON,
}
TARGET_TYPES = (ProblemType.BROKEN_LINK, ProblemType.DEAD_IMAGE, ProblemType.BROKEN_ATTACHMENT)


def work_calendar(config: PortalConfig) -> WorkCalendar:
    calendar = config.calendar
    return WorkCalendar(calendar.holidays, calendar.workdays, calendar.covered_years)


def gather_week(session: Session, config: PortalConfig, as_of: date) -> WeekFacts:
    site_id = session.scalar(select(Site.id).where(Site.url == config.site.url))
    if site_id is None:
        return WeekFacts(config.site.name, as_of, ())
    units = list(session.scalars(
        select(Unit).where(Unit.site_id == site_id, Unit.active).order_by(Unit.id)))
    columns = {column.id: column for column in session.scalars(
        select(Column).where(Column.site_id == site_id, Column.active))}
    dates = _post_dates(session, list(columns))
    problems = _open_problems(session, [unit.id for unit in units])
    reader = _UnitReader(config, as_of, columns, dates)
    facts = tuple(reader.unit(unit, problems.get(unit.id, [])) for unit in units)
    return WeekFacts(config.site.name, as_of, facts, _undelivered_last_week(session, as_of))


def _undelivered_last_week(session: Session, as_of: date) -> tuple[MailNotDelivered, ...]:
    """Alerts finished between last Monday and this Monday that did not reach someone for
    sure: the weeks follow each other, so each is told to the office once."""
    monday = as_of - timedelta(days=as_of.weekday())
    end = datetime.combine(monday, time(), SHANGHAI)
    return tuple(
        MailNotDelivered(item.recipient, item.kind, item.week, item.refused, item.reply)
        for item in undelivered_since(session, end - timedelta(days=7), end))


def _post_dates(session: Session, column_ids: list[int]) -> dict[int, list[date | None]]:
    dates: dict[int, list[date | None]] = defaultdict(list)
    if column_ids:
        for column_id, day in session.execute(
            select(Post.column_id, Post.date).where(Post.column_id.in_(column_ids))
        ):
            dates[column_id].append(day)
    return dates


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


class _UnitReader:
    def __init__(self, config: PortalConfig, as_of: date, columns: dict[int, Column],
                 dates: dict[int, list[date | None]]) -> None:
        self._config = config
        self._as_of = as_of
        self._columns = columns
        self._dates = dates
        self._calendar = work_calendar(config)

    def unit(self, unit: Unit, problems: list[Problem]) -> UnitFacts:
        lags = [lag for problem in problems if (lag := self._lag(problem)) is not None]
        month, quarter = self._missed_weeks(unit.id)
        return UnitFacts(
            unit_id=unit.id, name=unit.name, group=unit.group_name,
            contacts=tuple(unit.contacts or ()),
            overdue=tuple(lag for lag in lags if lag.status is not ColumnStatus.DUE_SOON),
            due_soon=tuple(lag for lag in lags if lag.status is ColumnStatus.DUE_SOON),
            missed_this_month=month, missed_this_quarter=quarter,
            dead_targets=tuple(self._target(p) for p in problems
                               if ProblemType(p.type) in TARGET_TYPES),
        )

    def _lag(self, problem: Problem) -> ColumnLag | None:
        problem_type = ProblemType(problem.type)
        column = self._columns.get(problem.column_id or -1)
        if problem_type not in COLUMN_TYPES or column is None:
            return None
        state = column_state(
            Cycle(column.cycle), Category(column.category), column.deadline,
            self._dates.get(column.id, []), self._as_of, self._calendar,
            self._config.rules.due_soon_workdays, last_crawl_failed=False,
            has_any_post=bool(self._dates.get(column.id)),
        )
        return ColumnLag(column.name, column.url, Cycle(column.cycle),
                         COLUMN_TYPES[problem_type], state.last_post, state.due)

    def _target(self, problem: Problem) -> DeadTarget:
        return DeadTarget(ProblemType(problem.type), problem.url or "", problem.target or "",
                          problem.detail, local_date(problem.first_seen))

    def _missed_weeks(self, unit_id: int) -> tuple[tuple[date, ...], tuple[date, ...]]:
        rule = self._config.rules.weekly
        weekly = [column for column in self._columns.values()
                  if column.unit_id == unit_id and Category(column.category) in rule.categories]
        # A unit without weekly columns, or whose weekly columns were never read, has no
        # weeks to miss: nothing is known against it.
        if not weekly or all(column.first_crawled_at is None for column in weekly):
            return (), ()
        dates = [day for column in weekly for day in self._dates.get(column.id, [])]
        as_of = self._as_of
        month = Period.month(as_of.year, as_of.month)
        quarter = Period.quarter(as_of.year, (as_of.month - 1) // 3 + 1)
        return tuple(
            weekly_compliance(dates, period, as_of, self._calendar, rule.min_posts).missed
            for period in (month, quarter)
        )  # type: ignore[return-value]
