from __future__ import annotations

import pytest

from monitor.safetext import clean, csv_cell, looks_like_formula, one_line


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"点击\")", "+1+cmd|' /C calc'!A0",
                                  "-2+3", "@SUM(A1:A2)", "  =1+1", "\t=1+1", "\n@x"])
def test_a_text_a_spreadsheet_would_read_as_a_formula_is_marked_text(text: str) -> None:
    assert looks_like_formula(text)
    assert csv_cell(text).startswith("'")


@pytest.mark.parametrize("text", ["关于=的通知", "2024年工作计划", "a-b", ""])
def test_ordinary_titles_are_left_as_they_are(text: str) -> None:
    assert csv_cell(text) == text


def test_control_characters_are_dropped_but_tab_and_line_feed_kept() -> None:
    assert clean("a\x01b\x1b[31mc\x07d\x7fe\x85f\tg\nh") == "ab[31mcdef\tg\nh"
    assert clean("a\r\nb\rc") == "a\nb\nc"


def test_bidi_overrides_and_isolates_are_dropped() -> None:
    hostile = "通知\u202e txt.exe\u202c\u2066x\u2069\u202a\u202b\u202d\u2067\u2068"
    assert clean(hostile) == "通知 txt.exex"


def test_one_line_is_clean_with_white_space_collapsed() -> None:
    assert one_line(" 标题\r\n第二行\u2028\x1b\u202e 尾 ") == "标题 第二行 尾"
