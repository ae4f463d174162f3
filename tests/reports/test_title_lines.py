"""Titles break into balanced lines at sensible points, never leaving an orphan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx

from monitor.domain import GROUP_TOWNSHIPS
from reports import QuarterlySettings, build_quarterly_report, write_docx
from reports.docx_style import SIZE_ER, TYPE_AREA_WIDTH_MM
from reports.title_lines import break_costs, text_width, title_lines

# The 二号 title on the portrait type area: about 20 characters a line.
TITLE_CAPACITY = TYPE_AREA_WIDTH_MM / 25.4 * 72 / SIZE_ER.pt


def test_width_counts_chinese_as_one_em_digits_as_half_and_the_space_between() -> None:
    assert text_width("通报") == 2
    assert text_width("2024年") == 4 * 0.55 + 1 + 0.2


def test_a_title_that_fits_stays_one_line() -> None:
    assert title_lines("政务公开工作月报", TITLE_CAPACITY) == ("政务公开工作月报",)


def test_quarterly_title_that_would_leave_a_lone_character_breaks_evenly() -> None:
    # 20.55 ems against about 20: the word processor would put only "报" on line two.
    lines = title_lines("关于2024年第2季度网站内容保障情况的通报", TITLE_CAPACITY)
    assert lines == ("关于2024年第2季度", "网站内容保障情况的通报")
    assert min(len(line) for line in lines) > 3


def test_breaks_keep_numbers_with_their_measure_words_and_words_whole() -> None:
    lines = title_lines("瑞河县人民政府门户网站2024年第二季度政务公开及网站内容保障情况的通报",
                        TITLE_CAPACITY)
    assert lines == ("瑞河县人民政府门户网站2024年第二季度", "政务公开及网站内容保障情况的通报")
    assert all(text_width(line) <= TITLE_CAPACITY for line in lines)


def test_no_break_inside_numbers_before_closing_or_after_opening_punctuation() -> None:
    costs = break_costs("第2季度（2024年）")
    text = "第2季度（2024年）"
    forbidden = {text.index("2"), text.index("季"), text.index("（") + 1,
                 *range(text.index("2024") + 1, text.index("年") + 1), text.index("）")}
    assert not forbidden & set(costs)


def test_a_break_inside_a_word_costs_more_than_one_between_words() -> None:
    costs = break_costs("网站内容")
    assert costs[2] < costs[1] and costs[2] < costs[3]


def test_more_lines_when_two_do_not_fit() -> None:
    lines = title_lines("每周更新未达标次数", 4.2)
    assert lines == ("每周更新", "未达标", "次数")


def test_an_unbreakable_title_is_left_to_the_word_processor() -> None:
    assert title_lines("x" * 60, 10) == ("x" * 60,)


def test_docx_sets_the_computed_breaks_in_the_quarterly_title(
    tmp_path: Path, make_figures
) -> None:
    settings = QuarterlySettings(title="关于2024年第2季度网站内容保障情况的通报",
                                 issuer="瑞河县人民政府办公室", year=2024, quarter=2,
                                 as_of=date(2024, 7, 6))
    report = build_quarterly_report([make_figures("青石镇", GROUP_TOWNSHIPS, None, 9, 3)],
                                    settings)
    document = docx.Document(str(write_docx(report, tmp_path / "q.docx")))
    [title] = [p for p in document.paragraphs if "通报" in p.text and "关于" in p.text]
    assert title.text == "关于2024年第2季度\n网站内容保障情况的通报"
