"""`monitor export posts|links|problems`: tables for the office's own spreadsheets (SPEC §3)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from monitor.app import App
from monitor.commands.check import FromOption, ToOption
from monitor.commands.console import err
from monitor.commands.language import paragraphs
from monitor.commands.options import (
    AllOption,
    ConfigOption,
    DbOption,
    PortalOption,
    resolve,
    resolve_each,
)
from monitor.errors import MonitorError
from monitor.i18n import N_, _
from monitor.services.dates import requested_period
from monitor.services.export import ExportKind, ExportRequest, ExportRow, export_rows
from monitor.services.export_formats import (
    CSV_ENCODING,
    EXPORT_TITLES,
    ExportFormat,
    csv_text,
    json_text,
    write_export,
)
from storage import migrations

KindArgument = Annotated[ExportKind, typer.Argument(metavar=N_("WHAT"),
                                                    help=N_("What to export."))]
UnitOption = Annotated[
    str | None, typer.Option("--unit", "-u", metavar=N_("UNIT"),
                             help=N_("Only this unit (name or alias)."),
                             show_default=False)
]
FormatOption = Annotated[ExportFormat, typer.Option("--format", "-f", help=N_("File format."))]
OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", metavar=N_("FILE"),
                              help=N_("Write to this file (default: stdout; "
                              "xlsx needs a file)."), show_default=False)
]


HELP = paragraphs(
    N_("Export posts, links or problems as CSV (UTF-8 with BOM, for Excel), JSON or XLSX."),
    N_("Times are shown in Asia/Shanghai."))


def export(
    ctx: typer.Context,
    kind: KindArgument,
    unit: UnitOption = None,
    first: FromOption = None,
    last: ToOption = None,
    fmt: FormatOption = ExportFormat.CSV,
    out_file: OutOption = None,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
    every: AllOption = False,
) -> None:
    period = requested_period(first, last)
    request = ExportRequest(kind, unit, period)
    if every:
        _export_every(resolve_each(ctx, config, db, portal, every), request, fmt, out_file)
        return
    application = resolve(ctx, config, db, portal)
    if fmt is ExportFormat.XLSX and out_file is None:
        raise MonitorError(_("xlsx is a binary file: give --out FILE, e.g. --out {file}")
                           .format(file=f"{kind.value}.xlsx"))
    rows = _rows(application, request)
    if out_file is None:
        _to_stdout(kind, rows, fmt)
        return
    _to_file(application, kind, rows, fmt, out_file)


def _export_every(targets: list[tuple[str, App]], request: ExportRequest, fmt: ExportFormat,
                  out_dir: Path | None) -> None:
    """`--all`: JSON on stdout keyed by portal, or a file per portal in the --out folder."""
    if out_dir is None:
        if fmt is not ExportFormat.JSON:
            raise MonitorError(_("with --all, give --out DIR (a file per portal in it), or "
                                 "--format json for one document on stdout"))
        documents = {name: json.loads(json_text(request.kind, _rows(application, request)))
                     for name, application in targets}
        sys.stdout.write(json.dumps(documents, ensure_ascii=False, indent=2) + "\n")
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    for _name, application in targets:
        path = out_dir / f"{application.config_path.stem}.{fmt.value}"
        _to_file(application, request.kind, _rows(application, request), fmt, path)


def _rows(application: App, request: ExportRequest) -> list[ExportRow]:
    migrations.require_current(application.engine)
    with application.sessions() as session:
        return list(export_rows(session, application.config, request))


def _to_file(application: App, kind: ExportKind, rows: Sequence[ExportRow],
             fmt: ExportFormat, out_file: Path) -> None:
    portal = application.config
    try:
        # The XLSX names the portal in its title row and the office as its author.
        write_export(kind, rows, fmt, out_file,
                     title=_("{site}{table}").format(site=portal.site.name,
                                                     table=_(EXPORT_TITLES[kind])),
                     creator=portal.report.issuer)
    except OSError as error:
        raise MonitorError(_("cannot write {file}: {reason}").format(
            file=out_file, reason=error.strerror)) from None
    err.print(_("wrote {count} rows to {file}").format(count=len(rows), file=out_file),
              markup=False)


def _to_stdout(kind: ExportKind, rows: Sequence[ExportRow], fmt: ExportFormat) -> None:
    if fmt is ExportFormat.JSON:
        sys.stdout.write(json_text(kind, rows) + "\n")
        return
    # The same bytes as a file, BOM included, so that `> posts.csv` opens right in Excel.
    sys.stdout.flush()
    sys.stdout.buffer.write(csv_text(kind, rows).encode(CSV_ENCODING))
    sys.stdout.flush()
