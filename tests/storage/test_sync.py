from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from monitor.config import PortalConfig
from monitor.domain import ListStyle
from storage.crawl_store import plan_columns
from storage.models import Column, Post, Unit
from storage.sync import sync_config


def portal(units: list[dict]) -> PortalConfig:
    return PortalConfig.model_validate(
        {"site": {"name": "瑞河县人民政府门户网站", "url": "http://127.0.0.1:8000/"}, "units": units}
    )


def unit(name: str, *urls: str, aliases: list[str] | None = None) -> dict:
    return {
        "name": name,
        "group": "县直单位",
        "aliases": aliases or [],
        "columns": [
            {"name": f"栏目{i}", "url": url, "category": "dynamics", "cycle": "weekly"}
            for i, url in enumerate(urls)
        ],
    }


def test_sync_creates_units_and_columns(session: Session) -> None:
    result = sync_config(session, portal([unit("县水利局", "http://127.0.0.1:8000/slj/gzdt/")]))
    session.commit()
    assert (result.units_added, result.columns_added) == (1, 1)
    column = session.scalars(select(Column)).one()
    assert (column.category, column.cycle, column.active) == ("dynamics", "weekly", True)


def test_sync_twice_changes_nothing(session: Session) -> None:
    config = portal([unit("县水利局", "http://127.0.0.1:8000/slj/gzdt/")])
    sync_config(session, config)
    session.commit()
    again = sync_config(session, config)
    session.commit()
    assert (again.units_added, again.columns_added, again.columns_deactivated) == (0, 0, 0)
    assert len(session.scalars(select(Unit)).all()) == 1


def test_column_removed_from_config_is_kept_inactive_with_its_posts(session: Session) -> None:
    sync_config(
        session,
        portal([unit("县水利局", "http://127.0.0.1:8000/a/", "http://127.0.0.1:8000/b/")]),
    )
    dropped = session.scalars(select(Column).where(Column.url.endswith("/b/"))).one()
    now = datetime.fromisoformat("2024-05-10T02:00:00+00:00")
    session.add(Post(column_id=dropped.id, url="http://127.0.0.1:8000/b/1.html", title="t",
                     first_seen=now, last_seen=now))
    session.commit()
    result = sync_config(session, portal([unit("县水利局", "http://127.0.0.1:8000/a/")]))
    session.commit()
    assert result.columns_deactivated == 1
    session.refresh(dropped)
    assert dropped.active is False
    assert len(session.scalars(select(Post)).all()) == 1


def test_renamed_unit_keeps_its_history_when_the_old_name_is_an_alias(session: Session) -> None:
    sync_config(session, portal([unit("水利局", "http://127.0.0.1:8000/a/")]))
    session.commit()
    old_id = session.scalars(select(Unit)).one().id
    result = sync_config(
        session, portal([unit("县水利局", "http://127.0.0.1:8000/a/", aliases=["水利局"])])
    )
    session.commit()
    renamed = session.scalars(select(Unit)).one()
    assert (result.units_renamed, renamed.id, renamed.name) == (1, old_id, "县水利局")


def test_storing_a_naive_datetime_is_refused(session: Session) -> None:
    sync_config(session, portal([unit("县水利局", "http://127.0.0.1:8000/a/")]))
    column = session.scalars(select(Column)).one()
    naive = datetime(2024, 5, 10, 2, 0)
    session.add(Post(column_id=column.id, url="http://x/1", title="t",
                     first_seen=naive, last_seen=naive))
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()


def test_a_pinned_list_style_and_selectors_reach_the_crawl_plan(session: Session) -> None:
    config = unit("县水利局", "http://127.0.0.1:8000/slj/gzdt/", "http://127.0.0.1:8000/slj/tzgg/",
                  "http://127.0.0.1:8000/slj/zcwj/")
    config["columns"][0]["list"] = {"style": "jsonapi"}
    config["columns"][1]["list"] = {"item": "ul.list li", "style": "trs"}
    sync_config(session, portal([config]))
    session.commit()
    site_id = session.scalars(select(Unit.site_id)).one()
    jobs = {job.url: job for job in plan_columns(session, site_id, None, None)}
    pinned = jobs["http://127.0.0.1:8000/slj/gzdt/"]
    assert (pinned.style, pinned.selectors) == (ListStyle.JSONAPI, None)
    both = jobs["http://127.0.0.1:8000/slj/tzgg/"]
    assert (both.style, both.selectors.item) == (ListStyle.TRS, "ul.list li")
    assert jobs["http://127.0.0.1:8000/slj/zcwj/"].style is None
