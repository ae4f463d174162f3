"""The portal against the 2019 national indicators' single-veto items (SPEC §4.8).

国办秘函〔2019〕19号 makes a portal 不合格 on any one veto item, whatever else it scores.
This rule puts the monitor's own facts together, item by item: the availability probes
of the last 7 days, the home page's newest dated item, each column's national staleness
and status (as `check --json` gives them), and the broken links on the home page and on
other pages. Each item has a value, the veto threshold, whether it vetoes, whether it has
crossed its early-warning level, and the columns or pages behind it.

Pure: plain facts and thresholds in, items out. "Not known" is said as such (value None),
never as a pass or a fail: a thin probe window, or a home page with no dated item on
record, accuses nobody.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from monitor.domain import ColumnStatus, Cycle
from monitor.i18n import N_


class NationalKey(StrEnum):
    SITE_UNAVAILABLE = "site_unavailable"
    HOME_NOT_UPDATED = "home_not_updated"
    STALE_COLUMNS = "stale_columns"
    BLANK_COLUMNS = "blank_columns"
    UNUPDATED_COLUMNS = "unupdated_columns"
    HOME_BROKEN_LINKS = "home_broken_links"
    BROKEN_LINKS = "broken_links"


# Chinese in JSON (SPEC §5); marked so that a problem's detail can word them in English.
LABELS = {
    NationalKey.SITE_UNAVAILABLE: N_("站点无法访问"),
    NationalKey.HOME_NOT_UPDATED: N_("首页不更新"),
    NationalKey.STALE_COLUMNS: N_("栏目不更新"),
    NationalKey.BLANK_COLUMNS: N_("空白栏目"),
    NationalKey.UNUPDATED_COLUMNS: N_("应更新未更新栏目"),
    NationalKey.HOME_BROKEN_LINKS: N_("首页错链断链"),
    NationalKey.BROKEN_LINKS: N_("其他页面错链断链"),
}


@dataclass(frozen=True)
class NationalThresholds:
    """Veto thresholds (None: the item never vetoes) and early-warning levels (None: no
    warning). A value at or above the threshold crosses it."""

    unavailable_percent: float = 5
    unavailable_warning_percent: float = 3
    min_probes_per_day: int = 20
    home_days: int = 14
    home_warning_days: int = 10
    stale_columns: int = 5
    stale_warning: int = 3
    unupdated_columns: int = 10
    unupdated_warning: int = 6
    blank_columns: int = 5
    blank_warning: int = 2
    home_broken_links_warning: int | None = 1
    broken_links_warning: int | None = None


@dataclass(frozen=True)
class ProbeWindow:
    """The availability probes of the window (the last 7 days, as-of included)."""

    probes: int
    failures: int  # failed, or not loaded within 15 s
    # Days with fewer probes than the rule needs: the share is then not judged.
    thin_days: tuple[date, ...]


@dataclass(frozen=True)
class JudgedColumn:
    """One active column as `check --json` gives it."""

    unit: str
    column: str
    cycle: Cycle
    status: ColumnStatus
    stale: bool
    last_post: date | None


@dataclass(frozen=True)
class BrokenLink:
    """One broken target and the pages (of one kind: home page or other) that carry it."""

    target: str
    pages: tuple[str, ...]


@dataclass(frozen=True)
class NationalFacts:
    probe: ProbeWindow
    home_newest_item: date | None
    columns: tuple[JudgedColumn, ...]
    home_broken: tuple[BrokenLink, ...]
    other_broken: tuple[BrokenLink, ...]


@dataclass(frozen=True)
class NationalItem:
    key: NationalKey
    value: float | int | None  # None: not known at as-of
    unit: str
    threshold: float | int | None  # None: no veto for this item
    warning: float | int | None
    veto: bool
    warned: bool  # crossed the early-warning level (or the veto threshold)
    behind: tuple[dict[str, str | None], ...]
    note: str | None = None

    @property
    def label(self) -> str:
        return LABELS[self.key]


@dataclass(frozen=True)
class NationalResult:
    as_of: date
    items: tuple[NationalItem, ...]

    @property
    def veto(self) -> bool:
        return any(item.veto for item in self.items)


def _crosses(value: float | int | None, level: float | int | None) -> bool:
    return value is not None and level is not None and Fraction(str(value)) >= Fraction(
        str(level))


def _item(key: NationalKey, value: float | int | None, unit: str,
          threshold: float | int | None, warning: float | int | None,
          behind: Sequence[dict[str, str | None]], note: str | None = None) -> NationalItem:
    veto = _crosses(value, threshold)
    warned = veto or _crosses(value, warning)
    return NationalItem(key, value, unit, threshold, warning, veto, warned, tuple(behind), note)


def site_unavailable(probe: ProbeWindow, limits: NationalThresholds) -> NationalItem:
    """Share of failed probes in percent; not judged on a thin window (§4.8's "at least
    `min_probes_per_day` probes a day")."""
    if probe.thin_days or probe.probes == 0:
        note = (f"{len(probe.thin_days)}天监测次数少于每天{limits.min_probes_per_day}次，不作判定"
                if probe.thin_days else "无监测记录，不作判定")
        return _item(NationalKey.SITE_UNAVAILABLE, None, "%", limits.unavailable_percent,
                     limits.unavailable_warning_percent, (), note)
    # Exact: 7 of 140 is 5 %, which float division would put a hair below.
    share = Fraction(probe.failures * 100, probe.probes)
    value = round(float(share), 2)
    veto_at, warn_at = (Fraction(str(limits.unavailable_percent)),
                        Fraction(str(limits.unavailable_warning_percent)))
    veto = share >= veto_at
    return NationalItem(NationalKey.SITE_UNAVAILABLE, value, "%", limits.unavailable_percent,
                        limits.unavailable_warning_percent, veto, veto or share >= warn_at,
                        (), f"共监测{probe.probes}次，失败或超过15秒{probe.failures}次")


def home_not_updated(newest: date | None, as_of: date,
                     limits: NationalThresholds) -> NationalItem:
    """Days since the home page's newest dated item. More than `home_days` days vetoes:
    "no new item in 2 weeks" (14 days old is still within them)."""
    if newest is None or newest > as_of:
        return _item(NationalKey.HOME_NOT_UPDATED, None, "days", limits.home_days,
                     limits.home_warning_days, (), "首页未记录带日期的信息，不作判定")
    age = (as_of - newest).days
    veto = age > limits.home_days
    warned = veto or age > limits.home_warning_days
    return NationalItem(NationalKey.HOME_NOT_UPDATED, age, "days", limits.home_days,
                        limits.home_warning_days, veto, warned,
                        ({"newest_item": newest.isoformat()},))


def _column_behind(column: JudgedColumn) -> dict[str, str | None]:
    return {"unit": column.unit, "column": column.column,
            "last_post": column.last_post.isoformat() if column.last_post else None}


def _counted(key: NationalKey, columns: Sequence[JudgedColumn], threshold: int,
             warning: int, none_read: bool) -> NationalItem:
    if none_read:
        # The portal was down, or never crawled: a count of zero would clear warnings on
        # facts nobody read.
        return _item(key, None, "columns", threshold, warning, (), "栏目均未能读取，不作判定")
    return _item(key, len(columns), "columns", threshold, warning,
                 [_column_behind(column) for column in columns])


def _links(key: NationalKey, links: Sequence[BrokenLink], warning: int | None) -> NationalItem:
    behind: list[dict[str, str | None]] = [{"target": link.target, "page": page}
                                           for link in links for page in link.pages]
    return _item(key, len(links), "links", None, warning, behind)


def national_indicators(facts: NationalFacts, as_of: date,
                        limits: NationalThresholds) -> NationalResult:
    """Every item of SPEC §5's `national --json`, in its order."""
    stale = [column for column in facts.columns if column.stale]
    blank = [column for column in facts.columns if column.status is ColumnStatus.EMPTY]
    unupdated = [column for column in facts.columns
                 if column.cycle is not Cycle.NONE and column.status is ColumnStatus.OVERDUE]
    none_read = all(column.status is ColumnStatus.UNREACHABLE for column in facts.columns)
    return NationalResult(as_of, (
        site_unavailable(facts.probe, limits),
        home_not_updated(facts.home_newest_item, as_of, limits),
        _counted(NationalKey.STALE_COLUMNS, stale, limits.stale_columns, limits.stale_warning,
                 none_read),
        _counted(NationalKey.BLANK_COLUMNS, blank, limits.blank_columns, limits.blank_warning,
                 none_read),
        _counted(NationalKey.UNUPDATED_COLUMNS, unupdated, limits.unupdated_columns,
                 limits.unupdated_warning, none_read),
        _links(NationalKey.HOME_BROKEN_LINKS, facts.home_broken,
               limits.home_broken_links_warning),
        _links(NationalKey.BROKEN_LINKS, facts.other_broken, limits.broken_links_warning),
    ))
