"""The alert templates (`monitor/defaults/templates/alert_*.j2`): subject, plain text and HTML.

Sandboxed with strict undefined variables, like the report texts: a typo in a template the
office edited is an error, not an e-mail with a blank where the column name should be.
The HTML part is autoescaped: unit names, titles and URLs come from crawled pages.

The texts are in the reader's language (SPEC §9): the templates mark them with `_`,
`ngettext` and `pgettext` (Jinja's i18n extension, new style, bound to the project's
catalogues in `monitor.i18n`), and the filters word dates, cycles and problem types in the
active language. A template an office wrote without these keeps working as written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from monitor import i18n
from monitor.datewords import full_date, month_day, week_range
from monitor.domain import Cycle, ProblemType
from monitor.errors import AlertError
from monitor.i18n import N_, _
from monitor.problem_types import kind_of
from monitor.resources import defaults_dir
from monitor.safetext import one_line

CYCLE_LABELS = {
    Cycle.WEEKLY: N_("每周更新"), Cycle.MONTHLY: N_("每月更新"), Cycle.QUARTERLY: N_("每季度更新"),
    Cycle.YEARLY: N_("每年更新"), Cycle.NONE: N_("不定期更新"),
}


def cycle_label(cycle: str) -> str:
    return _(CYCLE_LABELS[Cycle(cycle)])


def problem_label(kind: str) -> str:
    return _(kind_of(ProblemType(kind)).alert_label)


def html_language() -> str:
    """The `lang` of the HTML part."""
    return "en" if i18n.active_language() == "en" else "zh-CN"


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
            keep_trailing_newline=True, extensions=["jinja2.ext.i18n"],
        )
        # The functions read the active language each time they are called, so one set of
        # compiled templates serves both languages.
        # attr-defined: the i18n extension adds this method to the environment at run time.
        environment.install_gettext_callables(  # type: ignore[attr-defined]  # i18n ext adds it
            i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext)
        environment.filters.update(
            # `cn_date` is the name templates written before the English texts use.
            full_date=full_date, cn_date=full_date, month_day=month_day,
            week_range=week_range, cycle_label=cycle_label, problem_label=problem_label,
            # A name from the config or a page kept on one line: in a chat message a line
            # break in a unit's name would start a line of its own making.
            one_line=one_line,
        )
        environment.globals["html_lang"] = html_language
        return environment

    def render(self, name: str, context: dict[str, Any]) -> tuple[str, str, str]:
        """Subject, plain text and HTML of template family `name` (alert_unit, alert_digest)."""
        try:
            subject = self._text.get_template(f"{name}.subject.j2").render(context)
            text = self._text.get_template(f"{name}.txt.j2").render(context)
            html = self._html.get_template(f"{name}.html.j2").render(context)
        except TemplateError as err:
            raise AlertError(f"alert template {name}: {err}") from None
        return subject, text, html

    def render_chat(self, name: str, context: dict[str, Any]) -> str:
        """The short chat text of template family `name` (no subject, no HTML: the first
        line is the heading)."""
        try:
            return self._text.get_template(f"{name}.chat.j2").render(context)
        except TemplateError as err:
            raise AlertError(f"alert template {name}.chat: {err}") from None
