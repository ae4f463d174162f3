from datetime import date, time

import pytest

from crawler.extract.dates import (
    ParsedDate,
    find_date,
    parse_date,
    parse_datetime,
    resolve_short_date,
    resolve_short_dates,
)


@pytest.mark.parametrize(
    "text",
    [
        "2024-04-29",
        "2024/4/29",
        "2024.04.29",
        "2024年4月29日",
        "2024年04月29日",
        "２０２４－０４－２９",
        "发布时间：2024-04-29 10:30",
        "2024-04-29 10:30:00",
    ],
)
def test_full_date_forms_read_as_the_same_day(text):
    assert parse_date(text) == date(2024, 4, 29)


def test_time_of_day_is_kept_with_and_without_seconds():
    assert find_date("2024-04-29 10:30").clock == time(10, 30)
    assert find_date("2024-04-29 10:30:15").clock == time(10, 30, 15)
    assert parse_datetime("2007-08-20-23:59:59").time() == time(23, 59, 59)


@pytest.mark.parametrize("text", ["[04-29]", "04-29", "［０４－２９］", "【04-29】", "4月29日"])
def test_short_dates_have_month_and_day_but_no_year(text):
    found = find_date(text)
    assert (found.month, found.day, found.year) == (4, 29, None)
    assert found.is_short


def test_date_is_found_inside_a_text_cell():
    assert parse_date("  来源：县水利局  日期：2023年12月5日  ") == date(2023, 12, 5)


def test_numbers_in_titles_are_not_dates():
    assert find_date("交办信访件15-7处理情况") is None
    assert find_date("交办信访件16-10处理情况") is None
    assert find_date("版本 2023.1.5 说明") is None
    assert find_date("2024-2025学年") is None


def test_impossible_dates_are_rejected():
    assert parse_date("2023-02-30") is None
    assert find_date("13-01") is None


def short(month: int, day: int) -> ParsedDate:
    return ParsedDate(raw=f"{month:02d}-{day:02d}", month=month, day=day)


def test_list_running_from_january_into_december_puts_december_in_previous_year():
    items = [short(1, 8), short(1, 2), short(12, 28), short(12, 20)]
    resolved = resolve_short_dates(items, reference=date(2024, 1, 10))
    assert resolved == [date(2024, 1, 8), date(2024, 1, 2), date(2023, 12, 28),
                        date(2023, 12, 20)]


def test_one_out_of_order_row_does_not_shift_the_year_of_the_others():
    items = [short(9, 30), short(9, 28), short(9, 29), short(9, 25), short(9, 22), short(9, 25)]
    resolved = resolve_short_dates(items, reference=date(2017, 10, 20))
    assert [d.year for d in resolved] == [2017] * 6


def test_pinned_old_row_at_the_top_does_not_push_later_rows_a_year_back():
    items = [short(3, 1), short(5, 9), short(5, 2)]
    resolved = resolve_short_dates(items, reference=date(2024, 5, 10))
    assert resolved == [date(2024, 3, 1), date(2024, 5, 9), date(2024, 5, 2)]


def test_short_date_is_never_more_than_a_day_in_the_future():
    resolved = resolve_short_dates([short(5, 12), short(5, 11)], reference=date(2024, 5, 10))
    assert resolved == [date(2023, 5, 12), date(2023, 5, 11)]


def test_short_date_of_tomorrow_is_tolerated():
    assert resolve_short_dates([short(5, 11)], reference=date(2024, 5, 10)) == [
        date(2024, 5, 11)]


def test_full_dates_re_anchor_the_walk():
    items = [short(1, 3), ParsedDate("2022-12-30", 12, 30, 2022), short(12, 1)]
    resolved = resolve_short_dates(items, reference=date(2024, 1, 5))
    assert resolved == [date(2024, 1, 3), date(2022, 12, 30), date(2022, 12, 1)]


def test_next_page_continues_from_the_previous_page_last_date():
    resolved = resolve_short_dates([short(11, 20)], reference=date(2024, 5, 10),
                                   start=date(2023, 12, 2))
    assert resolved == [date(2023, 11, 20)]


def test_year_hint_from_an_article_pubdate():
    assert resolve_short_date(short(12, 31), near=date(2024, 1, 2)) == date(2023, 12, 31)
    assert resolve_short_date(short(1, 2), near=date(2023, 12, 31)) == date(2024, 1, 2)


def test_undated_rows_stay_undated():
    assert resolve_short_dates([None, short(4, 1)], reference=date(2024, 4, 2)) == [
        None, date(2024, 4, 1)]
