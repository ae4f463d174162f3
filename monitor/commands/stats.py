"""`monitor stats`: per-unit figures for a period and year-to-date (SPEC §4.6, §5)."""

from __future__ import annotations

import typer
from rich.table import Table

from monitor.app import App
from monitor.commands.check import AsOfOption, FromOption, ToOption, print_table
from monitor.commands.console import SafeTable, print_json, warn
from monitor.commands.language import paragraphs
from monitor.commands.options import (
    AllOption,
    ConfigOption,
    DbOption,
    JsonOption,
    PortalOption,
    resolve_each,
)
from monitor.i18n import N_, _
from monitor.rules.figures import PortalFigures, ranked_portals
from monitor.rules.periods import Period
from monitor.services.dates import optional_day, requested_period
from monitor.services.stats import (
    StatsResult,
    portal_row,
    portals_document,
    stats_document,
    unit_stats,
)
from storage import migrations

HELP = paragraphs(
    N_("Posts per unit (动态信息 / 信息公开) for a period and the year, weekly rule, "
       "completion."),
    N_("The period defaults to the current month up to as-of."))


def stats(
    ctx: typer.Context,
    first: FromOption = None,
    last: ToOption = None,
    as_of: AsOfOption = None,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
    every: AllOption = False,
    json: JsonOption = False,
) -> None:
    period = requested_period(first, last)
    results = {name: portal_stats(application, as_of, period)
               for name, application in resolve_each(ctx, config, db, portal, every)}
    if every:
        rows = ranked_portals([portal_row(name, result) for name, result in results.items()])
        if json:
            print_json(portals_document(rows, results))
        else:
            print_table(portals_table(rows, next(iter(results.values()))))
        return
    result = next(iter(results.values()))
    if json:
        print_json(stats_document(result))
        return
    print_table(stats_table(result))


def portal_stats(application: App, as_of: str | None, period: Period | None) -> StatsResult:
    day = optional_day(as_of, "--as-of") or application.clock.today()
    migrations.require_current(application.engine)
    with application.sessions.begin() as session:
        result = unit_stats(session, application.config, day, period)
    for warning in result.warnings:
        warn(warning)
    return result


def portals_table(rows: list[PortalFigures], first: StatsResult) -> Table:
    """Counties ranked (seed 002's table, one line per portal)."""
    period = first.period
    table = SafeTable(title=_("Portals ranked, {start} to {end} (as of {day})").format(
        start=period.start, end=period.end, day=first.as_of))
    table.add_column(_("portal"))
    for heading in (_("units"), _("annual target"), _("动态信息"), _("信息公开"), _("total"),
                    _("year total"), _("missed weeks"), _("units behind"),
                    _("completion %"), _("rank")):
        table.add_column(heading, justify="right")
    for row in rows:
        table.add_row(
            row.portal, str(row.units), _text(row.annual_target), str(row.period.dynamics),
            str(row.period.disclosure), str(row.period.total), str(row.ytd.total),
            str(row.missed), str(row.units_missed), _text(row.completion), _text(row.rank),
        )
    return table


def stats_table(result: StatsResult) -> Table:
    period = result.period
    table = SafeTable(title=_("Figures {start} to {end} (as of {day})").format(
        start=period.start, end=period.end, day=result.as_of))
    table.add_column(_("unit"))
    table.add_column(_("group"))
    for heading in (_("annual target"), _("动态信息"), _("信息公开"), _("total"),
                    _("year total"), _("weeks"), _("missed weeks"), _("completion %"),
                    _("rank in group"), _("rank")):
        table.add_column(heading, justify="right")
    for figure in result.figures:
        table.add_row(
            figure.unit, figure.group, _text(figure.annual_target), str(figure.period.dynamics),
            str(figure.period.disclosure), str(figure.period.total), str(figure.ytd.total),
            str(figure.weeks), str(figure.missed), _text(figure.completion),
            _text(figure.rank_in_group), _text(figure.rank),
        )
    return table


def _text(value: object) -> str:
    return "" if value is None else str(value)
