"""The six CMS list styles; each module renders its lists and names its article URLs
(and, for a list served as JSON, answers its API)."""

from __future__ import annotations

from types import ModuleType

from sampleportal.model import Column, ListStyle, Post, Unit
from sampleportal.responses import Response, html
from sampleportal.styles import hanweb, jslist, jsonapi, legacy, table, trs
from sampleportal.styles.common import Context, article_page

MODULES: dict[ListStyle, ModuleType] = {
    ListStyle.TRS: trs,
    ListStyle.HANWEB: hanweb,
    ListStyle.JSLIST: jslist,
    ListStyle.TABLE: table,
    ListStyle.LEGACY: legacy,
    ListStyle.JSONAPI: jsonapi,
}


def article_path(column: Column, post: Post) -> str:
    return MODULES[column.style].article_path(column, post)


def api_path(column: Column) -> str | None:
    """The path of the JSON API the column's list is drawn from, if its style has one."""
    module = MODULES[column.style]
    return module.api_path(column) if hasattr(module, "api_response") else None


def api_response(ctx: Context, column: Column, query: dict[str, str]) -> Response:
    return MODULES[column.style].api_response(ctx, column, query)


def list_response(
    ctx: Context, unit: Unit, column: Column, rest: str, query: dict[str, str]
) -> Response | None:
    return MODULES[column.style].list_response(ctx, unit, column, rest, query)


def article_response(ctx: Context, unit: Unit, column: Column, post: Post) -> Response:
    if column.style is ListStyle.LEGACY:
        return legacy.article_response(ctx, unit, column, post)
    flavour = MODULES[column.style].FLAVOUR
    return html(article_page(ctx, unit, column, post, flavour))
