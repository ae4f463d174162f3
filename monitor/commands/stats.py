"""`monitor stats`: per-unit figures for a period and year-to-date (SPEC §4.6, §5)."""

from __future__ import annotations

import typer
from rich.table import Table

from monitor.commands.check import AsOfOption, FromOption, ToOption, print_table
from monitor.commands.console import SafeTable, print_json, warn
from monitor.commands.language import paragraphs
from monitor.commands.options import ConfigOption, DbOption, JsonOption, PortalOption, resolve
from monitor.i18n import N_, _
from monitor.services.dates import optional_day, requested_period
from monitor.services.stats import StatsResult, stats_document, unit_stats
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
    json: JsonOption = False,
) -> None:
    application = resolve(ctx, config, db, portal)
    portal = application.config
    day = optional_day(as_of, "--as-of") or application.clock.today()
    period = requested_period(first, last)
    migrations.require_current(application.engine)
    with application.sessions.begin() as session:
        result = unit_stats(session, portal, day, period)
    for warning in result.warnings:
        warn(warning)
    if json:
        print_json(stats_document(result))
        return
    print_table(stats_table(result))


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
