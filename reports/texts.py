"""编者按 and 工作要求: plain-text Jinja2 templates the office edits.

The shipped texts are `{% trans %}` blocks, read in the active language like every other
text (their msgids are extracted by `make messages`); an office's template is read as it is
written.

The defaults ship in `monitor/defaults/templates/`; an office directory, when given, is searched
first, so the office overrides a text by putting a file of the same name there. The output
is plain text (the HTML writer escapes it like any other text), hence no autoescape here.
Templates run sandboxed with strict undefined variables, so a typo in a template is a
clear error instead of a silently empty sentence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from monitor import i18n
from monitor.errors import ReportError
from monitor.i18n import _
from monitor.resources import defaults_dir

EDITOR_NOTE_TEMPLATE = "monthly_editor_note.j2"
REQUIREMENTS_TEMPLATE = "monthly_requirements.j2"


def default_template_dir() -> Path:
    """The shipped templates (looked up when used, not at import)."""
    return defaults_dir() / "templates"


@dataclass(frozen=True)
class TextContext:
    """The variables a template may use."""

    site_name: str
    issuer: str
    year: int
    month: int
    rectify_workdays: int = 5


@dataclass(frozen=True)
class OfficeTexts:
    editor_note: str
    requirements: tuple[str, ...]


def paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs are separated by blank lines; lines inside one paragraph are joined."""
    blocks = [_join_lines([line.strip() for line in block.splitlines() if line.strip()])
              for block in text.split("\n\n")]
    return tuple(block for block in blocks if block)


def _join_lines(lines: list[str]) -> str:
    """Chinese lines join without a space; a line ending in Latin text gets one."""
    joined = ""
    for line in lines:
        needs_space = bool(joined) and joined[-1].isascii() and line[0].isascii()
        joined += (" " if needs_space else "") + line
    return joined


def _environment(office_dir: Path | None) -> SandboxedEnvironment:
    search = [office_dir] if office_dir is not None else []
    search.append(default_template_dir())
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(search),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.i18n"],
    )
    # {% trans %} blocks read the active catalogue (MONITOR_LANG), as every other text does.
    environment.install_gettext_callables(  # type: ignore[attr-defined]  # i18n ext adds it
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True)
    return environment


def render_template(name: str, context: TextContext, office_dir: Path | None = None) -> str:
    try:
        template = _environment(office_dir).get_template(name)
        return template.render(**asdict(context))
    except TemplateError as error:
        where = f"{office_dir or default_template_dir()}/{name}"
        raise ReportError(_("report text template {path}: {error}").format(
            path=where, error=error)) from error


def render_monthly_texts(context: TextContext, office_dir: Path | None = None) -> OfficeTexts:
    note = paragraphs(render_template(EDITOR_NOTE_TEMPLATE, context, office_dir))
    requirements = paragraphs(render_template(REQUIREMENTS_TEMPLATE, context, office_dir))
    return OfficeTexts(editor_note="".join(note), requirements=requirements)
