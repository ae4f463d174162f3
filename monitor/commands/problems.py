"""`monitor problems list|ignore|confirm|reopen|evidence`: the findings and their life
(SPEC §3, §4.7)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from monitor.app import App
from monitor.calendar import local_date
from monitor.commands.check import print_table
from monitor.commands.console import SafeTable, out, print_json
from monitor.commands.evidence import HELP as EVIDENCE_HELP
from monitor.commands.evidence import ProblemIdArgument, evidence_command
from monitor.commands.options import (
    AllOption,
    ConfigOption,
    DbOption,
    JsonOption,
    PortalOption,
    portal_heading,
    resolve,
    resolve_each,
)
from monitor.config import PortalConfig
from monitor.domain import ProblemState, ProblemType
from monitor.errors import UnknownProblemError
from monitor.i18n import N_, _
from monitor.labels import label, problem_label, yes_no
from monitor.problem_types import kind_of
from monitor.services.evidence import evidence_paths
from monitor.units import find_unit
from storage import migrations
from storage.problem_store import confirm_problem, ignore_problem, reopen_problem
from storage.queries import ProblemFilter, ProblemRow, problems, site_id_of, unit_id_by_name

app = typer.Typer(help=N_("List problems; confirm one, ignore one with a reason, reopen one, "
                          "or copy its evidence."), no_args_is_help=True)
app.command("evidence", help=EVIDENCE_HELP)(evidence_command)

UnitFilterOption = Annotated[
    str | None, typer.Option("--unit", "-u", metavar=N_("UNIT"),
                             help=N_("Only this unit's problems (name or alias)."),
                             show_default=False)
]
TypeOption = Annotated[
    ProblemType | None, typer.Option("--type", "-t", metavar=N_("TYPE"),
                                     help=N_("Only problems of this type, e.g. broken_link (every "
                                             "type: docs/problems.md)."),
                                     show_default=False)
]
StateOption = Annotated[
    ProblemState, typer.Option("--state", "-s", metavar=N_("STATE"),
                               help=N_("Only problems in this state: open, fixed or ignored."))
]



@app.command("list", help=N_("List problems: open ones unless --state says otherwise (ignored "
                              "ones only on request)."))
def list_command(
    ctx: typer.Context,
    unit: UnitFilterOption = None,
    problem_type: TypeOption = None,
    state: StateOption = ProblemState.OPEN,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
    every: AllOption = False,
    json: JsonOption = False,
) -> None:
    documents = {}
    for name, application in resolve_each(ctx, config, db, portal, every):
        if every and not json:
            portal_heading(name)
        documents[name] = portal_problems(application, unit, problem_type, state, json)
    if json:
        print_json(documents if every else next(iter(documents.values())))


def portal_problems(application: App, unit: str | None, problem_type: ProblemType | None,
                    state: ProblemState, json: bool) -> list[dict[str, object]]:
    """List one portal's problems (unless `json`); give its JSON document."""
    migrations.require_current(application.engine)
    with application.sessions() as session:
        site_id = site_id_of(session, application.config.site.url)
        unit_id = None if unit is None else _recorded_unit_id(session, application.config, unit)
        wanted = ProblemFilter(unit_id=unit_id, type=problem_type, states=(state,))
        # A portal, or a unit, the database has never recorded has no problems.
        rows = ([] if site_id is None or (unit is not None and unit_id is None)
                else problems(session, site_id, wanted))
        evidence = evidence_paths(session, application.config, [row.id for row in rows])
    document = [problem_document(row) | {"evidence": evidence.get(row.id)} for row in rows]
    if json:
        return document
    if not rows:
        out.print(_("no problems in the state “{state}”").format(state=label(state)))
    else:
        print_table(problems_table(rows, state))
    return document


def _recorded_unit_id(session: Session, portal: PortalConfig, name: str) -> int | None:
    unit_name = find_unit(portal, name).name
    site_id = site_id_of(session, portal.site.url)
    return None if site_id is None else unit_id_by_name(session, site_id, unit_name)


def problem_document(row: ProblemRow) -> dict[str, Any]:
    return {
        "id": row.id, "type": row.type.value, "label": kind_of(row.type).alert_label,
        "unit": row.unit, "column": row.column,
        "url": row.url, "target": row.target, "detail": row.detail, "state": row.state.value,
        "first_seen": local_date(row.first_seen).isoformat(),
        "last_seen": local_date(row.last_seen).isoformat(),
        "recurring": row.recurring, "reopen_count": row.reopen_count,
        "ignored_reason": row.ignored_reason,
    }


def problems_table(rows: list[ProblemRow], state: ProblemState) -> Table:
    table = SafeTable(title=_("Problems ({state})").format(state=label(state)))
    for heading in (_("id"), _("problem"), _("unit"), _("column"), _("page"), _("link target"),
                    _("detail"), _("first seen"), _("last seen"), _("recurring")):
        table.add_column(heading)
    for row in rows:
        recurring = (_("yes ({count} times)").format(count=row.reopen_count) if row.recurring
                     else yes_no(False))
        table.add_row(str(row.id), problem_label(row.type),
                      row.unit or "", row.column or "", row.url or "", row.target or "",
                      row.detail,
                      str(local_date(row.first_seen)), str(local_date(row.last_seen)),
                      recurring)
    return table


def _act(ctx: typer.Context, config: Path | None, db: str | None, portal: str | None,
         problem_id: int, action: Callable[[Session, int, datetime], object]) -> None:
    """One officer's action on one of the portal's problems, in one transaction, at the
    clock's now."""
    application = resolve(ctx, config, db, portal)
    migrations.require_current(application.engine)
    with application.sessions.begin() as session:
        site_id = site_id_of(session, application.config.site.url)
        if site_id is None:
            raise UnknownProblemError(problem_id)
        action(session, site_id, application.clock.now())


@app.command("ignore", help=N_("Ignore a problem: it stays recorded but is no longer reported."))
def ignore_command(
    ctx: typer.Context,
    problem_id: ProblemIdArgument,
    reason: Annotated[str, typer.Option("--reason", "-r", metavar=N_("TEXT"),
                                        help=N_("Why it is not to be reported."))],
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
) -> None:
    _act(ctx, config, db, portal, problem_id, lambda session, site_id, now: ignore_problem(
        session, problem_id, reason, now, site_id=site_id))
    out.print(_("problem {id} ignored: {reason}").format(id=problem_id, reason=reason.strip()))


@app.command("confirm", help=N_("Confirm an open problem is real: it stays open, the "
                                 "confirmation goes in its history."))
def confirm_command(
    ctx: typer.Context,
    problem_id: ProblemIdArgument,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
) -> None:
    _act(ctx, config, db, portal, problem_id, lambda session, site_id, now: confirm_problem(
        session, problem_id, now, site_id=site_id))
    out.print(_("problem {id} confirmed").format(id=problem_id))


@app.command("reopen", help=N_("Reopen an ignored (or fixed) problem."))
def reopen_command(
    ctx: typer.Context,
    problem_id: ProblemIdArgument,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
) -> None:
    _act(ctx, config, db, portal, problem_id, lambda session, site_id, now: reopen_problem(
        session, problem_id, now, site_id=site_id))
    out.print(_("problem {id} reopened").format(id=problem_id))
