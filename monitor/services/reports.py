"""`monitor report`: the inputs of the 月报 and the quarterly table, read from the database.

Figures come from the stats service, so the 附件 tables always equal `monitor stats` for
the same period and as-of. Problems (SPEC §4.7) are taken by when they were true:
- this month's: seen at some moment of the month (first seen before its end and last seen
  after its start), or still open now and first seen before the month's end (a problem no
  check has looked at since is still the last thing known of it);
- last month's, selected the same way, carry their state now, which is what 上期问题整改情况
  reports. Ignored problems are passed on as such; the report builder leaves them out.
The week grid gets each unit's weekly result for the month; a unit with no column the weekly
rule applies to gets none (an empty row would look like missed weeks).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from monitor.calendar import LOCAL_ZONE, local_date
from monitor.config import PortalConfig, ReportConfig
from monitor.domain import ProblemState
from monitor.errors import ReportError
from monitor.i18n import _
from monitor.rules.figures import UnitFigures
from monitor.rules.periods import Period
from monitor.rules.weekly import WeeklyResult
from monitor.services.evidence import evidence_folders, evidence_root
from monitor.services.facts import recorded_site_id
from monitor.services.judgement import judge_portal
from monitor.services.national import national_result, national_section
from monitor.services.stats import unit_stats
from reports import (
    MonthlyReport,
    MonthlySettings,
    QuarterlyReport,
    QuarterlySettings,
    ReportProblem,
    TextContext,
    build_monthly_report,
    build_quarterly_report,
    render_monthly_texts,
)
from storage.queries import ArticleRow, ProblemFilter, ProblemRow, live_articles, problems


def templates_dir(config: PortalConfig, config_path: Path) -> Path | None:
    """The office's template directory; a relative path is read from the config's folder."""
    configured = config.report.templates_dir
    if configured is None:
        return None
    path = config_path.parent / configured
    if not path.is_dir():
        raise ReportError(_("report.templates_dir: {path} is not a directory").format(path=path))
    return path


@dataclass(frozen=True)
class MonthlyInputs:
    """Everything `build_monthly_report` needs besides the office's settings."""

    period: Period
    figures: tuple[UnitFigures, ...]
    problems: tuple[ReportProblem, ...]
    previous_problems: tuple[ReportProblem, ...]
    weekly: dict[str, WeeklyResult]
    calendar_warnings: tuple[str, ...]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_ZONE)


def _require_started(period: Period, as_of: date, what: str) -> None:
    if as_of < period.start:
        raise ReportError(
            f"{what} starts on {period.start}, after {as_of}: nothing to report yet"
        )


def report_problem(row: ProblemRow, site_name: str, evidence: str | None = None,
                   article: ArticleRow | None = None) -> ReportProblem:
    # A site-wide finding (a footer link, the whole portal down) belongs to no one unit.
    return ReportProblem(
        type=row.type,
        unit=row.unit or site_name,
        seen_on=local_date(row.first_seen),
        column=row.column,
        url=row.url,
        target=row.target,
        detail=row.detail,
        state=row.state,
        recurring=row.recurring,
        evidence=evidence,
        title=article.title if article is not None else None,
        published_on=article.date if article is not None else None,
        site_wide=row.unit is None,
    )


def problems_of_period(
    session: Session, site_id: int, period: Period, site_name: str,
    evidence_dir: Path | None = None,
) -> tuple[ReportProblem, ...]:
    """The portal's problems true at some moment of `period`, each with its state now,
    oldest first."""
    start, end = _start_of(period.start), _start_of(period.end + timedelta(days=1))
    seen = problems(session, site_id, ProblemFilter(seen_from=start, seen_to=end))
    still_open = problems(session, site_id,
                          ProblemFilter(states=(ProblemState.OPEN,), seen_to=end))
    rows = {row.id: row for row in seen + still_open}
    ordered = sorted(rows.values(), key=lambda row: (row.first_seen, row.id))
    # Where the screenshots of each problem are kept (截图取证), for the report to cite.
    evidence = {} if evidence_dir is None else evidence_folders(
        session, evidence_dir, [row.id for row in ordered])
    # The post each problem was found on, for the title and date columns of the 附件 table.
    articles = live_articles(session, site_id, sorted({row.url for row in ordered if row.url}))
    return tuple(report_problem(row, site_name, evidence.get(row.id),
                                articles.get(row.url) if row.url else None)
                 for row in ordered)


def previous_month(period: Period) -> Period:
    last_day = period.start - timedelta(days=1)
    return Period.month(last_day.year, last_day.month)


def weekly_results(
    session: Session, config: PortalConfig, period: Period, as_of: date
) -> dict[str, WeeklyResult]:
    """Each unit's counted and missed weeks of `period`, for units with a weekly column that
    was ever read: the judgement `monitor check` and the alerts give for the same day."""
    judgement = judge_portal(session, config, recorded_site_id(session, config), as_of)
    units = {judged.facts.column.unit_id: judged.facts.column.unit
             for judged in judgement.columns}
    return {
        name: judgement.weekly(unit_id, period)
        for unit_id, name in units.items()
        if judgement.has_weekly_facts(unit_id)
    }


def monthly_inputs(
    session: Session, config: PortalConfig, year: int, month: int, as_of: date
) -> MonthlyInputs:
    period = Period.month(year, month)
    _require_started(period, as_of, f"{year}-{month:02d}")
    stats = unit_stats(session, config, as_of, period)
    site_name = config.site.name
    site_id = recorded_site_id(session, config)
    return MonthlyInputs(
        period=period,
        figures=stats.figures,
        problems=problems_of_period(session, site_id, period, site_name,
                                    evidence_root(config)),
        previous_problems=problems_of_period(session, site_id, previous_month(period),
                                             site_name, evidence_root(config)),
        weekly=weekly_results(session, config, period, as_of),
        calendar_warnings=stats.warnings,
    )


def in_reader_language(report: ReportConfig, field: str) -> str:
    """A `report` setting as the reader reads it: the shipped default in the active language,
    a value the office wrote in its config as written."""
    value: str = getattr(report, field)
    return value if field in report.model_fields_set else _(value)


def issue_number(report: ReportConfig, year: int, month: int) -> str:
    """"2024年第4期" / "Issue No. 4, 2024" (the default); the office's own format as is."""
    return in_reader_language(report, "issue_no").format(year=year, month=month)


def monthly_settings(
    config: PortalConfig, year: int, month: int, as_of: date, templates_dir: Path | None
) -> MonthlySettings:
    report = config.report
    texts = render_monthly_texts(
        TextContext(site_name=config.site.name, issuer=report.issuer, year=year, month=month),
        templates_dir,
    )
    return MonthlySettings(
        title=in_reader_language(report, "title"),
        issue_no=issue_number(report, year, month),
        issuer=report.issuer,
        site_name=config.site.name,
        year=year,
        month=month,
        as_of=as_of,
        editor_note=texts.editor_note,
        requirements=texts.requirements,
        issued_on=as_of,
    )


def monthly_report(
    session: Session,
    config: PortalConfig,
    year: int,
    month: int,
    as_of: date,
    templates_dir: Path | None = None,
) -> MonthlyReport:
    """The 月报 of `year`-`month` as known on `as_of` (year-to-date ends with the month)."""
    inputs = monthly_inputs(session, config, year, month, as_of)
    return build_monthly_report(
        inputs.figures,
        inputs.problems,
        inputs.previous_problems,
        inputs.weekly,
        monthly_settings(config, year, month, as_of, templates_dir),
        inputs.calendar_warnings,
    )


def quarterly_title(year: int, quarter: int) -> str:
    return _("关于{year}年第{quarter}季度网站内容保障情况的通报").format(year=year,
                                                                   quarter=quarter)


def quarterly_report(
    session: Session, config: PortalConfig, year: int, quarter: int, as_of: date
) -> QuarterlyReport:
    """The quarterly table of `year` Q`quarter` as known on `as_of`."""
    period = Period.quarter(year, quarter)
    _require_started(period, as_of, f"{year}Q{quarter}")
    stats = unit_stats(session, config, as_of, period)
    settings = QuarterlySettings(
        title=quarterly_title(year, quarter),
        issuer=config.report.issuer,
        year=year,
        quarter=quarter,
        as_of=as_of,
        issued_on=as_of,
    )
    report = build_quarterly_report(stats.figures, settings, stats.warnings)
    # The portal as it stood at the quarter's end (or on `as_of`, when that comes first).
    day = min(period.end, as_of)
    national = national_result(session, config, recorded_site_id(session, config), day)
    return replace(report, national=national_section(national))

