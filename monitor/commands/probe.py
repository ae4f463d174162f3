"""`monitor probe`: one availability probe round now (the scheduler runs it every 30 min)."""

from __future__ import annotations

import typer
from rich.table import Table

from monitor.clock import to_local
from monitor.commands.console import SafeTable, out, print_json
from monitor.commands.options import ConfigOption, DbOption, JsonOption, resolve
from monitor.probe.service import PageReport, run_probe
from storage import migrations

HELP = N_("Fetch the home page and the key pages once; judge the availability window.")


def probe(
    ctx: typer.Context,
    config: ConfigOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    application = resolve(ctx, config, db)
    portal = application.config
    migrations.require_current(application.engine)
    reports = run_probe(application.sessions, portal, application.clock.now())
    if json:
        print_json([_as_json(report) for report in reports])
        return
    out.print(reports_table(reports, portal.probe.timeout_seconds))
    failed = sum(1 for report in reports if not report.outcome.ok)
    unreachable = sum(1 for report in reports if report.verdict.unreachable)
    out.print(f"{len(reports)} pages probed, {failed} failed now; "
              f"{unreachable} over the failure threshold in their window")


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


def reports_table(reports: list[PageReport], limit: float) -> Table:
    table = SafeTable(title=f"Availability probe (limit {limit:g} s)")
    for heading in ("page", "now", "window", "site_unreachable"):
        table.add_column(heading)
    for report in reports:
        outcome, verdict = report.outcome, report.verdict
        now = f"ok {outcome.elapsed_ms} ms" if outcome.ok else f"FAILED ({outcome.error})"
        if verdict.judged:
            window = f"{verdict.failures}/{verdict.probes} failed ({verdict.ratio:.2%})"
        else:
            window = (f"{verdict.failures}/{verdict.probes} failed; not judged: "
                      f"{len(verdict.thin_days)} day(s) short of probes")
        state = report.change.state or "none"
        if report.change.change:
            state += f" ({report.change.change} now)"
        table.add_row(outcome.url, now, window, state)
    return table
