"""Which reading of a post's date and title stands (SPEC §4.2): list, then article."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from monitor.crawlfacts.precedence import (
    PostDate,
    PostTitle,
    dated_by_article,
    dated_by_list,
    titled_by_article,
    titled_by_list,
)
from monitor.domain import DateSource, TitleSource

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
sources = st.sampled_from(DateSource)
article_sources = st.sampled_from([DateSource.META, DateSource.VISIBLE])
known_dates = st.builds(PostDate, st.none() | days, st.none() | sources)
words = st.text(alphabet="县财政局债务风险防控工作取得阶段性成效通知公告", min_size=1, max_size=30)
title_sources = st.sampled_from([TitleSource.META, TitleSource.H1, TitleSource.TITLE])


@given(known_dates, st.none() | days, st.booleans())
def test_a_date_read_from_the_article_page_is_never_changed_by_the_list(known, listed, full):
    known = PostDate(known.value, DateSource.META)
    assert dated_by_list(known, listed, full) == known


@given(st.none() | days, st.sampled_from([None, DateSource.LIST]), days)
def test_a_list_date_printed_with_its_year_stands(known, source, listed):
    assert dated_by_list(PostDate(known, source), listed, True) == PostDate(listed,
                                                                            DateSource.LIST)


@given(days, st.integers(min_value=-5, max_value=5))
def test_a_guessed_year_does_not_undo_the_year_of_the_same_day(settled, years):
    guessed = settled.replace(year=settled.year + years) if (
        settled.month, settled.day) != (2, 29) else settled
    known = PostDate(settled, DateSource.LIST)
    assert dated_by_list(known, guessed, False) == known


@given(known_dates, days, article_sources, st.booleans())
def test_an_undated_post_takes_the_articles_date_and_says_where_from(
        known, published, source, year_printed):
    undated = PostDate(None, known.source)
    assert dated_by_article(undated, published, source, year_printed) == PostDate(published,
                                                                                  source)


@given(days, days, article_sources)
def test_a_list_date_printed_with_its_year_is_kept_against_the_article(listed, published,
                                                                       source):
    known = PostDate(listed, DateSource.LIST)
    assert dated_by_article(known, published, source, True) == known


@given(known_dates, days, article_sources, st.booleans())
def test_the_article_changes_a_known_date_at_most_in_its_year_and_never_its_source(
        known, published, source, year_printed):
    after = dated_by_article(known, published, source, year_printed)
    if known.value is not None:
        assert after.source == known.source
        assert (after.value.month, after.value.day) == (known.value.month, known.value.day)


@given(known_dates, st.none() | days, st.booleans(), st.none() | days, st.booleans())
def test_reading_the_same_page_twice_changes_nothing_more(known, listed, full, published,
                                                          year_printed):
    once = dated_by_list(known, listed, full)
    assert dated_by_list(once, listed, full) == once
    read = dated_by_article(known, published, DateSource.META, year_printed)
    assert dated_by_article(read, published, DateSource.META, year_printed) == read


def test_no_article_date_leaves_the_date_as_known() -> None:
    known = PostDate(None, None)
    assert dated_by_article(known, None, None, False) == known
    assert dated_by_article(known, date(2024, 4, 29), None, False) == known


@given(words, st.integers(min_value=1), st.sampled_from(["…", "...", "", "⋯"]), title_sources)
def test_a_cut_list_title_is_completed_and_not_undone_by_the_list(full, cut, mark, source):
    head = full[:max(1, cut % len(full))]
    if head == full:
        return
    listed = head + mark
    completed = titled_by_article(PostTitle(listed, TitleSource.LIST), full, source)
    assert completed == PostTitle(full, source)
    assert titled_by_list(completed, listed) == completed


@given(words, words, title_sources)
def test_an_article_title_that_does_not_continue_the_list_changes_nothing(listed, other,
                                                                          source):
    known = PostTitle(listed, TitleSource.LIST)
    after = titled_by_article(known, other, source)
    assert after == known or (other.startswith(listed) and after == PostTitle(other, source))


@given(words, words)
def test_a_longer_list_title_replaces_a_list_title(known, listed):
    after = titled_by_list(PostTitle(known, TitleSource.LIST), listed)
    expected = listed if len(listed) >= len(known) else known
    assert after == PostTitle(expected, TitleSource.LIST)
