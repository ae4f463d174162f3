"""Read a week's alert facts: the portal's one judgement plus the open problems.

Which columns are behind and which pages have problems comes from the open problems (so an
officer's `ignore` silences an alert); what the unit acts on (status, last post, due date)
and the weeks missed come from `services.judgement.judge_portal`, the judgement `monitor
check` and the 月报 give for the same day. Nothing here reads or judges posts: the titles
of the pages named come from `storage.queries`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.alerts.facts import (
    ColumnLag,
    CrawlState,
    MailNotDelivered,
    PageProblem,
    UnitFacts,
    WeekFacts,
)
from monitor.alerts.outbox import undelivered_since
from monitor.calendar import WorkCalendar
from monitor.clock import SHANGHAI, local_date
from monitor.config import PortalConfig
from monitor.domain import ColumnStatus, ProblemState, ProblemType
from monitor.problem_details import detail_text
from monitor.problem_types import CATALOGUE, Family, Fix, SectionKind, Severity, kind_of
from monitor.rules.periods import Period
from monitor.services.facts import ColumnJudgement
from monitor.services.judgement import PortalJudgement, judge_portal
from monitor.services.national import national_result, national_section
from storage.models import Problem, Unit
from storage.queries import ArticleRow, latest_run, live_articles, site_wide_problems

# What a unit is told about, from the catalogue: columns behind (the 栏目更新 heading of the
# 月报), pages with dead links, and the urgent content problems.
COLUMN_TYPES = tuple(kind.type for kind in CATALOGUE.values()
                     if kind.family is Family.COLUMN and kind.section is SectionKind.UPDATES)
TARGET_TYPES = tuple(kind.type for kind in CATALOGUE.values()
                     if kind.family is Family.LINK and kind.section is SectionKind.LINKS)
URGENT_TYPES = tuple(kind.type for kind in CATALOGUE.values()
                     if kind.severity is Severity.URGENT)
# What belongs to no unit and only the office hears of: site-wide dead links, the portal down.
SITE_WIDE_TYPES = TARGET_TYPES + tuple(kind.type for kind in CATALOGUE.values()
                                       if kind.family is Family.CRAWL and kind.fix is Fix.PER_RUN)
_BEHIND = (ColumnStatus.OVERDUE, ColumnStatus.EMPTY)


def gather_week(
    session: Session, config: PortalConfig, site_id: int, as_of: date
) -> WeekFacts:
    units = list(session.scalars(
        select(Unit).where(Unit.site_id == site_id, Unit.active).order_by(Unit.id)))
    judgement = judge_portal(session, config, site_id, as_of)
    problems = _open_problems(session, [unit.id for unit in units])
    pages = [p.url for found in problems.values() for p in found if p.url]
    site_wide = site_wide_problems(session, site_id, SITE_WIDE_TYPES)
    articles = live_articles(session, site_id, pages + [row.url for row in site_wide if row.url])
    chats = {unit.name: tuple(unit.chat) for unit in config.units}
    facts = tuple(_unit_facts(unit, problems.get(unit.id, []), judgement, articles,
                              chats.get(unit.name, ()))
                  for unit in units)
    return WeekFacts(
        config.site.name, as_of, facts,
        rectify_by=rectify_deadline(as_of, judgement.calendar, config.rules.rectify_workdays),
        site_wide=tuple(PageProblem(row.type, row.url or "", row.target or "", row.detail,
                                    local_date(row.first_seen)) for row in site_wide),
        last_crawl=_crawl_state(session, site_id),
        undelivered=_undelivered_last_week(session, site_id, as_of),
        national=national_section(
            national_result(session, config, site_id, as_of, judgement)),
    )


def _undelivered_last_week(session: Session, site_id: int, as_of: date
                           ) -> tuple[MailNotDelivered, ...]:
    """Alerts finished between last Monday and this Monday that did not reach someone for
    sure: the weeks follow each other, so each is told to the office once."""
    monday = as_of - timedelta(days=as_of.weekday())
    end = datetime.combine(monday, time(), SHANGHAI)
    return tuple(
        MailNotDelivered(item.recipient, item.kind, item.week, item.refused, item.reply,
                         item.chat)
        for item in undelivered_since(session, site_id, end - timedelta(days=7), end))


def rectify_deadline(as_of: date, calendar: WorkCalendar, workdays: int) -> date:
    """The `workdays`-th working day after `as_of` (请于…前整改)."""
    first = date.fromordinal(as_of.toordinal() + 1)
    # Two months always hold enough working days for the largest allowed setting.
    days = calendar.workdays_between(first, date.fromordinal(first.toordinal() + 61))
    return days[workdays - 1]


def _crawl_state(session: Session, site_id: int) -> CrawlState | None:
    run = latest_run(session, site_id)
    if run is None:
        return None
    return CrawlState(local_date(run.started_at), run.status, run.columns_ok,
                      run.columns_failed, run.error)


def _open_problems(session: Session, unit_ids: list[int]) -> dict[int, list[Problem]]:
    types = [*COLUMN_TYPES, *TARGET_TYPES, *URGENT_TYPES]
    by_unit: dict[int, list[Problem]] = defaultdict(list)
    if unit_ids:
        for problem in session.scalars(
            select(Problem)
            .where(Problem.unit_id.in_(unit_ids), Problem.type.in_(types),
                   Problem.state == ProblemState.OPEN)
            .order_by(Problem.first_seen, Problem.id)
        ):
            by_unit[problem.unit_id].append(problem)  # type: ignore[index]  # in_() rules out None
    return by_unit


def _unit_facts(unit: Unit, problems: list[Problem], judgement: PortalJudgement,
                articles: dict[str, ArticleRow], chat: tuple[str, ...]) -> UnitFacts:
    columns = {judged.facts.column.id: judged for judged in judgement.of_unit(unit.id)}
    lags = _lags(problems, columns)
    month, quarter = _missed_weeks(unit.id, judgement)
    return UnitFacts(
        unit_id=unit.id, name=unit.name, group=unit.group_name,
        contacts=tuple(unit.contacts or ()),
        overdue=tuple(lag for lag in lags if lag.status in _BEHIND),
        due_soon=tuple(lag for lag in lags if lag.status is ColumnStatus.DUE_SOON),
        missed_this_month=month, missed_this_quarter=quarter,
        dead_targets=_pages(problems, TARGET_TYPES, articles),
        unreachable=tuple(_column_lag(judged) for judged in columns.values()
                          if judged.status is ColumnStatus.UNREACHABLE
                          and judged.facts.last_crawl is not None),
        urgent=_pages(problems, URGENT_TYPES, articles),
        chat=chat,
    )


def _lags(problems: list[Problem], columns: dict[int, ColumnJudgement]) -> list[ColumnLag]:
    """The columns of open status problems as the judgement sees them today, once each. A
    column the last crawl could not read is never reported as behind (SPEC §4.4): it is
    listed as unreachable instead, and a problem the judgement no longer supports says
    nothing."""
    seen: set[int] = set()
    lags = []
    for problem in problems:
        judged = columns.get(problem.column_id or -1)
        if (problem.type not in COLUMN_TYPES or judged is None
                or judged.status not in (*_BEHIND, ColumnStatus.DUE_SOON)
                or judged.facts.column.id in seen):
            continue
        seen.add(judged.facts.column.id)
        lags.append(_column_lag(judged))
    return lags


def _column_lag(judged: ColumnJudgement) -> ColumnLag:
    column, state = judged.facts.column, judged.state
    return ColumnLag(column.name, column.url, column.cycle, judged.status,
                     state.last_post, state.due)


def _pages(problems: Iterable[Problem], types: tuple[ProblemType, ...],
           articles: dict[str, ArticleRow]) -> tuple[PageProblem, ...]:
    found = []
    for problem in problems:
        if problem.type not in types:
            continue
        article = articles.get(problem.url or "")
        found.append(PageProblem(
            problem.type, problem.url or "", problem.target or "",
            detail_text(problem.type, problem.detail),
            local_date(problem.first_seen), article.title if article else None,
            article.date if article else None))
    # Worst first, then in the order they were found.
    return tuple(sorted(found, key=lambda page: -kind_of(page.type).severity))


def _missed_weeks(unit_id: int, judgement: PortalJudgement
                  ) -> tuple[tuple[date, ...], tuple[date, ...]]:
    as_of = judgement.as_of
    month = Period.month(as_of.year, as_of.month)
    quarter = Period.quarter(as_of.year, (as_of.month - 1) // 3 + 1)
    return judgement.weekly(unit_id, month).missed, judgement.weekly(unit_id, quarter).missed
