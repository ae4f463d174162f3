"""Content checks on one article (错敏字, 隐私泄露, 暗链): pure functions over its title, text
and HTML (the page's text or the crawler's parsed lxml document root). `check_article`
gathers them as findings the problem tracker can store (SPEC §4.7: privacy_leak,
hidden_link, wrong_expression)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from lxml.html import HtmlElement

from monitor.content.expressions import (
    ExpressionDictionary,
    ExpressionFinding,
    find_expressions,
)
from monitor.content.hidden import HiddenLinkFinding, find_hidden_links
from monitor.content.privacy import PrivacyFinding, find_privacy_leaks
from monitor.domain import ProblemType
from monitor.problem_details import detail_text, encode

Where = Literal["title", "text", "html"]

@dataclass(frozen=True)
class ContentFinding:
    """One problem found in an article.

    `key` identifies the problem on its page across crawls (for de-duplication); `target` is
    what the report shows as the problem's target; `facts` what was found, worded when it is
    read (monitor/problem_details.py). No field ever carries a personal number in full.
    """

    problem_type: ProblemType
    key: str
    target: str
    facts: dict[str, object]
    where: Where
    occurrences: int = 1

    def detail_facts(self) -> dict[str, object]:
        """The facts a problem's detail keeps, with how often the finding occurred."""
        if self.occurrences > 1:
            return {**self.facts, "occurrences": self.occurrences}
        return dict(self.facts)

    @property
    def detail(self) -> str:
        """The finding as a person reads it, in the active language."""
        return detail_text(self.problem_type, encode(self.detail_facts()))


def check_article(
    title: str,
    text: str,
    html: str | HtmlElement,
    page_url: str,
    site_hosts: Collection[str],
    dictionary: ExpressionDictionary,
    published: date | None = None,
) -> list[ContentFinding]:
    """Privacy leaks and wrong expressions in the title and text, hidden links in the HTML;
    one finding per key, counting how often it occurred. With the post's `published` date,
    expression rules that took effect later are not applied.

    `html` is the page's HTML text ("" when there is none) or its parsed document root
    (`lxml.html`), which the crawler already has; a parsed tree is only read.
    """
    findings: list[ContentFinding] = []
    texts: tuple[tuple[Where, str], ...] = (("title", title), ("text", text))
    for where, body in texts:
        findings += _privacy_findings(find_privacy_leaks(body), where)
    # Not `if html`: the truth of an lxml element is its number of children.
    if not isinstance(html, str) or html:
        findings += [_hidden_finding(f) for f in find_hidden_links(html, page_url, site_hosts)]
    for where, body in texts:
        expressions = find_expressions(body, dictionary, published)
        findings += [_expression_finding(f, where) for f in expressions]
    return _merge_same_key(findings)


def _privacy_findings(leaks: Iterable[PrivacyFinding], where: Where) -> list[ContentFinding]:
    findings = []
    for leak in leaks:
        findings.append(ContentFinding(
            problem_type=ProblemType.PRIVACY_LEAK,
            key=f"{ProblemType.PRIVACY_LEAK}:{leak.kind}:{leak.masked}",
            target=leak.masked,
            facts={"where": where, "kind": leak.kind, "masked": leak.masked,
                   "context": leak.context},
            where=where,
        ))
    return findings


def _hidden_finding(finding: HiddenLinkFinding) -> ContentFinding:
    return ContentFinding(
        problem_type=ProblemType.HIDDEN_LINK,
        key=f"{ProblemType.HIDDEN_LINK}:{finding.target}",
        target=finding.target,
        facts={"target": finding.target, "text": finding.text,
               "hiding": finding.hiding.facts()},
        where="html",
    )


def _expression_finding(finding: ExpressionFinding, where: Where) -> ContentFinding:
    return ContentFinding(
        problem_type=ProblemType.WRONG_EXPRESSION,
        key=f"{ProblemType.WRONG_EXPRESSION}:{finding.wrong}",
        target=finding.wrong,
        facts={"where": where, "wrong": finding.wrong, "right": finding.right,
               "category": finding.category, "sentence": finding.sentence},
        where=where,
    )


def _merge_same_key(findings: list[ContentFinding]) -> list[ContentFinding]:
    """Keep the first finding per key. Two different numbers can share a masked form
    (36**************12), but the same number repeated gives the same key; since the key
    must not hold the number, same-mask numbers on one page are reported as one problem
    with their count."""
    merged: dict[str, ContentFinding] = {}
    for finding in findings:
        first = merged.get(finding.key)
        merged[finding.key] = (
            finding if first is None else replace(first, occurrences=first.occurrences + 1)
        )
    return list(merged.values())


__all__ = [
    "ContentFinding",
    "ExpressionDictionary",
    "check_article",
    "find_expressions",
    "find_hidden_links",
    "find_privacy_leaks",
]
