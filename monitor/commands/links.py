"""`monitor links recheck`: check again the link targets that are due, reading no column."""

from __future__ import annotations

from typing import Annotated

import typer

from monitor.commands.console import out, print_json
from monitor.commands.each_portal import run_for_each
from monitor.commands.options import (
    AllPortalsOption,
    ConfigOption,
    DbOption,
    JsonOption,
    PortalOption,
    resolve_each,
)
from monitor.domain import LinkStatus
from monitor.i18n import N_, _
from monitor.labels import label
from monitor.services.crawl import recheck_links

app = typer.Typer(help=N_("Link, image and attachment checks."), no_args_is_help=True)

UnitOption = Annotated[
    list[str] | None,
    typer.Option("--unit", "-u", metavar=N_("UNIT"),
                 help=N_("Only the targets on this unit's articles (name or alias); repeatable.")),
]
STATUSES = ("ok", "broken", "blocked", "unchecked")


@app.command("recheck", help=N_("Re-check the targets that are due: broken and blocked ones, "
                                 "and ok ones whose re-check period has passed. Link problems "
                                 "follow the new verdicts."))
def recheck(
    ctx: typer.Context,
    unit: UnitOption = None,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
    every: AllPortalsOption = False,
    json: JsonOption = False,
) -> None:
    portals = resolve_each(ctx, config, db, portal, every)
    if every:
        units = [word for name in unit or [] for word in ("--unit", name)]
        run_for_each(portals, ["links", "recheck", *units], recheck_line, json)
        return
    [(_name, application)] = portals
    summary = recheck_links(application, unit or [])
    document = {"run": summary.run_id, "checked": summary.checked,
                **{status: summary.by_status.get(status, 0) for status in STATUSES}}
    if json:
        print_json(document)
        return
    out.print(recheck_line(document))


def recheck_line(document: dict[str, int]) -> str:
    """A re-check's counts in one line, from its `--json` document."""
    return _("run {run}: {checked} link targets re-checked: {counts}").format(
        run=document["run"], checked=document["checked"],
        counts=_(", ").join(f"{label(status, LinkStatus)} {document[status]}"
                            for status in STATUSES))
