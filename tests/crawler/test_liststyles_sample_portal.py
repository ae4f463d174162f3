"""Every list style reads the sample portal's flavour of it exactly: `monitor crawl` on a
portal whose every column is served in one CMS list style, its posts and dates compared
with the portal's truth, once with the style detected and once pinned by `list.style`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from monitor.domain import ListStyle
from sampleportal import Truth, generate_portal, serve_portal
from sampleportal.model import ListStyle as PortalStyle

pytestmark = [pytest.mark.slow]

# Each crawler style and the sample-portal flavours served in it.
FLAVOURS = [
    (ListStyle.HANWEB, PortalStyle.HANWEB),
    (ListStyle.JSONAPI, PortalStyle.JSONAPI),
    pytest.param(ListStyle.SCRIPTED, PortalStyle.JSLIST, marks=pytest.mark.browser),
    (ListStyle.TRS, PortalStyle.TRS),
    (ListStyle.STATIC, PortalStyle.TABLE),
    (ListStyle.STATIC, PortalStyle.LEGACY),
]
# A diligent unit (short list dates, withdrawn posts) and one with an undated list, a
# column never published and an empty one.
UNITS = ("县水利局", "云岭乡")


def test_every_style_has_a_flavour_of_the_sample_portal() -> None:
    covered = {getattr(flavour, "values", flavour)[0] for flavour in FLAVOURS}
    assert covered == set(ListStyle)


def _pin(config: Path, style: ListStyle) -> None:
    document = yaml.safe_load(config.read_text(encoding="utf-8"))
    for unit in document["units"]:
        for column in unit["columns"]:
            column["list"] = {"style": style.value}
    config.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")


def _expected(truth: Truth, running) -> dict[str, tuple]:
    return {
        post.url(running.hosts): (post.title,
                                  post.claimed.isoformat() if post.date_source else None,
                                  post.date_source.value if post.date_source else None)
        for unit in UNITS for post in truth.posts(at=running.now, unit=unit)
    }


@pytest.mark.parametrize(("style", "flavour"), FLAVOURS)
def test_each_style_reads_its_flavour_of_the_sample_portal_exactly(
    style: ListStyle, flavour: PortalStyle, tmp_path: Path, crawl_workspace
) -> None:
    portal = generate_portal(1, style=flavour)
    truth = Truth(portal)
    requests = {}
    with serve_portal(portal) as running:
        for how in ("detected", "pinned"):
            directory = tmp_path / how
            directory.mkdir()
            workspace = crawl_workspace(running, directory, evidence=False)
            if how == "pinned":
                _pin(workspace.config, style)
            running.log.reset()
            summary = workspace.crawl(portal.default_now, *(f"--unit={u}" for u in UNITS))
            requests[how] = running.log.total
            assert summary["columns_failed"] == 0, how
            assert workspace.live_posts() == _expected(truth, running), how
    # Pinning spares detection nothing it would not do anyway: the same requests.
    assert requests["pinned"] == requests["detected"]
