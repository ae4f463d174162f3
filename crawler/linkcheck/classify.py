"""What one answer (or failure) means for a link, image or attachment (SPEC §4.5).

Order matters: a challenge page stands in front of the document, so it is recognised
before the status or the body is judged; a body is judged only on a 2xx answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from crawler.linkcheck.images import looks_like_image
from crawler.linkcheck.pagetext import is_html, read_page
from crawler.linkcheck.soft404 import is_soft_404
from crawler.linkcheck.waf import is_waf_challenge
from monitor.crawlfacts.links import CheckResult
from monitor.domain import LinkKind, LinkStatus

# Answers that mean "not for you" rather than "not there": unverifiable, never broken.
BLOCKING_STATUSES = frozenset({401, 403, 407, 412, 429})


def classify(
    kind: LinkKind,
    status: int | None,
    headers: Mapping[str, str],
    body_prefix: bytes | None,
    final_url: str | None,
    chain: tuple[str, ...],
    error: str | None,
    soft404_patterns: Iterable[str] = (),
) -> CheckResult:
    """`headers` has lower-case names. `body_prefix` is None when no body was asked for
    (HEAD); otherwise it is the body, or its first bytes when the download was stopped
    early. `error` is a reason from `errors.error_reason` when no answer came."""

    def result(state: LinkStatus, reason: str | None) -> CheckResult:
        return CheckResult(state, reason, status, final_url, chain)

    if error is not None or status is None:
        return result(LinkStatus.BROKEN, error or "network")
    body = body_prefix or b""
    if is_waf_challenge(status, headers, body):
        return result(LinkStatus.BLOCKED, "waf_challenge")
    if status in BLOCKING_STATUSES:
        return result(LinkStatus.BLOCKED, f"http_{status}")
    if not 200 <= status < 300:
        return result(LinkStatus.BROKEN, f"http_{status}")
    if body_prefix is None:
        return result(LinkStatus.OK, None)
    reason = body_problem(kind, headers.get("content-type", ""), body, soft404_patterns)
    return result(LinkStatus.BROKEN if reason else LinkStatus.OK, reason)


def body_problem(
    kind: LinkKind, content_type: str, body: bytes, soft404_patterns: Iterable[str]
) -> str | None:
    """Why a 2xx body is not the document the link promises, or None."""
    if kind is LinkKind.A:
        not_found = is_html(content_type, body) and is_soft_404(
            read_page(content_type, body), soft404_patterns
        )
        return "soft404" if not_found else None
    if not body:
        return "empty"
    if is_html(content_type, body) and is_soft_404(
        read_page(content_type, body), soft404_patterns
    ):
        return "soft404"
    if kind is LinkKind.IMG and not looks_like_image(content_type, body):
        return "not_image"
    return None
