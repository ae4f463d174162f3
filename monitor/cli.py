"""The `monitor` command line (SPEC §3): a thin layer over the service functions.

Errors the user can fix (`MonitorError`) become `错误：…` (`error: …` in English) on stderr
and exit status 1;
usage errors exit 2 (Click's own); anything else is a bug and keeps its traceback.

Each command's module is imported only when that command runs (or its own `--help` is
asked for): the modules pull in Scrapy, SQLAlchemy, openpyxl, aiohttp… and the scheduler
starts `python -m monitor` for every job, so importing them all made each start cost
more than a quiet job's work. `monitor --help` lists the commands from `COMMANDS` alone.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import typer

# Typer's own Click (vendored): the context type its group methods are declared with.
from typer._click.core import Context as ClickContext
from typer.core import TyperCommand, TyperGroup

from monitor.commands.language import localise, speak_typer_words
from monitor.commands.options import ConfigOption, DbOption, PortalOption
from monitor.errors import MonitorError
from monitor.i18n import N_, _


@dataclass(frozen=True)
class LazyCommand:
    """Where a command lives, and the one-line help `monitor --help` shows for it
    (tests check it is the first line of the command's own help)."""

    module: str
    attribute: str
    summary: str

    def load(self, name: str) -> TyperCommand | TyperGroup:
        module = importlib.import_module(self.module)
        target = getattr(module, self.attribute)
        if isinstance(target, typer.Typer):
            return localise(typer.main.get_group(target))
        single = typer.Typer(add_completion=False)
        # A single command's help is its module's HELP (msgids, translated by `localise`).
        single.command(name, help=getattr(module, "HELP", None))(target)
        return localise(typer.main.get_command(single))


# Typer vendors its own Click: its types are the ones used here, not the `click` package's.
# In help order: single commands first, then the groups (as Typer lists them).
COMMANDS: dict[str, LazyCommand] = {
    "crawl": LazyCommand("monitor.commands.crawl", "crawl", N_(
        "Crawl the configured columns, record new posts and read their articles.")),
    "check": LazyCommand("monitor.commands.check", "check", N_(
        "Crawl one unit now (unless --no-crawl), then print its columns, weekly rule and "
        "problems.")),
    "stats": LazyCommand("monitor.commands.stats", "stats", N_(
        "Posts per unit (动态信息 / 信息公开) for a period and the year, weekly rule, "
        "completion.")),
    "national": LazyCommand("monitor.commands.national", "national", N_(
        "The portal against the national indicators' single-veto items (国办秘函〔2019〕19号).")),
    "export": LazyCommand("monitor.commands.export", "export", N_(
        "Export posts, links or problems as CSV (UTF-8 with BOM, for Excel), JSON or XLSX.")),
    "schedule": LazyCommand("monitor.commands.schedule", "schedule", N_(
        "Run the jobs of the config on their schedule until SIGINT or SIGTERM.")),
    "probe": LazyCommand("monitor.commands.probe", "probe", N_(
        "Fetch the home page and the key pages once; judge the availability window.")),
    "demo": LazyCommand("monitor.commands.demo", "demo", N_(
        "Run the monitor on the bundled sample portal: crawl nights, check, report, alerts.")),
    "discover": LazyCommand("monitor.commands.discover", "discover", N_(
        "Walk the portal's navigation and write a draft config of its units and columns.")),
    "serve": LazyCommand("monitor.commands.serve", "serve", N_(
        "Serve the dashboard: 总览, 单位, 问题, 报告, 采集记录 and the JSON API, behind a login.")),
    "db": LazyCommand("monitor.commands.db", "app", N_(
        "Create or migrate the database.")),
    "config": LazyCommand("monitor.commands.config", "app", N_(
        "Validate the portal config.")),
    "problems": LazyCommand("monitor.commands.problems", "app", N_(
        "List problems; confirm one, ignore one with a reason, reopen one, or copy its evidence.")),
    "report": LazyCommand("monitor.commands.report", "app", N_(
        "Write the monthly report (月报) or the quarterly table.")),
    "links": LazyCommand("monitor.commands.links", "app", N_(
        "Link, image and attachment checks.")),
    "alerts": LazyCommand("monitor.commands.alerts", "app", N_(
        "Alerts to units and the office, by e-mail and in chat groups.")),
    "sample-portal": LazyCommand("sampleportal.command", "app", N_(
        "The bundled sample county portal (瑞河县), for demos, tests and benchmarks.")),
    "users": LazyCommand("monitor.commands.users", "app", N_(
        "Add, list or remove the users of the web dashboard.")),
}
_LISTING = "monitor.listing_commands"


class MonitorGroup(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Built anew for every run (`app()` or a test's invoke): its help and Typer's own
        # words are put in the language active now.
        super().__init__(*args, **kwargs)
        speak_typer_words()
        localise(self)

    def list_commands(self, ctx: ClickContext) -> list[str]:
        return [*self.commands, *(name for name in COMMANDS if name not in self.commands)]

    def get_command(self, ctx: ClickContext, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        lazy = COMMANDS.get(cmd_name)
        if lazy is None:
            return None
        if ctx.meta.get(_LISTING):
            # Only the name and the summary are shown: no import for the list.
            return TyperCommand(cmd_name, help=_(lazy.summary))
        command = self.commands[cmd_name] = lazy.load(cmd_name)
        return command

    def format_help(self, ctx: ClickContext, formatter: Any) -> None:
        ctx.meta[_LISTING] = True
        try:
            super().format_help(ctx, formatter)
        finally:
            ctx.meta.pop(_LISTING, None)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # narrows click.Context
        try:
            return super().invoke(ctx)
        except MonitorError as error:
            from monitor.commands.console import err

            for line in str(error).splitlines() or [type(error).__name__]:
                err.print(_("error: {message}").format(message=line), markup=False)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=MonitorGroup,
    help=N_("Watch a government portal: column updates, broken links, monthly reports."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root(ctx: typer.Context, config: ConfigOption = None, db: DbOption = None,
         portal: PortalOption = None) -> None:
    # Options given here apply to every command.
    from monitor.app import App

    ctx.obj = App(config_option=config, db_option=db, portal_option=portal)


def main() -> None:
    app()
