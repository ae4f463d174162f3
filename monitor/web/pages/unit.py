"""/units/{unit name} 单位: the unit's columns as `monitor check` judges them, each with
its latest post; the unit's open problems; its weekly grid since 1 January."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from starlette.requests import Request
from starlette.responses import Response

from monitor.domain import EvidenceStatus
from monitor.services.check import UnitCheck, check_unit
from monitor.web.pages.common import (
    config,
    judged,
    reading,
    render,
    site_id,
    today,
    user,
    visible_unit,
)
from storage.dashboard_queries import latest_posts
from storage.evidence_store import latest_evidence


@dataclass(frozen=True)
class WeekCell:
    monday: date
    state: str  # met | missed | not_counted (no working day, or not ended yet)

    @property
    def label(self) -> str:
        sunday = self.monday + timedelta(days=6)
        words = {"met": "已更新", "missed": "未更新", "not_counted": "不计"}[self.state]
        return f"{self.monday.month}月{self.monday.day}日—{sunday.month}月{sunday.day}日：{words}"


def week_grid(result: UnitCheck) -> list[WeekCell]:
    """Every week of the check's period, Monday first, with what the weekly rule said."""
    counted, missed = set(result.weekly.weeks), set(result.weekly.missed)
    start = result.weekly.period.start
    monday = start - timedelta(days=start.weekday())
    cells = []
    while monday <= result.weekly.period.end:
        state = "missed" if monday in missed else "met" if monday in counted else "not_counted"
        cells.append(WeekCell(monday, state))
        monday += timedelta(days=7)
    return cells


def unit_page(request: Request) -> Response:
    current = user(request)
    unit = visible_unit(request, current, request.path_params["name"])
    portal, day = config(request), today(request)
    with reading(request) as session:
        result = judged(request, session, ("check", unit.name, day),
                        lambda: check_unit(session, portal, unit.name, day))
        site = site_id(request, session)
        latest = {} if site is None else latest_posts(
            session, site, [column.url for column in result.columns])
        # Read each time, not cached with the check: a capture does not change the data
        # version the cache follows.
        evidence = latest_evidence(session, [problem.id for problem in result.problems])
    return render(request, "unit.html", {
        "unit": unit,
        "check": result,
        "latest": latest,
        "grid": week_grid(result),
        "evidence": evidence,
        "captured": EvidenceStatus.CAPTURED,
    }, current=current)
