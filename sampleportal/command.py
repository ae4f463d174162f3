"""`monitor sample-portal`: serve the bundled sample portal on 127.0.0.1."""

from __future__ import annotations

import threading
from pathlib import Path

import typer

from sampleportal.clock import parse_instant
from sampleportal.configfile import write_config
from sampleportal.generator import generate_portal
from sampleportal.server import CONTROL_CLOCK, serve_portal

HELP = "The bundled sample county portal (瑞河县), for demos, tests and benchmarks."
app = typer.Typer(help=HELP, no_args_is_help=True)


@app.callback()
def main() -> None:
    """The bundled sample county portal (瑞河县), for demos, tests and benchmarks."""


@app.command()
def serve(
    seed: int = typer.Option(1, help="Generator seed; the same seed gives the same portal."),
    port: int = typer.Option(8000, help="Port on 127.0.0.1 (0 picks a free one)."),
    now: str | None = typer.Option(
        None, help="Simulated now, ISO 8601 (default 2024-05-10T09:00+08:00)."
    ),
    large: bool = typer.Option(False, help="100 units × 10 columns × 100 posts, for benchmarks."),
    config_out: Path | None = typer.Option(None, "--config-out",
                                           help="Also write a portal config YAML here."),
) -> None:
    """Serve the sample portal until Ctrl-C and print its URL."""
    try:
        start = parse_instant(now) if now else None
    except ValueError:
        message = f"'{now}' is not an ISO 8601 instant"
        raise typer.BadParameter(message, param_hint="--now") from None
    portal = generate_portal(seed, large=large)
    running = serve_portal(portal, port=port, now=start)
    if config_out is not None:
        write_config(portal, running.base_url, config_out)
        typer.echo(f"config written to {config_out}", err=True)
    typer.echo(f"{running.base_url}/")
    typer.echo(f"simulated now {running.now.isoformat()}; set it with "
               f"POST {running.base_url}{CONTROL_CLOCK}?now=ISO; Ctrl-C stops", err=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
    finally:
        running.stop()
