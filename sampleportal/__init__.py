"""The bundled sample county portal (fictional 瑞河县), for the demo, tests and benchmarks.

It looks like a real county portal, traps included: five CMS list styles (TRS static
pages, Hanweb dataproxy XML, a JavaScript list, a table with ?page=N, a legacy GBK site),
gov meta tags, dates in the list or only in the article or nowhere, broken and tricky
link targets, privacy leaks and a hidden link. A sixth list style, a list served as JSON
by /api/columns/<id>/articles, is served by a flavour of the portal whose every column
uses it (`generate_portal(style=...)`; any style can be a flavour). A simulated clock
decides which posts are visible, so nights can be replayed and back-dating caught.

API:
- `generate_portal(seed=1, large=False, style=None) -> Portal` — deterministic content for
  a seed; `style` serves every column of the portal (default or large) in one list style.
- `serve_portal(portal, port=0, now=None, external_port=0) -> RunningPortal` — serve it on
  127.0.0.1 in background threads. `RunningPortal` is a context manager with `.base_url`,
  `.hosts` (site / external / refused bases), `.url(path)`, `.now`, `.set_now(dt)`,
  `.log` (a `RequestLog`: `count(path, method)`, `total`, `max_concurrent_connections`),
  `.host_log` (connections and requests over all its ports; `serve_portal(...,
  host_log=shared)` counts several portals on one host together) and `.stop()`.
  HTTP control: `POST /__control__/clock?now=ISO`, `GET /__control__/clock`,
  `GET /__control__/log`.
- `Truth(portal)` — the correct answers: `posts(at)`, `weekly_misses(unit, first, last, at)`,
  `column_statuses(at)`, `figures(first, last, at)`, `links(hosts)`, `privacy_leaks(hosts)`,
  `hidden_links(hosts)`; written from SPEC §4, independent of the product's rules.
- `config_yaml(portal, base_url)` / `write_config(portal, base_url, path)` — a SPEC §2
  config pointing the product at a running portal.
- `sampleportal.command.app` — the Typer app with `serve [--seed] [--port] [--now] [--large]`.
"""

from sampleportal.configfile import config_yaml, portal_config, write_config
from sampleportal.generator import DEFAULT_NOW, generate_portal
from sampleportal.model import Hosts, Portal
from sampleportal.server import RequestLog, RunningPortal, serve_portal
from sampleportal.truth import Truth

__all__ = [
    "DEFAULT_NOW",
    "Hosts",
    "Portal",
    "RequestLog",
    "RunningPortal",
    "Truth",
    "config_yaml",
    "generate_portal",
    "portal_config",
    "serve_portal",
    "write_config",
]
