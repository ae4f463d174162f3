"""/problems 问题: filter by unit, type, state and dates; confirm, ignore with a reason,
reopen. The actions are those of `monitor problems` (the same storage functions and the
same history), with the user's name kept in the history. Only the office acts; a unit
user sees its own unit's problems."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from monitor.calendar import LOCAL_ZONE
from monitor.domain import EvidenceStatus, ProblemState, ProblemType
from monitor.errors import MonitorError, UnknownProblemError
from monitor.services.users import User
from monitor.web.auth import Forbidden, NotFound, check_csrf
from monitor.web.labels import type_label
from monitor.web.pages.common import (
    config,
    context,
    flash,
    office_user,
    reading,
    render,
    site_id,
    user,
    visible_unit,
    writing,
)
from storage.dashboard_queries import EventRow, problem_events
from storage.evidence_store import latest_evidence
from storage.problem_store import confirm_problem, ignore_problem, reopen_problem
from storage.queries import ProblemFilter, problems, unit_id_by_name

# A page longer than this is cut; the filters narrow it down.
MAX_ROWS = 500
ACTIONS = ("confirm", "ignore", "reopen")


@dataclass(frozen=True)
class Filters:
    unit: str
    type: str
    state: str
    first: str
    last: str

    def query(self) -> str:
        return urlencode({key: value for key, value in (
            ("unit", self.unit), ("type", self.type), ("state", self.state),
            ("from", self.first), ("to", self.last)) if value})


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_ZONE)


def read_filters(params: QueryParams, current: User) -> Filters:
    state = params.get("state", ProblemState.OPEN.value)
    if state not in {s.value for s in ProblemState} | {"all"}:
        state = ProblemState.OPEN.value
    kind = params.get("type", "")
    if kind not in {t.value for t in ProblemType}:
        kind = ""
    # A unit user's list is its unit's; naming another unit is the same 404 as its page.
    unit = params.get("unit", "") or ("" if current.is_office else current.unit or "")
    first, last = _day(params.get("from", "")), _day(params.get("to", ""))
    return Filters(unit, kind, state, first.isoformat() if first else "",
                   last.isoformat() if last else "")


def problems_page(request: Request) -> Response:
    current = user(request)
    filters = read_filters(request.query_params, current)
    unit = visible_unit(request, current, filters.unit) if filters.unit else None
    portal = config(request)
    with reading(request) as session:
        unit_id = None
        site = site_id(request, session)
        if unit is not None and site is not None:
            unit_id = unit_id_by_name(session, site, unit.name)
        first, last = _day(filters.first), _day(filters.last)
        wanted = ProblemFilter(
            unit_id=unit_id,
            type=ProblemType(filters.type) if filters.type else None,
            states=None if filters.state == "all" else (ProblemState(filters.state),),
            seen_from=_start_of(first) if first else None,
            seen_to=_start_of(last + timedelta(days=1)) if last else None,
        )
        rows = ([] if site is None or (unit is not None and unit_id is None)
                else problems(session, site, wanted))
        shown = rows[-MAX_ROWS:][::-1]  # newest first
        events = problem_events(session, [row.id for row in shown])
        evidence = latest_evidence(session, [row.id for row in shown])
    history: dict[int, list[EventRow]] = {}
    for event in events:
        history.setdefault(event.problem_id, []).append(event)
    values = {
        "filters": filters,
        "unit": unit,
        "rows": shown,
        "total": len(rows),
        "cut": len(rows) > MAX_ROWS,
        "history": history,
        "evidence": evidence,
        "captured": EvidenceStatus.CAPTURED,
        "units": portal.unit_names() if current.is_office else [current.unit],
        "types": [(kind.value, type_label(kind)) for kind in ProblemType],
        "states": [state for state in ProblemState],
    }
    # htmx asks for the table alone when the filters change.
    template = "problems_table.html" if request.headers.get("hx-request") else "problems.html"
    return render(request, template, values, current=current)


async def problem_action(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    current = office_user(request)
    problem_id = int(request.path_params["problem_id"])
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise NotFound
    back = str(form.get("back") or "")
    reason = str(form.get("reason") or "")
    message = await run_in_threadpool(_act, request, current, problem_id, action, reason)
    flash(request, message)
    return RedirectResponse(f"/problems?{back}" if back and not back.startswith("/")
                            else "/problems", status_code=303)


def _act(request: Request, current: User, problem_id: int, action: str, reason: str) -> str:
    if not current.is_office:
        raise Forbidden
    now = context(request).application.clock.now()
    try:
        with writing(request) as session:
            # Only this portal's problems: an id of another portal's is unknown here.
            site = site_id(request, session)
            if site is None:
                raise UnknownProblemError(problem_id)
            if action == "confirm":
                confirm_problem(session, problem_id, now, current.name, site)
                return f"问题 {problem_id} 已确认"
            if action == "ignore":
                ignore_problem(session, problem_id, reason, now, current.name, site)
                return f"问题 {problem_id} 已忽略：{reason.strip()}"
            reopen_problem(session, problem_id, now, current.name, site)
            return f"问题 {problem_id} 已重新打开"
    except MonitorError as error:
        return f"操作未完成：{_chinese(error)}"


def _chinese(error: MonitorError) -> str:
    """The storage functions speak English to the CLI; the office reads Chinese."""
    if isinstance(error, UnknownProblemError):
        return "没有这个问题"
    text = str(error)
    if "reason is required" in text:
        return "忽略问题须填写理由"
    if "already open" in text:
        return "该问题已处于待整改状态"
    if "only an open problem" in text:
        return "只有待整改的问题可以确认"
    return text
