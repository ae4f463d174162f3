"""/runs 采集记录: the latest crawl runs with their duration and the columns they could not
read, and the nights the portal did not answer (site_unreachable problems)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from monitor.domain import ProblemType
from monitor.web.pages.common import office_user, reading, render, site_id
from storage.dashboard_queries import ColumnFailure, column_failures, recent_runs
from storage.queries import ProblemFilter, problems

RUNS_SHOWN = 60


def runs_page(request: Request) -> Response:
    current = office_user(request)
    with reading(request) as session:
        site = site_id(request, session)
        runs = [] if site is None else recent_runs(session, site, RUNS_SHOWN)
        failures = column_failures(session, [run.id for run in runs])
        unreachable = [] if site is None else problems(
            session, site, ProblemFilter(type=ProblemType.SITE_UNREACHABLE))
    by_run: dict[int, list[ColumnFailure]] = {}
    for failure in failures:
        by_run.setdefault(failure.run_id, []).append(failure)
    return render(request, "runs.html", {
        "runs": runs,
        "failures": by_run,
        "unreachable": unreachable[::-1],
    }, current=current)
