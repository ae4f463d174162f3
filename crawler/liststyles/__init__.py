"""The list styles: how a column's posts are read, one module per style.

The registry holds one `Style` for each name of `monitor.domain.ListStyle`, found in the
module of that name (`crawler/liststyles/<name>.py`), in that enum's order: the order in
which a column without a pinned style tries them, the fallback (`static`) last. A new
style is its module here plus its name in the enum.
"""

from __future__ import annotations

import importlib

from crawler.liststyles.base import ColumnProgress, ListPage, Reader, Style
from monitor.crawlfacts.plan import ColumnJob
from monitor.domain import ListStyle, Render

__all__ = ["REGISTRY", "ColumnProgress", "ListPage", "Reader", "Style", "detect", "pinned",
           "style_named"]


def _load(name: ListStyle) -> Style:
    module = importlib.import_module(f"{__name__}.{name.value}")
    found = [value for value in vars(module).values()
             if isinstance(value, type) and issubclass(value, Style)
             and value.__module__ == module.__name__ and getattr(value, "name", None) is name]
    if len(found) != 1:
        raise LookupError(f"{module.__name__} must define one Style named {name.value!r}, "
                          f"not {len(found)}")
    return found[0]()


REGISTRY: tuple[Style, ...] = tuple(_load(name) for name in ListStyle)
_BY_NAME = {style.name: style for style in REGISTRY}


def style_named(name: ListStyle) -> Style:
    return _BY_NAME[name]


def pinned(job: ColumnJob) -> Style | None:
    """The style the config sets for the column: its `list.style`, or the scripted style
    for `render: browser`; None lets its first page be detected."""
    if job.style is not None:
        return style_named(job.style)
    if job.render == Render.BROWSER.value:
        return style_named(ListStyle.SCRIPTED)
    return None


def detect(page: ListPage, reader: Reader) -> Style:
    """The first style in the registry's order that the page is of."""
    for style in REGISTRY:
        if style.detect(page, reader):
            return style
    return REGISTRY[-1]  # the fallback, should it ever decline a page
