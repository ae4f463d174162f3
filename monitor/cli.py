"""The `monitor` command line (SPEC §3): a thin layer over the service functions.

Errors the user can fix (`MonitorError`) become `error: …` on stderr and exit status 1;
usage errors exit 2 (Click's own); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from monitor.app import App
from monitor.commands import alerts as alerts_commands
from monitor.commands import check as check_command
from monitor.commands import config as config_commands
from monitor.commands import crawl as crawl_command
from monitor.commands import db as db_commands
from monitor.commands import demo as demo_command
from monitor.commands import discover as discover_command
from monitor.commands import export as export_command
from monitor.commands import links as links_commands
from monitor.commands import national as national_command
from monitor.commands import probe as probe_command
from monitor.commands import problems as problems_commands
from monitor.commands import report as report_commands
from monitor.commands import schedule as schedule_command
from monitor.commands import serve as serve_command
from monitor.commands import stats as stats_command
from monitor.commands import users as users_commands
from monitor.commands.console import err
from monitor.commands.options import ConfigOption, DbOption
from monitor.errors import MonitorError
from monitor.i18n import _
from sampleportal import command as sample_portal_commands


class MonitorGroup(TyperGroup):
    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except MonitorError as error:
            for line in str(error).splitlines() or [type(error).__name__]:
                err.print(f"error: {line}", markup=False)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=MonitorGroup,
    help=_("Watch a government portal: column updates, broken links, monthly reports."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_commands.app, name="db")
app.add_typer(config_commands.app, name="config")
app.command("crawl")(crawl_command.crawl)
app.command("check")(check_command.check)
app.command("stats")(stats_command.stats)
app.command("national")(national_command.national)
app.add_typer(problems_commands.app, name="problems")
app.add_typer(report_commands.app, name="report")
app.command("export")(export_command.export)
app.add_typer(links_commands.app, name="links")
app.command("schedule")(schedule_command.schedule)
app.command("probe")(probe_command.probe)
app.add_typer(alerts_commands.app, name="alerts")
app.add_typer(sample_portal_commands.app, name="sample-portal")
app.command("demo")(demo_command.demo)
app.command("discover")(discover_command.discover)
app.command("serve")(serve_command.serve)
app.add_typer(users_commands.app, name="users")


@app.callback()
def root(ctx: typer.Context, config: ConfigOption = None, db: DbOption = None) -> None:
    """Options given here apply to every command."""
    ctx.obj = App(config_option=config, db_option=db)


def main() -> None:
    app()
