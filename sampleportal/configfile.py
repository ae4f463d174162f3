"""Write a SPEC §2 portal config that points the product at a running sample portal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from monitor.domain import Cycle
from sampleportal.model import Column, Portal, Unit

FIRST_CRAWL_SINCE = date(2023, 9, 1)


def _column(base_url: str, column: Column) -> dict:
    entry: dict = {
        "name": column.name,
        "url": base_url + column.list_path,
        "category": column.category.value,
        "cycle": column.cycle.value,
    }
    if column.cycle is Cycle.YEARLY:
        entry["deadline"] = column.deadline
    entry["render"] = column.render.value
    return entry


def _unit(base_url: str, unit: Unit) -> dict:
    return {
        "name": unit.name,
        "group": unit.group,
        "aliases": list(unit.aliases),
        "annual_target": unit.annual_target,
        "contacts": [unit.contact],
        "columns": [_column(base_url, column) for column in unit.columns],
    }


def portal_config(portal: Portal, base_url: str) -> dict:
    """The config document for `portal` served at `base_url` (http://127.0.0.1:PORT)."""
    base_url = base_url.rstrip("/")
    return {
        "site": {"name": portal.site_name, "url": base_url + "/"},
        "crawl": {
            "concurrency_per_host": 4,
            "delay_seconds": 0,
            "timeout_seconds": 10,
            "first_crawl_since": FIRST_CRAWL_SINCE,
            "check_external_links": True,
            # The portal's "external" host and the refused port are loopback ports too.
            "allow_private_targets": True,
            "browser": "auto",
        },
        "calendar": {"holidays": [], "workdays": []},
        "rules": {"weekly": {"categories": ["dynamics"], "min_posts": 1},
                  "due_soon_workdays": 2},
        "units": [_unit(base_url, unit) for unit in portal.units],
    }


def config_yaml(portal: Portal, base_url: str) -> str:
    header = f"# Portal config for the sample portal {portal.site_name} (seed {portal.seed}).\n"
    body = yaml.safe_dump(portal_config(portal, base_url), allow_unicode=True, sort_keys=False)
    return header + body


def write_config(portal: Portal, base_url: str, path: Path,
                 evidence_dir: Path | None = None, evidence: bool = True) -> Path:
    """Write the config YAML to `path` and return it; with `evidence_dir`, evidence is kept
    there rather than under the working directory; `evidence=False` switches it off."""
    text = config_yaml(portal, base_url)
    if evidence_dir is not None or not evidence:
        section: dict = {"enabled": evidence}
        if evidence_dir is not None:
            section["directory"] = str(evidence_dir)
        text += yaml.safe_dump({"evidence": section}, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path
