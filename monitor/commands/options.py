"""Options shared by every command, and the App they resolve to."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from monitor.app import App
from monitor.i18n import N_, _

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", metavar=N_("FILE"),
                 help=N_("Portal config file, or a directory of them (default: "
                         "$MONITOR_CONFIG)."), show_default=False),
]
DbOption = Annotated[
    str | None,
    typer.Option("--db", metavar="URL",
                 help=N_("Database URL (default: $MONITOR_DB or sqlite:///var/monitor.db)."),
                 show_default=False),
]
JsonOption = Annotated[
    bool, typer.Option("--json",
                       help=N_("Print one JSON document on stdout and nothing else there."))
]
PortalOption = Annotated[
    str | None,
    typer.Option("--portal", "-p", metavar=N_("PORTAL"),
                 help=N_("The portal, when the config directory holds several: its site name "
                         "or its file's name without .yaml."), show_default=False),
]
AllOption = Annotated[
    bool, typer.Option("--all", help=N_("Every configured portal, one after another."))
]
# On the commands that write per portal (`monitor.commands.each_portal`).
AllPortalsOption = Annotated[
    bool, typer.Option("--all", help=N_(
        "Every configured portal, one after another, each in a process of its own; one "
        "line per portal. Exit status: 0 when every portal succeeded, else the highest "
        "of the portals' exit statuses."))
]


def resolve(ctx: typer.Context, config: Path | None = None, db: str | None = None,
            portal: str | None = None) -> App:
    """The App for this command: its own options over the ones given before it."""
    root = ctx.find_root()
    if not isinstance(root.obj, App):
        root.obj = App()
    return root.obj.with_options(config, db, portal)


def resolve_each(ctx: typer.Context, config: Path | None, db: str | None,
                 portal: str | None, every: bool) -> list[tuple[str, App]]:
    """The portals a command taking `--all` works on, each with its App and name: the one
    chosen (or the only one; its name left empty) by default, every configured portal with
    `--all`."""
    application = resolve(ctx, config, db, portal)
    if not every:
        # Nothing is loaded yet for one portal: the command reads its config (or its
        # database) first as it always did. A directory is read now, to name --all.
        if application.names_directory:
            application.portals.select(application.portal_option, offers_all=True)
        return [("", application)]
    if application.portal_option is not None:
        raise typer.BadParameter(_("--portal and --all exclude each other: give one"),
                                 param_hint="--all")
    return [(member.name, application.for_portal(member))
            for member in application.portals.members]


def portal_heading(name: str) -> None:
    """The line that starts a portal's part of a command's output under `--all`."""
    from monitor.commands.console import out

    out.print(_("【{portal}】").format(portal=name), markup=False)
