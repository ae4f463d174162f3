"""Load a portal config file once into a `PortalConfig`, or fail with exact messages.

Every mistake becomes one line `FILE:LINE KEY.PATH: what is wrong (hint)`, and all the
mistakes of a file are reported together so the office fixes them in one pass.

A config file is read within bounds before anything is built from it: at most
`MAX_CONFIG_BYTES` (so `--config /dev/zero` stops at once), nesting at most `MAX_DEPTH`
deep (the YAML composer is recursive), and at most `MAX_NODES` values once aliases are
expanded — counted from the parser's events, before any expansion, so a few hundred bytes
of nested aliases (a "billion laughs") fail in milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import yaml
from pydantic import ValidationError

from monitor.config.checks import cross_checks
from monitor.config.messages import describe
from monitor.config.models import PortalConfig
from monitor.config.positions import KeyPath, Positions, format_path, scan
from monitor.errors import ConfigError
from monitor.i18n import _

MAX_CONFIG_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000


def load_config(path: Path) -> PortalConfig:
    text = _read(path)
    _check_shape(path, text)
    node, data = _parse(path, text)
    positions = scan(node)
    problems = [
        f"{path}:{line} {format_path(key)}: "
        + _("duplicate key, also given on line {line}").format(line=positions.line_of(key))
        for key, line in positions.duplicates
    ]
    if not isinstance(data, dict):
        raise ConfigError([f"{path}:1 " + _("(top level): expected a mapping with site: and "
                                            "units:")])
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
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
        if len(raw) > MAX_CONFIG_BYTES:
            raise ConfigError([f"{path}: the config file is larger than "
                               f"{MAX_CONFIG_BYTES // (1024 * 1024)} MB; is it the right file?"])
        return raw.decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            [f"{path}: " + _("no such config file (give --config PATH or set MONITOR_CONFIG)")]
        ) from None
    except UnicodeDecodeError:
        raise ConfigError([f"{path}:1 " + _("(top level): the file is not UTF-8 text")]) from None
    except OSError as err:
        raise ConfigError([f"{path}: " + _("cannot read the config file: {reason}").format(
            reason=err.strerror)]) from None


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves an impossible date (2024-02-30) as text, so validation can
    report it with its line instead of the YAML library failing without one."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        assert isinstance(node, yaml.ScalarNode)  # the timestamp tag resolves on scalars only
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _mark_line(mark: Any) -> int:
    """The 1-based line of a parser event's mark (every event of `yaml.parse` has one)."""
    return int(mark.line) + 1


def _check_shape(path: Path, text: str) -> None:
    """Depth and expanded size from the parser's events: no node is built, no alias
    expanded. An anchor's size counts its own aliases, so nesting multiplies as it would."""
    sizes: dict[str, int] = {}
    open_nodes: list[list[Any]] = []  # [anchor, size so far] of each open collection
    total = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                open_nodes.append([event.anchor, 1])
                if len(open_nodes) > MAX_DEPTH:
                    raise ConfigError([f"{path}:{_mark_line(event.start_mark)} (YAML): nested more "
                                       f"than {MAX_DEPTH} levels deep"])
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = open_nodes.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, sizes.get(event.anchor or "", 1)
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            if open_nodes:
                open_nodes[-1][1] += size
            else:
                total += size
            if total + sum(entry[1] for entry in open_nodes) > MAX_NODES:
                raise ConfigError([f"{path}:{_mark_line(event.start_mark)} (YAML): more than "
                                   f"{MAX_NODES} values once aliases are expanded; write the "
                                   "values out instead of nesting aliases"])
    except yaml.MarkedYAMLError as err:
        _raise_yaml(path, err)


def _raise_yaml(path: Path, err: yaml.MarkedYAMLError) -> NoReturn:
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 if mark else 1
    raise ConfigError([f"{path}:{line} (YAML): {err.problem or err.context}"]) from None


def _parse(path: Path, text: str) -> tuple[yaml.Node | None, Any]:
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        _raise_yaml(path, err)
    return node, data
