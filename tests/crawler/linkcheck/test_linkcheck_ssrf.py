import pytest

from crawler.linkcheck.ssrf import (
    PRIVATE_TARGET,
    forbidden_address,
    is_site_origin,
    needs_lookup,
    refusal_for_addresses,
    target_refusal,
)

SITE = "http://127.0.0.1:8000/"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "224.0.0.1",
     "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:192.168.0.1", "100.64.0.1"],
)
def test_internal_addresses_are_forbidden(address: str) -> None:
    assert forbidden_address(address)


@pytest.mark.parametrize("address", ["114.114.114.114", "2400:3200::1"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert not forbidden_address(address)


def test_the_site_origin_is_allowed_on_its_port_only() -> None:
    assert is_site_origin("http://127.0.0.1:8000/a.html", SITE)
    assert not is_site_origin("http://127.0.0.1:9000/a.html", SITE)


def test_http_and_https_of_a_site_on_default_ports_are_one_site() -> None:
    assert is_site_origin("https://portal.lan/a", "http://portal.lan/")


def test_another_loopback_port_is_refused_unless_allowed() -> None:
    url = "http://127.0.0.1:9000/admin"
    assert refusal_for_addresses(url, SITE, False, ["127.0.0.1"]) == PRIVATE_TARGET
    assert refusal_for_addresses(url, SITE, True, ["127.0.0.1"]) is None


def test_a_name_resolving_to_any_private_address_is_refused() -> None:
    url = "http://intranet.example.gov.cn/"
    assert refusal_for_addresses(url, SITE, False, ["114.114.114.114", "10.0.0.5"]) == (
        PRIVATE_TARGET
    )


def test_ip_literals_are_checked_through_the_resolver() -> None:
    assert target_refusal("http://192.168.0.1/", SITE, False) == PRIVATE_TARGET
    assert target_refusal("http://127.0.0.1:8000/x", SITE, False) is None


def test_non_http_schemes_are_never_requested_even_when_private_targets_are_allowed() -> None:
    assert target_refusal("file:///etc/passwd", SITE, True) == "unsupported_scheme"


def test_a_name_that_does_not_resolve_is_let_through_to_fail_as_dns() -> None:
    def no_such_name(host: str, port: int) -> list[str]:
        import socket

        raise socket.gaierror("no such name")

    assert target_refusal("http://nx.invalid/", SITE, False, no_such_name) is None


@pytest.mark.parametrize(
    ("url", "allow_private", "expected"),
    [
        ("http://127.0.0.1:8000/a.html", False, False),  # the site itself
        ("http://127.0.0.1:9000/a.html", False, True),  # another service on its host
        ("http://www.gov.cn/", False, True),
        ("http://www.gov.cn/", True, False),  # nothing to refuse when private is allowed
        ("file:///etc/passwd", False, False),  # refused by its scheme alone
    ],
)
def test_only_targets_off_the_site_need_their_addresses_looked_up(
    url: str, allow_private: bool, expected: bool
) -> None:
    assert needs_lookup(url, SITE, allow_private) is expected


def test_the_site_origin_is_decided_without_resolving() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise AssertionError("resolved")

    assert target_refusal("http://127.0.0.1:8000/a.html", SITE, False, resolver) is None
