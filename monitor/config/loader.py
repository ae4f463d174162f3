"""Load a portal config file once into a `PortalConfig`, or fail with exact messages.

Every mistake becomes one line `FILE:LINE KEY.PATH: what is wrong (hint)`, and all the
mistakes of a file are reported together so the office fixes them in one pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from monitor.config.checks import cross_checks
from monitor.config.messages import describe
from monitor.config.models import PortalConfig
from monitor.config.positions import KeyPath, Positions, format_path, scan
from monitor.errors import ConfigError


def load_config(path: Path) -> PortalConfig:
    text = _read(path)
    node, data = _parse(path, text)
    positions = scan(node)
    problems = [
        f"{path}:{line} {format_path(key)}: duplicate key, also given on line "
        f"{positions.line_of(key)}"
        for key, line in positions.duplicates
    ]
    if not isinstance(data, dict):
        raise ConfigError([f"{path}:1 (top level): expected a mapping with site: and units:"])
    try:
        config = PortalConfig.model_validate(data)
    except ValidationError as invalid:
        for error in invalid.errors(include_url=False):
            key, message = describe(error, PortalConfig)
            problems.append(_line(path, positions, key, message))
        raise ConfigError(_by_line(problems)) from None
    problems.extend(_line(path, positions, key, message) for key, message in cross_checks(config))
    if problems:
        raise ConfigError(_by_line(problems))
    return config


def _by_line(problems: list[str]) -> list[str]:
    """Order messages as they stand in the file, the order an officer fixes them in."""
    return sorted(problems, key=lambda line: int(line.split(" ", 1)[0].rsplit(":", 1)[1]))


def _line(path: Path, positions: Positions, key: KeyPath, message: str) -> str:
    return f"{path}:{positions.line_of(key)} {format_path(key)}: {message}"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: no such config file (give --config PATH or set MONITOR_CONFIG)"]
        ) from None
    except UnicodeDecodeError:
        raise ConfigError([f"{path}:1 (top level): the file is not UTF-8 text"]) from None
    except OSError as err:
        raise ConfigError([f"{path}: cannot read the config file: {err.strerror}"]) from None


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves an impossible date (2024-02-30) as text, so validation can
    report it with its line instead of the YAML library failing without one."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _parse(path: Path, text: str) -> tuple[yaml.Node | None, Any]:
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        raise ConfigError([f"{path}:{line} (YAML): {err.problem or err.context}"]) from None
    return node, data
