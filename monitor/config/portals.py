"""Many portals in one installation (SPEC §7): the config names a file or a directory.

A file is one portal, as it always was. A directory holds one YAML file per portal
(`*.yaml`, `*.yml`); a portal is named by its `site.name` or by its file's stem. Every file
of a directory is loaded and validated, so two files naming the same portal are caught
whichever portal a command asks for.

Choosing a portal is a plain rule here; the App asks for it and the CLI shows the errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from monitor.config.loader import load_config
from monitor.config.models import PortalConfig
from monitor.errors import ConfigError, UnknownPortalError
from monitor.i18n import _

PORTAL_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class PortalFile:
    """One portal: its config and the file it came from (crawl workers get the file)."""

    path: Path
    config: PortalConfig

    @property
    def name(self) -> str:
        return self.config.site.name

    @property
    def stem(self) -> str:
        return self.path.stem

    def answers_to(self, name: str) -> bool:
        return name in (self.name, self.stem)


@dataclass(frozen=True)
class Portals:
    """Every configured portal, in file-name order."""

    source: Path
    members: tuple[PortalFile, ...]

    @property
    def names(self) -> list[str]:
        return [portal.name for portal in self.members]

    @property
    def several(self) -> bool:
        return len(self.members) > 1

    def named(self, name: str) -> PortalFile:
        for portal in self.members:
            if portal.answers_to(name):
                return portal
        raise UnknownPortalError(_("no portal named '{name}'; the portals are: {names}").format(
            name=name, names=self.listing()))

    def select(self, name: str | None, *, offers_all: bool = False) -> PortalFile:
        """The portal `--portal NAME` names; with no name, the only one there is."""
        if name is not None:
            return self.named(name)
        if not self.several:
            return self.members[0]
        if offers_all:
            message = _("{count} portals are configured in {source}: choose one with "
                        "--portal NAME, or all of them with --all: {names}")
        else:
            message = _("{count} portals are configured in {source}: choose one with "
                        "--portal NAME: {names}")
        raise UnknownPortalError(message.format(count=len(self.members), source=self.source,
                                                names=self.listing()))

    def listing(self) -> str:
        return _(", ").join(f"{portal.name} ({portal.stem})" for portal in self.members)


def portal_files(directory: Path) -> list[Path]:
    """The portal files of a directory, in name order (hidden files left out)."""
    try:
        entries = sorted(directory.iterdir())
    except OSError as err:
        raise ConfigError([f"{directory}: " + _("cannot read the config directory: {reason}")
                           .format(reason=err.strerror)]) from None
    return [path for path in entries
            if path.suffix in PORTAL_SUFFIXES and path.is_file()
            and not path.name.startswith(".")]


def load_portals(source: Path) -> Portals:
    """The portals `--config`/`MONITOR_CONFIG` names: a file (one portal) or a directory."""
    if not source.is_dir():
        return Portals(source, (PortalFile(source, load_config(source)),))
    paths = portal_files(source)
    if not paths:
        raise ConfigError([f"{source}: " + _("no portal files (*.yaml, *.yml) in this "
                                             "directory")])
    members: list[PortalFile] = []
    problems: list[str] = []
    for path in paths:
        try:
            members.append(PortalFile(path, load_config(path)))
        except ConfigError as invalid:
            problems.extend(invalid.problems)
    problems.extend(duplicate_names(members))
    if problems:
        raise ConfigError(problems)
    return Portals(source, tuple(members))


def duplicate_names(members: list[PortalFile]) -> list[str]:
    """A line for each file whose portal name (site name or stem) another file already has."""
    owners: dict[str, Path] = {}
    problems = []
    for portal in members:
        for name in dict.fromkeys((portal.name, portal.stem)):
            other = owners.setdefault(name, portal.path)
            if other != portal.path:
                problems.append(f"{portal.path}:1 site.name: " + _(
                    "the portal '{name}' is also configured in {other}; each portal needs "
                    "its own name").format(name=name, other=other))
    return problems
