"""`monitor check`: one unit's state at an as-of day (SPEC §3, §4.4, §5).

Each active column of the unit with its status, due date and national staleness; the
weekly rule over a period (default: 1 January of the as-of year to as-of); the unit's open
problems. Unreachable or never-crawled columns are shown as such (see `services.facts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from monitor.calendar import local_date
from monitor.config import PortalConfig
from monitor.domain import Category, ColumnStatus, Cycle, ProblemState
from monitor.errors import DatabaseError
from monitor.i18n import _
from monitor.rules.periods import Period, monday_of
from monitor.services.facts import ColumnFacts, ColumnJudgement, recorded_site_id
from monitor.services.judgement import judge_portal
from monitor.services.rule_settings import calendar_warnings
from monitor.units import find_unit
from storage.queries import ProblemFilter, ProblemRow, problems, unit_id_by_name


@dataclass(frozen=True)
class ColumnCheck:
    name: str
    category: Category
    url: str
    cycle: Cycle
    posts: int
    last_post: date | None
    status: ColumnStatus
    stale: bool
    stale_reason: str | None
    due: date | None
    unreachable_reason: str | None
    posts_this_week: int
    posts_this_month: int


@dataclass(frozen=True)
class WeeklyCheck:
    period: Period
    weeks: tuple[date, ...]
    missed: tuple[date, ...]


@dataclass(frozen=True)
class UnitCheck:
    unit: str
    as_of: date
    columns: tuple[ColumnCheck, ...]
    weekly: WeeklyCheck
    problems: tuple[ProblemRow, ...]
    warnings: tuple[str, ...]


def default_check_period(as_of: date) -> Period:
    return Period(date(as_of.year, 1, 1), as_of)


def check_unit(
    session: Session,
    config: PortalConfig,
    name: str,
    as_of: date,
    period: Period | None = None,
) -> UnitCheck:
    """The state of the unit `name` (name, alias or part of a name) at `as_of`."""
    unit_name = find_unit(config, name).name
    site_id = recorded_site_id(session, config)
    unit_id = unit_id_by_name(session, site_id, unit_name)
    if unit_id is None:
        raise DatabaseError(_("{name} is not recorded in the database yet: run `monitor "
                              "crawl` first").format(name=unit_name))
    period = period or default_check_period(as_of)
    judgement = judge_portal(session, config, site_id, as_of, [unit_id])
    columns = tuple(
        _column_check(judged.facts, as_of, judged) for judged in judgement.columns
    )
    weekly = judgement.weekly(unit_id, period)
    calendar = judgement.calendar
    open_problems = problems(session, site_id,
                             ProblemFilter(unit_id=unit_id, states=(ProblemState.OPEN,)))
    return UnitCheck(
        unit=unit_name,
        as_of=as_of,
        columns=columns,
        weekly=WeeklyCheck(period, weekly.weeks, weekly.missed),
        problems=tuple(open_problems),
        warnings=calendar_warnings(calendar, as_of.year, period.start.year, period.end.year),
    )


def _column_check(facts: ColumnFacts, as_of: date, judgement: ColumnJudgement) -> ColumnCheck:
    dates = facts.dates_up_to(as_of)
    week_start = monday_of(as_of)
    month_start = as_of.replace(day=1)
    column = facts.column
    return ColumnCheck(
        name=column.name,
        category=column.category,
        url=column.url,
        cycle=column.cycle,
        posts=len(dates),
        last_post=judgement.state.last_post,
        status=judgement.status,
        stale=judgement.stale,
        stale_reason=judgement.state.stale_reason if judgement.stale else None,
        due=judgement.state.due,
        unreachable_reason=facts.unreachable_reason,
        posts_this_week=sum(1 for day in dates if day >= week_start),
        posts_this_month=sum(1 for day in dates if day >= month_start),
    )


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def check_document(result: UnitCheck) -> dict[str, Any]:
    """The `check --json` document of SPEC §5 (with `warnings` and a few extra keys)."""
    return {
        "unit": result.unit,
        "as_of": result.as_of.isoformat(),
        "columns": [
            {
                "name": column.name,
                "category": column.category.value,
                "url": column.url,
                "cycle": column.cycle.value,
                "posts": column.posts,
                "last_post": _day(column.last_post),
                "status": column.status.value,
                "stale": column.stale,
                "due": _day(column.due),
                "stale_reason": column.stale_reason,
                "unreachable_reason": column.unreachable_reason,
            }
            for column in result.columns
        ],
        "weekly": {
            "from": result.weekly.period.start.isoformat(),
            "to": result.weekly.period.end.isoformat(),
            "weeks": len(result.weekly.weeks),
            "missed": len(result.weekly.missed),
            "missed_weeks": [monday.isoformat() for monday in result.weekly.missed],
        },
        "problems": [
            {
                "id": problem.id,
                "type": problem.type.value,
                "column": problem.column,
                "url": problem.url,
                "target": problem.target,
                "detail": problem.detail,
                "facts": problem.facts,
                "state": problem.state.value,
                "first_seen": local_date(problem.first_seen).isoformat(),
            }
            for problem in result.problems
        ],
        "warnings": list(result.warnings),
    }
