"""The product's vocabulary: the closed sets of values that config, storage, rules,
crawler and reports all speak (SPEC §2, §4).

They are `StrEnum`s so that they compare equal to the strings in YAML, JSON and the
database, and so that `Category("dynamics")` rejects anything else.
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """Column categories (SPEC §4.1). Only `dynamics` counts as 动态信息."""

    DYNAMICS = "dynamics"
    NOTICE = "notice"
    POLICY = "policy"
    GUIDE = "guide"
    DUTIES = "duties"
    REPORT = "report"
    DISCLOSURE = "disclosure"

    @property
    def is_dynamics(self) -> bool:
        return self is Category.DYNAMICS


class Cycle(StrEnum):
    """How often a column must be updated (SPEC §2, §4.4)."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    NONE = "none"


class Render(StrEnum):
    """Whether a column's list is in its HTML or needs a browser."""

    STATIC = "static"
    BROWSER = "browser"


class ListStyle(StrEnum):
    """How a column's list is served, one per module of `crawler.liststyles`.

    The config's `list.style` names one to pin it. On a column without one the crawler
    tries them in this order, the first whose page matches reading it; `static` reads any
    page, so it comes last.
    """

    HANWEB = "hanweb"  # the list comes from Hanweb's dataproxy.jsp
    JSONAPI = "jsonapi"  # a script fetches the list as JSON from an /api/ endpoint
    SCRIPTED = "scripted"  # a script draws the list: read in the browser
    TRS = "trs"  # static pages with a TRS createPageHTML pager
    STATIC = "static"  # the list is in the page's HTML


class DateSource(StrEnum):
    """Where a post's date was read (SPEC §4.2), in order of preference."""

    LIST = "list"
    META = "meta"
    VISIBLE = "visible"


class TitleSource(StrEnum):
    """Where a post's title was read: the list, or, when the list shows it cut (…, or a
    beginning of the article's title), the article page's ArticleTitle meta, <h1> or
    <title>."""

    LIST = "list"
    META = "meta"
    H1 = "h1"
    TITLE = "title"


class LinkKind(StrEnum):
    A = "a"
    IMG = "img"
    ATTACHMENT = "attachment"


class LinkStatus(StrEnum):
    """Result of checking one link target (SPEC §4.5). `pending`: not checked yet."""

    PENDING = "pending"
    OK = "ok"
    BROKEN = "broken"
    BLOCKED = "blocked"
    UNCHECKED = "unchecked"


class CrawlOutcome(StrEnum):
    """How reading one column went in one crawl run: read (`ok`), failed (the others,
    with a reason) or `not_reached` (the run stopped before it got there)."""

    OK = "ok"
    UNREACHABLE = "unreachable"
    BLOCKED = "blocked"
    # The crawler itself failed on the column (an error in reading its pages).
    ERROR = "error"
    # The portal did not answer the run at all (SPEC §4.5): nothing said of this column.
    SITE_UNREACHABLE = "site_unreachable"
    NOT_REACHED = "not_reached"

    @property
    def column_at_fault(self) -> bool:
        """Whether the column itself answered badly (an `unreachable_column` problem), as
        opposed to the crawler or the whole portal failing that run."""
        return self in (CrawlOutcome.UNREACHABLE, CrawlOutcome.BLOCKED)


class RunStatus(StrEnum):
    """How a crawl run ended. `interrupted`: stopped by a signal, or found still
    `running` by the next crawl (its process was killed)."""

    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class ColumnStatus(StrEnum):
    """A column's status at an as-of date (SPEC §4.4)."""

    OK = "ok"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    EMPTY = "empty"
    UNREACHABLE = "unreachable"


class ProblemType(StrEnum):
    """Every kind of finding (SPEC §4.7)."""

    OVERDUE_COLUMN = "overdue_column"
    DUE_SOON_COLUMN = "due_soon_column"
    EMPTY_COLUMN = "empty_column"
    STALE_NATIONAL = "stale_national"
    BROKEN_LINK = "broken_link"
    DEAD_IMAGE = "dead_image"
    BROKEN_ATTACHMENT = "broken_attachment"
    BLOCKED = "blocked"
    UNREACHABLE_COLUMN = "unreachable_column"
    UNDATED_POST = "undated_post"
    BACKDATED_POST = "backdated_post"
    PRIVACY_LEAK = "privacy_leak"
    HIDDEN_LINK = "hidden_link"
    WRONG_EXPRESSION = "wrong_expression"
    SITE_UNREACHABLE = "site_unreachable"
    NATIONAL_WARNING = "national_warning"


class ProblemState(StrEnum):
    OPEN = "open"
    FIXED = "fixed"
    IGNORED = "ignored"


class EvidenceStatus(StrEnum):
    """What one attempt at a problem's evidence (截图取证) left."""

    CAPTURED = "captured"
    FAILED = "failed"
    # Nothing could be captured on this machine (no browser, no CJK font): recorded as the
    # reason for 无截图, but not counted as an attempt, so the capture runs once it is fixed.
    UNAVAILABLE = "unavailable"
    # Deleted by the retention rules.
    EXPIRED = "expired"


class Role(StrEnum):
    """Who a dashboard user is (SPEC §8): `office` sees and acts on everything; `unit`
    sees its own unit only."""

    OFFICE = "office"
    UNIT = "unit"


# Values of the columns in `units[].group` that the reports treat specially (SPEC §2):
# the group is free text, but these two are the ones seed 004 tabulates as 附件1 and 附件2.
GROUP_COUNTY_DEPARTMENTS = "县直单位"
GROUP_TOWNSHIPS = "乡镇"
