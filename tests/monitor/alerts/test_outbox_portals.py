"""The outbox of two portals in one database (SPEC §7): each portal's weekly digest has the
same dedupe key, and each is queued, listed and delivered as that portal's own."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from monitor.alerts.compose import ComposedMessage
from monitor.alerts.outbox import due_ids, enqueue, outbox_status
from storage.models import Site
from storage.session import session_factory

MONDAY = datetime(2024, 5, 13, 0, 30, tzinfo=UTC)
DIGEST = ComposedMessage("weekly", "weekly:2024-05-13:office", None, date(2024, 5, 13),
                         ("gkb@example.gov.cn",), "【周报】", "正文", "<p>正文</p>")


def _portals(session: Session) -> tuple[int, int]:
    ruihe = Site(name="瑞河县人民政府门户网站", url="http://127.0.0.1:8000/ruihe/")
    qinghe = Site(name="清河县人民政府门户网站", url="http://127.0.0.1:8000/qinghe/")
    session.add_all([ruihe, qinghe])
    session.flush()
    return ruihe.id, qinghe.id


def test_the_same_digest_key_is_queued_once_for_each_portal(session: Session) -> None:
    ruihe, qinghe = _portals(session)
    assert enqueue(session, ruihe, [DIGEST], MONDAY).added == 1
    assert enqueue(session, qinghe, [DIGEST], MONDAY).added == 1
    again = enqueue(session, qinghe, [DIGEST], MONDAY)
    assert (again.added, again.already_queued) == (0, 1)
    session.commit()
    for site_id in (ruihe, qinghe):
        assert len(outbox_status(session, site_id).waiting) == 1


def test_a_portal_delivers_only_its_own_messages(session: Session) -> None:
    ruihe, qinghe = _portals(session)
    enqueue(session, qinghe, [DIGEST], MONDAY)
    session.commit()
    sessions = session_factory(session.get_bind())  # type: ignore[arg-type]  # an Engine
    assert due_ids(sessions, ruihe, MONDAY, chat=False) == []
    assert len(due_ids(sessions, qinghe, MONDAY, chat=False)) == 1
