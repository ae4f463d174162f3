import pytest

from sampleportal import generate_portal
from sampleportal.model import Behaviour, ListStyle


def test_same_seed_gives_same_portal():
    assert generate_portal(7) == generate_portal(7)


def test_other_seed_gives_other_posts():
    first = [post.title for column in generate_portal(1).columns() for post in column.posts]
    other = [post.title for column in generate_portal(2).columns() for post in column.posts]
    assert first != other


def test_default_portal_has_ten_to_fifteen_units_with_every_behaviour_and_style(portal):
    assert 10 <= len(portal.units) <= 15
    assert {unit.behaviour for unit in portal.units} == set(Behaviour)
    # The JSON API style is served as a flavour of the portal only (see below): the
    # default portal stays the scenario every other test was written against.
    assert {column.style for column in portal.columns()} == set(ListStyle) - {ListStyle.JSONAPI}
    assert {unit.group for unit in portal.units} == {"县直单位", "乡镇"}


def test_a_flavour_serves_the_same_posts_in_one_list_style(portal):
    flavour = generate_portal(1, style=ListStyle.JSONAPI)
    assert {column.style for column in flavour.columns()} == {ListStyle.JSONAPI}
    assert ([[(post.title, post.claimed) for post in column.posts] for column in flavour.columns()]
            == [[(post.title, post.claimed) for post in column.posts]
                for column in portal.columns()])


@pytest.mark.slow
def test_the_large_portal_has_flavours_too():
    large = generate_portal(1, large=True)
    flavour = generate_portal(1, large=True, style=ListStyle.JSONAPI)
    assert {column.style for column in flavour.columns()} == {ListStyle.JSONAPI}
    assert ([[(post.title, post.claimed) for post in column.posts] for column in flavour.columns()]
            == [[(post.title, post.claimed) for post in column.posts]
                for column in large.columns()])


def test_posts_span_more_than_six_months(portal):
    dated = [post.claimed for column in portal.columns() for post in column.posts]
    assert (max(dated) - min(dated)).days > 180


@pytest.mark.slow
def test_large_portal_has_100_units_of_10_columns_of_100_posts():
    large = generate_portal(1, large=True)
    assert len(large.units) == 100
    assert all(len(unit.columns) == 10 for unit in large.units)
    assert all(len(column.posts) == 100 for column in large.columns())
