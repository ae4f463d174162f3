"""DOCX: the report laid out as a Chinese official document (GB/T 9704).

Text goes in through python-docx runs, which store it as XML text nodes: a crawled title
`<script>` stays literal text. Control characters XML cannot hold are dropped first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Length, Mm, Pt

from reports.docx_style import (
    BODY_FONT,
    BODY_LINE,
    HEADING_FONT,
    LANDSCAPE_TYPE_AREA_WIDTH_MM,
    LEAD_FONT,
    MASTHEAD_RED,
    SIZE_ER,
    SIZE_SAN,
    SIZE_SI,
    SIZE_WU,
    SIZE_XIAO_ER,
    SIZE_XIAO_SI,
    TITLE_FONT,
    TYPE_AREA_WIDTH_MM,
    add_page_number_footer,
    add_run,
    body_format,
    breakable_anywhere,
    colour_run,
    keep_on_one_page,
    masthead_size,
    repeat_as_header,
    rule_below,
    set_core_properties,
    set_table_width,
    setup_normal_style,
    setup_page,
    shade_cell,
)
from reports.issued import written_at
from reports.model import MonthlyReport, QuarterlyReport, WeekMark
from reports.outline import (
    MARK_FILLS,
    AnnexList,
    Block,
    Heading,
    ItemList,
    Masthead,
    Note,
    Paragraph,
    Table,
    Title,
    cell_text,
    outline,
)
from reports.text import line_break_hints, one_line, xml_safe
from reports.title_lines import title_lines
from reports.wording import annex_lead

# Word's and LibreOffice's default left and right cell margins (0.19 cm each).
CELL_MARGINS_MM = 3.8


def _add_lines(paragraph: object, text: str, east_asia: str, size: Pt, width: Length) -> None:
    """`text` broken into balanced lines that fit `width` (`reports.title_lines`), each
    line ended by a line break, so the word processor never leaves an orphan."""
    lines = title_lines(text, width.pt / size.pt)
    for number, line in enumerate(lines):
        run = add_run(paragraph, line, east_asia, size)  # type: ignore[arg-type]  # is a Paragraph
        if number < len(lines) - 1:
            run.add_break()


def _title(document: Document, block: Title) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(12)
    _add_lines(paragraph, xml_safe(block.text), TITLE_FONT, SIZE_ER, Mm(TYPE_AREA_WIDTH_MM))


def _masthead(document: Document, block: Masthead) -> None:
    """版头: issuer in large red 小标宋 (bold, for the 宋体 it falls back to), centred; then
    one line with the issue number at the left (indented a character) and the date at the
    right (a right tab stop at the type area's edge), carrying the red rule under it."""
    issuer = document.add_paragraph()
    issuer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    issuer.paragraph_format.space_after = Pt(12)
    size = masthead_size(block.issuer, Mm(TYPE_AREA_WIDTH_MM))
    colour_run(add_run(issuer, xml_safe(block.issuer), TITLE_FONT, size, bold=True),
               MASTHEAD_RED)
    line = document.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.LEFT
    fmt = line.paragraph_format
    fmt.left_indent = fmt.right_indent = SIZE_SAN
    fmt.space_after = Pt(18)
    fmt.tab_stops.add_tab_stop(Mm(TYPE_AREA_WIDTH_MM) - SIZE_SAN * 2, WD_TAB_ALIGNMENT.RIGHT)
    add_run(line, xml_safe(block.issue_no) + "\t" + xml_safe(block.date_text), BODY_FONT,
            SIZE_SAN)
    rule_below(line)


def _heading(document: Document, block: Heading) -> None:
    paragraph = document.add_paragraph()
    body_format(paragraph)
    paragraph.paragraph_format.keep_with_next = True  # never last on a page
    add_run(paragraph, xml_safe(block.text), HEADING_FONT, SIZE_SAN)


def _paragraph(document: Document, block: Paragraph) -> None:
    paragraph = document.add_paragraph()
    body_format(paragraph)
    if block.lead:
        add_run(paragraph, xml_safe(block.lead), LEAD_FONT, SIZE_SAN)
    if block.text:
        add_run(paragraph, line_break_hints(xml_safe(block.text)), BODY_FONT, SIZE_SAN)


def _annexes(document: Document, block: AnnexList) -> None:
    """GB/T 9704 附件说明: a blank line, then "附件：1.…" with later captions under the first.

    The paragraph before it goes along to the next page when the 附件说明 does, so that a
    page never holds the 附件说明 alone.
    """
    if document.paragraphs:
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    paragraph = document.add_paragraph()
    body_format(paragraph, indent=False)
    fmt = paragraph.paragraph_format
    fmt.space_before = BODY_LINE
    # "附件：" is three characters: later lines start under the "1." after it.
    fmt.left_indent, fmt.first_line_indent = Pt(16 * 5), Pt(-16 * 3)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    add_run(paragraph, annex_lead(), BODY_FONT, SIZE_SAN)
    for number, line in enumerate(block.lines()):
        run = add_run(paragraph, xml_safe(line), BODY_FONT, SIZE_SAN)
        if number < len(block.captions) - 1:
            run.add_break()


def _note(document: Document, block: Note) -> None:
    paragraph = document.add_paragraph()
    body_format(paragraph)
    add_run(paragraph, xml_safe(block.text), LEAD_FONT, SIZE_SI)


def _item_list(document: Document, block: ItemList) -> None:
    for item in block.items:
        paragraph = document.add_paragraph()
        body_format(paragraph)
        paragraph.paragraph_format.line_spacing = Pt(22)
        add_run(paragraph, "· " + one_line(item.text), BODY_FONT, SIZE_SI)
        for label, url in item.links:
            add_run(paragraph, f"　{label}：", BODY_FONT, SIZE_SI)
            # URLs are Latin text; the run's east-Asian font still covers any Chinese in them.
            add_run(paragraph, one_line(url), BODY_FONT, Pt(11))


def _cell(cell: object, text: str, east_asia: str, size: Pt, center: bool,
          breakable: bool = False) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]  # cell is a docx _Cell
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    if breakable:
        breakable_anywhere(paragraph)
    add_run(paragraph, text, east_asia, size)


def _set_widths(table: object, widths: tuple[int, ...], area_mm: float) -> None:
    """Column widths in proportion to `widths`, filling the type area (156 mm on A4).

    Word reads the cells' widths, LibreOffice the table grid (`w:tblGrid/w:gridCol`) and the
    table's own width; all three are set, with a fixed layout, so both lay it out alike.
    """
    table.autofit = False  # type: ignore[attr-defined]  # table is a docx Table
    total = sum(widths)
    # Why the ignore below: table is a python-docx Table, typed object
    for column, share in zip(table.columns, widths, strict=True):  # type: ignore[attr-defined]
        width = Mm(area_mm * share / total)
        column.width = width  # the w:gridCol of this column
        for cell in column.cells:
            cell.width = width
    set_table_width(table, Mm(area_mm))


def _table(document: Document, block: Table) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if block.wide_text else WD_ORIENT.PORTRAIT
    area_mm = LANDSCAPE_TYPE_AREA_WIDTH_MM if block.wide_text else TYPE_AREA_WIDTH_MM
    cell_size = SIZE_WU if block.wide_text else SIZE_XIAO_SI
    label = document.add_paragraph()
    add_run(label, block.label, HEADING_FONT, SIZE_SAN)
    caption = document.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_after = Pt(12)
    _add_lines(caption, block.caption, TITLE_FONT, SIZE_XIAO_ER, Mm(area_mm))
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    repeat_as_header(table.rows[0])
    total = sum(block.widths)
    for cell, text, share in zip(table.rows[0].cells, block.header, block.widths, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text_width = Mm(area_mm * share / total - CELL_MARGINS_MM)
        _add_lines(paragraph, text, HEADING_FONT, cell_size, text_width)
    for row, values in zip(table.rows[1:], block.rows, strict=True):
        keep_on_one_page(row)
        for position, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            is_text = isinstance(value, str) and (position <= 1 or block.wide_text)
            _cell(cell, cell_text(value), BODY_FONT, cell_size, center=not is_text,
                  breakable=block.wide_text)
            if isinstance(value, WeekMark):
                shade_cell(cell, MARK_FILLS[value])
    _set_widths(table, block.widths, area_mm)
    for note in block.notes:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(6)
        add_run(paragraph, note, BODY_FONT, SIZE_XIAO_SI)


# Each block type's renderer; the table is read by the block's own type.
_RENDERERS: dict[type[Any], Callable[[Document, Any], None]] = {
    Title: _title,
    Masthead: _masthead,
    Heading: _heading,
    Paragraph: _paragraph,
    Note: _note,
    ItemList: _item_list,
    AnnexList: _annexes,
    Table: _table,
}


def render_docx(blocks: list[Block]) -> Document:
    document = docx.Document()
    setup_normal_style(document)
    for block in blocks:
        _RENDERERS[type(block)](document, block)
    setup_page(document)
    add_page_number_footer(document)
    return document


def write_docx(report: MonthlyReport | QuarterlyReport, path: Path) -> Path:
    document = render_docx(outline(report))
    set_core_properties(document, report.issuer, report.title, written_at(report))
    document.save(str(path))
    return path

