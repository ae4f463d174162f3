"""One judgement path: stored facts → each column's judgement and each unit's weekly result.

`monitor check`, the weekly alerts, the 月报's week grid and the rule problems all read the
portal through `judge_portal`, so the same column is never judged two ways. Its inputs are
the facts the queries give under their fairness rules (live posts only: a withdrawn post
never counts; undated posts apart; each column's latest crawl outcome), the work calendar
and the config's rule settings. It reads only: syncing the config and storing problems are
the callers' business, at the entry points that change things.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from monitor.calendar import WorkCalendar
from monitor.config import PortalConfig
from monitor.rules.periods import Period
from monitor.rules.weekly import (
    WeeklyResult,
    WeeklyRule,
    judged_until,
    observed_compliance,
)
from monitor.services.facts import ColumnJudgement, column_facts, judge_column
from monitor.services.rule_settings import calendar_from_config, weekly_rule_from_config


@dataclass(frozen=True)
class PortalJudgement:
    """Every active column (of the units asked for) judged at `as_of`, in unit then column
    order, with what the weekly rule needs to judge a unit over any period."""

    as_of: date
    columns: tuple[ColumnJudgement, ...]
    calendar: WorkCalendar
    rule: WeeklyRule

    def of_unit(self, unit_id: int) -> tuple[ColumnJudgement, ...]:
        return tuple(judged for judged in self.columns if judged.facts.column.unit_id == unit_id)

    def weekly_columns(self, unit_id: int) -> tuple[ColumnJudgement, ...]:
        return tuple(judged for judged in self.of_unit(unit_id)
                     if self.rule.applies_to(judged.facts.column.category))

    def weekly(self, unit_id: int, period: Period) -> WeeklyResult:
        """Counted and missed weeks of `period` at `as_of` for the unit's weekly columns,
        as far as the crawls saw (`observed_compliance`)."""
        columns = self.weekly_columns(unit_id)
        dates = [day for judged in columns for day in judged.facts.posts.dates]
        until = judged_until(judged.facts.seen_until(self.as_of) for judged in columns)
        return observed_compliance(dates, period, self.as_of, self.calendar,
                                   self.rule.min_posts, until)

    def has_weekly_facts(self, unit_id: int) -> bool:
        """Whether anything is known of the unit under the weekly rule: one of its weekly
        columns was read by its latest crawl or has posts on record."""
        return any(judged.facts.judged or judged.facts.posts.dates
                   for judged in self.weekly_columns(unit_id))


def judge_portal(
    session: Session,
    config: PortalConfig,
    site_id: int,
    as_of: date,
    unit_ids: Sequence[int] | None = None,
) -> PortalJudgement:
    """Judge every active column of the portal's site (of `unit_ids` only, when given)."""
    calendar = calendar_from_config(config)
    due_soon_workdays = config.rules.due_soon_workdays
    columns = tuple(
        judge_column(facts, as_of, calendar, due_soon_workdays)
        for facts in column_facts(session, site_id, unit_ids)
    )
    return PortalJudgement(as_of, columns, calendar, weekly_rule_from_config(config))
