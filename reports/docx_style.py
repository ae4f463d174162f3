"""Page and type settings of a Chinese official document (GB/T 9704-2012) for python-docx.

Chinese text is drawn with the `w:eastAsia` font of a run; Word uses `w:ascii`/`w:hAnsi`
only for Latin letters and digits. Setting only the Latin font (what `run.font.name` does)
leaves Chinese in the default font, so every run and style here sets both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
LEAD_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

SIZE_ER = Pt(22)  # 二号: title
SIZE_XIAO_ER = Pt(18)  # 小二: attachment captions
SIZE_SAN = Pt(16)  # 三号: body and headings
SIZE_SI = Pt(14)  # 四号: detail lists, page numbers
SIZE_XIAO_SI = Pt(12)  # 小四: table cells

# 22 lines of 28 characters on the type area is the standard's grid: about 28.95 pt a line.
BODY_LINE = Pt(28.95)
FIRST_LINE_INDENT = Pt(32)  # two 三号 characters


@dataclass(frozen=True)
class Margins:
    top_mm: float = 37
    bottom_mm: float = 35
    left_mm: float = 28
    right_mm: float = 26


TYPE_AREA_WIDTH_MM = 210 - Margins.left_mm - Margins.right_mm
# A landscape page (a wide 附件 table) is the portrait page turned a quarter: the binding
# margin (top, 37 mm) becomes the left one, and so on round the page.
LANDSCAPE_TYPE_AREA_WIDTH_MM = 297 - Margins.top_mm - Margins.bottom_mm



def new_element(tag: str) -> Any:
    """A WordprocessingML element. python-docx gives a plain lxml element for a tag it has
    no class for, which its `append` and `insert_element_before` take at run time though
    their type hints ask for its own classes."""
    return OxmlElement(tag)

def set_run_fonts(run: Run, east_asia: str, size: Pt, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)


def add_run(paragraph: Paragraph, text: str, east_asia: str, size: Pt,
            bold: bool = False) -> Run:
    run = paragraph.add_run(text)
    set_run_fonts(run, east_asia, size, bold)
    return run


def setup_page(document: Document, margins: Margins = Margins()) -> None:
    """A4 with the standard's margins; a landscape section keeps them turned with the page."""
    for section in document.sections:
        if section.orientation == WD_ORIENT.LANDSCAPE:
            section.page_width, section.page_height = Mm(297), Mm(210)
            section.left_margin, section.right_margin = Mm(margins.top_mm), Mm(margins.bottom_mm)
            section.top_margin, section.bottom_margin = Mm(margins.left_mm), Mm(margins.right_mm)
            section.footer_distance = Mm(14)
            continue
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(margins.top_mm), Mm(margins.bottom_mm)
        section.left_margin, section.right_margin = Mm(margins.left_mm), Mm(margins.right_mm)
        section.footer_distance = Mm(24)


def setup_normal_style(document: Document) -> None:
    style = document.styles["Normal"]
    style.font.name = LATIN_FONT
    style.font.size = SIZE_SAN
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    lang = new_element("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    style.element.get_or_add_rPr().append(lang)


def body_format(paragraph: Paragraph, indent: bool = True) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = BODY_LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = FIRST_LINE_INDENT if indent else None
    # Left-aligned, not justified. Chinese characters are all one em wide, so the lines end
    # together anyway, short only by part of a character where figures stand. Justified,
    # LibreOffice hangs a comma that falls just past the line's end into the margin and
    # does not print it ("正文和附件确保…"), and a line before a figure it cannot break is
    # stretched until its characters stand apart.
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _field_char(kind: str) -> Any:
    element = new_element("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def add_page_number_footer(document: Document) -> None:
    """"— 1 —" centred in the footer: the page number as a PAGE field.

    Later sections (the 附件 pages) link to the first section's footer, so it is set once.
    """
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, "— ", PAGE_NUMBER_FONT, SIZE_SI)
    run = add_run(paragraph, "", PAGE_NUMBER_FONT, SIZE_SI)
    instruction = new_element("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    run._element.append(_field_char("begin"))
    run._element.append(instruction)
    run._element.append(_field_char("separate"))
    number = new_element("w:t")
    number.text = "1"
    run._element.append(number)
    run._element.append(_field_char("end"))
    add_run(paragraph, " —", PAGE_NUMBER_FONT, SIZE_SI)


def shade_cell(cell: object, fill_hex: str) -> None:
    """Background colour of a table cell (w:shd), e.g. "C6EFCE"."""
    properties = cell._element.get_or_add_tcPr()  # type: ignore[attr-defined]  # docx internal API
    shading = new_element("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill_hex)
    properties.append(shading)


def keep_on_one_page(row: object) -> None:
    """A row is not split across pages (w:cantSplit): a problem's cells stay together."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]  # docx internal API
    cant_split = new_element("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    properties.insert(0, cant_split)  # w:cantSplit comes before w:tblHeader in CT_TrPr


def repeat_as_header(row: object) -> None:
    """Marks a table row to be repeated at the top of each page the table runs onto."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]  # docx internal API
    header = new_element("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


# The elements that follow w:tblW in w:tblPr (ECMA-376 CT_TblPr), where a new one must go.
_AFTER_TBLW = ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
               "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
               "w:tblDescription")


def set_table_width(table: object, width: Length) -> None:
    """The table's preferred width (w:tblW) in twentieths of a point, replacing "auto"."""
    properties = table._tbl.tblPr  # type: ignore[attr-defined]  # docx internal API
    preferred = properties.find(qn("w:tblW"))
    if preferred is None:
        preferred = new_element("w:tblW")
        properties.insert_element_before(preferred, *_AFTER_TBLW)
    preferred.set(qn("w:w"), str(round(width.twips)))
    preferred.set(qn("w:type"), "dxa")


# The red of a 版头 and its rule (GB/T 9704 asks for red; pure red prints as such).
MASTHEAD_RED = "FF0000"
SIZE_MASTHEAD_MAX = Pt(36)  # 小初
SIZE_WU = Pt(10.5)  # 五号: URLs in the 附件 problem table


def masthead_size(text: str, width: Length, largest: Pt = SIZE_MASTHEAD_MAX) -> Pt:
    """The largest whole point size, up to `largest`, at which `text` fills at most 90 %
    of the type area on one line: a long issuer name shrinks rather than wrapping."""
    fitting = int(width.pt * 0.9 / max(len(text), 1))
    return Pt(min(largest.pt, fitting))


def colour_run(run: Run, hex_rgb: str) -> None:
    run.font.color.rgb = RGBColor.from_string(hex_rgb)


def rule_below(paragraph: Paragraph, hex_rgb: str = MASTHEAD_RED, eighths: int = 18) -> None:
    """A horizontal rule under `paragraph` across the type area: its bottom border
    (w:pBdr/w:bottom), `eighths` eighths of a point thick (18 = 2.25 pt)."""
    properties = paragraph._p.get_or_add_pPr()
    borders = new_element("w:pBdr")
    bottom = new_element("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", str(eighths)), ("w:space", "1"),
                        ("w:color", hex_rgb)):
        bottom.set(qn(name), value)
    borders.append(bottom)
    # w:pBdr comes before w:shd, w:tabs, w:spacing, w:ind and w:jc in CT_PPr.
    properties.insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
        "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
        "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
        "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
        "w:sectPr", "w:pPrChange")


def breakable_anywhere(paragraph: Paragraph) -> None:
    """Left-aligned, and Latin words may break at any character (w:wordWrap off).

    A URL is one long "word": in a justified paragraph it is pushed whole to the next line
    and the line before is stretched until its characters stand apart. Left alignment stops
    the stretching; w:wordWrap="0" lets the URL break where the line ends.
    """
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    properties = paragraph._p.get_or_add_pPr()
    wrap = new_element("w:wordWrap")
    wrap.set(qn("w:val"), "0")
    properties.insert_element_before(
        wrap, "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
        "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
        "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
        "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
        "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def set_core_properties(document: Document, author: str, title: str,
                        written_at: datetime) -> None:
    """Author, title and times of the file (what Explorer and Word's Info pane show).

    python-docx's template otherwise says creator "python-docx" and created 2013-12-23.
    `written_at` is the report's own clock, so the same inputs give the same file.
    """
    properties = document.core_properties
    properties.author = properties.last_modified_by = author
    properties.title = title
    properties.created = properties.modified = written_at.astimezone(UTC).replace(tzinfo=None)
    properties.revision = 1
    properties.comments = properties.keywords = properties.subject = ""
