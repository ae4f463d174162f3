"""Times a monthly report for 100 units in all four formats (target: under 5 seconds).

    .venv/bin/python bench/bench_reports.py
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from monitor.domain import GROUP_COUNTY_DEPARTMENTS, GROUP_TOWNSHIPS, ProblemType
from monitor.rules.figures import PostCount, UnitFigures, completion_percent
from monitor.rules.weekly import WeeklyResult
from reports import MonthlySettings, build_monthly_report
from reports.model import ReportProblem
from reports.output import WRITERS, report_stem

UNITS = 100
MONDAYS = tuple(date(2024, 4, day) for day in (1, 8, 15, 22, 29))


def unit_figures(index: int) -> UnitFigures:
    ytd, month, target = 40 + 13 * index % 900, 5 + 7 * index % 300, 350 + 10 * (index % 25)
    return UnitFigures(
        unit=f"测试单位{index:03d}",
        group=GROUP_TOWNSHIPS if index % 3 == 0 else GROUP_COUNTY_DEPARTMENTS,
        annual_target=target,
        period=PostCount(month // 3, month - month // 3),
        ytd=PostCount(ytd // 3, ytd - ytd // 3),
        weeks=4,
        missed=index % 3,
        completion=completion_percent(ytd, target),
        rank_in_group=None,
        rank=None,
    )


def problems(units: list[UnitFigures]) -> list[ReportProblem]:
    kinds = (ProblemType.OVERDUE_COLUMN, ProblemType.BROKEN_LINK, ProblemType.DEAD_IMAGE,
             ProblemType.DUE_SOON_COLUMN, ProblemType.BACKDATED_POST)
    return [
        ReportProblem(kinds[i % len(kinds)], unit.unit, date(2024, 4, 1 + i % 28),
                      column="工作动态", url=f"http://127.0.0.1:8000/u{i}/{i}.html",
                      target=f"http://127.0.0.1:8000/img/{i}.jpg", detail="HTTP 404")
        for i, unit in enumerate(units * 2)
    ]


def main() -> None:
    units = [unit_figures(i) for i in range(UNITS)]
    weekly = {u.unit: WeeklyResult(MONDAYS[:4], MONDAYS[i % 4:i % 4 + 1] if i % 2 else ())
              for i, u in enumerate(units)}
    settings = MonthlySettings(
        title="瑞河县政务公开月报", issue_no="2024年第4期", issuer="瑞河县政务公开办",
        site_name="瑞河县人民政府门户网站", year=2024, month=4, as_of=date(2024, 4, 30),
        editor_note="按月通报。", requirements=("一是抓紧整改问题。",),
    )
    started = time.perf_counter()
    report = build_monthly_report(units, problems(units), [], weekly, settings)
    total = time.perf_counter() - started
    print(f"build: {total:.3f} s ({UNITS} units, {report.problem_count} problems)")
    with tempfile.TemporaryDirectory() as out:
        for name, writer in WRITERS.items():
            started = time.perf_counter()
            writer(report, Path(out) / f"{report_stem(report)}.{name}")
            elapsed = time.perf_counter() - started
            total += elapsed
            print(f"{name}: {elapsed:.3f} s")
    print(f"total: {total:.3f} s")


if __name__ == "__main__":
    main()
