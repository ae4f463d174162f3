"""End-to-end: the link checker against the trap server, in a subprocess."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

# One run of the spider over every trap, shared by the module, takes several seconds.
pytestmark = pytest.mark.slow

Results = dict[tuple[str, str], dict[str, Any]]

SITE_TRAPS: list[tuple[str, str]] = [
    ("/ok.html", "a"),
    ("/missing.html", "a"),
    ("/img/ok.png", "img"),
    ("/img/missing.png", "img"),
    ("/img/html.jpg", "img"),
    ("/img/empty.gif", "img"),
    ("/files/ok.pdf", "attachment"),
    ("/files/missing.pdf", "attachment"),
    ("/files/head405.doc", "attachment"),
    ("/rate-limited.html", "a"),
    ("/flaky.html", "a"),
    ("/redirect/good", "a"),
    ("/redirect/loop-a", "a"),
    ("/redirect/hops/10/0", "a"),
    ("/redirect/hops/11/0", "a"),
    ("/soft404.html", "a"),
    ("/slow.html", "a"),
    ("/waf.html", "a"),
    ("/dedupe.html", "a"),
    ("/dedupe.html#section-2", "a"),
    ("/dedupe.html", "img"),
]
IGNORED = ["javascript:void(0)", "mailto:gkb@example.gov.cn", "tel:0797-1234567", "#top"]


@pytest.fixture(scope="module")
def results(
    site, other_service, check, chinese_path, tmp_path_factory: pytest.TempPathFactory
) -> Results:
    targets = [(site.url + path, kind) for path, kind in SITE_TRAPS]
    targets.append((site.url + chinese_path[0], "a"))
    targets += [(url, "a") for url in IGNORED]
    targets.append((other_service.url + "/secret.html", "a"))
    targets.append((site.url + "/redirect/to?u=" + quote(other_service.url + "/hidden.html"), "a"))
    return check(tmp_path_factory.mktemp("check"), targets, site.url + "/")


def verdict(results: Results, site, path: str, kind: str = "a") -> dict:
    return results[(site.url + path, kind)]


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/ok.html", "a"), ("/img/ok.png", "img"), ("/files/ok.pdf", "attachment")],
)
def test_live_targets_are_ok_after_one_try(
    results: Results, site, path: str, kind: str
) -> None:
    row = verdict(results, site, path, kind)
    assert (row["status"], row["reason"], row["attempts"]) == ("ok", None, 1)


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/missing.html", "a"), ("/img/missing.png", "img"), ("/files/missing.pdf", "attachment")],
)
def test_missing_targets_are_broken_with_the_http_status(
    results: Results, site, path: str, kind: str
) -> None:
    row = verdict(results, site, path, kind)
    assert (row["status"], row["reason"], row["http_status"]) == ("broken", "http_404", 404)


def test_a_broken_target_is_confirmed_by_a_second_get_before_it_is_reported(
    results: Results, site
) -> None:
    assert verdict(results, site, "/missing.html")["attempts"] >= 2
    assert len(site.log.of("/missing.html", "GET")) >= 2


def test_an_image_url_answering_html_is_not_an_image(results: Results, site) -> None:
    row = verdict(results, site, "/img/html.jpg", "img")
    assert (row["status"], row["reason"]) == ("broken", "not_image")


def test_a_zero_byte_image_is_empty(results: Results, site) -> None:
    row = verdict(results, site, "/img/empty.gif", "img")
    assert (row["status"], row["reason"]) == ("broken", "empty")


def test_attachments_are_asked_with_head_and_a_405_head_is_confirmed_with_get(
    results: Results, site
) -> None:
    assert verdict(results, site, "/files/head405.doc", "attachment")["status"] == "ok"
    assert [s.method for s in site.log.of("/files/head405.doc")] == ["HEAD", "GET"]
    assert [s.method for s in site.log.of("/files/ok.pdf")] == ["HEAD"]


def test_retry_after_is_waited_for_before_asking_again(results: Results, site) -> None:
    assert verdict(results, site, "/rate-limited.html")["status"] == "ok"
    first, second = site.log.of("/rate-limited.html")[:2]
    assert second.at - first.at >= 1.0


def test_a_server_error_that_recovers_is_ok(results: Results, site) -> None:
    row = verdict(results, site, "/flaky.html")
    assert (row["status"], row["http_status"]) == ("ok", 200)
    assert row["attempts"] >= 2


def test_a_good_redirect_chain_is_ok_and_recorded(results: Results, site) -> None:
    row = verdict(results, site, "/redirect/good")
    assert row["status"] == "ok"
    assert row["redirect_chain"] == [
        site.url + "/redirect/good",
        site.url + "/redirect/good2",
        site.url + "/ok.html",
    ]
    assert row["final_url"] == site.url + "/ok.html"


def test_a_redirect_loop_is_broken(results: Results, site) -> None:
    row = verdict(results, site, "/redirect/loop-a")
    assert (row["status"], row["reason"]) == ("broken", "redirect_loop")
    assert row["redirect_chain"][:3] == [
        site.url + "/redirect/loop-a",
        site.url + "/redirect/loop-b",
        site.url + "/redirect/loop-a",
    ]


def test_ten_redirects_are_followed_and_eleven_are_too_many(
    results: Results, site
) -> None:
    assert verdict(results, site, "/redirect/hops/10/0")["status"] == "ok"
    row = verdict(results, site, "/redirect/hops/11/0")
    assert (row["status"], row["reason"]) == ("broken", "too_many_redirects")
    assert len(row["redirect_chain"]) == 11


def test_a_200_not_found_page_is_a_soft_404(results: Results, site) -> None:
    row = verdict(results, site, "/soft404.html")
    assert (row["status"], row["reason"], row["http_status"]) == ("broken", "soft404", 200)


def test_a_slow_target_times_out_after_its_retries(results: Results, site) -> None:
    row = verdict(results, site, "/slow.html")
    assert (row["status"], row["reason"], row["attempts"]) == ("broken", "timeout", 3)


def test_a_waf_challenge_is_blocked_not_broken(results: Results, site) -> None:
    row = verdict(results, site, "/waf.html")
    assert (row["status"], row["reason"], row["http_status"]) == ("blocked", "waf_challenge", 412)


def test_chinese_paths_and_spaces_are_sent_as_utf8_percent_encoding(
    results: Results, site, chinese_path: tuple[str, str]
) -> None:
    raw, encoded = chinese_path
    assert verdict(results, site, raw)["status"] == "ok"
    assert len(site.log.of(encoded)) == 1


def test_each_distinct_target_is_requested_once_and_every_spelling_gets_a_result(
    results: Results, site
) -> None:
    assert verdict(results, site, "/dedupe.html")["status"] == "ok"
    assert verdict(results, site, "/dedupe.html#section-2")["status"] == "ok"
    # The same URL as an image is another check (and not an image).
    assert verdict(results, site, "/dedupe.html", "img")["reason"] == "not_image"
    assert len(site.log.of("/dedupe.html")) == 1 + 2


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:void(0)", "javascript"),
        ("mailto:gkb@example.gov.cn", "mailto"),
        ("tel:0797-1234567", "tel"),
        ("#top", "fragment"),
    ],
)
def test_ignored_schemes_are_unchecked(results: Results, url: str, reason: str) -> None:
    row = results[(url, "a")]
    assert (row["status"], row["reason"], row["attempts"]) == ("unchecked", reason, 0)


def test_another_loopback_service_is_not_requested(
    results: Results, other_service
) -> None:
    row = results[(other_service.url + "/secret.html", "a")]
    assert (row["status"], row["reason"]) == ("unchecked", "private_target")
    assert other_service.log.of("/secret.html") == []


def test_a_redirect_into_a_private_service_is_not_followed(
    results: Results, site, other_service
) -> None:
    path = "/redirect/to?u=" + quote(other_service.url + "/hidden.html")
    row = verdict(results, site, path)
    assert (row["status"], row["reason"]) == ("unchecked", "private_target")
    assert row["redirect_chain"][-1] == other_service.url + "/hidden.html"
    assert other_service.log.of("/hidden.html") == []


def test_private_targets_are_checked_when_allowed(
    site, other_service, check, closed_port_url: str, tmp_path: Path
) -> None:
    secret = other_service.url + "/secret.html"
    results = check(
        tmp_path, [(secret, "a"), (closed_port_url, "a")], site.url + "/", "--allow-private"
    )
    assert results[(secret, "a")]["status"] == "ok"
    refused = results[(closed_port_url, "a")]
    assert (refused["status"], refused["reason"]) == ("broken", "refused")


def test_external_targets_are_unchecked_when_config_says_so(
    site, check, tmp_path: Path
) -> None:
    external = "http://portal.example.invalid/page.html"
    results = check(
        tmp_path, [(external, "a"), (site.url + "/ok.html", "a")], site.url + "/", "--no-external"
    )
    assert results[(external, "a")]["reason"] == "external_not_checked"
    assert results[(site.url + "/ok.html", "a")]["status"] == "ok"
