"""`monitor discover URL`: draft the first config from the portal's own navigation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crawler.discover.run import DiscoverProgress
from crawler.discover.walk import DEFAULT_MAX_PAGES
from monitor.commands.console import err, print_json, warn
from monitor.commands.options import JsonOption, PortalOption, resolve
from monitor.i18n import N_, _
from monitor.services.discover import Discovery, discover_portal, start_url
from monitor.services.discover_draft import draft_data, draft_yaml

OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", metavar=N_("FILE"),
                 help=N_("Write the draft config here (default: print it)."),
                 show_default=False),
]
ExistingOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", show_default=False, metavar=N_("FILE"),
                 help=N_("An existing config: its columns are reported as known, new ones as "
                      "additions, and its crawl settings (delay, concurrency) are used.")),
]
AlsoOption = Annotated[
    list[str] | None,
    typer.Option("--also", metavar="URL",
                 help=N_("Another entry page on the same platform (e.g. the 信息公开 "
                         "directory on its own host); repeatable.")),
]
MaxPagesOption = Annotated[
    int, typer.Option("--max-pages", min=1, max=100_000, metavar=N_("NUMBER"),
                      help=N_("At most this many pages read.")),
]
IgnoreRobotsOption = Annotated[
    bool, typer.Option("--ignore-robots", help=N_("Do not obey the portal's robots.txt.")),
]


HELP = N_("Walk the portal's navigation and write a draft config of its units and "
   "columns.")


def discover(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help=N_("The portal's home page."), metavar="URL",
                                       show_default=False)],
    out_file: OutOption = None,
    config: ExistingOption = None,
    also: AlsoOption = None,
    max_pages: MaxPagesOption = DEFAULT_MAX_PAGES,
    ignore_robots: IgnoreRobotsOption = False,
    portal: PortalOption = None,
    json: JsonOption = False,
) -> None:
    application = resolve(ctx, config=config, portal=portal)
    existing = application.config if application.config_option is not None else None
    home, entries = start_url(url), tuple(start_url(entry) for entry in also or ())
    with DiscoverProgress(max_pages) as progress:
        discovery = discover_portal(home, existing, entries, max_pages, not ignore_robots,
                                    progress)
    text = draft_yaml(discovery, application.clock.today())
    if out_file is not None:
        out_file.write_text(text, encoding="utf-8")
    if json:
        print_json(draft_data(discovery))
    elif out_file is None:
        print(text, end="")  # as written: no markup, emoji codes or wrapping
    _summary(discovery, out_file)


def _summary(discovery: Discovery, out_file: Path | None) -> None:
    line = _("{pages} pages read: {units} units, {columns} columns").format(
        pages=discovery.pages_read, units=len(discovery.units), columns=len(discovery.columns))
    if discovery.compared:
        line += _(" ({known} known, {new} new, {missing} configured but not found)").format(
            known=len(discovery.known), new=len(discovery.additions),
            missing=len(discovery.missing))
    if discovery.unassigned:
        line += _("; {count} list pages without a unit (see the draft's end)").format(
            count=len(discovery.unassigned))
    err.print(line, markup=False)
    if discovery.budget_exhausted:
        warn(_("the page budget ran out before the walk ended (--max-pages)"))
    if out_file is not None:
        err.print(_("draft written to {file}; edit it, then: monitor --config {file} config "
                    "check").format(file=out_file), markup=False)
