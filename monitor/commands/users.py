"""`monitor users add|list|remove`: who may log in to the dashboard (SPEC §3, §8)."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from monitor.commands.check import print_table
from monitor.commands.console import SafeTable, out
from monitor.commands.options import ConfigOption, DbOption, PortalOption, resolve
from monitor.domain import Role
from monitor.errors import UserError
from monitor.i18n import N_, _
from monitor.services.users import add_user, list_users, remove_user
from storage import migrations

app = typer.Typer(help=N_("Add, list or remove the users of the web dashboard."),
                  no_args_is_help=True)

NameArgument = Annotated[str, typer.Argument(metavar=N_("NAME"),
                                             help=N_("The user's login name."))]
ROLES = {Role.OFFICE: N_("office"), Role.UNIT: N_("unit")}


def read_password(from_environment: str | None) -> str:
    """MONITOR_PASSWORD when set, else the first line of stdin (never a command-line
    argument, which other users of the machine could read)."""
    if from_environment:
        return from_environment
    if sys.stdin.isatty():
        return getpass.getpass(_("password: "))
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise UserError(_("no password: give it on stdin or in MONITOR_PASSWORD"))
    return line


@app.command("add", help=N_("Add a dashboard user; the password is read from stdin or "
                             "MONITOR_PASSWORD."))
def add_command(
    ctx: typer.Context,
    name: NameArgument,
    role: Annotated[Role, typer.Option(
        "--role", help=N_("office sees everything; unit one unit."))],
    unit: Annotated[str | None, typer.Option(
        "--unit", "-u", metavar=N_("UNIT"), help=N_("The unit a unit user sees (name or alias)."),
        show_default=False)] = None,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
) -> None:
    application = resolve(ctx, config, db, portal)
    migrations.require_current(application.engine)
    password = read_password(application.environment.password)
    with application.sessions.begin() as session:
        user = add_user(session, application.config, name, role, unit, password,
                        application.clock.now())
    if user.unit:
        line = _("user {name} added ({role} of {unit})").format(
            name=user.name, role=_(ROLES[user.role]), unit=user.unit)
    else:
        line = _("user {name} added ({role})").format(name=user.name, role=_(ROLES[user.role]))
    out.print(line, markup=False)


@app.command("list", help=N_("List the dashboard users with their role and unit."))
def list_command(ctx: typer.Context, config: ConfigOption = None, db: DbOption = None,
                 portal: PortalOption = None) -> None:
    application = resolve(ctx, config, db, portal)
    migrations.require_current(application.engine)
    with application.sessions() as session:
        users = list_users(session)
    if not users:
        out.print(_("no users"))
        return
    table = SafeTable(title=_("Dashboard users"))
    for heading in (_("name"), _("role"), _("unit")):
        table.add_column(heading)
    for user in users:
        table.add_row(user.name, _(ROLES[user.role]), user.unit or "")
    print_table(table)


@app.command("remove", help=N_("Remove a dashboard user; their open sessions end at their next "
                                "request."))
def remove_command(
    ctx: typer.Context, name: NameArgument, config: ConfigOption = None, db: DbOption = None,
    portal: PortalOption = None
) -> None:
    application = resolve(ctx, config, db, portal)
    migrations.require_current(application.engine)
    with application.sessions.begin() as session:
        remove_user(session, name)
    out.print(_("user {name} removed").format(name=name), markup=False)
