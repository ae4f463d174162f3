"""The link checker's value objects: what to check and what was found."""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.domain import LinkKind, LinkStatus


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """One link, image or attachment URL found on a page, as written there (absolute).

    `known_broken`: an earlier run already confirmed it broken. Its re-check is final
    after one try: the retries and the confirmation guard against accusing a working
    target on one bad answer, which was settled the night it was first found broken.
    """

    url: str
    kind: LinkKind
    known_broken: bool = False


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What one check of a target concluded.

    `reason` says why a target is not `ok` (e.g. 'http_404', 'soft404', 'timeout',
    'waf_challenge', 'private_target'); `redirect_chain` starts with the URL requested
    and lists every redirect target in order, so a report can show where a link led.
    """

    status: LinkStatus
    reason: str | None = None
    http_status: int | None = None
    final_url: str | None = None
    redirect_chain: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class LinkCheckResult:
    """The final verdict on one target in one run, as the spider yields it."""

    url: str
    kind: LinkKind
    status: LinkStatus
    reason: str | None
    http_status: int | None
    final_url: str | None
    redirect_chain: tuple[str, ...]
    attempts: int

    @classmethod
    def of(cls, target: LinkTarget, result: CheckResult, attempts: int) -> LinkCheckResult:
        return cls(
            url=target.url,
            kind=target.kind,
            status=result.status,
            reason=result.reason,
            http_status=result.http_status,
            final_url=result.final_url,
            redirect_chain=result.redirect_chain,
            attempts=attempts,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "url": self.url,
            "kind": str(self.kind),
            "status": str(self.status),
            "reason": self.reason,
            "http_status": self.http_status,
            "final_url": self.final_url,
            "redirect_chain": list(self.redirect_chain),
            "attempts": self.attempts,
        }
