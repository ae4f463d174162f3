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
from monitor.i18n import N_, _, ngettext, pgettext
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
    SectionKind.UPDATES: N_("栏目更新不及时"),
    SectionKind.NATIONAL: N_("栏目更新未达到国家规定时限"),
    SectionKind.INDICATORS: N_("网站接近或达到国办指标单项否决标准"),
    SectionKind.LINKS: N_("存在不可用链接、图片和附件"),
    SectionKind.BACKDATED: N_("信息发布日期与实际发布时间不符"),
    SectionKind.UNDATED: N_("信息未标注发布日期"),
    SectionKind.PRIVACY: N_("疑似泄露个人隐私"),
    SectionKind.HIDDEN: N_("疑似存在暗链"),
    SectionKind.EXPRESSION: N_("存在表述错误"),
    SectionKind.UNREACHABLE: N_("栏目或网站无法访问"),
}

# The sentence before the findings where the heading alone does not say why they matter
# (seed 004: "栏目更新是政府网站工作的基本要求"); a lead that only repeated the heading or
# "经常态化监测发现" would lengthen the body and say nothing.
SECTION_LEADS: dict[SectionKind, str] = {
    SectionKind.UPDATES: N_("栏目按期更新是政府网站的基本要求。"),
    SectionKind.BACKDATED: N_("信息标注的发布日期应与实际发布时间一致。"),
}

# Month names for the English catalogue's dates ("10 May 2024"); the Chinese ones use the
# month's number.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def section_title(kind: SectionKind) -> str:
    return _(SECTION_TITLES[kind])


def month_text(month: int) -> str:
    """"4月" / "April"."""
    return _("{month}月").format(month=month, month_name=MONTH_NAMES[month - 1])


def month_of_year_text(year: int, month: int) -> str:
    """"2024年4月" / "April 2024"."""
    return _("{year}年{month}月").format(year=year, month=month,
                                        month_name=MONTH_NAMES[month - 1])


def day_text(day: date) -> str:
    """"4月29日" / "29 April"."""
    return _("{month}月{day}日").format(month=day.month, day=day.day,
                                       month_name=MONTH_NAMES[day.month - 1])


def full_day_text(day: date) -> str:
    """"2024年5月10日" / "10 May 2024"."""
    return _("{year}年{month}月{day}日").format(year=day.year, month=day.month, day=day.day,
                                              month_name=MONTH_NAMES[day.month - 1])


def percent_text(value: Decimal | None) -> str:
    """Completion as seed 004 prints it: always two decimals (105.40, 62.00)."""
    return "—" if value is None else f"{value:.2f}"


def join_names(names: Sequence[str]) -> str:
    """"县水利局、县民政局、县卫健委" / "县水利局, 县民政局 and 县卫健委"."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    between = pgettext("between names of a list", "、")
    last = pgettext("before the last name of a list", "、")
    return between.join(names[:-1]) + last + names[-1]


def join_clauses(clauses: Sequence[str]) -> str:
    """Clauses of one sentence: "…；…" / "…; …"."""
    return pgettext("between clauses", "；").join(clauses)


def full_stop() -> str:
    return pgettext("end of a sentence", "。")


def join_sentences(sentences: Sequence[str]) -> str:
    """Sentences of one paragraph: run together in Chinese, a space apart in English."""
    text = ""
    for sentence in sentences:
        if not sentence:
            continue
        text = sentence if not text else pgettext("two sentences", "{first}{second}").format(
            first=text, second=sentence)
    return text


def where_text(unit: str, column: str | None) -> str:
    """A unit's column as the report names it: "县水利局工作动态" / "县水利局 工作动态"."""
    if not column:
        return unit
    return pgettext("a unit's column", "{unit}{column}").format(unit=unit, column=column)


def basic_facts_text(basic: BasicFacts, year: int, month: int, site_name: str) -> str:
    by_group = join_names([
        _("{group}新增发布{count}条").format(group=g.group, count=g.period_total)
        for g in basic.period_by_group
    ])
    month_name = MONTH_NAMES[month - 1]
    if by_group:
        monthly = _("{year}年{month}月，{site_name}{by_group}。").format(
            year=year, month=month, month_name=month_name, site_name=site_name,
            by_group=by_group)
    else:
        monthly = _("{year}年{month}月，{site_name}无新增发布信息。").format(
            year=year, month=month, month_name=month_name, site_name=site_name)
    ytd = _("截至{day}，各单位年内累计发布信息{total}条。").format(
        day=day_text(basic.ytd_last_day), total=basic.ytd_total)
    return join_sentences([monthly, ytd, lowest_text(basic)])


def lowest_text(basic: BasicFacts) -> str:
    lowest = basic.lowest_county_units
    if not lowest:
        return ""
    # Names only, as seed 004: the completion of each is in 附件1, a line of percentages
    # here only lengthens the body (and, unbreakable, stretches the justified line).
    names = join_names([row.unit for row in lowest])
    tie = _("（完成比例相同的单位并列）") if len(lowest) > 5 else ""
    if len(lowest) == 5:
        return _("{names}居县直单位年度任务完成比例末五位{tie}。").format(names=names, tie=tie)
    return ngettext("{names}居县直单位年度任务完成比例末{count}位{tie}。",
                    "{names}居县直单位年度任务完成比例末{count}位{tie}。",
                    len(lowest)).format(names=names, count=len(lowest), tie=tie)


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
    return join_names([day_text(day) for day in days])


def _count_text(count: int, places: int) -> str:
    """"（共3处）" when a place was found more than once: the 附件 lists each."""
    return _("（共{count}处）").format(count=count) if count > places else ""


def _wording(problem_type: ProblemType) -> str:
    """The report's phrase for a problem type, in the reader's language."""
    return _(kind_of(problem_type).wording)


def finding_clause(finding: Finding) -> str:
    clause = _("{where}{wording}{count}").format(
        where=where_text(finding.unit, finding.column), wording=_wording(finding.type),
        count=_count_text(finding.count, 1))
    return _dated(days_text(finding.days), clause)


def _dated(days: str, clause: str) -> str:
    return _("{days}{clause}").format(days=days, clause=clause)


def named_together(found: Sequence[Finding]) -> str:
    """The units and columns of findings of one type and days, each unit named once and
    units with the same columns named together: "县市场监督管理局工作动态、通知公告",
    "县农业农村局、县教育体育局工作动态"."""
    columns_of: dict[str, list[str]] = {}
    for finding in found:
        columns = columns_of.setdefault(finding.unit, [])
        if finding.column and finding.column not in columns:
            columns.append(finding.column)
    units_of: dict[tuple[str, ...], list[str]] = {}
    for unit, columns in columns_of.items():
        units_of.setdefault(tuple(columns), []).append(unit)
    return join_names([where_text(join_names(units), join_names(columns))
                       for columns, units in units_of.items()])


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
        clause = _("{where}{wording}{count}").format(
            where=named_together(members), wording=_wording(kind), count=count)
        clauses.append(clause if days == said else _dated(days_text(days), clause))
        said = days
    return clauses


def repeated_reminders_clause(problems: Sequence[ReportProblem]) -> list[str]:
    """"小江镇、县水利局多次被提醒工作动态即将逾期", one clause per column name."""
    units_by_column: dict[str, list[str]] = {}
    for problem in problems:
        column = problem.column or pgettext("a column without a name", "栏目")
        units = units_by_column.setdefault(column, [])
        if problem.unit not in units:
            units.append(problem.unit)
    return [ngettext("{units}多次被提醒{column}即将逾期", "{units}多次被提醒{column}即将逾期",
                     len(units)).format(units=join_names(units), column=column)
            for column, units in units_by_column.items()]


def section_text(section: ProblemSection) -> str:
    due_soon = [p for p in section.problems if p.type is ProblemType.DUE_SOON_COLUMN]
    others = [p for p in section.problems if p.type is not ProblemType.DUE_SOON_COLUMN]
    clauses = dated_clauses(findings(others))
    clauses += repeated_reminders_clause(due_soon)
    lead = _(SECTION_LEADS[section.kind]) if section.kind in SECTION_LEADS else ""
    return join_sentences([lead, join_clauses(clauses) + full_stop()])


def monitoring_text(report: MonthlyReport) -> str:
    """常态化监测情况: how many problems, in how many units, under which headings."""
    count = report.problem_count
    month_name = MONTH_NAMES[report.month - 1]
    if count == 0:
        text = _("{month}月常态化监测未发现需要通报的问题。").format(
            month=report.month, month_name=month_name)
    else:
        # The headings of 存在问题 follow straight after: a count by heading would only
        # repeat them.
        # Site-wide findings name the site, not a unit: they are counted as problems only.
        units = {p.unit for section in report.sections for p in section.problems
                 if not p.site_wide}
        involved = ngettext("，涉及{count}个单位", "，涉及{count}个单位", len(units)).format(
            count=len(units)) if units else ""
        text = ngettext("{month}月常态化监测共发现问题{count}个{involved}。",
                        "{month}月常态化监测共发现问题{count}个{involved}。", count).format(
            month=report.month, month_name=month_name, count=count, involved=involved)
    if not report.unverified_links:
        return text
    unverified = ngettext("另有{count}个链接因目标网站访问防护未能核实，未作为问题通报。",
                          "另有{count}个链接因目标网站访问防护未能核实，未作为问题通报。",
                          report.unverified_links).format(count=report.unverified_links)
    return join_sentences([text, unverified])


def rectification_text(rect: Rectification) -> str:
    if rect.reported == 0:
        return _("上期未通报需要整改的问题。")
    if rect.still_open:
        units = join_names(sorted({p.unit for p in rect.still_open}))
        return ngettext(
            "上期通报的{reported}个问题中，已整改{fixed}个，仍有{open}个未整改，涉及{units}。",
            "上期通报的{reported}个问题中，已整改{fixed}个，仍有{open}个未整改，涉及{units}。",
            rect.reported).format(reported=rect.reported, fixed=len(rect.fixed),
                                  open=len(rect.still_open), units=units)
    return ngettext("上期通报的{reported}个问题中，已整改{fixed}个，已全部整改。",
                    "上期通报的{reported}个问题中，已整改{fixed}个，已全部整改。",
                    rect.reported).format(reported=rect.reported, fixed=len(rect.fixed))


def table_headers(month: int) -> tuple[str, ...]:
    return (pgettext("report table", "单位名称"), _("本年度任务数"), _("已发布总数"),
            _("{month}月发布条数").format(month=month, month_name=MONTH_NAMES[month - 1]),
            _("完成比例(%)"))


WEEK_MARK_SYMBOLS = {"met": "√", "missed": "×", "not_counted": "—"}
WEEK_MARK_LEGEND = N_("√ 当周已更新；× 当周未更新；— 当周不计（无工作日或尚未结束）。")


def week_header(monday: date) -> str:
    sunday = date.fromordinal(monday.toordinal() + 6)
    return f"{monday.month}.{monday.day}-{sunday.month}.{sunday.day}"


def problem_text(problem: ReportProblem) -> str:
    """The 问题 cell of the 附件 problem table: what is wrong, its detail, whether it came
    back after being fixed, and where its screenshots are kept."""
    text = _wording(problem.type)
    if problem.detail:
        text = _("{text}（{detail}）").format(text=text, detail=problem.detail)
    if problem.recurring:
        text += _("，整改后再次出现")
    if problem.evidence:
        text += _("；截图取证{label}").format(label=evidence_label(problem.evidence))
    return text


EVIDENCE_LABEL_LENGTH = 12


def evidence_label(folder: str) -> str:
    """A captured problem's evidence as the printed table cites it: the first characters of
    its content-addressed folder's name, enough to find it and short enough for a cell."""
    return PurePath(folder).name[:EVIDENCE_LABEL_LENGTH]


# The number in it is EVIDENCE_LABEL_LENGTH.
EVIDENCE_NOTE = N_("注：“截图取证”后的编号是该问题截图在监测系统证据目录中的文件夹名称"
                   "（前12位）。")


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
        clauses = join_clauses([finding_clause(f) for f in findings(rect.still_open)])
        parts.append(_("仍未整改的问题：{clauses}。").format(clauses=clauses))
    if rect.fixed:
        clauses = join_clauses([finding_clause(f) for f in findings(rect.fixed)])
        parts.append(_("已整改的问题：{clauses}。").format(clauses=clauses))
    return join_sentences(parts)


def problem_annex_text(label: str, count: int) -> str:
    return ngettext("本月发现的{count}个问题逐条列于{label}，请各单位对照整改。",
                    "本月发现的{count}个问题逐条列于{label}，请各单位对照整改。",
                    count).format(count=count, label=label)


def annex_lead() -> str:
    """What introduces the list of annexes after the body: "附件：" / "Annexes: "."""
    return _("附件：")


def label_gap() -> str:
    """Between an annex's label and its caption: "附件1　县直单位…" / "Annex 1 …"."""
    return pgettext("between an annex's label and its caption", "　")


def masthead_gap() -> str:
    """Between the issue number and the date on one line of plain text."""
    return pgettext("between the issue number and the date", "　　")


def document_language() -> str:
    """The language tag of a written document (HTML `lang`)."""
    return pgettext("language tag of a document", "zh-CN")


def annex_indent() -> str:
    """Where a later annex starts in plain text: under the first one, after "附件："."""
    return pgettext("under the first annex, after the annex lead", "　　　")
