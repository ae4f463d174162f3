"""`monitor sample-portal`: serve the bundled sample portal on 127.0.0.1."""

from __future__ import annotations

import threading
from pathlib import Path

import typer

from monitor.i18n import N_, _
from sampleportal.clock import parse_instant
from sampleportal.configfile import write_config
from sampleportal.generator import generate_portal
from sampleportal.model import ListStyle
from sampleportal.server import CONTROL_CLOCK, serve_portal

# Help texts are msgids: `monitor.commands.language.localise` translates them.
HELP = N_("The bundled sample county portal (瑞河县), for demos, tests and benchmarks.")
app = typer.Typer(help=HELP, no_args_is_help=True)


@app.callback()
def main() -> None:
    # A group even with one command: `serve` is named on the command line.
    pass


@app.command(help=N_("Serve the sample portal until Ctrl-C and print its URL."))
def serve(
    seed: int = typer.Option(1, metavar=N_("NUMBER"),
                             help=N_("Generator seed; the same seed gives the same portal.")),
    port: int = typer.Option(8000, metavar=N_("PORT"),
                             help=N_("Port on 127.0.0.1 (0 picks a free one).")),
    now: str | None = typer.Option(
        None, metavar=N_("TIME"),
        help=N_("Simulated now, ISO 8601 (default 2024-05-10T09:00+08:00).")
    ),
    large: bool = typer.Option(False,
                               help=N_("100 units × 10 columns × 100 posts, for benchmarks.")),
    style: ListStyle | None = typer.Option(
        None, help=N_("Serve every column in this CMS list style (a flavour of the portal).")),
    config_out: Path | None = typer.Option(None, "--config-out", metavar=N_("FILE"),
                                           help=N_("Also write a portal config YAML here.")),
) -> None:
    try:
        start = parse_instant(now) if now else None
    except ValueError:
        message = _("'{now}' is not an ISO 8601 instant").format(now=now)
        raise typer.BadParameter(message, param_hint="--now") from None
    portal = generate_portal(seed, large=large, style=style)
    running = serve_portal(portal, port=port, now=start)
    if config_out is not None:
        write_config(portal, running.base_url, config_out)
        typer.echo(_("config written to {file}").format(file=config_out), err=True)
    typer.echo(f"{running.base_url}/")
    typer.echo(_("simulated now {now}; set it with POST {url}?now=ISO; Ctrl-C stops").format(
        now=running.now.isoformat(), url=f"{running.base_url}{CONTROL_CLOCK}"), err=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        typer.echo(_("stopped"), err=True)
    finally:
        running.stop()
