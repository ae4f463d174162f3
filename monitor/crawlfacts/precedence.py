"""Which of two readings of a post's date and title stands (SPEC §4.2, §3).

A post is read twice: in its column's list, on every run, and on its article page, once.
Storage records what these functions decide; the deciding lives here, once, as pure
functions of what is known and what was just read.

Dates: the list's date comes first; when the list shows none, the article's PubDate, then
its visible 发布时间 line. A short list date (MM-DD) whose year was guessed yields to the
article's date for the same month and day; a list date printed with its year stands.

Titles: a list title cut short (…, or only the beginning) takes the article's whole
title, and a later cut list title does not undo it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from monitor.crawlfacts.titles import completed_title
from monitor.domain import DateSource, TitleSource


@dataclass(frozen=True)
class PostDate:
    """A post's date and where it was read (None: not dated yet)."""

    value: date | None
    source: DateSource | None


@dataclass(frozen=True)
class PostTitle:
    """A post's title and where it was read."""

    text: str
    source: TitleSource | None


def dated_by_list(known: PostDate, listed: date | None, printed_in_full: bool) -> PostDate:
    """The date after the list showed the post again with `listed` (`printed_in_full`:
    the list printed the year, rather than an MM-DD whose year came from context)."""
    if listed is None or known.source not in (None, DateSource.LIST):
        return known
    if not printed_in_full and _same_day(known.value, listed):
        # The year the article's PubDate settled stands (two annual reports dated 01-20,
        # a year apart): the guess is the list's, not the article's.
        return PostDate(known.value, DateSource.LIST)
    return PostDate(listed, DateSource.LIST)


def dated_by_article(known: PostDate, published: date | None, source: DateSource | None,
                     list_year_printed: bool) -> PostDate:
    """The date after the post's article page was read, giving `published` as read from
    `source` (`list_year_printed`: the list showed the post's date with its year)."""
    if published is None or source is None:
        return known
    if known.value is None:
        return PostDate(published, source)
    if not list_year_printed and _same_day(known.value, published):
        return PostDate(published, known.source)
    return known


def titled_by_list(known: PostTitle, listed: str) -> PostTitle:
    """The title after the list showed the post again as `listed`: a longer list title
    replaces the stored one, unless it is the cut form of the whole title its article
    gave ("…阶段性成效..." is longer than "…阶段性成效")."""
    if not listed or len(listed) < len(known.text):
        return known
    from_article = known.source not in (None, TitleSource.LIST)
    if from_article and completed_title(listed, known.text) is not None:
        return known
    return PostTitle(listed, TitleSource.LIST)


def titled_by_article(known: PostTitle, article_title: str,
                      source: TitleSource | None) -> PostTitle:
    """The title after the article page was read: its whole title when the known one is
    it cut short, and where the article gave it."""
    if source is None:
        return known
    full = completed_title(known.text, article_title)
    return known if full is None else PostTitle(full, source)


def _same_day(known: date | None, other: date) -> bool:
    return known is not None and (known.month, known.day) == (other.month, other.day)
