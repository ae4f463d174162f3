"""A report as an ordered list of blocks (title, headings, paragraphs, lists, tables).

DOCX, Markdown and HTML writers render the same outline, so the three documents always
carry the same text in the same order; the XLSX writer takes its tables.
Block text is raw (unescaped): each writer escapes for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reports import wording
from reports.model import (
    MonthlyReport,
    NationalSection,
    QuarterlyReport,
    ReportProblem,
    UnitRow,
    WeekGrid,
    WeekMark,
)
from reports.text import one_line

Cell = str | int | Decimal | WeekMark | None


@dataclass(frozen=True)
class Masthead:
    """The 版头 of an official document: the issuer in large red type, the issue number
    and the date under it, and a red rule that separates it from the body."""

    issuer: str
    issue_no: str
    date_text: str


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    """Body text; `lead` is a run-in heading (（一）信息发布情况。) set in 楷体."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Note:
    text: str


@dataclass(frozen=True)
class Item:
    text: str
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ItemList:
    items: tuple[Item, ...]


@dataclass(frozen=True)
class AnnexList:
    """附件说明 after the body: "附件：1.…", one caption a line, numbers aligned."""

    captions: tuple[str, ...]

    def lines(self) -> tuple[str, ...]:
        return tuple(f"{n}.{caption}" for n, caption in enumerate(self.captions, start=1))


@dataclass(frozen=True)
class Table:
    """A table on its own page (附件): label, caption, header, rows, notes below."""

    label: str
    caption: str
    sheet_name: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...]
    notes: tuple[str, ...] = ()
    # The title above the table on a sheet of its own (XLSX), where no document around it
    # says whose and which period's it is: "<site>2024年4月县直单位信息发布统计表".
    sheet_title: str = ""
    # A wide table of long text (the problem list): a landscape page, every cell set
    # left-aligned and breakable, so URLs wrap instead of stretching the line.
    wide_text: bool = False


Block = Masthead | Title | Heading | Paragraph | Note | ItemList | AnnexList | Table

_NUMERALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (一, 十, 十一, 二十三), for （一） and 一、 headings."""
    if n < 1 or n > 99:
        raise ValueError(f"no Chinese numeral for {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens - 1] + "十")
    return head + (_NUMERALS[ones - 1] if ones else "")


PROBLEM_HEADER = ("单位", "栏目", "标题", "发布日期", "问题", "链接", "发现日期")


def problem_table(label: str, problems: tuple[ReportProblem, ...],
                  period_text: str = "") -> Table:
    """The detailed problem list (附件): one row per problem, in report order."""
    caption = "常态化监测发现问题清单"
    return Table(
        label=label,
        caption=caption,
        sheet_name=f"{label} 问题清单",
        header=PROBLEM_HEADER,
        rows=tuple(
            (p.unit, p.column, wording.problem_title(p), wording.iso_day(p.published_on),
             wording.problem_text(p), wording.problem_link(p), p.seen_on.isoformat())
            for p in problems
        ),
        # 单位 fits eight characters ("县卫生健康委员会"), the dates one line each.
        widths=(22, 12, 20, 15, 28, 32, 15),
        notes=(wording.EVIDENCE_NOTE,) if any(p.evidence for p in problems) else (),
        wide_text=True,
        sheet_title=period_text + caption,
    )


def reported_problems(report: MonthlyReport) -> tuple[ReportProblem, ...]:
    return tuple(p for section in report.sections for p in section.problems)


def unit_table(label: str, caption: str, sheet: str, rows: tuple[UnitRow, ...],
               month: int, period_text: str = "") -> Table:
    return Table(
        label=label,
        caption=caption,
        sheet_name=sheet,
        header=wording.table_headers(month),
        rows=tuple(
            (r.unit, r.annual_target, r.ytd_total, r.period_total, r.completion) for r in rows
        ),
        widths=(30, 14, 14, 14, 14),
        sheet_title=period_text + caption,
    )


def week_table(label: str, grid: WeekGrid, month: int, year_text: str = "") -> Table:
    caption = f"{month}月工作动态每周更新情况表"
    return Table(
        label=label,
        caption=caption,
        sheet_name="每周更新情况",
        header=("单位名称", "类别", *(wording.week_header(m) for m in grid.mondays)),
        rows=tuple((row.unit, row.group, *row.marks) for row in grid.rows),
        widths=(26, 16, *(11 for _ in grid.mondays)),
        notes=(wording.WEEK_MARK_LEGEND,),
        sheet_title=year_text + caption,
    )


def _problem_blocks(report: MonthlyReport, annex: str) -> list[Block]:
    """One narrative paragraph per heading, as seed 004 writes them; the details (pages,
    links, dates) go to the problem 附件 rather than into the body."""
    if not report.sections:
        return [Paragraph("本月常态化监测未发现需要通报的问题。")]
    blocks: list[Block] = []
    for number, section in enumerate(report.sections, start=1):
        lead = f"（{chinese_number(number)}）{wording.SECTION_TITLES[section.kind]}。"
        blocks.append(Paragraph(wording.section_text(section), lead))
    blocks.append(Paragraph(wording.problem_annex_text(annex, report.problem_count)))
    return blocks


def _rectification_blocks(report: MonthlyReport) -> list[Block]:
    rect = report.rectification
    return [Paragraph(wording.rectification_text(rect) + wording.rectification_details(rect))]


PROBLEM_ANNEX = "附件4"


def monthly_tables(report: MonthlyReport) -> tuple[Table, ...]:
    year_text = f"{report.site_name}{report.year}年"
    period_text = f"{year_text}{report.month}月"
    tables = (
        unit_table("附件1", "县直单位信息发布统计表", "附件1 县直单位",
                   report.county_rows, report.month, period_text),
        unit_table("附件2", "乡镇信息发布统计表", "附件2 乡镇", report.township_rows,
                   report.month, period_text),
        week_table("附件3", report.week_grid, report.month, year_text),
    )
    problems = reported_problems(report)
    if not problems:
        return tables
    return (*tables, problem_table(PROBLEM_ANNEX, problems, period_text))


def _masthead(issuer: str, issue_no: str, issued_on: date | None) -> Masthead:
    when = wording.full_day_text(issued_on) if issued_on is not None else ""
    return Masthead(issuer, issue_no, when)


def monthly_outline(report: MonthlyReport) -> list[Block]:
    tables = monthly_tables(report)
    blocks: list[Block] = [_masthead(report.issuer, report.issue_no, report.issued_on),
                           Title(report.title)]
    if report.editor_note:
        blocks.append(Paragraph(report.editor_note, "编者按："))
    blocks += [
        Heading("一、基本情况"),
        Paragraph(wording.basic_facts_text(report.basic, report.year, report.month,
                                           report.site_name), "（一）信息发布情况。"),
        Paragraph(wording.monitoring_text(report), "（二）常态化监测情况。"),
        *(Note(f"注：{warning}") for warning in report.calendar_warnings),
        Heading("二、存在问题"),
        *_problem_blocks(report, PROBLEM_ANNEX),
        Heading("三、上期问题整改情况"),
        *_rectification_blocks(report),
        Heading("四、工作要求"),
        *(Paragraph(text) for text in report.requirements),
        AnnexList(tuple(t.caption for t in tables)),
        *tables,
    ]
    return blocks


def quarterly_tables(report: QuarterlyReport) -> tuple[Table, ...]:
    notes = tuple(f"{n}、{text}" for n, text in enumerate(report.notes, start=1))
    return tuple(
        Table(
            label=f"附件{number}",
            caption=table.caption,
            sheet_name=f"附件{number} {table.group}"[:31],
            header=("序号", "单位名称", "信息公开（本季）", "信息公开（累计）",
                    "动态信息（本季）", "动态信息（累计）", "每周更新未达标次数"),
            rows=tuple(
                (index, r.unit, r.disclosure_period, r.disclosure_ytd, r.dynamics_period,
                 r.dynamics_ytd, r.missed_weeks)
                for index, r in enumerate(table.rows, start=1)
            ),
            widths=(9, 21, 14, 14, 14, 14, 14),
            notes=notes,
            sheet_title=table.caption,
        )
        for number, table in enumerate(report.tables, start=1)
    )


# The columns or pages named under one item; the rest are counted.
NATIONAL_BEHIND_SHOWN = 10


def national_blocks(section: NationalSection) -> list[Block]:
    """国办指标: the verdict, then one line per item with what stands behind it."""
    day = wording.full_day_text(section.as_of)
    verdict = ("存在单项否决项，网站不合格。" if section.veto
               else "未触及单项否决项。")
    items = []
    for line in section.lines:
        state = "单项否决" if line.veto else ("达到预警线" if line.warned else "正常")
        text = f"{line.label}：{line.value}（否决标准{line.threshold}），{state}"
        if line.behind:
            shown = "、".join(line.behind[:NATIONAL_BEHIND_SHOWN])
            more = (f"等{len(line.behind)}处" if len(line.behind) > NATIONAL_BEHIND_SHOWN
                    else "")
            text += f"。涉及：{shown}{more}"
        items.append(Item(text + "。"))
    return [Paragraph(f"对照国办秘函〔2019〕19号单项否决项，截至{day}，网站{verdict}",
                      "国办指标："), ItemList(tuple(items))]


def quarterly_outline(report: QuarterlyReport) -> list[Block]:
    tables = quarterly_tables(report)
    intro = (f"现将{report.year}年第{report.quarter}季度各单位网站内容保障情况通报如下，"
             "详见附件。")
    blocks: list[Block] = [_masthead(report.issuer, "", report.issued_on),
                           Title(report.title)]
    blocks += [Paragraph(intro), *(Note(f"注：{w}") for w in report.calendar_warnings)]
    if report.national is not None:
        blocks += national_blocks(report.national)
    blocks.append(AnnexList(tuple(t.caption for t in tables)))
    blocks += tables
    return blocks


def outline(report: MonthlyReport | QuarterlyReport) -> list[Block]:
    if isinstance(report, MonthlyReport):
        return monthly_outline(report)
    return quarterly_outline(report)


def tables_of(report: MonthlyReport | QuarterlyReport) -> tuple[Table, ...]:
    if isinstance(report, MonthlyReport):
        return monthly_tables(report)
    return quarterly_tables(report)


# Light green / light red / grey, the usual spreadsheet "good / bad / neutral" fills, so
# a reader sees compliance at a glance; the symbols keep it readable in black and white.
MARK_FILLS: dict[WeekMark, str] = {
    WeekMark.MET: "C6EFCE",
    WeekMark.MISSED: "FFC7CE",
    WeekMark.NOT_COUNTED: "D9D9D9",
}


def cell_text(value: Cell) -> str:
    """How a table cell reads in DOCX, Markdown and HTML (XLSX keeps numbers as numbers)."""
    if value is None:
        return "—"
    if isinstance(value, WeekMark):
        return wording.WEEK_MARK_SYMBOLS[value.value]
    if isinstance(value, Decimal):
        return wording.percent_text(value)
    if isinstance(value, int):
        return str(value)
    return one_line(value)
