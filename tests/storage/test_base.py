"""`storage.base.ByValue`: enum columns read and written as members, stored as the plain
strings they always were, and a stored string that is no member refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from monitor.domain import LinkKind, LinkStatus, ProblemState, ProblemType
from monitor.errors import DatabaseError, UnknownStoredValueError
from storage.models import LinkTarget, Problem, Site

AT = datetime(2024, 5, 1, 2, tzinfo=UTC)
URL = "http://127.0.0.1:8000/a.html"


def _site(session: Session) -> int:
    site = session.scalars(select(Site)).one_or_none()
    if site is None:
        site = Site(name="瑞河县", url="http://127.0.0.1:8000/")
        session.add(site)
        session.flush()
    return site.id


def _problem(session: Session, **values: object) -> Problem:
    problem = Problem(site_id=_site(session), type=ProblemType.BROKEN_LINK, key="k",
                      first_seen=AT, last_seen=AT, **values)
    session.add(problem)
    session.flush()
    return problem


def test_a_member_is_stored_as_its_value_and_read_back_as_the_member(session: Session):
    _problem(session, state=ProblemState.IGNORED)
    session.expire_all()
    stored = session.execute(text("SELECT type, state FROM problem")).one()
    assert tuple(stored) == ("broken_link", "ignored")
    assert type(stored[0]) is str
    problem = session.scalars(select(Problem)).one()
    assert problem.state is ProblemState.IGNORED and problem.type is ProblemType.BROKEN_LINK


def test_a_column_default_is_a_member(session: Session):
    problem = _problem(session)
    target = LinkTarget(site_id=problem.site_id, url=URL, kind=LinkKind.A, internal=True, first_seen=AT)
    session.add(target)
    session.flush()
    assert problem.state is ProblemState.OPEN
    assert target.status is LinkStatus.PENDING


def test_a_value_set_as_a_string_is_held_as_the_member(session: Session):
    problem = _problem(session)
    problem.state = "fixed"  # type: ignore[assignment]  # what a caller might write
    assert problem.state is ProblemState.FIXED


def test_a_string_that_is_no_member_is_refused_when_set(session: Session):
    problem = _problem(session)
    with pytest.raises(ValueError):
        problem.state = "closed"  # type: ignore[assignment]


def test_a_query_may_compare_with_a_members_value(session: Session):
    _problem(session)
    assert session.scalar(select(Problem.id).where(Problem.state == "open")) is not None


def test_a_stored_string_that_is_no_member_is_a_database_error(session: Session):
    _problem(session)
    session.execute(text("UPDATE problem SET state = 'closed'"))
    session.expire_all()
    with pytest.raises(UnknownStoredValueError) as raised:
        session.scalars(select(Problem)).one()
    assert isinstance(raised.value, DatabaseError)
    assert (raised.value.enum_name, raised.value.value) == ("ProblemState", "closed")
    assert "closed" in str(raised.value) and "ProblemState" in str(raised.value)
