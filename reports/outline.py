"""A report as an ordered list of blocks (title, headings, paragraphs, lists, tables).

DOCX, Markdown and HTML writers render the same outline, so the three documents always
carry the same text in the same order; the XLSX writer takes its tables.
Block text is raw (unescaped): each writer escapes for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from monitor.i18n import _, pgettext
from reports import wording
from reports.model import (
    MonthlyReport,
    NationalLine,
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
        return tuple(_("{number}.{caption}").format(number=n, caption=caption)
                     for n, caption in enumerate(self.captions, start=1))


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


def problem_header() -> tuple[str, ...]:
    return (pgettext("report table", "单位"), pgettext("report table", "栏目"),
            pgettext("report table", "标题"), pgettext("report table", "发布日期"),
            pgettext("report table", "问题"), pgettext("report table", "链接"),
            pgettext("report table", "发现日期"))


def annex_label(number: int) -> str:
    """"附件1" / "Annex 1"."""
    return _("附件{number}").format(number=number)


def _sheet_title(caption: str, site_name: str, year: int, month: int | None = None) -> str:
    """A table's title on its sheet: "<site>2024年4月<caption>" / "<caption>, <site>,
    April 2024"."""
    if month is None:
        return _("{site}{year}年{caption}").format(site=site_name, year=year, caption=caption)
    return _("{site}{year}年{month}月{caption}").format(
        site=site_name, year=year, month=month, month_name=wording.MONTH_NAMES[month - 1],
        caption=caption)


def problem_table(label: str, problems: tuple[ReportProblem, ...],
                  sheet_title: str = "") -> Table:
    """The detailed problem list (附件): one row per problem, in report order."""
    caption = problem_caption()
    return Table(
        label=label,
        caption=caption,
        sheet_name=_("{label} 问题清单").format(label=label),
        header=problem_header(),
        rows=tuple(
            (p.unit, p.column, wording.problem_title(p), wording.iso_day(p.published_on),
             wording.problem_text(p), wording.problem_link(p), p.seen_on.isoformat())
            for p in problems
        ),
        # 单位 fits eight characters ("县卫生健康委员会"), the dates one line each.
        widths=(22, 12, 20, 15, 28, 32, 15),
        notes=(_(wording.EVIDENCE_NOTE),) if any(p.evidence for p in problems) else (),
        wide_text=True,
        sheet_title=sheet_title or caption,
    )


def problem_caption() -> str:
    return _("常态化监测发现问题清单")


def reported_problems(report: MonthlyReport) -> tuple[ReportProblem, ...]:
    return tuple(p for section in report.sections for p in section.problems)


def unit_table(label: str, caption: str, sheet: str, rows: tuple[UnitRow, ...],
               month: int, sheet_title: str = "") -> Table:
    return Table(
        label=label,
        caption=caption,
        sheet_name=sheet,
        header=wording.table_headers(month),
        rows=tuple(
            (r.unit, r.annual_target, r.ytd_total, r.period_total, r.completion) for r in rows
        ),
        widths=(30, 14, 14, 14, 14),
        sheet_title=sheet_title or caption,
    )


def week_caption(month: int) -> str:
    return _("{month}月工作动态每周更新情况表").format(
        month=month, month_name=wording.MONTH_NAMES[month - 1])


def week_table(label: str, grid: WeekGrid, month: int, sheet_title: str = "") -> Table:
    caption = week_caption(month)
    return Table(
        label=label,
        caption=caption,
        sheet_name=_("每周更新情况"),
        header=(pgettext("report table", "单位名称"), pgettext("report table", "类别"),
                *(wording.week_header(m) for m in grid.mondays)),
        rows=tuple((row.unit, row.group, *row.marks) for row in grid.rows),
        widths=(26, 16, *(11 for _monday in grid.mondays)),
        notes=(_(wording.WEEK_MARK_LEGEND),),
        sheet_title=sheet_title or caption,
    )


def _problem_blocks(report: MonthlyReport, annex: str) -> list[Block]:
    """One narrative paragraph per heading, as seed 004 writes them; the details (pages,
    links, dates) go to the problem 附件 rather than into the body."""
    if not report.sections:
        return [Paragraph(_("本月常态化监测未发现需要通报的问题。"))]
    blocks: list[Block] = []
    for number, section in enumerate(report.sections, start=1):
        lead = run_in_lead(number, wording.section_title(section.kind))
        blocks.append(Paragraph(wording.section_text(section), lead))
    blocks.append(Paragraph(wording.problem_annex_text(annex, report.problem_count)))
    return blocks


def _rectification_blocks(report: MonthlyReport) -> list[Block]:
    rect = report.rectification
    return [Paragraph(wording.join_sentences([wording.rectification_text(rect),
                                              wording.rectification_details(rect)]))]


def run_in_lead(number: int, title: str) -> str:
    """A numbered run-in heading: "（一）信息发布情况。" / "(1) Posts published. "."""
    return _("（{number}）{title}。").format(number=chinese_number(number), arabic=number,
                                           title=title)


# The annex that lists the problems one by one.
PROBLEM_ANNEX_NUMBER = 4


def monthly_tables(report: MonthlyReport) -> tuple[Table, ...]:
    site, year, month = report.site_name, report.year, report.month
    county, townships = _("县直单位信息发布统计表"), _("乡镇信息发布统计表")
    tables = (
        unit_table(annex_label(1), county, _("{label} 县直单位").format(label=annex_label(1)),
                   report.county_rows, month, _sheet_title(county, site, year, month)),
        unit_table(annex_label(2), townships, _("{label} 乡镇").format(label=annex_label(2)),
                   report.township_rows, month, _sheet_title(townships, site, year, month)),
        week_table(annex_label(3), report.week_grid, month,
                   _sheet_title(week_caption(month), site, year)),
    )
    problems = reported_problems(report)
    if not problems:
        return tables
    return (*tables, problem_table(annex_label(PROBLEM_ANNEX_NUMBER), problems,
                                   _sheet_title(problem_caption(), site, year, month)))


def _masthead(issuer: str, issue_no: str, issued_on: date | None) -> Masthead:
    when = wording.full_day_text(issued_on) if issued_on is not None else ""
    return Masthead(issuer, issue_no, when)


def monthly_outline(report: MonthlyReport) -> list[Block]:
    tables = monthly_tables(report)
    blocks: list[Block] = [_masthead(report.issuer, report.issue_no, report.issued_on),
                           Title(report.title)]
    if report.editor_note:
        blocks.append(Paragraph(report.editor_note, _("编者按：")))
    blocks += [
        Heading(_("一、基本情况")),
        Paragraph(wording.basic_facts_text(report.basic, report.year, report.month,
                                           report.site_name),
                  run_in_lead(1, _("信息发布情况"))),
        Paragraph(wording.monitoring_text(report), run_in_lead(2, _("常态化监测情况"))),
        *(Note(note_text(warning)) for warning in report.calendar_warnings),
        Heading(_("二、存在问题")),
        *_problem_blocks(report, annex_label(PROBLEM_ANNEX_NUMBER)),
        Heading(_("三、上期问题整改情况")),
        *_rectification_blocks(report),
        Heading(_("四、工作要求")),
        *(Paragraph(text) for text in report.requirements),
        AnnexList(tuple(t.caption for t in tables)),
        *tables,
    ]
    return blocks


def note_text(text: str) -> str:
    """"注：…" / "Note: …"."""
    return _("注：{text}").format(text=text)


def quarterly_header() -> tuple[str, ...]:
    return (pgettext("report table", "序号"), pgettext("report table", "单位名称"),
            _("信息公开（本季）"), _("信息公开（累计）"), _("动态信息（本季）"),
            _("动态信息（累计）"), _("每周更新未达标次数"))


def quarterly_tables(report: QuarterlyReport) -> tuple[Table, ...]:
    notes = tuple(_("{number}、{text}").format(number=n, text=text)
                  for n, text in enumerate(report.notes, start=1))
    return tuple(
        Table(
            label=annex_label(number),
            caption=table.caption,
            sheet_name=_("{label} {group}").format(label=annex_label(number),
                                                   group=table.group)[:31],
            header=quarterly_header(),
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
    if section.veto:
        verdict = _("对照国办秘函〔2019〕19号单项否决项，截至{day}，网站存在单项否决项，"
                    "网站不合格。").format(day=day)
    else:
        verdict = _("对照国办秘函〔2019〕19号单项否决项，截至{day}，网站未触及单项否决项。"
                    ).format(day=day)
    items = tuple(Item(national_line_text(line)) for line in section.lines)
    return [Paragraph(verdict, _("国办指标：")), ItemList(items)]


def national_line_text(line: NationalLine) -> str:
    """One item: "栏目不更新：4个（否决标准≥5个），达到预警线。涉及：…。"."""
    if line.veto:
        state = _("单项否决")
    else:
        state = _("达到预警线") if line.warned else pgettext("national item", "正常")
    text = _("{label}：{value}（否决标准{threshold}），{state}").format(
        label=line.label, value=line.value, threshold=line.threshold, state=state)
    if line.behind:
        shown = wording.join_names(line.behind[:NATIONAL_BEHIND_SHOWN])
        more = (_("等{count}处").format(count=len(line.behind))
                if len(line.behind) > NATIONAL_BEHIND_SHOWN else "")
        text += _("。涉及：{shown}{more}").format(shown=shown, more=more)
    return text + wording.full_stop()


def quarterly_outline(report: QuarterlyReport) -> list[Block]:
    tables = quarterly_tables(report)
    intro = _("现将{year}年第{quarter}季度各单位网站内容保障情况通报如下，详见附件。").format(
        year=report.year, quarter=report.quarter)
    blocks: list[Block] = [_masthead(report.issuer, "", report.issued_on),
                           Title(report.title)]
    blocks += [Paragraph(intro), *(Note(note_text(w)) for w in report.calendar_warnings)]
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
