"""`monitor problems evidence ID [--out DIR]`: copy a problem's evidence (SPEC §5)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from monitor.calendar import LOCAL_ZONE
from monitor.commands.console import out, print_json
from monitor.commands.options import ConfigOption, DbOption, JsonOption, PortalOption, resolve
from monitor.i18n import N_, _
from monitor.services.evidence import copy_evidence
from storage import migrations

OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", metavar=N_("DIR"),
                 help=N_("Directory to copy into (default: ./evidence-ID)."),
                 show_default=False),
]


HELP = N_("Copy a problem's evidence: screenshots, the page as fetched and manifest.json.")
ProblemIdArgument = Annotated[int, typer.Argument(
    metavar=N_("ID"), help=N_("The problem's id (see 'problems list')."), show_default=False)]


def evidence_command(
    ctx: typer.Context,
    problem_id: ProblemIdArgument,
    out_dir: OutOption = None,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
    json: JsonOption = False,
) -> None:
    application = resolve(ctx, config, db, portal)
    migrations.require_current(application.engine)
    target = out_dir or Path(f"evidence-{problem_id}")
    with application.sessions() as session:
        copied = copy_evidence(session, application.config, problem_id, target)
    if json:
        print_json({"id": problem_id, "out": str(target), "files": list(copied.files),
                    "captured_at": copied.record.captured_at.isoformat()})
        return
    at = copied.record.captured_at.astimezone(LOCAL_ZONE)
    out.print(_("problem {id}: evidence of {at} copied to {dir} ({files})").format(
        id=problem_id, at=f"{at:%Y-%m-%d %H:%M}", dir=target, files=", ".join(copied.files)),
        soft_wrap=True)
