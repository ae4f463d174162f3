"""The report model: plain, typed, immutable data that every writer renders (SPEC §6).

The builders (`reports.monthly`, `reports.quarterly`) decide what goes into a report:
sorting, the lowest five, which problems are reported and how they are grouped. The
writers only lay the model out, so DOCX, XLSX, Markdown and HTML always say the same thing.
Text that comes from the crawl (titles, URLs, details) is stored raw; each writer escapes it
for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from monitor.domain import ProblemState, ProblemType
from monitor.problem_types import SectionKind


@dataclass(frozen=True)
class UnitRow:
    """One row of 附件1 / 附件2: a unit's target, year-to-date and this month's posts."""

    unit: str
    annual_target: int | None
    ytd_total: int
    period_total: int
    completion: Decimal | None


@dataclass(frozen=True)
class GroupPosts:
    """Posts published this month by the units of one group (基本情况)."""

    group: str
    period_total: int


@dataclass(frozen=True)
class BasicFacts:
    """The figures of 基本情况 / 信息发布情况."""

    period_by_group: tuple[GroupPosts, ...]
    ytd_total: int
    ytd_last_day: date
    lowest_county_units: tuple[UnitRow, ...]


@dataclass(frozen=True)
class ReportProblem:
    """One finding as the report states it (SPEC §4.7).

    `seen_on` is the day it was first seen (the date the report quotes, "4月29日…");
    `state` is the state now, which decides whether last month's problem is fixed.
    `recurring` marks a problem that came back after being fixed (屡禁不止).
    """

    type: ProblemType
    unit: str
    seen_on: date
    column: str | None = None
    url: str | None = None
    target: str | None = None
    detail: str = ""
    state: ProblemState = ProblemState.OPEN
    recurring: bool = False
    # The folder of its screenshots (截图取证), when one was captured.
    evidence: str | None = None
    # The post on whose page it was found, when the page is a recorded post (附件 table).
    title: str | None = None
    published_on: date | None = None
    # Found on the portal as a whole (the home page, the page template, the portal down):
    # `unit` then names the site, which is no unit to count or to blame.
    site_wide: bool = False


@dataclass(frozen=True)
class ProblemSection:
    """The problems of one heading of 存在问题, in report order (date, unit, column, URL)."""

    kind: SectionKind
    problems: tuple[ReportProblem, ...]


@dataclass(frozen=True)
class Rectification:
    """上期问题整改情况: last month's reported problems, split by their state now."""

    still_open: tuple[ReportProblem, ...]
    fixed: tuple[ReportProblem, ...]

    @property
    def reported(self) -> int:
        return len(self.still_open) + len(self.fixed)


class WeekMark(StrEnum):
    """One cell of the week grid."""

    MET = "met"
    MISSED = "missed"
    NOT_COUNTED = "not_counted"


@dataclass(frozen=True)
class WeekGridRow:
    unit: str
    group: str
    marks: tuple[WeekMark, ...]


@dataclass(frozen=True)
class WeekGrid:
    """Units × Monday-Sunday weeks of the month: was the weekly rule met (SPEC §4.3)."""

    mondays: tuple[date, ...]
    rows: tuple[WeekGridRow, ...]


@dataclass(frozen=True)
class MonthlyReport:
    title: str
    issue_no: str
    issuer: str
    issued_on: date | None
    year: int
    month: int
    site_name: str
    editor_note: str
    basic: BasicFacts
    sections: tuple[ProblemSection, ...]
    unverified_links: int
    rectification: Rectification
    requirements: tuple[str, ...]
    week_grid: WeekGrid
    county_rows: tuple[UnitRow, ...]
    township_rows: tuple[UnitRow, ...]
    calendar_warnings: tuple[str, ...] = ()

    @property
    def problem_count(self) -> int:
        return sum(len(section.problems) for section in self.sections)


@dataclass(frozen=True)
class QuarterlyRow:
    """One row of the quarterly table (seed 000)."""

    unit: str
    disclosure_period: int
    disclosure_ytd: int
    dynamics_period: int
    dynamics_ytd: int
    missed_weeks: int


@dataclass(frozen=True)
class QuarterlyTable:
    """The rows of one group, sorted by 信息公开 this quarter, highest first."""

    group: str
    caption: str
    rows: tuple[QuarterlyRow, ...]


@dataclass(frozen=True)
class NationalLine:
    """One national single-veto item as the report states it."""

    label: str
    value: str  # "4个", "1天", "未判定"
    threshold: str  # "≥5个", "超过14天", "不否决"
    veto: bool
    warned: bool
    behind: tuple[str, ...]  # the columns or pages behind it, as read


@dataclass(frozen=True)
class NationalSection:
    """The portal against the national indicators (国办秘函〔2019〕19号) at `as_of`."""

    as_of: date
    veto: bool
    lines: tuple[NationalLine, ...]


@dataclass(frozen=True)
class QuarterlyReport:
    title: str
    issuer: str
    issued_on: date | None
    year: int
    quarter: int
    ytd_first_day: date
    ytd_last_day: date
    tables: tuple[QuarterlyTable, ...]
    notes: tuple[str, ...]
    calendar_warnings: tuple[str, ...] = ()
    national: NationalSection | None = None
