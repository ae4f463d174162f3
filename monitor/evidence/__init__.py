"""Evidence of accusations (截图取证): what is kept for each accusing problem, how it is
described, and how long it is kept. Pure functions; the browser capture lives in
`crawler.capture`, the files and rows in `storage.evidence_store`, and the step that ties
them together after a crawl in `monitor.services.evidence`."""

from monitor.domain import ProblemType

# Problems that accuse a unit of something a visitor can see on a page: each one gets a
# screenshot. `blocked` accuses nobody; the others are about dates or the crawler itself.
ACCUSING_TYPES: frozenset[ProblemType] = frozenset({
    ProblemType.BROKEN_LINK,
    ProblemType.DEAD_IMAGE,
    ProblemType.BROKEN_ATTACHMENT,
    ProblemType.PRIVACY_LEAK,
    ProblemType.HIDDEN_LINK,
    ProblemType.OVERDUE_COLUMN,
    ProblemType.EMPTY_COLUMN,
})

__all__ = ["ACCUSING_TYPES"]
