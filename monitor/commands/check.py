"""`monitor check --unit NAME`: crawl one unit now, then show its state (SPEC §3, §5)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from monitor.calendar import local_date
from monitor.commands.console import SafeTable, out, print_json, warn
from monitor.commands.options import ConfigOption, DbOption, JsonOption, resolve
from monitor.services.check import UnitCheck, check_document, check_unit
from monitor.services.crawl_backends import run_crawl
from monitor.services.dates import optional_day, requested_period
from monitor.services.problems import refresh_now
from monitor.units import find_unit
from storage import migrations

UnitNameOption = Annotated[
    str, typer.Option("--unit", "-u", help="The unit: its name, an alias or part of its name.")
]
NoCrawlOption = Annotated[
    bool, typer.Option("--no-crawl", help="Judge what is recorded; do not crawl first.")
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="YYYY-MM-DD",
                 help="Judge as on this day in Asia/Shanghai (default: today).",
                 show_default=False),
]
FromOption = Annotated[
    str | None,
    typer.Option("--from", metavar="YYYY-MM-DD", help="First day of the period (with --to).",
                 show_default=False),
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", metavar="YYYY-MM-DD", help="Last day of the period (with --from).",
                 show_default=False),
]


def check(
    ctx: typer.Context,
    unit: UnitNameOption,
    no_crawl: NoCrawlOption = False,
    as_of: AsOfOption = None,
    first: FromOption = None,
    last: ToOption = None,
    config: ConfigOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Crawl one unit now (unless --no-crawl), then print its columns, weekly rule and problems.

    The weekly rule's period defaults to 1 January of the as-of year up to as-of.
    """
    application = resolve(ctx, config, db)
    portal = application.config
    unit_name = find_unit(portal, unit).name
    day = optional_day(as_of, "--as-of") or application.clock.today()
    period = requested_period(first, last)
    migrations.require_current(application.engine)
    if not no_crawl:
        summary = run_crawl(application, [unit_name], show_progress=not json)
        if summary.outage.portal_down:
            warn(f"the portal did not answer: {unit_name} could not be read; its columns "
                 "are shown as unreachable with their last known state, nobody is accused")
        elif summary.columns_failed:
            warn(f"{summary.columns_failed} of {unit_name}'s columns could not be read; "
                 "they are shown as unreachable with their last known state")
    refresh_now(application)
    with application.sessions() as session:
        result = check_unit(session, portal, unit_name, day, period)
    for warning in result.warnings:
        warn(warning)
    if json:
        print_json(check_document(result))
        return
    print_table(columns_table(result))
    out.print(weekly_line(result))
    if result.problems:
        print_table(problems_table(result))
    else:
        out.print("no open problems")


def print_table(table: Table) -> None:
    """Print a table within the terminal's width; its columns fold, nothing is cut off."""
    out.print(table)


def _day(value: object) -> str:
    return "" if value is None else str(value)


def columns_table(result: UnitCheck) -> Table:
    table = SafeTable(title=f"{result.unit} at {result.as_of}")
    for heading in ("column", "category", "cycle", "status", "last post", "due"):
        table.add_column(heading)
    for heading in ("this week", "this month"):
        table.add_column(heading, justify="right")
    table.add_column("stale")
    table.add_column("note")
    for column in result.columns:
        table.add_row(
            column.name, column.category.value, column.cycle.value, column.status.value,
            _day(column.last_post), _day(column.due), str(column.posts_this_week),
            str(column.posts_this_month), "yes" if column.stale else "no",
            column.unreachable_reason or column.stale_reason or "",
        )
    return table


def weekly_line(result: UnitCheck) -> str:
    weekly = result.weekly
    line = (f"weekly rule {weekly.period.start} to {weekly.period.end}: "
            f"{len(weekly.weeks)} weeks counted, {len(weekly.missed)} missed")
    if weekly.missed:
        line += " (weeks of " + ", ".join(str(monday) for monday in weekly.missed) + ")"
    return line


def problems_table(result: UnitCheck) -> Table:
    table = SafeTable(title="Open problems")
    for heading in ("id", "type", "column", "detail", "first seen"):
        table.add_column(heading)
    for problem in result.problems:
        table.add_row(str(problem.id), problem.type.value, problem.column or "", problem.detail,
                      str(local_date(problem.first_seen)))
    return table
