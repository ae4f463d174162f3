"""What fits in a chat message, and how fast messages go to one group (pure)."""

from __future__ import annotations

from monitor.alerts.chattext import dashboard_link, fit, text_limit
from monitor.alerts.pacing import Pacer

LINK = "https://jc.example.gov.cn/units/%E5%8E%BF%E6%B0%B4%E5%88%A9%E5%B1%80"


def test_a_short_message_is_kept_whole_with_its_link_on_the_last_line() -> None:
    assert fit("【政务公开周提醒】县水利局\n逾期栏目1个\n", LINK, 2048) == (
        f"【政务公开周提醒】县水利局\n逾期栏目1个\n详见：{LINK}")


def test_a_long_message_is_cut_on_a_character_with_an_ellipsis_and_keeps_its_link() -> None:
    body = "【政务公开周提醒】县水利局\n" + "逾期未更新栏目：工作动态、通知公告、" * 200
    text = fit(body, LINK, 2048)
    assert len(text.encode("utf-8")) <= 2048
    assert len(text.encode("utf-8")) > 2048 - 4  # no room wasted: a character is 3 bytes
    kept, tail = text.split("\n详见：")
    assert tail == LINK and kept.endswith("…")
    assert body.startswith(kept.removesuffix("…"))


def test_a_cut_steps_back_to_a_line_end_when_one_is_near() -> None:
    lines = [f"{n}. 栏目{n}：最后更新2024年4月19日" for n in range(1, 200)]
    text = fit("\n".join(lines), None, 512)
    assert text.endswith("日…")
    assert text.removesuffix("…").splitlines()[-1] in lines


def test_the_vendors_limit_wins_over_a_larger_setting() -> None:
    assert text_limit("wecombot://${KEY}", 20_000) == 2048
    assert text_limit("dingtalk://${TOKEN}/", 20_000) == 20_000
    assert text_limit("dingtalk://${TOKEN}/", 1000) == 1000
    assert text_limit("json://hook.example/${X}", 3000) == 3000


def test_links_go_to_the_dashboards_overview_or_the_units_page() -> None:
    assert dashboard_link("https://jc.example.gov.cn") == "https://jc.example.gov.cn/"
    assert dashboard_link("https://jc.example.gov.cn/", "县水利局") == LINK
    assert dashboard_link(None, "县水利局") is None


def test_messages_to_one_group_are_spaced_60_over_per_minute_seconds() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(20, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        pacer.wait("dingtalk://${A}/")
        pacer.posted("dingtalk://${A}/")
        now[0] += 0.5  # posting took half a second
    pacer.wait("wecombot://${B}")  # another group is not held up
    assert slept == [2.5, 2.5]
