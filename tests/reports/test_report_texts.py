"""编者按 and 工作要求 from the office's templates, with shipped defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ReportError
from reports.texts import TextContext, paragraphs, render_monthly_texts

CONTEXT = TextContext(site_name="瑞河县人民政府门户网站", issuer="瑞河县政务公开办", year=2024,
                      month=4, rectify_workdays=7)


def test_default_templates_render_with_the_context() -> None:
    texts = render_monthly_texts(CONTEXT)
    assert "瑞河县政务公开办按月通报瑞河县人民政府门户网站" in texts.editor_note
    assert "{{" not in texts.editor_note
    assert len(texts.requirements) == 4
    assert "7个工作日内完成整改" in texts.requirements[0]


def test_office_directory_overrides_one_template_and_keeps_the_other(tmp_path: Path) -> None:
    (tmp_path / "monthly_requirements.j2").write_text(
        "一、{{ month }}月问题{{ rectify_workdays }}日内整改。\n\n二、另起一段\n接续一行。\n",
        encoding="utf-8")
    texts = render_monthly_texts(CONTEXT, tmp_path)
    assert texts.requirements == ("一、4月问题7日内整改。", "二、另起一段接续一行。")
    assert texts.editor_note == render_monthly_texts(CONTEXT).editor_note


def test_a_misspelt_variable_is_a_report_error_naming_the_template(tmp_path: Path) -> None:
    (tmp_path / "monthly_editor_note.j2").write_text("{{ mnth }}月", encoding="utf-8")
    with pytest.raises(ReportError, match="monthly_editor_note.j2.*mnth"):
        render_monthly_texts(CONTEXT, tmp_path)


def test_templates_run_sandboxed(tmp_path: Path) -> None:
    (tmp_path / "monthly_editor_note.j2").write_text(
        "{{ site_name.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(ReportError):
        render_monthly_texts(CONTEXT, tmp_path)


def test_latin_lines_keep_a_space_when_joined() -> None:
    assert paragraphs("see the\nportal\n\n中文\n接续") == ("see the portal", "中文接续")
