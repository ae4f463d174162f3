"""Following redirects deliberately (the checker sees every 3xx itself, so that the chain
is recorded and a loop is told apart from a long chain)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from crawler.linkcheck.urls import request_url

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10


@dataclass(frozen=True, slots=True)
class RedirectStep:
    """Either `next_url` to request, or the `reason` the chain ends as broken."""

    next_url: str | None
    reason: str | None


def follow(chain: tuple[str, ...], location: str | None) -> RedirectStep:
    """`chain` holds the URLs requested so far, the redirecting one last.

    A loop is a hop taken twice (A→B after A→B): a page that redirects to a cookie
    setter and back (A→B→A) is legitimate and ends once the cookie is set.
    """
    if not location or not location.strip():
        return RedirectStep(None, "redirect_without_location")
    next_url = request_url(urljoin(chain[-1], location.strip()))
    hops = set(zip(chain, chain[1:], strict=False))
    if (chain[-1], next_url) in hops:
        return RedirectStep(None, "redirect_loop")
    if len(chain) > MAX_REDIRECTS:
        return RedirectStep(None, "too_many_redirects")
    return RedirectStep(next_url, None)


def method_after_redirect(status: int, method: str) -> str:
    """Browsers turn a 303 (and, for POST, 301/302) into GET; HEAD stays HEAD."""
    if status == 303 and method != "HEAD":
        return "GET"
    return method
