"""`monitor crawl`: read the columns now and record their posts."""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from monitor.app import App
from monitor.commands.console import SafeTable, log_warnings_to_stderr, out, print_json, warn
from monitor.commands.each_portal import run_for_each
from monitor.commands.options import (
    AllPortalsOption,
    ConfigOption,
    DbOption,
    JsonOption,
    PortalOption,
    resolve_each,
)
from monitor.domain import CrawlOutcome, ProblemType
from monitor.errors import CrawlIncomplete
from monitor.i18n import N_, _
from monitor.labels import label, problem_label
from monitor.services.crawl import CrawlSummary
from monitor.services.crawl_backends import run_crawl
from monitor.services.evidence import EvidenceRun, capture_evidence
from monitor.services.problems import refresh_now
from storage.models import Column, Unit

log = logging.getLogger("monitor.crawl")

UnitOption = Annotated[
    list[str] | None,
    typer.Option("--unit", "-u", metavar=N_("UNIT"),
                 help=N_("Crawl only this unit (name or alias); repeatable.")),
]


WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, max=16, metavar=N_("NUMBER"),
                 help=N_("Crawl processes for this run (overrides crawl.workers).")),
]


HELP = N_("Crawl the configured columns, record new posts and read their articles.")


def crawl(
    ctx: typer.Context,
    unit: UnitOption = None,
    workers: WorkersOption = None,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
    every: AllPortalsOption = False,
    json: JsonOption = False,
) -> None:
    portals = resolve_each(ctx, config, db, portal, every)
    if every:
        run_for_each(portals, ["crawl", *child_options(unit, workers)], crawl_line, json)
        return
    [(_name, application)] = portals
    log_warnings_to_stderr()
    summary = run_crawl(application, unit or [], show_progress=not json, workers=workers)
    refresh_now(application)  # the rule problems follow what this crawl found
    # After every problem of the run is known; not while the portal does not answer (its
    # pages could not be shown, and no problem was opened on it).
    evidence = (EvidenceRun(0, 0, (), 0) if summary.outage.portal_down
                else capture_evidence(application))
    rows = summary_rows(application, summary)
    for reason in evidence.reasons:
        warn(_("no screenshot: {reason}").format(reason=reason))
    document = {"run": summary.run_id, "columns": summary.columns,
                "pages": summary.counts.pages, "posts_new": summary.counts.posts_new,
                "posts_removed": summary.counts.posts_removed,
                "columns_ok": summary.counts.columns_ok,
                "columns_failed": summary.counts.columns_failed,
                "columns_capped": summary.counts.columns_capped,
                "portal_answered": not summary.outage.portal_down,
                "hosts_not_answering": sorted(summary.outage.silent_hosts),
                "units": rows,
                "evidence": {"captured": evidence.captured, "failed": evidence.failed,
                             "expired": evidence.expired}}
    if json:
        print_json(document)
        raise_if_incomplete(summary, rows)
        return
    out.print(summary_table(rows))
    counts = summary.counts
    out.print(crawl_line(document))
    if counts.columns_capped:
        warn(_("{count} column(s) read only in part: a list page longer than "
               "crawl.max_items_per_page or more list pages than crawl.max_pages_per_column")
             .format(count=counts.columns_capped))
    report_evidence(evidence)
    if counts.columns_failed:
        warn(_("columns that could not be read keep their last known posts; they are shown "
               "as unreachable, never as not updated"))
    raise_if_incomplete(summary, rows)


def child_options(unit: list[str] | None, workers: int | None) -> list[str]:
    """This command's own options, for each portal's crawl under `--all`."""
    options = [word for name in unit or [] for word in ("--unit", name)]
    return options + (["--workers", str(workers)] if workers is not None else [])


def crawl_line(document: dict[str, object]) -> str:
    """A run's counts in one line, from its `--json` document."""
    return _("run {run}: {columns} columns, {read} read, {failed} not read; {pages} list "
             "pages, {new} new posts, {removed} withdrawn").format(
        run=document["run"], columns=document["columns"], read=document["columns_ok"],
        failed=document["columns_failed"], pages=document["pages"],
        new=document["posts_new"], removed=document["posts_removed"])


def raise_if_incomplete(summary: CrawlSummary, rows: list[dict[str, object]]) -> None:
    """One log line per column not read, then one line saying why the run is incomplete."""
    for row in rows:
        for failed in row["failed"]:  # type: ignore[attr-defined]  # row values are object; a list
            log.warning("column not read: %s %s: %s (%s)", row["unit"], failed["column"],
                        failed["outcome"], failed["reason"])
    outage = summary.outage
    if outage.portal_down:
        raise CrawlIncomplete(
            _("the portal did not answer this run (home page: {home}; {silent} of {tried} "
              "columns without answer): nothing was judged on it, the problem “{problem}” "
              "is open").format(home=outage.home_page, silent=outage.columns.no_answer,
                               tried=outage.columns.tried,
                               problem=problem_label(ProblemType.SITE_UNREACHABLE)))
    if outage.silent_hosts:
        raise CrawlIncomplete(
            _("host {hosts} of the portal did not answer this run: its links were not "
              "checked, the problem “{problem}” is open").format(
                hosts=", ".join(sorted(outage.silent_hosts)),
                problem=problem_label(ProblemType.SITE_UNREACHABLE)))
    if summary.columns_failed:
        raise CrawlIncomplete(
            _("{failed} of {columns} columns could not be read; they keep their last known "
              "state").format(failed=summary.columns_failed, columns=summary.columns))


def report_evidence(evidence: EvidenceRun) -> None:
    if evidence.captured or evidence.failed:
        out.print(_("evidence: {captured} problems captured, {failed} without screenshot")
                  .format(captured=evidence.captured, failed=evidence.failed))


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
            row["ok"] = int(row["ok"]) + 1  # type: ignore[call-overload]  # value is an int
        else:
            row["failed"].append(  # type: ignore[attr-defined]  # value is a list
                {"column": column_name, "outcome": done.outcome, "reason": done.reason})
        # Why the ignore below: row values are object; posts_new is an int
        row["posts_new"] = int(row["posts_new"]) + summary.counts.new_by_column.get(  # type: ignore[call-overload]
            column_id, 0)
    return list(by_unit.values())


def summary_table(rows: list[dict[str, object]]) -> Table:
    table = SafeTable(title=_("Crawl summary"))
    table.add_column(_("unit"))
    table.add_column(_("columns read"), justify="right")
    table.add_column(_("not read"))
    table.add_column(_("new posts"), justify="right")
    for row in rows:
        failed = "; ".join(f"{f['column']} ({label(f['outcome'], CrawlOutcome)}: {f['reason']})"
                           for f in row["failed"])  # type: ignore[attr-defined]  # value is a list
        table.add_row(str(row["unit"]), str(row["ok"]), failed, str(row["posts_new"]))
    return table
