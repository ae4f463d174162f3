"""`monitor report monthly|quarterly`: write the 月报 or the quarterly table (SPEC §3, §6).

The written files' paths go to stdout, one a line, so a script can pick them up; calendar
warnings go to stderr. Formats and the period are checked before the database is opened,
so a typo costs nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from monitor.app import App
from monitor.commands.console import warn
from monitor.commands.options import (
    AllOption,
    ConfigOption,
    DbOption,
    PortalOption,
    resolve_each,
)
from monitor.i18n import N_
from monitor.rules.periods import Period
from monitor.services.problems import refresh_recorded
from monitor.services.reports import monthly_report, quarterly_report, templates_dir
from reports import ALL_FORMATS, MonthlyReport, QuarterlyReport, parse_formats, write_report
from storage import migrations

app = typer.Typer(help=N_("Write the monthly report (月报) or the quarterly table."),
                  no_args_is_help=True)

MonthOption = Annotated[
    str, typer.Option("--month", metavar="YYYY-MM", help=N_("The month reported, e.g. 2024-04."))
]
QuarterOption = Annotated[
    str, typer.Option("--quarter", metavar="YYYYQN", help=N_("The quarter reported, e.g. 2024Q1."))
]
FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", metavar=N_("FORMATS"),
                 help=N_("Formats, separated by commas (default: all of them).")),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", metavar=N_("DIR"),
                 help=N_("Directory to write into (default: schedule.report_dir)."),
                  show_default=False),
]


def _out_dir(application: App, out: Path | None, every: bool = False) -> Path:
    """Where the files go; under `--all`, a folder per portal (its file's name) in it."""
    base = out if out is not None else Path(application.config.schedule.report_dir)
    return base / application.config_path.stem if every else base


def _publish(report: MonthlyReport | QuarterlyReport, out_dir: Path,
             formats: tuple[str, ...]) -> None:
    for warning in report.calendar_warnings:
        warn(warning)
    for path in write_report(report, out_dir, formats):
        print(path)


@app.command("monthly", help=N_("The 月报 of one month: 基本情况, 存在问题, 上期问题整改情况, "
                                 "工作要求, 附件 tables."))
def monthly(
    ctx: typer.Context,
    month: MonthOption,
    format: FormatOption = ",".join(ALL_FORMATS),  # noqa: A002 - the option's own name
    out: OutOption = None,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
    every: AllOption = False,
) -> None:
    period = Period.parse_month(month)
    formats = parse_formats(format)
    for _name, application in resolve_each(ctx, config, db, portal, every):
        office_templates = templates_dir(application.config, application.config_path)
        migrations.require_current(application.engine)
        # The rule problems are judged today, so the report is right without a crawl first.
        refresh_recorded(application)
        with application.sessions() as session:
            report = monthly_report(session, application.config, period.start.year,
                                    period.start.month, application.clock.today(),
                                    office_templates)
        _publish(report, _out_dir(application, out, every), formats)


@app.command("quarterly", help=N_("The quarterly table: 信息公开 and 动态信息 this quarter and "
                                   "year-to-date, missed weeks."))
def quarterly(
    ctx: typer.Context,
    quarter: QuarterOption,
    format: FormatOption = ",".join(ALL_FORMATS),  # noqa: A002 - the option's own name
    out: OutOption = None,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
    every: AllOption = False,
) -> None:
    period = Period.parse_quarter(quarter)
    formats = parse_formats(format)
    for _name, application in resolve_each(ctx, config, db, portal, every):
        migrations.require_current(application.engine)
        with application.sessions() as session:
            report = quarterly_report(session, application.config, period.start.year,
                                      (period.start.month + 2) // 3, application.clock.today())
        _publish(report, _out_dir(application, out, every), formats)
