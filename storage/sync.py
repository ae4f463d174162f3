"""Bring the database's portal structure in line with the config (issue 2).

Units are matched by name, then by alias (so renaming a unit, with the old name kept as
an alias, keeps its history); columns by URL. Units and columns that left the config are
marked inactive, never deleted: their posts and problems are the office's records.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.config import ColumnConfig, PortalConfig, UnitConfig
from storage.models import Column, Site, Unit


@dataclass(frozen=True)
class SyncResult:
    site_id: int
    units_added: int
    units_renamed: int
    units_deactivated: int
    columns_added: int
    columns_deactivated: int


def sync_config(session: Session, config: PortalConfig) -> SyncResult:
    site = _site(session, config)
    existing = list(session.scalars(select(Unit).where(Unit.site_id == site.id)))
    claimed: set[int] = set()
    added = renamed = 0
    units_by_config: list[tuple[UnitConfig, Unit]] = []
    for unit_config in config.units:
        unit = _match_unit(unit_config, existing, claimed)
        if unit is None:
            unit = Unit(site_id=site.id, name=unit_config.name)
            session.add(unit)
            existing.append(unit)
            added += 1
        elif unit.name != unit_config.name:
            renamed += 1
        claimed.add(id(unit))
        _apply_unit(unit, unit_config)
        units_by_config.append((unit_config, unit))
    deactivated = 0
    for unit in existing:
        if id(unit) not in claimed and unit.active:
            unit.active = False
            deactivated += 1
    session.flush()
    columns_added, columns_deactivated = _sync_columns(session, site, units_by_config)
    session.flush()
    return SyncResult(site.id, added, renamed, deactivated, columns_added, columns_deactivated)


def _site(session: Session, config: PortalConfig) -> Site:
    site = session.scalar(select(Site).where(Site.url == config.site.url))
    if site is None:
        site = Site(url=config.site.url, name=config.site.name)
        session.add(site)
        session.flush()
    site.name = config.site.name
    return site


def _match_unit(unit_config: UnitConfig, units: list[Unit], claimed: set[int]) -> Unit | None:
    free = [unit for unit in units if id(unit) not in claimed]
    for unit in free:
        if unit.name == unit_config.name:
            return unit
    names = {unit_config.name, *unit_config.aliases}
    for unit in free:
        if unit.name in names or names.intersection(unit.aliases or ()):
            return unit
    return None


def _apply_unit(unit: Unit, unit_config: UnitConfig) -> None:
    unit.name = unit_config.name
    unit.group_name = unit_config.group
    unit.aliases = list(unit_config.aliases)
    unit.annual_target = unit_config.annual_target
    unit.contacts = list(unit_config.contacts)
    unit.active = True


def _sync_columns(
    session: Session, site: Site, units: list[tuple[UnitConfig, Unit]]
) -> tuple[int, int]:
    by_url = {
        column.url: column
        for column in session.scalars(select(Column).where(Column.site_id == site.id))
    }
    seen: set[str] = set()
    added = 0
    for unit_config, unit in units:
        for column_config in unit_config.columns:
            column = by_url.get(column_config.url)
            if column is None:
                column = Column(site_id=site.id, unit_id=unit.id, url=column_config.url)
                session.add(column)
                by_url[column.url] = column
                added += 1
            _apply_column(column, column_config, unit)
            seen.add(column_config.url)
    deactivated = 0
    for url, column in by_url.items():
        if url not in seen and column.active:
            column.active = False
            deactivated += 1
    return added, deactivated


def _apply_column(column: Column, column_config: ColumnConfig, unit: Unit) -> None:
    column.unit_id = unit.id
    column.name = column_config.name
    column.category = column_config.category
    column.cycle = column_config.cycle
    column.deadline = column_config.deadline
    column.render = column_config.render
    column.list_selectors = column_config.list.model_dump() if column_config.list else None
    column.active = True
