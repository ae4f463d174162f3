"""`monitor schedule`: run the scheduler in the foreground, or list its jobs."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.table import Table

from monitor.clock import to_local
from monitor.commands.console import SafeTable, out, print_json
from monitor.commands.options import ConfigOption, DbOption, JsonOption, PortalOption, resolve
from monitor.i18n import N_, _
from monitor.scheduler.runner import JobListing, list_jobs, run_scheduler

ListOption = Annotated[
    bool, typer.Option("--list", help=N_("Print the jobs and their next run times, then exit."))
]


HELP = N_("Run the jobs of the config on their schedule until SIGINT or SIGTERM.")


def schedule(
    ctx: typer.Context,
    list_only: ListOption = False,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
    json: JsonOption = False,
) -> None:
    application = resolve(ctx, config, db, portal)
    if list_only:
        listings = list_jobs(application)
        if json:
            print_json([_as_json(listing) for listing in listings])
        else:
            out.print(jobs_table(listings))
        return
    _log_to_stderr()
    run_scheduler(application)


def _log_to_stderr() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger = logging.getLogger("monitor")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # APScheduler's own lines repeat ours; keep only its warnings and errors.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").addHandler(handler)


def _as_json(listing: JobListing) -> dict[str, object]:
    return {
        "job": listing.name,
        "description": listing.description,
        "enabled": listing.enabled,
        "trigger": listing.trigger,
        "next_run": to_local(listing.next_run).isoformat() if listing.next_run else None,
        "stored": listing.stored,
    }


def _trigger_words(trigger: str) -> str:
    """A job's trigger as the table shows it: `every 1800 s` in words; a cron expression is
    the config's own text and stays as written. (JSON keeps the trigger as it is.)"""
    kind, _space, rest = trigger.partition(" ")
    if kind == "every":
        return _("every {seconds} s").format(seconds=rest.removesuffix(" s"))
    return trigger


def jobs_table(listings: list[JobListing]) -> Table:
    table = SafeTable(title=_("Scheduled jobs (Asia/Shanghai)"))
    for heading in (_("job"), _("what"), _("when"), _("next run")):
        table.add_column(heading)
    for listing in listings:
        if not listing.enabled:
            next_run = _("disabled")
        elif listing.next_run is None:
            next_run = _("never")
        else:
            next_run = to_local(listing.next_run).strftime("%Y-%m-%d %H:%M:%S")
            if not listing.stored:
                next_run += _(" (once the scheduler runs)")
        table.add_row(listing.name, _(listing.description), _trigger_words(listing.trigger),
                      next_run)
    return table
