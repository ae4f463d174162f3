"""Backdated posts (SPEC §4.7): first seen more than 3 days after the claimed date."""

from datetime import UTC, date, datetime, timedelta, timezone

from monitor.rules.backdating import SeenPost, backdated_posts

SHANGHAI = timezone(timedelta(hours=8))


def seen(
    claimed: date | None, first_seen: datetime, *, first_crawl: bool = False
) -> SeenPost:
    return SeenPost(
        unit="县水利局", column="工作动态", url="http://127.0.0.1:8000/slj/gzdt/1.html",
        title="防汛工作会议", claimed=claimed, first_seen=first_seen,
        seen_on_first_crawl=first_crawl,
    )


def test_post_seen_four_days_after_its_date_is_backdated() -> None:
    post = seen(date(2024, 4, 1), datetime(2024, 4, 5, 2, 0, tzinfo=SHANGHAI))
    [finding] = backdated_posts([post])
    assert finding.post is post
    assert finding.days_late == 4
    assert finding.facts == {"claimed": "2024-04-01", "first_seen": "2024-04-05",
                             "days_late": 4}


def test_post_seen_three_days_after_its_date_is_not_backdated() -> None:
    post = seen(date(2024, 4, 1), datetime(2024, 4, 4, 23, 59, tzinfo=SHANGHAI))
    assert backdated_posts([post]) == []


def test_first_seen_is_compared_as_a_shanghai_date() -> None:
    # 2024-04-04 16:30 UTC is already 04-05 00:30 in Shanghai: four days after 04-01.
    post = seen(date(2024, 4, 1), datetime(2024, 4, 4, 16, 30, tzinfo=UTC))
    assert [finding.first_seen_day for finding in backdated_posts([post])] == [date(2024, 4, 5)]
    earlier = seen(date(2024, 4, 1), datetime(2024, 4, 4, 15, 59, tzinfo=UTC))
    assert backdated_posts([earlier]) == []


def test_posts_found_on_the_first_crawl_of_a_column_are_never_backdated() -> None:
    post = seen(date(2023, 1, 1), datetime(2024, 4, 5, 2, 0, tzinfo=SHANGHAI), first_crawl=True)
    assert backdated_posts([post]) == []


def test_undated_posts_are_never_backdated() -> None:
    assert backdated_posts([seen(None, datetime(2024, 4, 5, tzinfo=SHANGHAI))]) == []


def test_post_dated_after_it_was_seen_is_not_backdated() -> None:
    post = seen(date(2024, 4, 10), datetime(2024, 4, 5, 2, 0, tzinfo=SHANGHAI))
    assert backdated_posts([post]) == []


def test_threshold_can_be_changed() -> None:
    post = seen(date(2024, 4, 1), datetime(2024, 4, 3, 2, 0, tzinfo=SHANGHAI))
    assert backdated_posts([post], threshold_days=1) != []
    assert backdated_posts([post], threshold_days=2) == []
