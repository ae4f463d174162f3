"""Evidence of accusations (截图取证): what is kept for each accusing problem, how it is
described, and how long it is kept. Pure functions; the browser capture lives in
`crawler.capture`, the files and rows in `storage.evidence_store`, and the step that ties
them together after a crawl in `monitor.services.evidence`."""

from monitor.domain import ProblemType
from monitor.problem_types import accusing_types

# Problems that accuse a unit of something a visitor can see on a page: each one gets a
# screenshot. Which types these are is the problem-type catalogue's to say.
ACCUSING_TYPES: frozenset[ProblemType] = accusing_types()

__all__ = ["ACCUSING_TYPES"]
