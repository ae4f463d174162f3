"""The generated reference pages stay in step with the config models and the CLI."""

from __future__ import annotations

import typer
from pydantic import BaseModel, Field

from monitor import docs


def test_configuration_reference_matches_the_config_models() -> None:
    committed = docs.CONFIGURATION_PAGE.read_text(encoding="utf-8")
    assert committed == docs.configuration_page(), (
        "docs/configuration.md is out of date: run `python -m monitor.docs`")


def test_cli_reference_matches_the_commands_help() -> None:
    committed = docs.CLI_PAGE.read_text(encoding="utf-8")
    assert committed == docs.cli_page(), "docs/cli.md is out of date: run `python -m monitor.docs`"


def test_problem_types_page_matches_the_catalogue() -> None:
    committed = docs.PROBLEMS_PAGE.read_text(encoding="utf-8")
    assert committed == docs.problems_page(), (
        "docs/problems.md is out of date: run `python -m monitor.docs`")


def test_every_config_key_has_a_description() -> None:
    assert docs.undocumented_keys() == []


def test_every_command_and_option_has_help() -> None:
    assert docs.undocumented_options() == []


class _Inner(BaseModel):
    depth: int = Field(default=1, ge=1, description="How deep.")
    colour: str = "red"


class _Outer(BaseModel):
    name: str = Field(description="A name.")
    inner: list[_Inner] = Field(default_factory=list, description="Inner parts.")


def test_a_nested_key_without_description_is_reported_by_its_path() -> None:
    assert docs.undocumented_keys(_Outer) == ["inner[].colour"]


def test_config_keys_show_type_default_and_limits() -> None:
    sections = {section.path: section for section in docs.config_sections(_Outer)}
    depth = sections["inner[]"].keys[0]
    assert (depth.type, depth.default, depth.limits) == ("integer", "1", "≥ 1")
    assert sections[""].keys[0].default == "required"


def test_an_option_without_help_is_reported_with_its_command() -> None:
    app = typer.Typer(help="A tool.")

    @app.command()
    def first(count: int = typer.Option(1, help="How many.")) -> None:
        """First command."""

    @app.command()
    def second(size: int = typer.Option(2)) -> None:
        """Second command."""

    assert docs.undocumented_options(app) == ["monitor second --size"]


def test_the_cli_page_lists_each_option_with_its_default_and_help() -> None:
    app = typer.Typer()

    @app.command()
    def only(count: int = typer.Option(3, "--count", help="How many.")) -> None:
        """The only command."""

    assert "| `--count` | option | 3 | How many. |" in docs.cli_page(app)
