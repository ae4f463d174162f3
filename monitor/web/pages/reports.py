"""/reports 报告: generate the 月报 or the quarterly table in the chosen formats with the
same services as `monitor report`, into `schedule.report_dir`, and download them.
The reports cover every unit: the office's page."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from monitor.errors import MonitorError
from monitor.rules.periods import Period
from monitor.services.reports import monthly_report, quarterly_report, templates_dir
from monitor.web.auth import NotFound, check_csrf
from monitor.web.pages.common import config, context, flash, office_user, reading, render
from reports import ALL_FORMATS, parse_formats, write_report
from reports.model import MonthlyReport, QuarterlyReport

FORMAT_LABELS = {"docx": "Word（DOCX）", "xlsx": "Excel（XLSX）", "md": "Markdown",
                 "html": "网页（HTML）"}
# What a report file written here is called (reports.output.report_stem).
_REPORT_FILE = re.compile(r"^(monthly-\d{4}-\d{2}|quarterly-\d{4}Q[1-4])\.[a-z]+$")


def report_dir(request: Request) -> Path:
    return Path(config(request).schedule.report_dir)


def report_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted((path for path in directory.iterdir()
                   if path.is_file() and _REPORT_FILE.match(path.name)),
                  key=lambda path: path.name, reverse=True)


def reports_page(request: Request) -> Response:
    current = office_user(request)
    day = context(request).application.clock.today()
    return render(request, "reports.html", {
        "files": report_files(report_dir(request)),
        "formats": [(name, FORMAT_LABELS.get(name, name)) for name in ALL_FORMATS],
        "default_month": f"{day.year}-{day.month:02d}",
        "default_quarter": f"{day.year}Q{(day.month - 1) // 3 + 1}",
    }, current=current)


async def generate(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    office_user(request)
    kind = str(form.get("kind") or "")
    period_text = str(form.get("month" if kind == "monthly" else "quarter") or "").strip()
    chosen = ",".join(str(value) for value in form.getlist("format")) or ",".join(ALL_FORMATS)
    try:
        written = await run_in_threadpool(_write, request, kind, period_text, chosen)
    except MonitorError as error:
        flash(request, f"报告未生成：{error}")
    else:
        flash(request, "已生成：" + "、".join(path.name for path in written))
    return RedirectResponse("/reports", status_code=303)


def _write(request: Request, kind: str, period_text: str, formats: str) -> list[Path]:
    application = context(request).application
    portal = application.config
    chosen = parse_formats(formats)
    as_of = application.clock.today()
    report: MonthlyReport | QuarterlyReport
    with reading(request) as session:
        if kind == "monthly":
            period = Period.parse_month(period_text)
            report = monthly_report(session, portal, period.start.year, period.start.month,
                                    as_of, templates_dir(application.config,
                                                                 application.config_path))
        elif kind == "quarterly":
            period = Period.parse_quarter(period_text)
            report = quarterly_report(session, portal, period.start.year,
                                      (period.start.month + 2) // 3, as_of)
        else:
            raise MonitorError("请选择月报或季度统计表")
    return write_report(report, report_dir(request), chosen)


def download(request: Request) -> Response:
    office_user(request)
    name = request.path_params["name"]
    # Only a report file directly in the report directory: no path reaches elsewhere.
    found = {path.name: path for path in report_files(report_dir(request))}
    if name not in found:
        raise NotFound
    return FileResponse(found[name], filename=name)
