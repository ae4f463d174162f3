"""Build a deterministic fictional county portal from a seed.

The default portal has 12 units whose behaviours are listed in `plans.UNIT_PLANS`; the
large one (for benchmarks) has 100 units × 10 columns × 100 posts. Only content is built
here; pages are rendered on request by `sampleportal.site`.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from monitor.domain import Category, Cycle
from sampleportal.clock import SHANGHAI
from sampleportal.model import (
    ArticleDate,
    Behaviour,
    Column,
    ListDates,
    ListStyle,
    Portal,
    Post,
    Unit,
)
from sampleportal.plans import (
    BACKDATE_DAYS,
    HOLIDAY_GAP_WEEKS,
    LAPSE_DAY,
    LARGE_COLUMNS,
    LARGE_STYLES,
    TIAOXIU_GAP_WEEKS,
    UNIT_PLANS,
    ColumnPlan,
    UnitPlan,
)
from sampleportal.texts import COUNTY, SITE_NAME, title_for
from sampleportal.traps import TRAPS
from sampleportal.workdays import monday_of, workdays

FIRST_DAY = date(2023, 9, 1)
LAST_DAY = date(2024, 5, 31)  # posts keep coming after the default now, for replays
DEFAULT_NOW = datetime(2024, 5, 10, 9, 0, tzinfo=SHANGHAI)
LARGE_UNITS, LARGE_POSTS = 100, 100


class _Ids:
    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


def generate_portal(seed: int = 1, large: bool = False, style: ListStyle | None = None
                    ) -> Portal:
    """The sample portal for `seed`; the same seed always gives the same portal.
    `style`: a flavour of the portal (default or large) whose every column uses that list
    style (same units, posts and dates), to try one CMS style on the whole scenario."""
    rng = random.Random(seed)
    ids = _Ids()
    if large:
        units = [_large_unit(rng, ids, number, style) for number in range(1, LARGE_UNITS + 1)]
    else:
        units = [_unit(rng, ids, plan, number, style) for number, plan in enumerate(UNIT_PLANS)]
    units = _place_traps(rng, units)
    return Portal(seed, SITE_NAME, COUNTY, DEFAULT_NOW, FIRST_DAY, tuple(units), large)


def _unit(rng: random.Random, ids: _Ids, plan: UnitPlan, number: int,
          flavour: ListStyle | None) -> Unit:
    skipped = _skipped_weeks(rng, plan.behaviour)
    columns = []
    for index, column_plan in enumerate(plan.columns):
        style = flavour or column_plan.style or plan.style
        dates = _claimed_dates(rng, plan, column_plan, skipped)
        posts = _posts(rng, ids, plan, column_plan, dates)
        columns.append(_column(plan.slug, column_plan, style, 100 + number * 10 + index, posts))
    return Unit(plan.slug, plan.name, plan.group, plan.aliases, plan.annual_target,
                plan.behaviour, tuple(columns))


def _column(unit_slug: str, plan: ColumnPlan, style: ListStyle, number: int,
            posts: list[Post]) -> Column:
    list_dates = plan.list_dates or (ListDates.SHORT if style is ListStyle.LEGACY
                                     else ListDates.FULL)
    return Column(unit_slug, plan.slug, plan.name, number, plan.category, plan.cycle, style,
                  list_dates, plan.deadline, tuple(posts))


def _skipped_weeks(rng: random.Random, behaviour: Behaviour) -> frozenset[date]:
    if behaviour is Behaviour.HOLIDAY_GAPS:
        return frozenset(HOLIDAY_GAP_WEEKS)
    if behaviour is Behaviour.TIAOXIU_GAPS:
        return frozenset(TIAOXIU_GAP_WEEKS)
    if behaviour is Behaviour.RANDOM_GAPS:
        ordinary = [monday for monday in _mondays()
                    if monday not in HOLIDAY_GAP_WEEKS + TIAOXIU_GAP_WEEKS]
        return frozenset(rng.sample(ordinary, 4))
    return frozenset()


def _mondays() -> list[date]:
    first = monday_of(FIRST_DAY)
    return [first + timedelta(weeks=n) for n in range((LAST_DAY - first).days // 7 + 1)]


def _claimed_dates(rng: random.Random, unit: UnitPlan, column: ColumnPlan,
                   skipped: frozenset[date]) -> list[date]:
    if column.empty or unit.behaviour is Behaviour.SILENT:
        return []
    if column.cycle is Cycle.WEEKLY:
        dates = _weekly_dates(rng, skipped)
    elif column.cycle is Cycle.MONTHLY:
        dates = _per_period_dates(rng, _month_spans(), (1, 3))
    elif column.cycle is Cycle.QUARTERLY:
        dates = _per_period_dates(rng, _quarter_spans(), (1, 2))
    elif column.cycle is Cycle.YEARLY:
        dates = _report_dates(column.report_when)
    else:
        dates = workdays(FIRST_DAY, FIRST_DAY + timedelta(days=20))[:2]
    if unit.behaviour is Behaviour.LAPSED:
        dates = [day for day in dates if day <= LAPSE_DAY]
    return sorted(dates)


def _weekly_dates(rng: random.Random, skipped: frozenset[date]) -> list[date]:
    dates: list[date] = []
    for monday in _mondays():
        if monday in skipped:
            continue
        open_days = [day for day in workdays(monday, monday + timedelta(days=6))
                     if FIRST_DAY <= day <= LAST_DAY]
        if open_days:
            count = min(len(open_days), rng.choice((1, 1, 2, 2, 3)))
            dates.extend(rng.sample(open_days, count))
    return dates


def _month_spans() -> list[tuple[date, date]]:
    spans, start = [], FIRST_DAY
    while start <= LAST_DAY:
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        spans.append((start, min(LAST_DAY, following - timedelta(days=1))))
        start = following
    return spans


def _quarter_spans() -> list[tuple[date, date]]:
    months = _month_spans()
    return [(months[i][0], months[min(i + 2, len(months) - 1)][1]) for i in range(1, 9, 3)]


def _per_period_dates(rng: random.Random, spans: list[tuple[date, date]],
                      count_range: tuple[int, int]) -> list[date]:
    dates: list[date] = []
    for first, last in spans:
        open_days = workdays(first, last)
        dates.extend(rng.sample(open_days, min(len(open_days), rng.randint(*count_range))))
    return dates


def _report_dates(when: str) -> list[date]:
    # Last year's report was on time for everyone; this year's depends on the unit.
    this_year = {"on_time": [date(2024, 1, 19)], "late": [date(2024, 3, 12)], "never": []}
    return [date(2023, 1, 18), *this_year[when]]


def _posts(rng: random.Random, ids: _Ids, unit: UnitPlan, column: ColumnPlan,
           dates: list[date]) -> list[Post]:
    posts = []
    for index, claimed in enumerate(dates):
        post_id = ids.next()
        published = _office_hours(rng, claimed)
        if unit.behaviour is Behaviour.BACKDATING and index % 3 == 2:
            published += timedelta(days=BACKDATE_DAYS)
        posts.append(Post(
            id=post_id,
            title=title_for(rng, column.category.value, unit.name, claimed.year),
            claimed=claimed,
            published_at=published,
            article_date=ArticleDate.VISIBLE_ONLY if index % 7 == 3 else ArticleDate.BOTH,
            with_seconds=rng.random() < 0.5,
            has_image=post_id % 3 == 0,
            has_attachment=column.category is not Category.DYNAMICS and post_id % 2 == 0,
        ))
    if column.list_dates is ListDates.NONE and posts:
        posts.append(_undated(rng, ids, unit, column, posts))
    if unit.behaviour is Behaviour.DILIGENT and column.category is Category.DYNAMICS:
        posts = _withdraw_some(posts)
    return posts


def _office_hours(rng: random.Random, day: date) -> datetime:
    minutes = rng.randrange(8 * 60 + 30, 17 * 60 + 30)
    return datetime.combine(day, time(minutes // 60, minutes % 60), SHANGHAI)


def _undated(rng: random.Random, ids: _Ids, unit: UnitPlan, column: ColumnPlan,
             posts: list[Post]) -> Post:
    """A post with no date anywhere, put up beside an ordinary post of an early week."""
    beside = posts[len(posts) // 3]
    return Post(
        id=ids.next(),
        title=title_for(rng, column.category.value, unit.name, beside.claimed.year),
        claimed=beside.claimed,
        published_at=beside.published_at + timedelta(minutes=20),
        article_date=ArticleDate.NOWHERE,
    )


def _withdraw_some(posts: list[Post]) -> list[Post]:
    """撤稿: two posts taken down two days later, each from a week that keeps another post,
    so that no week's compliance depends on whether a crawl saw them."""
    by_week: dict[date, list[int]] = {}
    for index, post in enumerate(posts):
        by_week.setdefault(monday_of(post.claimed), []).append(index)
    crowded = [indexes for week, indexes in sorted(by_week.items())
               if len(indexes) >= 2 and week < date(2024, 4, 1)]
    chosen = [crowded[len(crowded) // 4][-1], crowded[len(crowded) // 2][-1]] if crowded else []
    return [replace(post, withdrawn_at=post.published_at + timedelta(days=2))
            if index in chosen else post for index, post in enumerate(posts)]


def _large_unit(rng: random.Random, ids: _Ids, number: int, flavour: ListStyle | None
                ) -> Unit:
    township = number % 3 == 0
    name = f"第{number}乡镇" if township else f"县第{number}局"
    plan = UnitPlan(f"u{number:03d}", name, "乡镇" if township else "县直单位", (),
                    300, Behaviour.DILIGENT, LARGE_STYLES[number % 4], LARGE_COLUMNS)
    open_days = workdays(FIRST_DAY, LAST_DAY)
    columns = []
    for index, column_plan in enumerate(LARGE_COLUMNS):
        style = flavour or LARGE_STYLES[(number + index) % len(LARGE_STYLES)]
        dates = sorted(rng.choice(open_days) for _ in range(LARGE_POSTS))
        posts = [Post(id=(post_id := ids.next()),
                      title=title_for(rng, column_plan.category.value, name, day.year),
                      claimed=day, published_at=_office_hours(rng, day),
                      with_seconds=post_id % 2 == 0, has_image=post_id % 5 == 0)
                 for day in dates]
        columns.append(_column(plan.slug, column_plan, style, 1000 + number * 10 + index, posts))
    return Unit(plan.slug, name, plan.group, (), 300, Behaviour.DILIGENT, tuple(columns))


def _place_traps(rng: random.Random, units: list[Unit]) -> list[Unit]:
    """Put each trap (and the privacy leak) in one ordinary article visible by default.

    Carriers are spread over columns of every list style, so that a checker meets the
    traps whichever CMS it reads."""
    cutoff = DEFAULT_NOW - timedelta(days=7)
    candidates = [
        (column, post) for unit in units for column in unit.columns
        if unit.behaviour is Behaviour.DILIGENT
        for post in column.posts
        if post.withdrawn_at is None and post.published_at < cutoff
        and post.article_date is not ArticleDate.NOWHERE
    ]
    by_style: dict[ListStyle, list[tuple[Column, Post]]] = {}
    for column, post in candidates:
        by_style.setdefault(column.style, []).append((column, post))
    pools = [sorted(pool, key=lambda pair: pair[1].id) for _, pool in sorted(by_style.items())]
    loads: dict[int, list[str]] = {}
    keys = [trap.key for trap in TRAPS] + ["privacy"]
    for index, key in enumerate(keys):
        pool = pools[index % len(pools)]
        column, post = pool[rng.randrange(len(pool))]
        loads.setdefault(post.id, []).append(key)
    return [_with_loads(unit, loads) for unit in units]


def _with_loads(unit: Unit, loads: dict[int, list[str]]) -> Unit:
    def load(post: Post) -> Post:
        keys = loads.get(post.id)
        if not keys:
            return post
        traps = tuple(key for key in keys if key != "privacy")
        return replace(post, trap_keys=traps, leaks_privacy="privacy" in keys)

    columns = tuple(replace(column, posts=tuple(load(post) for post in column.posts))
                    for column in unit.columns)
    return replace(unit, columns=columns)


__all__ = ["DEFAULT_NOW", "FIRST_DAY", "LAST_DAY", "generate_portal"]
