"""Finding a unit by the name an officer types: its name or one of its aliases, whole or in
part (水利 for 县水利局, 卫健 for the alias 卫健委)."""

from __future__ import annotations

import difflib

from monitor.config import PortalConfig, UnitConfig
from monitor.errors import AmbiguousUnitError, UnknownUnitError


def find_unit(config: PortalConfig, name: str) -> UnitConfig:
    wanted = name.strip()
    for unit in config.units:
        if wanted == unit.name or wanted in unit.aliases:
            return unit
    # Officers often type part of a name or of an alias: 水利 for 县水利局, 卫健 for 卫健委.
    partial = [unit for unit in config.units
               if wanted and any(wanted in label for label in (unit.name, *unit.aliases))]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise AmbiguousUnitError(name, [unit.name for unit in partial])
    raise UnknownUnitError(name, closest_units(config, wanted))


def closest_units(config: PortalConfig, name: str, limit: int = 3) -> list[str]:
    owners = {unit.name: unit.name for unit in config.units}
    owners.update({alias: unit.name for unit in config.units for alias in unit.aliases})
    close = difflib.get_close_matches(name, list(owners), n=limit * 2, cutoff=0.3)
    close += [label for label in owners if name and (name in label or label in name)]
    names: list[str] = []
    for label in close:
        if owners[label] not in names:
            names.append(owners[label])
    return names[:limit]
