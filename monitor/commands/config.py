"""`monitor config …`: validate the portal config and summarise it."""

from __future__ import annotations

from collections import Counter

import typer
from rich.table import Table

from monitor.alerts.chatsupport import require_apprise, unset_variables
from monitor.commands.console import SafeTable, out, print_json
from monitor.commands.options import ConfigOption, JsonOption, PortalOption, resolve
from monitor.config import PortalConfig
from monitor.domain import Category, Cycle
from monitor.i18n import N_, _
from monitor.labels import label

app = typer.Typer(help=N_("Validate the portal config."), no_args_is_help=True)


@app.command("check", help=N_("Validate the config file and print a summary of its units and "
                               "columns."))
def check(ctx: typer.Context, config: ConfigOption = None, portal: PortalOption = None,
          json: JsonOption = False) -> None:
    application = resolve(ctx, config=config, portal=portal)
    settings = application.config
    require_apprise(settings)
    if json:
        print_json({**summary(settings),
                    "chat_unset": unset_variables(settings, application.environment)})
        return
    out.print(_("{path}: OK — {site} ({url})").format(
        path=application.config_path, site=settings.site.name, url=settings.site.url))
    out.print(summary_table(settings))
    totals = summary(settings)
    out.print(_("{units} units, {columns} columns; by category: {categories}; by cycle: "
                "{cycles}").format(
        units=totals["units"], columns=totals["columns"],
        categories=_counts(totals["categories"], Category),
        cycles=_counts(totals["cycles"], Cycle)))
    if settings.chat_urls():
        unset = unset_variables(settings, application.environment)
        line = _("chat: {office} office URL(s), {units} unit URL(s)").format(
            office=len(settings.chat.office), units=sum(len(unit.chat) for unit in settings.units))
        if unset:
            line += _("; not set in the environment: {names}").format(names=", ".join(unset))
        out.print(line, markup=False)


def _counts(counts: object, kind: type[Category] | type[Cycle]) -> str:
    """`动态信息 3, 通知公告 2`: a count per value, by its label."""
    return _(", ").join(f"{label(name, kind)} {count}"
                        # Why the ignore below: counts is a dict, typed object by the caller
                        for name, count in counts.items())  # type: ignore[attr-defined]


def summary(portal: PortalConfig) -> dict[str, object]:
    columns = [column for unit in portal.units for column in unit.columns]
    categories = Counter(column.category for column in columns)
    cycles = Counter(column.cycle for column in columns)
    return {
        "site": portal.site.name,
        "url": portal.site.url,
        "units": len(portal.units),
        "groups": dict(Counter(unit.group for unit in portal.units)),
        "columns": len(columns),
        "categories": {c.value: categories[c] for c in Category if categories[c]},
        "cycles": {c.value: cycles[c] for c in Cycle if cycles[c]},
        "browser_columns": sum(1 for column in columns if column.render == "browser"),
        "chat": {"office": len(portal.chat.office),
                 "units": sum(len(unit.chat) for unit in portal.units)},
    }


def summary_table(portal: PortalConfig) -> Table:
    table = SafeTable(title=_("Units and columns"))
    for heading, justify in ((_("unit"), "left"), (_("group"), "left"),
                             (_("annual target"), "right"), (_("columns"), "right"),
                             (_("categories"), "left"), (_("cycles"), "left")):
        table.add_column(heading, justify=justify)
    for unit in portal.units:
        categories = Counter(label(column.category) for column in unit.columns)
        cycles = Counter(label(column.cycle) for column in unit.columns)
        table.add_row(
            unit.name,
            unit.group,
            "" if unit.annual_target is None else str(unit.annual_target),
            str(len(unit.columns)),
            ", ".join(f"{name} {n}" for name, n in sorted(categories.items())),
            ", ".join(f"{name} {n}" for name, n in sorted(cycles.items())),
        )
    return table
