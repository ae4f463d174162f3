"""Column widths of an exported sheet follow its content, within bounds."""

from __future__ import annotations

from monitor.spreadsheet import MAX_WIDTH, MIN_WIDTH, column_widths, display_width


def test_a_chinese_character_takes_two_columns() -> None:
    assert display_width("县水利局") == 8
    assert display_width("http://a/") == 9


def test_widths_fit_the_longest_value_or_header_with_a_margin() -> None:
    widths = column_widths(("id", "单位", "url"),
                           [(1, "县市场监督管理局", "http://127.0.0.1/x"), (22, None, "")])
    assert widths == [MIN_WIDTH, 16 + 2, 18 + 2]


def test_a_very_long_value_is_capped_so_it_wraps_instead() -> None:
    assert column_widths(("url",), [("http://x/" + "a" * 300,)]) == [MAX_WIDTH]
