"""The per-host limit counts the host, not the port: targets on six ports of 127.0.0.1
are checked with never more than `concurrency_per_host` connections open to it, idle
keep-alive connections included, as the server itself counts them."""

from __future__ import annotations

from contextlib import ExitStack

from crawler.linkcheck.checker import CheckerSettings, check_links
from monitor.crawlfacts.links import LinkCheckResult, LinkTarget
from monitor.domain import LinkKind
from sampleportal import RequestLog, serve_portal


def test_targets_on_six_ports_of_one_host_share_its_connection_limit(sample_portal) -> None:
    host = RequestLog()
    with ExitStack() as stack:
        # Three portals on one host, each on a port of its own and with an "external"
        # port beside it: six ports, one server counting its connections over all of them.
        servers = [stack.enter_context(serve_portal(sample_portal, latency_seconds=0.02,
                                                    host_log=host)) for _ in range(3)]
        targets = [LinkTarget(f"{origin}/index.html?n={n}", LinkKind.A)
                   for running in servers
                   for origin in (running.hosts.site, running.hosts.external)
                   for n in range(5)]
        seen: list[LinkCheckResult] = []
        settings = CheckerSettings(site_url=servers[0].base_url + "/", allow_private=True,
                                   concurrency_per_host=2, timeout_seconds=10)
        check_links(targets, settings, seen.append)
        asked = sum(running.log.total + running.external_log.total for running in servers)
    assert sorted(result.url for result in seen) == sorted(t.url for t in targets)
    assert {result.http_status for result in seen} == {200}
    assert asked == len(targets)
    assert host.max_concurrent_requests == 2
    assert host.max_concurrent_connections == 2
