"""/ 总览: units ranked by completion within their group, weekly misses this quarter,
open problems by type, the national indicators (as `monitor national`). The office's page;
a unit user is sent to its own unit's page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from monitor.domain import ProblemState
from monitor.rules.figures import UnitFigures
from monitor.rules.national import NationalResult
from monitor.rules.periods import Period
from monitor.rules.weekly import WeeklyResult
from monitor.services.national import national_result, threshold_words, value_words
from monitor.services.reports import weekly_results
from monitor.services.stats import StatsResult, unit_stats
from monitor.web.labels import type_label
from monitor.web.pages.common import context, reading, render, site_id, today, user
from storage.queries import ProblemFilter, problems

if TYPE_CHECKING:
    from monitor.web.app import WebContext


@dataclass(frozen=True)
class GroupRanking:
    group: str
    figures: tuple[UnitFigures, ...]


@dataclass(frozen=True)
class WeekMisses:
    monday: date
    missed: int
    counted: int


def quarter_of(day: date) -> Period:
    return Period.quarter(day.year, (day.month - 1) // 3 + 1)


def rankings(stats: StatsResult) -> list[GroupRanking]:
    """Each group in config order, its units by rank (units without a target last)."""
    groups: dict[str, list[UnitFigures]] = {}
    for figure in stats.figures:
        groups.setdefault(figure.group, []).append(figure)
    return [GroupRanking(group, tuple(sorted(
        figures, key=lambda f: (f.rank_in_group is None, f.rank_in_group or 0))))
        for group, figures in groups.items()]


def week_misses(results: dict[str, WeeklyResult]) -> list[WeekMisses]:
    """How many units missed each counted week (and how many it was counted for)."""
    counted: Counter[date] = Counter()
    missed: Counter[date] = Counter()
    for result in results.values():
        counted.update(result.weeks)
        missed.update(result.missed)
    return [WeekMisses(monday, missed[monday], counted[monday]) for monday in sorted(counted)]


def overview_judgements(web: WebContext, session: Session, day: date
                        ) -> tuple[StatsResult, dict[str, WeeklyResult]]:
    """The figures (as `monitor stats`) and this quarter's weekly results (as the
    reports'), from the page cache; `monitor serve` computes them once at start."""
    portal = web.application.config
    quarter = quarter_of(day)
    so_far = Period(quarter.start, min(quarter.end, day))
    version = web.cache.version(session, day)
    stats = web.cache.get(version, ("stats", day), lambda: unit_stats(session, portal, day))
    weekly = web.cache.get(version, ("weekly", so_far, day),
                           lambda: weekly_results(session, portal, so_far, day))
    return stats, weekly


def _national(request: Request, session: Session, day: date) -> NationalResult | None:
    """The national items as `monitor national` gives them; None before any crawl."""
    web, site = context(request), site_id(request, session)
    if site is None:
        return None
    return web.cache.get(web.cache.version(session, day), ("national", day),
                         lambda: national_result(session, web.application.config, site, day))


def overview_page(request: Request) -> Response:
    current = user(request)
    if not current.is_office:
        return RedirectResponse(f"/units/{quote(current.unit or '')}", status_code=303)
    day = today(request)
    quarter = quarter_of(day)
    with reading(request) as session:
        stats, weekly = overview_judgements(context(request), session, day)
        site = site_id(request, session)
        open_problems = [] if site is None else problems(
            session, site, ProblemFilter(states=(ProblemState.OPEN,)))
        national = _national(request, session, day)
    by_type = Counter(problem.type for problem in open_problems)
    misses = week_misses(weekly)
    return render(request, "overview.html", {
        "as_of": day,
        "stats": stats,
        "rankings": rankings(stats),
        "quarter": quarter,
        "weeks": misses,
        "weekly": weekly,
        "chart": {"weeks": [f"{w.monday.month}月{w.monday.day}日" for w in misses],
                  "missed": [w.missed for w in misses],
                  "counted": [w.counted for w in misses]},
        "problem_types": [(kind, type_label(kind), count)
                          for kind, count in by_type.most_common()],
        "open_total": len(open_problems),
        "national": national,
        "value_words": value_words,
        "threshold_words": threshold_words,
    }, current=current)
