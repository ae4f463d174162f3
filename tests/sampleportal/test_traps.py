import socket
import threading

import httpx
import pytest

from monitor.domain import LinkKind, LinkStatus
from sampleportal.site import PNG
from sampleportal.traps import INVALID_ID, MOBILE, TRAPS_BY_KEY, VALID_ID, id_check_digit


def _url(running, key):
    return TRAPS_BY_KEY[key].url(running.hosts)


def test_missing_page_image_and_attachment_answer_404(running, client):
    for key in ("missing_page", "missing_image", "missing_attachment", "footer_broken"):
        assert client.get(_url(running, key)).status_code == 404, key


def test_image_that_is_html_and_zero_byte_image(running, client):
    html_image = client.get(_url(running, "html_image"))
    assert html_image.status_code == 200 and html_image.headers["content-type"].startswith(
        "text/html")
    empty = client.get(_url(running, "empty_image"))
    assert empty.status_code == 200 and empty.content == b""


def test_ordinary_post_images_are_real_pngs(running, truth, client):
    image = next(link for link in truth.links(running.hosts)
                 if link.kind is LinkKind.IMG and link.status is LinkStatus.OK)
    assert client.get(image.url).content == PNG


def test_head_answers_405_but_get_200(running, client):
    assert client.head(_url(running, "head_405")).status_code == 405
    assert client.get(_url(running, "head_405")).status_code == 200


def test_rate_limited_link_answers_429_with_retry_after_then_200(running, client):
    first = client.get(_url(running, "rate_limited"))
    assert first.status_code == 429 and first.headers["retry-after"] == "1"
    assert client.get(_url(running, "rate_limited")).status_code == 200


def test_redirect_chains_good_bad_and_loop(running, client):
    assert client.get(_url(running, "redirect_good"), follow_redirects=True).status_code == 200
    bad = client.get(_url(running, "redirect_bad"), follow_redirects=True)
    assert bad.status_code == 404 and len(bad.history) == 2
    with pytest.raises(httpx.TooManyRedirects):
        client.get(_url(running, "redirect_loop"), follow_redirects=True)


def test_soft_404_is_a_200_not_found_page(running, client):
    reply = client.get(_url(running, "soft_404"))
    assert reply.status_code == 200 and "页面不存在" in reply.text


def test_refused_port_refuses(running):
    port = int(running.hosts.refused.rsplit(":", 1)[1])
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


@pytest.mark.slow
def test_slow_link_answers_after_a_delay(running, client):
    with pytest.raises(httpx.ReadTimeout):
        client.get(_url(running, "slow"), timeout=0.3)
    assert client.get(_url(running, "slow"), timeout=5).status_code == 200


def test_waf_challenge_is_412_with_ts_script_on_the_external_host(running, client):
    reply = client.get(_url(running, "waf"))
    assert reply.status_code == 412 and "$_ts" in reply.text
    assert reply.url.host == "127.0.0.1" and running.hosts.external != running.hosts.site


def test_chinese_path_resolves_when_percent_encoded(running, client):
    assert client.get(_url(running, "chinese_path")).status_code == 200


def test_every_trap_is_carried_by_a_live_article(running, portal, truth, client):
    links = {link.url: link for link in truth.links(running.hosts)}
    for key, trap in TRAPS_BY_KEY.items():
        link = links[trap.url(running.hosts)]
        assert link.site_wide or link.sources, key
        assert link.status is trap.expected
    for key in ("javascript", "mailto", "tel", "fragment"):
        page = client.get(links[_url(running, key)].sources[0]).text
        assert f'href="{TRAPS_BY_KEY[key].href}"' in page


def test_footer_broken_link_is_on_every_page_once(running, truth, client):
    footer = [link for link in truth.links(running.hosts) if link.site_wide
              and link.status is LinkStatus.BROKEN]
    assert len(footer) == 1
    page = client.get(truth.posts(running.now)[0].url(running.hosts)).text
    assert page.count('href="/jiucuo/index.html"') == 1


def test_privacy_leak_page_shows_valid_id_and_mobile_and_an_invalid_id(running, truth, client):
    assert id_check_digit(VALID_ID[:17]) == VALID_ID[17]
    assert id_check_digit(INVALID_ID[:17]) != INVALID_ID[17]
    leaks = truth.privacy_leaks(running.hosts)
    assert {leak.value for leak in leaks} == {VALID_ID, MOBILE}
    page = client.get(leaks[0].page).text
    assert VALID_ID in page and MOBILE in page and INVALID_ID in page


def test_hidden_offsite_link_sits_in_a_display_none_block(running, truth, client):
    (hidden,) = truth.hidden_links(running.hosts)
    assert hidden.url.startswith(running.hosts.external)
    page = client.get(hidden.sources[0]).text
    assert f'<div style="display:none"><a href="{hidden.url}"' in page


def test_no_trap_points_outside_loopback(running, truth):
    for link in truth.links(running.hosts):
        assert link.url.startswith(("http://127.0.0.1:", "javascript:", "mailto:", "tel:", "#"))


@pytest.mark.slow
def test_slow_trap_does_not_block_other_requests(running, client):
    # A stalled answer must not hold the threaded server for everyone else.
    done = threading.Event()

    def fetch_slow() -> None:
        with httpx.Client(timeout=5, trust_env=False) as other:
            other.get(_url(running, "slow"))
        done.set()

    slow = threading.Thread(target=fetch_slow)
    slow.start()
    while running.log.count(TRAPS_BY_KEY["slow"].href) == 0:
        done.wait(0.01)
    assert client.get(running.url("/")).status_code == 200
    assert not done.is_set()
    slow.join()
