"""`monitor check --unit NAME`: crawl one unit now, then show its state (SPEC §3, §5)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from monitor.app import App
from monitor.calendar import local_date
from monitor.commands.console import SafeTable, out, print_json, warn
from monitor.commands.each_portal import PortalOutcome, exit_if_failed, run_or_stop
from monitor.commands.language import paragraphs
from monitor.commands.options import (
    AllOption,
    ConfigOption,
    DbOption,
    JsonOption,
    PortalOption,
    portal_heading,
    resolve_each,
)
from monitor.errors import UnknownUnitError
from monitor.i18n import N_, _
from monitor.labels import label, problem_label, yes_no
from monitor.rules.periods import Period
from monitor.services.check import UnitCheck, check_document, check_unit
from monitor.services.crawl_backends import run_crawl
from monitor.services.dates import optional_day, requested_period
from monitor.services.problems import refresh_now
from monitor.units import find_unit
from storage import migrations

UnitNameOption = Annotated[
    str, typer.Option("--unit", "-u", metavar=N_("UNIT"),
                      help=N_("The unit: its name, an alias or part of its name."))
]
NoCrawlOption = Annotated[
    bool, typer.Option("--no-crawl", help=N_("Judge what is recorded; do not crawl first."))
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="YYYY-MM-DD",
                 help=N_("Judge as on this day in Asia/Shanghai (default: today)."),
                 show_default=False),
]
FromOption = Annotated[
    str | None,
    typer.Option("--from", metavar="YYYY-MM-DD",
                 help=N_("First day of the period (with --to)."), show_default=False),
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", metavar="YYYY-MM-DD",
                 help=N_("Last day of the period (with --from)."), show_default=False),
]

HELP = paragraphs(
    N_("Crawl one unit now (unless --no-crawl), then print its columns, weekly rule and "
       "problems."),
    N_("The weekly rule's period defaults to 1 January of the as-of year up to as-of."))


def check(
    ctx: typer.Context,
    unit: UnitNameOption,
    no_crawl: NoCrawlOption = False,
    as_of: AsOfOption = None,
    first: FromOption = None,
    last: ToOption = None,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
    every: AllOption = False,
    json: JsonOption = False,
) -> None:
    targets = resolve_each(ctx, config, db, portal, every)
    period = requested_period(first, last)
    documents: dict[str, object] = {}
    not_crawled: list[PortalOutcome] = []
    for index, (name, application) in enumerate(targets):
        if every and not known_unit(application, unit):
            warn(_("{portal}: no unit '{unit}'; skipped").format(portal=name, unit=unit))
            continue
        crawled = None
        if every and not no_crawl:
            # A crawl's reactor runs once per process: under --all each portal's crawl is a
            # child's. One that ended without its summary said why on stderr.
            crawled = run_or_stop(name, application,
                                  ["crawl", "--unit", find_unit(application.config, unit).name],
                                  [later for later, _app in targets[index + 1:]])
            if crawled.document is None:
                not_crawled.append(crawled)
                continue
        if every and not json:
            portal_heading(name)
        documents[name] = check_portal(application, unit, no_crawl, as_of, period, json,
                                       crawled.document if crawled else None)
    if every and not documents and not not_crawled:
        raise UnknownUnitError(unit, [])
    if json:
        print_json(documents if every else next(iter(documents.values())))
    exit_if_failed(not_crawled, len(documents) + len(not_crawled))


def known_unit(application: App, unit: str) -> bool:
    try:
        find_unit(application.config, unit)
    except UnknownUnitError:
        return False
    return True


def check_portal(application: App, unit: str, no_crawl: bool, as_of: str | None,
                 period: Period | None, json: bool,
                 crawled: dict[str, Any] | None = None) -> object:
    """Crawl the unit of one portal (unless `no_crawl`, or it was `crawled` already: the
    `crawl --json` document of a child) and print its state; give its JSON document."""
    portal = application.config
    unit_name = find_unit(portal, unit).name
    day = optional_day(as_of, "--as-of") or application.clock.today()
    migrations.require_current(application.engine)
    if crawled is not None:
        warn_unread(unit_name, not crawled["portal_answered"], crawled["columns_failed"])
    elif not no_crawl:
        summary = run_crawl(application, [unit_name], show_progress=not json)
        warn_unread(unit_name, summary.outage.portal_down, summary.columns_failed)
    refresh_now(application)
    with application.sessions() as session:
        result = check_unit(session, portal, unit_name, day, period)
    for warning in result.warnings:
        warn(warning)
    if json:
        return check_document(result)
    print_table(columns_table(result))
    out.print(weekly_line(result))
    if result.problems:
        print_table(problems_table(result))
    else:
        out.print(_("no open problems"))
    return check_document(result)


def warn_unread(unit_name: str, portal_down: bool, columns_failed: int) -> None:
    """What the crawl just made of the unit could not be read."""
    if portal_down:
        warn(_("the portal did not answer: {unit} could not be read; its columns are "
               "shown as unreachable with their last known state, nobody is accused")
             .format(unit=unit_name))
    elif columns_failed:
        warn(_("{count} of {unit}'s columns could not be read; they are shown as "
               "unreachable with their last known state")
             .format(count=columns_failed, unit=unit_name))


def print_table(table: Table) -> None:
    """Print a table within the terminal's width; its columns fold, nothing is cut off."""
    out.print(table)


def _day(value: object) -> str:
    return "" if value is None else str(value)


def columns_table(result: UnitCheck) -> Table:
    table = SafeTable(title=_("{unit} as of {day}").format(unit=result.unit, day=result.as_of))
    for heading in (_("column"), _("category"), _("cycle"), _("status"), _("last post"),
                    _("due")):
        table.add_column(heading)
    for heading in (_("this week"), _("this month")):
        table.add_column(heading, justify="right")
    table.add_column(_("stale (national rule)"))
    table.add_column(_("note"))
    for column in result.columns:
        table.add_row(
            column.name, label(column.category), label(column.cycle), label(column.status),
            _day(column.last_post), _day(column.due), str(column.posts_this_week),
            str(column.posts_this_month), yes_no(column.stale),
            column.unreachable_reason or column.stale_reason or "",
        )
    return table


def weekly_line(result: UnitCheck) -> str:
    weekly = result.weekly
    line = _("weekly rule {start} to {end}: {weeks} weeks counted, {missed} missed").format(
        start=weekly.period.start, end=weekly.period.end, weeks=len(weekly.weeks),
        missed=len(weekly.missed))
    if weekly.missed:
        line += _(" (weeks of {mondays})").format(
            mondays=_(", ").join(str(monday) for monday in weekly.missed))
    return line


def problems_table(result: UnitCheck) -> Table:
    table = SafeTable(title=_("Open problems"))
    for heading in (_("id"), _("problem"), _("column"), _("detail"), _("first seen")):
        table.add_column(heading)
    for problem in result.problems:
        table.add_row(str(problem.id), problem_label(problem.type), problem.column or "",
                      problem.detail,
                      str(local_date(problem.first_seen)))
    return table
