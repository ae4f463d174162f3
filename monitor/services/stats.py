"""`monitor stats`: per-unit figures for a period and year-to-date (SPEC §4.6, §5).

The database counts live dated posts per column and date; only those counts cross into
Python, each expanded to shared `PostFact` references, so 200,000 posts cost no more than
the distinct (column, date) pairs. The default period is the current month up to as-of.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from monitor.calendar import local_date
from monitor.config import PortalConfig
from monitor.rules.figures import (
    PortalFigures,
    PostFact,
    UnitFigures,
    UnitPosts,
    portal_totals,
    unit_figures,
)
from monitor.rules.periods import Period
from monitor.rules.weekly import WeeklyRule, judged_until, seen_until
from monitor.services.facts import recorded_site_id
from monitor.services.rule_settings import (
    calendar_from_config,
    calendar_warnings,
    weekly_rule_from_config,
)
from storage.queries import (
    ColumnRow,
    UnitRow,
    active_columns,
    active_units,
    dated_post_counts,
    last_reads,
    latest_crawls,
    read_by_latest,
)

# A counted week may start up to six days before the period and end six days after it;
# its posts count wherever they fall in that Monday-Sunday week (SPEC §4.3).
_WEEK_OVERHANG = timedelta(days=6)


@dataclass(frozen=True)
class StatsResult:
    period: Period
    as_of: date
    figures: tuple[UnitFigures, ...]
    warnings: tuple[str, ...]


def default_stats_period(as_of: date) -> Period:
    return Period(as_of.replace(day=1), as_of)


def unit_stats(
    session: Session, config: PortalConfig, as_of: date, period: Period | None = None
) -> StatsResult:
    """Figures of every active unit, in config order, ranked within its group and overall."""
    period = period or default_stats_period(as_of)
    site_id = recorded_site_id(session, config)
    units = _in_config_order(active_units(session, site_id), config)
    columns = {column.id: column for column in active_columns(session, site_id)}
    first = min(period.start, date(period.end.year, 1, 1)) - _WEEK_OVERHANG
    counts = dated_post_counts(session, list(columns), first, period.end + _WEEK_OVERHANG)
    posts_of_unit: defaultdict[int, list[PostFact]] = defaultdict(list)
    for count in counts:
        column = columns[count.column_id]
        fact = PostFact(count.date, column.category, column.name)
        posts_of_unit[column.unit_id].extend([fact] * count.posts)
    calendar = calendar_from_config(config)
    weekly_rule = weekly_rule_from_config(config)
    until = _judged_until(session, weekly_rule, list(columns.values()), as_of)
    figures = unit_figures(
        [UnitPosts(unit.name, unit.group, unit.annual_target, posts_of_unit[unit.id],
                   until.get(unit.id))
         for unit in units],
        period,
        as_of,
        calendar,
        weekly_rule,
    )
    warnings = calendar_warnings(calendar, as_of.year, period.start.year, period.end.year)
    return StatsResult(period, as_of, tuple(figures), warnings)


def _judged_until(session: Session, rule: WeeklyRule, columns: list[ColumnRow], as_of: date
                  ) -> dict[int, date | None]:
    """Each unit's `judged_until` over its weekly columns, as `PortalJudgement.weekly` takes
    it (`ColumnFacts.seen_until`); a unit without weekly columns has no entry."""
    weekly = [column for column in columns if rule.applies_to(column.category)]
    ids = [column.id for column in weekly]
    latest, reads = latest_crawls(session, ids), last_reads(session, ids)
    days: defaultdict[int, list[date | None]] = defaultdict(list)
    for column in weekly:
        crawl, read = latest.get(column.id), reads.get(column.id)
        days[column.unit_id].append(seen_until(
            as_of, read_by_latest(crawl), None if read is None else local_date(read)))
    return {unit_id: judged_until(unit_days) for unit_id, unit_days in days.items()}


def _in_config_order(units: list[UnitRow], config: PortalConfig) -> list[UnitRow]:
    order = {name: index for index, name in enumerate(config.unit_names())}
    return sorted(units, key=lambda unit: order.get(unit.name, len(order)))


def stats_document(result: StatsResult) -> list[dict[str, Any]]:
    """The `stats --json` document of SPEC §5: one object per unit (with `warnings`)."""
    return [
        {
            "unit": figure.unit,
            "group": figure.group,
            "annual_target": figure.annual_target,
            "period": {
                "from": result.period.start.isoformat(),
                "to": result.period.end.isoformat(),
                "dynamics": figure.period.dynamics,
                "disclosure": figure.period.disclosure,
                "total": figure.period.total,
            },
            "ytd": {
                "dynamics": figure.ytd.dynamics,
                "disclosure": figure.ytd.disclosure,
                "total": figure.ytd.total,
            },
            "weekly": {"weeks": figure.weeks, "missed": figure.missed},
            "completion": None if figure.completion is None else float(figure.completion),
            "rank_in_group": figure.rank_in_group,
            "rank": figure.rank,
            "warnings": list(result.warnings),
        }
        for figure in result.figures
    ]


def portal_row(portal: str, result: StatsResult) -> PortalFigures:
    """One portal's line of `stats --all`, added up from its units' figures."""
    return portal_totals(portal, result.figures)


def portals_document(rows: list[PortalFigures], results: dict[str, StatsResult]
                     ) -> list[dict[str, Any]]:
    """`stats --all --json`: one object per portal, best first, each with its units' own
    `stats --json` document under `units`."""
    return [
        {
            "portal": row.portal,
            "unit_count": row.units,
            "annual_target": row.annual_target,
            "period": {
                "from": results[row.portal].period.start.isoformat(),
                "to": results[row.portal].period.end.isoformat(),
                "dynamics": row.period.dynamics,
                "disclosure": row.period.disclosure,
                "total": row.period.total,
            },
            "ytd": {"dynamics": row.ytd.dynamics, "disclosure": row.ytd.disclosure,
                    "total": row.ytd.total},
            "weekly": {"missed": row.missed, "units_missed": row.units_missed},
            "completion": None if row.completion is None else float(row.completion),
            "rank": row.rank,
            "units": stats_document(results[row.portal]),
        }
        for row in rows
    ]
