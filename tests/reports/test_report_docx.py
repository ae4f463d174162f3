"""DOCX as a Chinese official document (GB/T 9704), re-read with python-docx."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from reports import write_docx
from reports.docx_style import BODY_FONT, HEADING_FONT, LEAD_FONT, TITLE_FONT
from reports.docx_writer import render_docx
from reports.model import MonthlyReport
from reports.outline import Paragraph


@pytest.fixture
def document(april_report: MonthlyReport, tmp_path: Path):  # noqa: ANN201
    return docx.Document(str(write_docx(april_report, tmp_path / "april.docx")))


def east_asian_font(run: object) -> str | None:
    fonts = run._element.rPr.rFonts  # type: ignore[attr-defined]
    return fonts.get(qn("w:eastAsia"))


def test_every_section_is_a4_with_official_margins(document) -> None:
    def sizes(section: object) -> list[float]:
        # Word stores lengths in twentieths of a point: compare to a tenth of a millimetre.
        lengths = (section.page_width, section.page_height, section.top_margin,
                   section.bottom_margin, section.left_margin, section.right_margin)
        return [round(size.mm, 1) for size in lengths]

    *portrait, problems = document.sections
    for section in portrait:
        assert sizes(section) == [210, 297, 37, 35, 28, 26]
    # The problem list is a landscape page: the same margins, turned with the page.
    assert problems.orientation == WD_ORIENT.LANDSCAPE
    assert sizes(problems) == [297, 210, 28, 26, 37, 35]


def test_title_is_xiaobiaosong_size_two_with_east_asian_font(document) -> None:
    title = [p for p in document.paragraphs if p.text == "瑞河县政务公开月报"][0]
    assert title.text == "瑞河县政务公开月报"
    run = title.runs[0]
    assert east_asian_font(run) == TITLE_FONT
    assert run.font.size == Pt(22)


def test_body_paragraphs_are_fangsong_size_three_east_asian_not_only_latin(document) -> None:
    body = [p for p in document.paragraphs if p.text.startswith("（一）信息发布情况。")][0]
    lead, text = body.runs
    assert east_asian_font(lead) == LEAD_FONT
    assert east_asian_font(text) == BODY_FONT and text.font.size == Pt(16)
    assert text.font.name == "Times New Roman"  # Latin digits; Chinese uses eastAsia
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == BODY_FONT


def test_section_headings_are_heiti(document) -> None:
    heading = [p for p in document.paragraphs if p.text == "二、存在问题"][0]
    assert east_asian_font(heading.runs[0]) == HEADING_FONT


def test_footer_carries_a_page_number_field(document) -> None:
    footer = document.sections[0].footer.paragraphs[0]
    instructions = footer._element.findall(".//" + qn("w:instrText"))
    assert [i.text.strip() for i in instructions] == ["PAGE"]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")


def test_week_grid_cells_are_shaded_by_mark(document) -> None:
    grid = document.tables[2]
    header = [cell.text for cell in grid.rows[0].cells]
    assert header[:2] == ["单位名称", "类别"] and header[2] == "4.1-4.7"
    row = [r for r in grid.rows if r.cells[0].text == "县卫健委"][0]
    fills = [cell._element.tcPr.find(qn("w:shd")).get(qn("w:fill")) for cell in row.cells[2:]]
    assert [c.text for c in row.cells[2:]] == ["√", "×", "√", "√", "—"]
    assert fills == ["C6EFCE", "FFC7CE", "C6EFCE", "C6EFCE", "D9D9D9"]


def test_crawled_markup_stays_literal_text(april_report: MonthlyReport, tmp_path: Path) -> None:
    section = april_report.sections[1]
    hostile = replace(section.problems[0], detail="<script>alert(1)</script>\x07",
                      url="http://127.0.0.1:8000/a?x=<b>")
    report = replace(april_report, sections=(april_report.sections[0],
                                             replace(section, problems=(hostile,))))
    document = docx.Document(str(write_docx(report, tmp_path / "hostile.docx")))
    cells = [cell.text for row in document.tables[-1].rows for cell in row.cells]
    assert "出现不可用链接（<script>alert(1)</script>）" in cells
    assert "http://127.0.0.1:8000/a?x=<b>" in cells


def test_calendar_fallback_is_noted(document) -> None:
    assert any(p.text == "注：2024年节假日安排未知，按周末休息计算。" for p in document.paragraphs)


def test_masthead_is_the_issuer_in_large_bold_red_centred(document) -> None:
    issuer = document.paragraphs[0]
    assert issuer.text == "瑞河县政务公开办"
    assert issuer.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = issuer.runs[0]
    assert run.font.color.rgb == RGBColor(0xFF, 0, 0)
    assert run.font.bold and run.font.size >= Pt(26)
    assert east_asian_font(run) == TITLE_FONT


def test_masthead_gives_issue_number_and_date_over_a_red_rule(document) -> None:
    dated, title = document.paragraphs[1:3]
    assert (dated.text, title.text) == ("2024年第4期\t2024年5月6日", "瑞河县政务公开月报")
    [stop] = dated.paragraph_format.tab_stops
    assert stop.alignment == WD_TAB_ALIGNMENT.RIGHT  # the date ends at the right margin
    rule = dated._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert (rule.get(qn("w:val")), rule.get(qn("w:color"))) == ("single", "FF0000")
    assert int(rule.get(qn("w:sz"))) >= 12  # at least 1.5 pt, visible as a rule
    assert not any(p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None
                   for p in document.paragraphs[2:])


def test_long_issuer_shrinks_to_stay_on_one_line(april_report, tmp_path: Path) -> None:
    long_name = "瑞河县人民政府办公室政务公开工作领导小组办公室"
    report = replace(april_report, issuer=long_name)
    issuer = docx.Document(str(write_docx(report, tmp_path / "long.docx"))).paragraphs[0]
    # 23 characters at this size take at most 90 % of the 156 mm type area.
    assert issuer.runs[0].font.size.pt * len(long_name) <= 156 / 25.4 * 72 * 0.9


def test_core_properties_name_the_issuer_and_the_reports_own_day(document) -> None:
    properties = document.core_properties
    assert (properties.author, properties.last_modified_by) == ("瑞河县政务公开办",) * 2
    assert properties.title == "瑞河县政务公开月报"
    # Issued 6 May 2024 (Asia/Shanghai midnight), not the template's 2013 nor today.
    assert properties.created == properties.modified == datetime(2024, 5, 5, 16, 0, tzinfo=UTC)
    assert "python-docx" not in (properties.comments or "")


def test_problems_are_an_annex_table_not_url_bullets_in_the_body(document) -> None:
    problems = document.tables[-1]
    assert [c.text for c in problems.rows[0].cells] == [
        "单位", "栏目", "标题", "发布日期", "问题", "链接", "发现日期"]
    row = [r for r in problems.rows if r.cells[0].text == "万隆乡政府"][0]
    assert [c.text for c in row.cells] == [
        "万隆乡政府", "工作动态", "http://127.0.0.1:8000/wl/gzdt/1.html", "—",
        "照片不能显示（HTTP 404）", "http://127.0.0.1:8000/img/a.jpg", "2024-04-19"]
    assert not any("http" in p.text for p in document.paragraphs)
    assert any(p.text == "本月发现的6个问题逐条列于附件4，请各单位对照整改。"
               for p in document.paragraphs)


def test_problem_table_cells_are_left_aligned_and_break_anywhere(document) -> None:
    problems = document.tables[-1]
    for row in problems.rows[1:]:
        for cell in row.cells:
            paragraph = cell.paragraphs[0]
            assert paragraph.alignment == WD_ALIGN_PARAGRAPH.LEFT
            wrap = paragraph._p.pPr.find(qn("w:wordWrap"))
            assert wrap is not None and wrap.get(qn("w:val")) == "0"


def test_body_paragraphs_get_a_break_hint_between_chinese_punctuation_and_figures() -> None:
    document = render_docx([Paragraph("完成比例分别为0.00%、10.00%、12.81%。")])
    assert document.paragraphs[0].text == "完成比例分别为0.00%、\u200b10.00%、\u200b12.81%。"


def test_body_paragraphs_are_left_aligned_so_no_line_is_stretched(document) -> None:
    body = [p for p in document.paragraphs if p.text.startswith("（一）信息发布情况。")][0]
    assert body.alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_annex_list_puts_one_caption_a_line_under_the_first(document) -> None:
    annexes = [p for p in document.paragraphs if p.text.startswith("附件：")][0]
    assert annexes.text == ("附件：1.县直单位信息发布统计表\n2.乡镇信息发布统计表\n"
                            "3.4月工作动态每周更新情况表\n4.常态化监测发现问题清单")
    fmt = annexes.paragraph_format
    assert fmt.left_indent + fmt.first_line_indent == Pt(32)  # starts two characters in


def test_rectification_is_prose_naming_the_units(document) -> None:
    heading = [i for i, p in enumerate(document.paragraphs) if p.text == "三、上期问题整改情况"][0]
    text = document.paragraphs[heading + 1].text.replace("\u200b", "")
    assert text.startswith("上期通报的2个问题中，已整改1个，仍有1个未整改，涉及大塘埠镇政府。")
    assert "仍未整改的问题：3月31日大塘埠镇政府工作动态照片不能显示。" in text
    assert "已整改的问题：3月18日县水利局工作动态出现逾期。" in text
