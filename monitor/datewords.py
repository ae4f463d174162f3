"""Days and weeks as a person reads them, in the active language (SPEC §9).

Chinese says 2024年5月6日 and 2024年5月6日—5月12日; English says 6 May 2024 and
6–12 May 2024 (29 April – 5 May 2024 when the week spans two months). Each shape is a text
of the catalogues, so the order of day, month and year is the translation's to choose; the
week's three shapes are told apart by their gettext context, Chinese writing them alike.
"""

from __future__ import annotations

from datetime import date, timedelta

from monitor.i18n import N_, _, pgettext

# The months by name, where a language names them (the Chinese month is its number).
MONTHS = (N_("1月"), N_("2月"), N_("3月"), N_("4月"), N_("5月"), N_("6月"), N_("7月"),
          N_("8月"), N_("9月"), N_("10月"), N_("11月"), N_("12月"))


def _fields(day: date, prefix: str = "") -> dict[str, object]:
    return {f"{prefix}year": day.year, f"{prefix}month": day.month, f"{prefix}day": day.day,
            f"{prefix}month_name": _(MONTHS[day.month - 1])}


def full_date(day: date | None) -> str:
    """`2024年5月6日` / `6 May 2024`; 无 / none for no day."""
    if day is None:
        return _("无")
    return _("{year}年{month}月{day}日").format(**_fields(day))


def month_day(day: date | None) -> str:
    """`5月20日` / `20 May`: a day of the current year (请于5月20日前整改)."""
    if day is None:
        return _("无")
    return _("{month}月{day}日").format(**_fields(day))


def week_range(monday: date) -> str:
    """The week from `monday` to its Sunday: `2024年5月6日—5月12日` / `6–12 May 2024`."""
    sunday = monday + timedelta(days=6)
    # The same Chinese text thrice, written out each time for the extraction to find.
    if sunday.year != monday.year:
        shape = pgettext("week across two years",
                         "{year}年{month}月{day}日—{end_month}月{end_day}日")
    elif sunday.month != monday.month:
        shape = pgettext("week across two months",
                         "{year}年{month}月{day}日—{end_month}月{end_day}日")
    else:
        shape = pgettext("week within a month",
                         "{year}年{month}月{day}日—{end_month}月{end_day}日")
    return shape.format(**_fields(monday), **_fields(sunday, "end_"))
