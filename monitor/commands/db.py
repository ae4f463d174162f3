"""`monitor db …`: create or migrate the database."""

from __future__ import annotations

import typer

from monitor.commands.console import out
from monitor.commands.options import DbOption, resolve
from monitor.i18n import N_, _
from storage import migrations

app = typer.Typer(help=N_("Create or migrate the database."), no_args_is_help=True)


@app.command("upgrade", help=N_("Create the database or migrate it to the newest schema (safe "
                                 "to run twice)."))
def upgrade(ctx: typer.Context, db: DbOption = None) -> None:
    application = resolve(ctx, db=db)
    before, after = migrations.upgrade(application.engine)
    where = application.db_url_for_display
    if before == after:
        out.print(_("{db}: already at revision {after}, nothing to do")
                  .format(db=where, after=after))
    elif before is None:
        out.print(_("{db}: created, now at revision {after}").format(db=where, after=after))
    else:
        out.print(_("{db}: migrated from revision {before} to {after}")
                  .format(db=where, before=before, after=after))
