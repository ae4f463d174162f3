"""Reference pages generated from the code: docs/configuration.md, docs/cli.md and
docs/problems.md (the problem-type catalogue).

`python -m monitor.docs` rewrites them; tests compare the committed files with what this
module generates, so a config key or a command option added without being documented
fails the tests instead of going unnoticed.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import typer
from annotated_types import Ge, Gt, Le, Lt, MinLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from monitor.config.models import PortalConfig
from monitor.problem_types import CATALOGUE

DOCS = Path(__file__).resolve().parent.parent / "docs"
CONFIGURATION_PAGE = DOCS / "configuration.md"
CLI_PAGE = DOCS / "cli.md"
PROBLEMS_PAGE = DOCS / "problems.md"
# Names of the config's value validators, as a reader knows the kinds of value.
VALIDATOR_TYPES = {"_http_url": "URL", "_email": "e-mail address", "_mailbox": "mailbox",
                   "_deadline": "MM-DD", "_crontab": "cron line",
                   "_proxy": "IP address or network"}


# A Click command as Typer builds it (Typer vendors Click; only its public attributes are used).
Command = typing.Any


@dataclass(frozen=True)
class ConfigKey:
    path: str
    type: str
    default: str
    limits: str
    description: str


@dataclass(frozen=True)
class ConfigSection:
    path: str
    model: type[BaseModel]
    keys: tuple[ConfigKey, ...]


def undocumented_keys(root: type[BaseModel] = PortalConfig) -> list[str]:
    """Config keys whose model field has no description."""
    return [f"{section.path.split(', ')[0]}.{key.path}".lstrip(".")
            for section in config_sections(root) for key in section.keys if not key.description]


def config_sections(root: type[BaseModel] = PortalConfig) -> list[ConfigSection]:
    """Every model of the config with its keys, parents before children; a model used at
    several places (each scheduled job) is one section naming all of them."""
    paths: dict[type[BaseModel], list[str]] = {}
    pending: list[tuple[str, type[BaseModel]]] = [("", root)]
    while pending:
        path, model = pending.pop(0)
        if model in paths:
            paths[model].append(path)
            continue
        paths[model] = [path]
        for name, info in model.model_fields.items():
            for child, repeated in nested_models(info.annotation):
                pending.append((f"{path}.{name}{'[]' if repeated else ''}".lstrip("."), child))
    return [ConfigSection(", ".join(places), model,
                          tuple(config_key(name, info)
                                for name, info in model.model_fields.items()))
            for model, places in paths.items()]


def nested_models(annotation: object, repeated: bool = False
                  ) -> list[tuple[type[BaseModel], bool]]:
    """The models a field holds (directly, optionally, or as a list of them)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, repeated)]
    origin = typing.get_origin(annotation)
    found: list[tuple[type[BaseModel], bool]] = []
    for argument in typing.get_args(annotation):
        found += nested_models(argument, repeated or origin is list)
    return found


def config_key(name: str, info: FieldInfo) -> ConfigKey:
    return ConfigKey(name, type_name(info.annotation, info.metadata), default_text(info),
                     limits_text(info.metadata), info.description or "")


def type_name(annotation: object, metadata: list[object] | None = None) -> str:
    for item in metadata or ():
        validator = getattr(getattr(item, "func", None), "__name__", "")
        if validator in VALIDATOR_TYPES:
            return VALIDATOR_TYPES[validator]
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(arguments[0], list(arguments[1:]))
    if origin in (typing.Union, types.UnionType):
        names = [type_name(a) for a in arguments if a is not type(None)]
        optional = " or null" if type(None) in arguments else ""
        return " or ".join(names) + optional
    if origin is list:
        return f"list of {type_name(arguments[0])}"
    if origin is typing.Literal:
        return " \\| ".join(str(argument) for argument in arguments)
    return simple_type_name(annotation)


def simple_type_name(annotation: object) -> str:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "section"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " \\| ".join(member.value for member in annotation)
    names = {str: "text", int: "integer", float: "number", bool: "true/false",
             date: "date (YYYY-MM-DD)"}
    # Why the ignore below: annotation is not typed as a hashable dict key
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))  # type: ignore[call-overload]


def default_text(info: FieldInfo) -> str:
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]  # factory takes no data arg here
        return "see below" if isinstance(value, BaseModel) else value_text(value)
    if info.default is PydanticUndefined:
        return "required"
    return value_text(info.default)


def value_text(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, list):
        return "[" + ", ".join(value_text(item) for item in value) + "]"
    return str(value)


def limits_text(metadata: list[object]) -> str:
    parts = []
    for item in metadata:
        if isinstance(item, Ge):
            parts.append(f"≥ {item.ge}")
        elif isinstance(item, Gt):
            parts.append(f"> {item.gt}")
        elif isinstance(item, Le):
            parts.append(f"≤ {item.le}")
        elif isinstance(item, Lt):
            parts.append(f"< {item.lt}")
        elif isinstance(item, MinLen):
            parts.append(f"at least {item.min_length} long")
    return ", ".join(parts)


def configuration_page() -> str:
    lines = [
        "# Configuration reference",
        "",
        "One YAML file per portal (SPEC §2), named by `--config` or `MONITOR_CONFIG`; either may",
        "name a directory of portal files (`*.yaml`, `*.yml`; SPEC §7, README \"Many portals\").",
        "Unknown keys, wrong types and bad URLs are errors that name the file, line and key.",
        "[`config/sample.yaml`](../config/sample.yaml) is a commented example.",
        "",
        "This page is generated from `monitor/config/models.py` by `python -m monitor.docs`;",
        "a test fails when it is out of date or a key has no description.",
    ]
    for section in config_sections():
        title = ", ".join(f"`{place}`" for place in section.path.split(", ")) \
            if section.path else "Top level"
        lines += ["", f"## {title}", "", "| key | type | default | limits | meaning |",
                  "| --- | --- | --- | --- | --- |"]
        for key in section.keys:
            lines.append(f"| `{key.path}` | {key.type} | {cell(key.default)} | "
                         f"{key.limits} | {cell(key.description)} |")
    return "\n".join(lines) + "\n"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def is_group(command: Command) -> bool:
    return isinstance(getattr(command, "commands", None), dict)


def cli_commands(app: typer.Typer | None = None) -> list[tuple[str, Command]]:
    """Every command and group of the CLI with its full name, depth first in help order."""
    if app is None:
        from monitor.cli import app as monitor_app

        app = monitor_app
    root = typer.main.get_command(app)
    found: list[tuple[str, Command]] = []

    def visit(name: str, command: Command) -> None:
        found.append((name, command))
        if is_group(command):
            context = typer.Context(command)
            for sub in command.list_commands(context):
                visit(f"{name} {sub}", command.get_command(context, sub))

    visit("monitor", root)
    return found


def undocumented_options(app: typer.Typer | None = None) -> list[str]:
    """Commands and options (`monitor crawl --unit`) that have no help text."""
    missing = []
    for name, command in cli_commands(app):
        if not (command.help or command.short_help):
            missing.append(name)
        for parameter in command.params:
            if parameter.param_type_name == "option" and not parameter.help:
                missing.append(f"{name} {parameter.opts[0]}")
    return missing


def parameter_row(parameter: typing.Any) -> str:
    names = ", ".join(f"`{name}`" for name in [*parameter.opts, *parameter.secondary_opts])
    kind = parameter.param_type_name
    help_text = getattr(parameter, "help", None) or ""
    default = parameter.default
    shown = "" if default in (None, False, ()) or callable(default) else value_text(default)
    required = "required" if parameter.required else shown
    return f"| {names} | {kind} | {cell(required)} | {cell(help_text)} |"


def cli_page(app: typer.Typer | None = None) -> str:
    lines = [
        "# Command-line reference",
        "",
        "Every command: `--help`; exit status 0 on success, 1 on a user error (one line on",
        "stderr), 2 on a usage error; `--json` prints one JSON document on stdout and nothing",
        "else there. Options given before the command (`monitor --config F crawl`) apply to it.",
        "",
        "This page is generated from the commands' own help by `python -m monitor.docs`;",
        "a test fails when it is out of date or an option has no help text.",
    ]
    for name, command in cli_commands(app):
        context = command.context_class(command, info_name=name)
        lines += ["", f"## `{name}`", "", f"`{command.get_usage(context)}`"]
        if command.help:
            lines += ["", command.help.strip()]
        parameters = [p for p in command.params if p.name != "help"]
        if parameters:
            lines += ["", "| name | kind | default | meaning |", "| --- | --- | --- | --- |"]
            lines += [parameter_row(p) for p in parameters]
        if is_group(command):
            subs = ", ".join(f"`{sub}`" for sub in command.list_commands(context))
            lines += ["", f"Commands: {subs}."]
    return "\n".join(lines) + "\n"


def problems_page() -> str:
    """Every problem type as the catalogue (`monitor.problem_types`) declares it."""
    lines = [
        "# Problem types",
        "",
        "Generated from `monitor/problem_types.py` by `python -m monitor.docs`; do not edit.",
        "Each type is declared once there: reports, alerts, `monitor problems list` and this",
        "page read it (SPEC §4.7).",
        "",
        "| type | 问题 | 月报用语 | family | report section | severity | fixed |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind in CATALOGUE.values():
        lines.append(
            f"| `{kind.type.value}` | {kind.alert_label} | {kind.wording} | {kind.family.value} "
            f"| {kind.section.value} | {kind.severity.name.lower()} | {kind.fix.value} |")
    return "\n".join(lines) + "\n"


def write_pages() -> list[Path]:
    CONFIGURATION_PAGE.write_text(configuration_page(), encoding="utf-8")
    CLI_PAGE.write_text(cli_page(), encoding="utf-8")
    PROBLEMS_PAGE.write_text(problems_page(), encoding="utf-8")
    return [CONFIGURATION_PAGE, CLI_PAGE, PROBLEMS_PAGE]


if __name__ == "__main__":
    for written in write_pages():
        print(f"wrote {written}")
