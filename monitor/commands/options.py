"""Options shared by every command, and the App they resolve to."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from monitor.app import App
from monitor.i18n import N_

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", metavar=N_("FILE"),
                 help=N_("Portal config file (default: $MONITOR_CONFIG)."), show_default=False),
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


def resolve(ctx: typer.Context, config: Path | None = None, db: str | None = None) -> App:
    """The App for this command: its own options over the ones given before it."""
    root = ctx.find_root()
    if not isinstance(root.obj, App):
        root.obj = App()
    return root.obj.with_options(config, db)
