"""`monitor probe`: one availability probe round now (the scheduler runs it every 30 min)."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from monitor.clock import to_local
from monitor.commands.console import SafeTable, out, print_json
from monitor.commands.each_portal import run_for_each
from monitor.commands.options import (
    AllPortalsOption,
    ConfigOption,
    DbOption,
    JsonOption,
    PortalOption,
    resolve_each,
)
from monitor.domain import ProblemState, ProblemType
from monitor.i18n import N_, _
from monitor.labels import label, problem_label
from monitor.probe.service import PageReport, run_probe
from storage import migrations

HELP = N_("Fetch the home page and the key pages once; judge the availability window.")


def probe(
    ctx: typer.Context,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
    every: AllPortalsOption = False,
    json: JsonOption = False,
) -> None:
    portals = resolve_each(ctx, config, db, portal, every)
    if every:
        run_for_each(portals, ["probe"], probe_line, json)
        return
    [(_name, application)] = portals
    settings = application.config
    migrations.require_current(application.engine)
    reports = run_probe(application.sessions, settings, application.clock.now())
    document = [_as_json(report) for report in reports]
    if json:
        print_json(document)
        return
    out.print(reports_table(reports, settings.probe.timeout_seconds))
    out.print(probe_line(document))


def probe_line(document: list[dict[str, Any]]) -> str:
    """A probe round in one line, from its `--json` document."""
    failed = sum(1 for page in document if not page["ok"])
    unreachable = sum(1 for page in document if page["window"]["unreachable"])
    return _("{pages} pages probed, {failed} failed now; {over} over the failure threshold "
             "in their window").format(pages=len(document), failed=failed, over=unreachable)


def _as_json(report: PageReport) -> dict[str, object]:
    outcome, verdict = report.outcome, report.verdict
    return {
        "url": outcome.url,
        "at": to_local(outcome.at).isoformat(),
        "ok": outcome.ok,
        "http_status": outcome.http_status,
        "elapsed_ms": outcome.elapsed_ms,
        "error": outcome.error,
        "window": {"from": verdict.first_day.isoformat(), "to": verdict.last_day.isoformat(),
                   "probes": verdict.probes, "failures": verdict.failures,
                   "judged": verdict.judged, "unreachable": verdict.unreachable,
                   "days_short_of_probes": len(verdict.thin_days)},
        "problem": {"change": report.change.change, "state": report.change.state},
    }


# How a probe round changed the site_unreachable problem.
CHANGES = {"opened": N_("opened"), "fixed": N_("fixed"), "reopened": N_("reopened")}


def _change(change: str) -> str:
    text = CHANGES.get(change)
    return change if text is None else _(text)


def reports_table(reports: list[PageReport], limit: float) -> Table:
    table = SafeTable(title=_("Availability probe (limit {limit} s)").format(limit=f"{limit:g}"))
    for heading in (_("page"), _("now"), _("window"), problem_label(ProblemType.SITE_UNREACHABLE)):
        table.add_column(heading)
    for report in reports:
        outcome, verdict = report.outcome, report.verdict
        now = (_("ok, {ms} ms").format(ms=outcome.elapsed_ms) if outcome.ok
               else _("FAILED ({error})").format(error=outcome.error))
        if verdict.judged:
            window = _("{failures}/{probes} failed ({ratio})").format(
                failures=verdict.failures, probes=verdict.probes, ratio=f"{verdict.ratio:.2%}")
        else:
            window = _("{failures}/{probes} failed; not judged: {days} day(s) short of "
                       "probes").format(failures=verdict.failures, probes=verdict.probes,
                                        days=len(verdict.thin_days))
        state = (label(report.change.state, ProblemState) if report.change.state
                 else _("none"))
        if report.change.change:
            state += _(" ({change} now)").format(change=_change(report.change.change))
        table.add_row(outcome.url, now, window, state)
    return table
