"""`monitor crawl`: read the columns now and record their posts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from crawler.runner import CrawlSummary, run_crawl
from monitor.app import App
from monitor.commands.console import out, print_json, warn
from monitor.commands.options import ConfigOption, DbOption, JsonOption, resolve
from monitor.domain import CrawlOutcome
from monitor.services.evidence import EvidenceRun, capture_evidence
from monitor.services.problems import refresh_now
from storage.models import Column, Unit

UnitOption = Annotated[
    list[str] | None,
    typer.Option("--unit", "-u", help="Crawl only this unit (name or alias); repeatable."),
]


WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, max=16,
                 help="Crawl processes for this run (overrides crawl.workers)."),
]


def crawl(
    ctx: typer.Context,
    unit: UnitOption = None,
    workers: WorkersOption = None,
    config: ConfigOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Crawl the configured columns, record new posts and read their articles."""
    application = resolve(ctx, config, db)
    summary = run_crawl(application, unit or [], show_progress=not json, workers=workers)
    refresh_now(application)  # the rule problems follow what this crawl found
    evidence = capture_evidence(application)  # after every problem of the run is known
    rows = summary_rows(application, summary)
    for reason in evidence.reasons:
        warn(f"无截图: {reason}")
    if json:
        print_json({"run": summary.run_id, "columns": summary.columns,
                    "pages": summary.counts.pages, "posts_new": summary.counts.posts_new,
                    "posts_removed": summary.counts.posts_removed,
                    "columns_ok": summary.counts.columns_ok,
                    "columns_failed": summary.counts.columns_failed, "units": rows,
                    "evidence": {"captured": evidence.captured, "failed": evidence.failed,
                                 "expired": evidence.expired}})
        return
    out.print(summary_table(rows))
    counts = summary.counts
    out.print(f"run {summary.run_id}: {summary.columns} columns, {counts.columns_ok} read, "
              f"{counts.columns_failed} not read; {counts.pages} list pages, "
              f"{counts.posts_new} new posts, {counts.posts_removed} withdrawn")
    report_evidence(evidence)
    if counts.columns_failed:
        warn("columns that could not be read keep their last known posts; "
             "they are shown as unreachable, never as not updated")


def report_evidence(evidence: EvidenceRun) -> None:
    if evidence.captured or evidence.failed:
        out.print(f"evidence: {evidence.captured} problems captured, "
                  f"{evidence.failed} without screenshot (无截图)")


def summary_rows(application: App, summary: CrawlSummary) -> list[dict[str, object]]:
    with application.sessions() as session:
        names = {
            column_id: (unit_name, column_name)
            for column_id, unit_name, column_name in session.execute(
                select(Column.id, Unit.name, Column.name).join(Unit, Unit.id == Column.unit_id)
            )
        }
    by_unit: dict[str, dict[str, object]] = {}
    for column_id, done in summary.counts.outcome_by_column.items():
        unit_name, column_name = names[column_id]
        row = by_unit.setdefault(unit_name, {"unit": unit_name, "ok": 0, "failed": [],
                                             "posts_new": 0})
        if done.outcome == CrawlOutcome.OK.value:
            row["ok"] = int(row["ok"]) + 1  # type: ignore[call-overload]
        else:
            row["failed"].append(  # type: ignore[attr-defined]
                {"column": column_name, "outcome": done.outcome, "reason": done.reason})
        row["posts_new"] = int(row["posts_new"]) + summary.counts.new_by_column.get(  # type: ignore[call-overload]
            column_id, 0)
    return list(by_unit.values())


def summary_table(rows: list[dict[str, object]]) -> Table:
    table = Table(title="Crawl summary")
    table.add_column("unit")
    table.add_column("columns read", justify="right")
    table.add_column("not read")
    table.add_column("new posts", justify="right")
    for row in rows:
        failed = "; ".join(f"{f['column']} ({f['outcome']}: {f['reason']})"
                           for f in row["failed"])  # type: ignore[attr-defined]
        table.add_row(str(row["unit"]), str(row["ok"]), failed, str(row["posts_new"]))
    return table
