"""`monitor discover` on the sample portal served in its JSON-API flavour (every column list
an empty container its script fills from /api/columns/<id>/articles): the draft pins
each column to the jsonapi style, and a crawl with the draft records the portal's truth."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sampleportal import RunningPortal, Truth, generate_portal, portal_config, serve_portal
from sampleportal.model import ListStyle as PortalStyle
from sampleportal.styles import api_path

pytestmark = pytest.mark.slow  # a walk and a crawl of the sample portal

# A diligent unit (short list dates, withdrawn posts) and one with an undated list, a
# column never published and an empty one.
UNITS = ("县水利局", "云岭乡")


def _discover(running: RunningPortal, directory: Path) -> tuple[dict, Path]:
    """The discovery as data and its YAML draft; walked with the hand-written config's
    crawl settings (no pause), so the walk is quick."""
    hand = directory / "hand.yaml"
    hand.write_text(yaml.safe_dump(portal_config(running.portal, running.base_url),
                                   allow_unicode=True), encoding="utf-8")
    draft = directory / "draft.yaml"
    done = subprocess.run([sys.executable, "-m", "monitor", "discover", running.base_url + "/",
                           "--config", str(hand), "--out", str(draft), "--json"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout), draft


def test_discover_pins_every_json_api_column_and_the_draft_crawls_the_portals_truth(
        tmp_path: Path, crawl_workspace) -> None:
    portal = generate_portal(1, style=PortalStyle.JSONAPI)
    with serve_portal(portal) as running:
        document, draft = _discover(running, tmp_path)
        proposed = {column["url"]: column for unit in document["units"]
                    for column in unit["columns"]}
        assert sorted(proposed) == sorted(running.base_url + column.list_path
                                          for column in portal.columns())
        for column in portal.columns():
            found = proposed[running.base_url + column.list_path]
            assert (found["render"], found["list"]) == ("static", {"style": "jsonapi"})
            assert running.base_url + api_path(column) in found["evidence"]["list"]

        (tmp_path / "crawl").mkdir()
        workspace = crawl_workspace(running, tmp_path / "crawl", evidence=False)
        written = yaml.safe_load(draft.read_text(encoding="utf-8"))
        assert {column["list"]["style"] for unit in written["units"]
                for column in unit["columns"]} == {"jsonapi"}
        written["crawl"] = portal_config(portal, running.base_url)["crawl"]
        written["evidence"] = {"enabled": False}
        workspace.config.write_text(yaml.safe_dump(written, allow_unicode=True),
                                    encoding="utf-8")
        summary = workspace.crawl(portal.default_now, *(f"--unit={unit}" for unit in UNITS))
        assert summary["columns_failed"] == 0
        expected = {
            post.url(running.hosts): (post.title,
                                      post.claimed.isoformat() if post.date_source else None,
                                      post.date_source.value if post.date_source else None)
            for unit in UNITS for post in Truth(portal).posts(at=running.now, unit=unit)
        }
        assert workspace.live_posts() == expected
