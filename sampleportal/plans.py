"""The cast of the default portal: which units exist, how they publish, which CMS style
each column uses. Kept apart from the generator so the scenario reads as a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from monitor.domain import GROUP_COUNTY_DEPARTMENTS as DEPT
from monitor.domain import GROUP_TOWNSHIPS as TOWN
from monitor.domain import Category, Cycle
from sampleportal.model import Behaviour, ListDates, ListStyle

# Weeks (Mondays) a unit skips. The 2023-24 calendar has no Monday-Sunday week without a
# working day, so "holiday" gaps sit in weeks whose working days fall outside a period:
# 2023-09-25 (its Oct days are National Day holidays) and 2024-04-29 (its May days are
# Labour Day holidays). The 调休 gaps sit in weeks with a weekend working day.
HOLIDAY_GAP_WEEKS = (date(2023, 9, 25), date(2024, 4, 29))
TIAOXIU_GAP_WEEKS = (date(2023, 10, 2), date(2024, 2, 12), date(2024, 4, 22))
LAPSE_DAY = date(2024, 4, 19)  # the lapsed unit's last post
BACKDATE_DAYS = 5


@dataclass(frozen=True)
class ColumnPlan:
    slug: str
    name: str
    category: Category
    cycle: Cycle
    deadline: str | None = None
    style: ListStyle | None = None  # None: the unit's style
    list_dates: ListDates | None = None  # None: the style's usual dates
    empty: bool = False
    report_when: str = "on_time"  # yearly reports: on_time | late | never


@dataclass(frozen=True)
class UnitPlan:
    slug: str
    name: str
    group: str
    aliases: tuple[str, ...]
    annual_target: int
    behaviour: Behaviour
    style: ListStyle
    columns: tuple[ColumnPlan, ...]


def dynamics(slug: str = "gzdt", name: str = "工作动态", **extra) -> ColumnPlan:
    return ColumnPlan(slug, name, Category.DYNAMICS, Cycle.WEEKLY, **extra)


def notice(**extra) -> ColumnPlan:
    return ColumnPlan("tzgg", "通知公告", Category.NOTICE, Cycle.MONTHLY, **extra)


def policy(**extra) -> ColumnPlan:
    return ColumnPlan("zcwj", "政策文件", Category.POLICY, Cycle.QUARTERLY, **extra)


def report(**extra) -> ColumnPlan:
    return ColumnPlan("ndbg", "政府信息公开年度报告", Category.REPORT, Cycle.YEARLY,
                      deadline="01-31", **extra)


def duties(**extra) -> ColumnPlan:
    return ColumnPlan("jgzn", "机构职能", Category.DUTIES, Cycle.NONE, **extra)


def guide(**extra) -> ColumnPlan:
    return ColumnPlan("gkzn", "公开指南", Category.GUIDE, Cycle.NONE, **extra)


def township_dynamics(**extra) -> ColumnPlan:
    return dynamics("xzdt", "乡镇动态", **extra)


B, S = Behaviour, ListStyle
UNIT_PLANS: tuple[UnitPlan, ...] = (
    UnitPlan("slj", "县水利局", DEPT, ("水利局",), 450, B.DILIGENT, S.TRS,
             (dynamics(list_dates=ListDates.SHORT), notice(), report(), policy(), duties())),
    UnitPlan("wjw", "县卫生健康委员会", DEPT, ("县卫健委", "卫健委"), 300, B.HOLIDAY_GAPS,
             S.HANWEB, (dynamics(), notice(), policy(), report(), duties())),
    UnitPlan("jyj", "县教育体育局", DEPT, ("教体局",), 320, B.TIAOXIU_GAPS, S.TABLE,
             (dynamics(), notice(), policy(), report())),
    UnitPlan("czj", "县财政局", DEPT, ("财政局",), 260, B.DILIGENT, S.LEGACY,
             (dynamics(), notice(), policy(), report(),
              ColumnPlan("czzj", "财政资金", Category.DISCLOSURE, Cycle.MONTHLY))),
    UnitPlan("zrzyj", "县自然资源局", DEPT, ("自然资源局",), 240, B.BACKDATING, S.TRS,
             (dynamics(), notice(), report(), duties())),
    UnitPlan("nyncj", "县农业农村局", DEPT, ("农业农村局",), 280, B.LAPSED, S.HANWEB,
             (dynamics(), notice(), policy(), report())),
    UnitPlan("scjgj", "县市场监督管理局", DEPT, ("市场监管局",), 200, B.SILENT, S.TABLE,
             (dynamics(), notice(), report())),
    UnitPlan("qsz", "青石镇", TOWN, ("青石镇人民政府",), 200, B.DILIGENT, S.TRS,
             (township_dynamics(style=S.JSLIST), notice(), report(), duties())),
    UnitPlan("lxz", "柳溪镇", TOWN, ("柳溪镇人民政府",), 180, B.RANDOM_GAPS, S.LEGACY,
             (township_dynamics(), notice(), report(), guide())),
    UnitPlan("bsx", "白沙乡", TOWN, ("白沙乡人民政府",), 150, B.DILIGENT, S.TRS,
             (township_dynamics(list_dates=ListDates.NONE), notice(), report(), guide())),
    UnitPlan("ylx", "云岭乡", TOWN, ("云岭乡人民政府",), 160, B.DILIGENT, S.HANWEB,
             (township_dynamics(), notice(list_dates=ListDates.NONE),
              report(report_when="never"), guide(empty=True))),
    UnitPlan("tyz", "桃源镇", TOWN, ("桃源镇人民政府",), 170, B.DILIGENT, S.TABLE,
             (township_dynamics(), notice(), report(report_when="late"), duties())),
)

LARGE_COLUMNS: tuple[ColumnPlan, ...] = (
    dynamics(), notice(), policy(), report(), duties(), guide(),
    ColumnPlan("zcjd", "政策解读", Category.POLICY, Cycle.NONE),
    ColumnPlan("xxgk", "其他信息公开", Category.DISCLOSURE, Cycle.MONTHLY),
    ColumnPlan("ldxx", "领导信息", Category.DUTIES, Cycle.NONE),
    ColumnPlan("czzj", "财政资金", Category.DISCLOSURE, Cycle.QUARTERLY),
)
LARGE_STYLES = (S.TRS, S.HANWEB, S.TABLE, S.LEGACY)  # no browser lists: benchmarks crawl fast
