"""One scheduler for many portals (SPEC §7): when each portal's crawl starts, and which
crawls must never run at the same time.

Many counties sit on one provincial platform: one host, or one address behind several
host names. Crawling two of them at once would double the load the platform sees, whatever
each portal's own `concurrency_per_host` says. So portals that share a host or a resolved
address form a group, and a group's crawls run one after another; different groups run
side by side. The crawls' start times are spread over a window after the crawl job's time
so that a night's work does not all begin at 02:00.

`crawl_offsets` and `politeness_groups` are plain decisions (tested on their own);
`portal_addresses` is the one look-up of the outside world (DNS) they are fed from.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from monitor.config import PortalConfig


def crawl_offsets(portals: Sequence[str], window_minutes: int) -> dict[str, int]:
    """Minutes after the crawl job's time at which each portal's crawl starts: the portals,
    in name order, spread evenly over the window (the first at once). Deterministic, so a
    restarted scheduler keeps each portal's time."""
    ordered = sorted(portals)
    if not ordered:
        return {}
    step = window_minutes / len(ordered)
    return {name: int(index * step) for index, name in enumerate(ordered)}


def politeness_groups(addresses: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Portals that share any address (a host name or an IP) are in one group, also
    through a chain (A shares a host with B, B an IP with C). Each group in name order, the
    groups by their first member."""
    parent = {name: name for name in addresses}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    owner: dict[str, str] = {}
    for name in sorted(addresses):
        for address in addresses[name]:
            other = owner.setdefault(address.lower(), name)
            first, second = sorted((root(other), root(name)))
            parent[second] = first
    groups: dict[str, list[str]] = {}
    for name in sorted(addresses):
        groups.setdefault(root(name), []).append(name)
    return sorted(groups.values(), key=lambda members: members[0])


def group_of(groups: list[list[str]]) -> dict[str, str]:
    """Each portal's group, named by the group's first member."""
    return {name: members[0] for members in groups for name in members}


def portal_hosts(config: PortalConfig) -> set[str]:
    """The hosts a portal's crawl reads: its home page's and its columns'."""
    urls = [str(config.site.url), *(str(column.url) for unit in config.units
                                    for column in unit.columns)]
    return {host for host in (urlsplit(url).hostname for url in urls) if host}


def portal_addresses(config: PortalConfig) -> set[str]:
    """The portal's hosts and the addresses they resolve to now. A name that does not
    resolve stands for itself (its portal is then grouped by name only)."""
    found = set(portal_hosts(config))
    for host in portal_hosts(config):
        try:
            answers = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            continue
        found.update(str(answer[4][0]) for answer in answers)
    return found
