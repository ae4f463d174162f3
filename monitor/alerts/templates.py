"""The alert templates (`monitor/defaults/templates/alert_*.j2`): subject, plain text and HTML.

Sandboxed with strict undefined variables, like the report texts: a typo in a template the
office edited is an error, not an e-mail with a blank where the column name should be.
The HTML part is autoescaped: unit names, titles and URLs come from crawled pages.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from monitor.domain import Cycle, ProblemType
from monitor.errors import AlertError
from monitor.i18n import _
from monitor.problem_types import kind_of
from monitor.resources import defaults_dir
from monitor.safetext import one_line

CYCLE_LABELS = {
    Cycle.WEEKLY: "每周更新", Cycle.MONTHLY: "每月更新", Cycle.QUARTERLY: "每季度更新",
    Cycle.YEARLY: "每年更新", Cycle.NONE: "不定期更新",
}

def cn_date(day: date | None) -> str:
    return "无" if day is None else f"{day.year}年{day.month}月{day.day}日"


def month_day(day: date | None) -> str:
    return "无" if day is None else f"{day.month}月{day.day}日"


def week_range(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    return f"{monday.year}年{monday.month}月{monday.day}日—{sunday.month}月{sunday.day}日"


class AlertTemplates:
    def __init__(self, directory: Path | None = None) -> None:
        # The shipped templates unless a directory is given; looked up here, not at import,
        # so importing this module never needs the package's files on disk.
        directory = directory if directory is not None else defaults_dir() / "templates"
        self._text = self._environment(directory, autoescape=False)
        self._html = self._environment(directory, autoescape=True)

    @staticmethod
    def _environment(directory: Path, autoescape: bool) -> SandboxedEnvironment:
        environment = SandboxedEnvironment(
            loader=FileSystemLoader(str(directory)), undefined=StrictUndefined,
            autoescape=autoescape, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        environment.filters.update(
            cn_date=cn_date, month_day=month_day, week_range=week_range,
            cycle_label=lambda cycle: CYCLE_LABELS[Cycle(cycle)],
            problem_label=lambda kind: kind_of(ProblemType(kind)).alert_label,
            # A name from the config or a page kept on one line: in a chat message a line
            # break in a unit's name would start a line of its own making.
            one_line=one_line,
        )
        return environment

    def render(self, name: str, context: dict[str, Any]) -> tuple[str, str, str]:
        """Subject, plain text and HTML of template family `name` (alert_unit, alert_digest)."""
        try:
            subject = self._text.get_template(f"{name}.subject.j2").render(context)
            text = self._text.get_template(f"{name}.txt.j2").render(context)
            html = self._html.get_template(f"{name}.html.j2").render(context)
        except TemplateError as err:
            raise AlertError(_("alert template {name}: {error}").format(
                name=name, error=err)) from None
        return subject, text, html

    def render_chat(self, name: str, context: dict[str, Any]) -> str:
        """The short chat text of template family `name` (no subject, no HTML: the first
        line is the heading)."""
        try:
            return self._text.get_template(f"{name}.chat.j2").render(context)
        except TemplateError as err:
            raise AlertError(_("alert template {name}: {error}").format(
                name=f"{name}.chat", error=err)) from None
