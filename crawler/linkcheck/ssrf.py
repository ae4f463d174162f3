"""SSRF guard: a link on a public page must not make the monitor request addresses inside
the office network (SPEC §2 `crawl.allow_private_targets`).

The site's own origin is always allowed (a test or intranet portal may itself live on a
private address). Its port matters: another port on the same private address is another
service (a database console, a router page), which is what the guard exists for. For a
site on a default port, the other default port of the same host is allowed too
(http ↔ https of one site).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable

from crawler.linkcheck.urls import origin

PRIVATE_TARGET = "private_target"
UNSUPPORTED_SCHEME = "unsupported_scheme"

Resolver = Callable[[str, int], list[str]]


def forbidden_address(address: str) -> bool:
    """Loopback, private, link-local, multicast, unspecified, reserved or otherwise not
    globally routable (e.g. carrier-grade NAT), including the IPv4 address inside an
    IPv4-mapped IPv6 one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_unspecified
        or ip.is_reserved
        or not ip.is_global
    )


def is_site_origin(url: str, site_url: str) -> bool:
    scheme, host, port = origin(url)
    _, site_host, site_port = origin(site_url)
    if host != site_host:
        return False
    return port == site_port or {port, site_port} <= {80, 443}


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (an IP literal resolves to itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def refusal_for_addresses(
    url: str, site_url: str | None, allow_private: bool, addresses: Iterable[str]
) -> str | None:
    """Pure part of the guard: why `url`, resolving to `addresses`, may not be requested."""
    scheme, _, _ = origin(url)
    if scheme not in ("http", "https"):
        return UNSUPPORTED_SCHEME
    if allow_private or (site_url is not None and is_site_origin(url, site_url)):
        return None
    if any(forbidden_address(a) for a in addresses):
        return PRIVATE_TARGET
    return None


def needs_lookup(url: str, site_url: str | None, allow_private: bool) -> bool:
    """Whether deciding on `url` needs its addresses: not for another scheme, the site's
    own origin, or when private targets are allowed."""
    scheme, _, _ = origin(url)
    if scheme not in ("http", "https"):
        return False
    return not (allow_private or (site_url is not None and is_site_origin(url, site_url)))


def target_refusal(
    url: str, site_url: str | None, allow_private: bool, resolver: Resolver = resolve
) -> str | None:
    """None when `url` may be requested, else the reason ('private_target',
    'unsupported_scheme'). A name that does not resolve is allowed through: the request
    then fails as a DNS error, which is what the officer needs to read."""
    scheme, host, port = origin(url)
    if scheme not in ("http", "https"):
        return UNSUPPORTED_SCHEME
    if not needs_lookup(url, site_url, allow_private):
        return None
    try:
        addresses = resolver(host, port)
    except (socket.gaierror, UnicodeError):
        return None
    return refusal_for_addresses(url, site_url, allow_private, addresses)
