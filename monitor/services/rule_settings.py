"""The rules' settings as the config gives them: the work calendar and the weekly rule."""

from __future__ import annotations

from monitor.calendar import WorkCalendar
from monitor.config import PortalConfig
from monitor.rules.weekly import WeeklyRule


def calendar_from_config(config: PortalConfig) -> WorkCalendar:
    """The official PRC calendar with the office's own holidays and workdays on top."""
    calendar = config.calendar
    return WorkCalendar(calendar.holidays, calendar.workdays, calendar.covered_years)


def weekly_rule_from_config(config: PortalConfig) -> WeeklyRule:
    weekly = config.rules.weekly
    return WeeklyRule(categories=frozenset(weekly.categories), min_posts=weekly.min_posts)


def calendar_warnings(calendar: WorkCalendar, *years: int) -> tuple[str, ...]:
    """Warnings for the years the rules looked up, and for `years`, that fell back to
    weekends only (the holiday calendar of those years is not known)."""
    return tuple(sorted(set(calendar.warnings()) | set(calendar.warnings_for(years))))
