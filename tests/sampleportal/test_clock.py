from datetime import datetime, timedelta

from sampleportal.clock import SHANGHAI, parse_instant
from sampleportal.model import Behaviour, ListStyle
from sampleportal.styles import article_path


def _backdated_pending(portal, now):
    """A back-dated post whose shown date has passed but which is not visible yet."""
    unit = next(unit for unit in portal.units if unit.behaviour is Behaviour.BACKDATING)
    for column in unit.columns:
        for post in column.posts:
            if post.claimed < now.date() and post.published_at > now:
                return column, post
    raise AssertionError("no pending back-dated post")


def test_backdated_post_appears_only_after_its_visible_instant(running, portal, client):
    column, post = _backdated_pending(portal, running.now)
    url = running.url(article_path(column, post))
    assert client.get(url).status_code == 404
    assert post.title not in client.get(running.url(column.list_path)).text
    running.set_now(post.published_at + timedelta(minutes=1))
    assert client.get(url).status_code == 200
    listed = client.get(running.url(column.list_path)).text
    assert post.claimed.strftime("%Y-%m-%d") in listed or post.claimed.strftime("%m-%d") in listed
    assert (post.published_at.date() - post.claimed).days > 3


def test_clock_can_be_set_over_http(running, client):
    target = "2024-04-01T10:00:00+08:00"
    reply = client.post(running.url("/__control__/clock"), params={"now": target})
    assert reply.json()["now"] == target
    assert running.now == parse_instant(target)
    assert client.get(running.url("/__control__/clock")).json()["now"] == target


def test_bad_clock_value_is_rejected(running, client):
    before = running.now
    assert client.post(running.url("/__control__/clock"), params={"now": "soon"}).status_code == 400
    assert running.now == before


def test_future_posts_are_hidden_until_the_clock_reaches_them(running, portal, client):
    column = next(column for column in portal.columns() if column.style is ListStyle.TABLE
                  and column.posts)
    early = datetime(2023, 10, 1, 9, 0, tzinfo=SHANGHAI)
    running.set_now(early)
    shown = client.get(running.url(column.list_path)).text
    visible = [post for post in column.posts if post.published_at <= early]
    hidden = [post for post in column.posts if post.published_at > early]
    assert visible and hidden
    assert all(article_path(column, post) not in shown for post in hidden)
    assert all(article_path(column, post) in shown for post in visible[-15:])


def test_withdrawn_post_disappears_at_its_withdrawal(running, portal, client):
    column, post = next((column, post) for column in portal.columns() for post in column.posts
                        if post.withdrawn_at is not None)
    url = running.url(article_path(column, post))
    running.set_now(post.published_at + timedelta(hours=1))
    assert client.get(url).status_code == 200
    running.set_now(post.withdrawn_at + timedelta(minutes=1))
    assert client.get(url).status_code == 404


def test_plus_sign_of_an_unescaped_offset_survives_a_query_string():
    assert parse_instant("2024-05-10T09:00 08:00") == datetime(2024, 5, 10, 9, 0,
                                                                 tzinfo=SHANGHAI)
    assert parse_instant("2024-05-10 09:00").tzinfo is not None
