"""The sentences of the monthly report, generated from the model (seed 004's wording style).

Pure functions of model data, so that every format says exactly the same thing. Findings
are stated as what the monitor saw on a date ("4月29日县卫健委工作动态出现逾期"); wording for
suspicions the monitor cannot prove (privacy, hidden links) says 疑似.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from monitor.domain import ProblemType
from monitor.problem_types import kind_of, target_is_address
from reports.model import (
    BasicFacts,
    MonthlyReport,
    ProblemSection,
    Rectification,
    ReportProblem,
    SectionKind,
)

SECTION_TITLES: dict[SectionKind, str] = {
    SectionKind.UPDATES: "栏目更新不及时",
    SectionKind.NATIONAL: "栏目更新未达到国家规定时限",
    SectionKind.INDICATORS: "网站接近或达到国办指标单项否决标准",
    SectionKind.LINKS: "存在不可用链接、图片和附件",
    SectionKind.BACKDATED: "信息发布日期与实际发布时间不符",
    SectionKind.UNDATED: "信息未标注发布日期",
    SectionKind.PRIVACY: "疑似泄露个人隐私",
    SectionKind.HIDDEN: "疑似存在暗链",
    SectionKind.EXPRESSION: "存在表述错误",
    SectionKind.UNREACHABLE: "栏目或网站无法访问",
}

# The sentence before the findings where the heading alone does not say why they matter
# (seed 004: "栏目更新是政府网站工作的基本要求"); a lead that only repeated the heading or
# "经常态化监测发现" would lengthen the body and say nothing.
SECTION_LEADS: dict[SectionKind, str] = {
    SectionKind.UPDATES: "栏目按期更新是政府网站的基本要求。",
    SectionKind.BACKDATED: "信息标注的发布日期应与实际发布时间一致。",
}

def day_text(day: date) -> str:
    return f"{day.month}月{day.day}日"


def full_day_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def percent_text(value: Decimal | None) -> str:
    """Completion as seed 004 prints it: always two decimals (105.40, 62.00)."""
    return "—" if value is None else f"{value:.2f}"


def join_names(names: Sequence[str]) -> str:
    return "、".join(names)


def basic_facts_text(basic: BasicFacts, year: int, month: int, site_name: str) -> str:
    by_group = "、".join(f"{g.group}新增发布{g.period_total}条" for g in basic.period_by_group)
    monthly = f"{year}年{month}月，{site_name}"
    monthly += f"{by_group}。" if by_group else "无新增发布信息。"
    ytd = f"截至{day_text(basic.ytd_last_day)}，各单位年内累计发布信息{basic.ytd_total}条。"
    return monthly + ytd + lowest_text(basic)


def lowest_text(basic: BasicFacts) -> str:
    lowest = basic.lowest_county_units
    if not lowest:
        return ""
    # Names only, as seed 004: the completion of each is in 附件1, a line of percentages
    # here only lengthens the body (and, unbreakable, stretches the justified line).
    names = join_names([row.unit for row in lowest])
    place = "末五位" if len(lowest) == 5 else f"末{len(lowest)}位"
    tie = "（完成比例相同的单位并列）" if len(lowest) > 5 else ""
    return f"{names}居县直单位年度任务完成比例{place}{tie}。"


@dataclass(frozen=True)
class Finding:
    """Problems of one unit, column and type, with the distinct days they were seen."""

    type: ProblemType
    unit: str
    column: str | None
    days: tuple[date, ...]
    count: int


def findings(problems: Sequence[ReportProblem]) -> list[Finding]:
    """Group problems by (type, unit, column), in order of first appearance."""
    grouped: dict[tuple[ProblemType, str, str | None], list[ReportProblem]] = {}
    for problem in problems:
        grouped.setdefault((problem.type, problem.unit, problem.column), []).append(problem)
    return [
        Finding(kind, unit, column, tuple(sorted({p.seen_on for p in group})), len(group))
        for (kind, unit, column), group in grouped.items()
    ]


def days_text(days: Sequence[date]) -> str:
    return "、".join(day_text(day) for day in days)


def _count_text(count: int, places: int) -> str:
    """"（共3处）" when a place was found more than once: the 附件 lists each."""
    return f"（共{count}处）" if count > places else ""


def finding_clause(finding: Finding) -> str:
    where = f"{finding.unit}{finding.column}" if finding.column else finding.unit
    return (f"{days_text(finding.days)}{where}{kind_of(finding.type).wording}"
            f"{_count_text(finding.count, 1)}")


def named_together(found: Sequence[Finding]) -> str:
    """The units and columns of findings of one type and days, each unit named once and
    units with the same columns named together: "县市场监督管理局工作动态、通知公告",
    "县农业农村局、县教育体育局工作动态"."""
    columns_of: dict[str, list[str]] = {}
    for finding in found:
        columns = columns_of.setdefault(finding.unit, [])
        if finding.column and finding.column not in columns:
            columns.append(finding.column)
    units_of: dict[str, list[str]] = {}
    for unit, columns in columns_of.items():
        units_of.setdefault("、".join(columns), []).append(unit)
    return "、".join(join_names(units) + columns for columns, units in units_of.items())


def dated_clauses(found: Sequence[Finding]) -> list[str]:
    """One clause per days and type, the days said once for the clauses that share them:
    "4月24日县市场监督管理局工作动态、通知公告栏目尚无任何信息；桃源镇年度报告出现逾期；
    4月29日县农业农村局、县教育体育局工作动态出现逾期". Seed 004 keeps the body short
    this way; each problem with its page and link is in the 附件 table."""
    groups: dict[tuple[tuple[date, ...], ProblemType], list[Finding]] = {}
    for finding in found:
        groups.setdefault((finding.days, finding.type), []).append(finding)
    clauses: list[str] = []
    said: tuple[date, ...] | None = None
    for (days, kind), members in sorted(groups.items(), key=lambda item: item[0][0]):
        count = _count_text(sum(f.count for f in members), len(members))
        clause = f"{named_together(members)}{kind_of(kind).wording}{count}"
        clauses.append(clause if days == said else days_text(days) + clause)
        said = days
    return clauses


def repeated_reminders_clause(problems: Sequence[ReportProblem]) -> list[str]:
    """"小江镇、县水利局多次被提醒工作动态即将逾期", one clause per column name."""
    units_by_column: dict[str, list[str]] = {}
    for problem in problems:
        units = units_by_column.setdefault(problem.column or "栏目", [])
        if problem.unit not in units:
            units.append(problem.unit)
    return [f"{join_names(units)}多次被提醒{column}即将逾期"
            for column, units in units_by_column.items()]


def section_text(section: ProblemSection) -> str:
    due_soon = [p for p in section.problems if p.type is ProblemType.DUE_SOON_COLUMN]
    others = [p for p in section.problems if p.type is not ProblemType.DUE_SOON_COLUMN]
    clauses = dated_clauses(findings(others))
    clauses += repeated_reminders_clause(due_soon)
    return SECTION_LEADS.get(section.kind, "") + "；".join(clauses) + "。"


def monitoring_text(report: MonthlyReport) -> str:
    """常态化监测情况: how many problems, in how many units, under which headings."""
    count = report.problem_count
    if count == 0:
        text = f"{report.month}月常态化监测未发现需要通报的问题。"
    else:
        # The headings of 存在问题 follow straight after: a count by heading would only
        # repeat them.
        # Site-wide findings name the site, not a unit: they are counted as problems only.
        units = {p.unit for section in report.sections for p in section.problems
                 if not p.site_wide}
        involved = f"，涉及{len(units)}个单位" if units else ""
        text = f"{report.month}月常态化监测共发现问题{count}个{involved}。"
    if report.unverified_links:
        text += (f"另有{report.unverified_links}个链接因目标网站访问防护未能核实，"
                 "未作为问题通报。")
    return text


def rectification_text(rect: Rectification) -> str:
    if rect.reported == 0:
        return "上期未通报需要整改的问题。"
    text = f"上期通报的{rect.reported}个问题中，已整改{len(rect.fixed)}个"
    if rect.still_open:
        units = join_names(sorted({p.unit for p in rect.still_open}))
        return text + f"，仍有{len(rect.still_open)}个未整改，涉及{units}。"
    return text + "，已全部整改。"


def table_headers(month: int) -> tuple[str, ...]:
    return ("单位名称", "本年度任务数", "已发布总数", f"{month}月发布条数", "完成比例(%)")


WEEK_MARK_SYMBOLS = {"met": "√", "missed": "×", "not_counted": "—"}
WEEK_MARK_LEGEND = "√ 当周已更新；× 当周未更新；— 当周不计（无工作日或尚未结束）。"


def week_header(monday: date) -> str:
    sunday = date.fromordinal(monday.toordinal() + 6)
    return f"{monday.month}.{monday.day}-{sunday.month}.{sunday.day}"


def problem_text(problem: ReportProblem) -> str:
    """The 问题 cell of the 附件 problem table: what is wrong, its detail, whether it came
    back after being fixed, and where its screenshots are kept."""
    text = kind_of(problem.type).wording
    if problem.detail:
        text += f"（{problem.detail}）"
    if problem.recurring:
        text += "，整改后再次出现"
    if problem.evidence:
        text += f"；截图取证{evidence_label(problem.evidence)}"
    return text


EVIDENCE_LABEL_LENGTH = 12


def evidence_label(folder: str) -> str:
    """A captured problem's evidence as the printed table cites it: the first characters of
    its content-addressed folder's name, enough to find it and short enough for a cell."""
    return PurePath(folder).name[:EVIDENCE_LABEL_LENGTH]


EVIDENCE_NOTE = ("注：“截图取证”后的编号是该问题截图在监测系统证据目录中的文件夹名称"
                 f"（前{EVIDENCE_LABEL_LENGTH}位）。")


def problem_link(problem: ReportProblem) -> str | None:
    """The 链接 cell: the address to fix (the broken link or image, the hidden link), else
    the page. A privacy leak's or a wrong expression's target is what was found (a masked
    number, a phrase), not an address: its row links to the page."""
    if problem.target and target_is_address(problem.type):
        return problem.target
    return problem.url or problem.target


def problem_title(problem: ReportProblem) -> str | None:
    """The 标题 cell: the post's title, or the page's address when it is no recorded post
    (a column page, the home page), so that the row still says where to look."""
    if problem.title:
        return problem.title
    return problem.url if problem.url and problem.url != problem_link(problem) else None


def iso_day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def rectification_details(rect: Rectification) -> str:
    """上期问题整改情况 in prose: the problems still open and those fixed, by unit and day."""
    parts = []
    if rect.still_open:
        clauses = "；".join(finding_clause(f) for f in findings(rect.still_open))
        parts.append(f"仍未整改的问题：{clauses}。")
    if rect.fixed:
        clauses = "；".join(finding_clause(f) for f in findings(rect.fixed))
        parts.append(f"已整改的问题：{clauses}。")
    return "".join(parts)


def problem_annex_text(label: str, count: int) -> str:
    return f"本月发现的{count}个问题逐条列于{label}，请各单位对照整改。"
