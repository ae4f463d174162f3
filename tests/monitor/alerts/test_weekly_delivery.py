from __future__ import annotations

import json
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import Result

from storage.models import Column, Problem, Unit
from storage.session import create_db_engine, session_factory
from tests.conftest import one_site

Monitor = Callable[..., Result]

SLJ = ["slj@example.gov.cn", "slj2@example.gov.cn"]
YJJ = ["yjj@example.gov.cn"]
WJW = ["wjw@example.gov.cn"]
OFFICE = ["gkb@example.gov.cn"]


def parsed(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    # MIME text travels with CRLF line ends (RFC 2046 canonical form).
    return (text.get_content().replace("\r\n", "\n"),
            html.get_content().replace("\r\n", "\n"))


def by_recipients(received: list[tuple[str, list[str], bytes]]) -> dict[tuple[str, ...],
                                                                         EmailMessage]:
    return {tuple(rcpt): parsed(raw) for _sender, rcpt, raw in received}


def test_the_weeks_alerts_arrive_one_per_unit_behind_plus_the_digest(
    smtp_server, monitor: Monitor
) -> None:
    smtp_server.start()
    result = monitor("alerts", "weekly")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(
        "本周共4封邮件：新增4封，此前已排队0封；本次发送4封，未被接收0封")
    mail = by_recipients(smtp_server.mailbox.received)
    assert set(mail) == {tuple(SLJ), tuple(YJJ), tuple(WJW), tuple(OFFICE)}
    assert {sender for sender, _, _ in smtp_server.mailbox.received} == {"gkb@example.gov.cn"}

    slj = mail[tuple(SLJ)]
    # The subject names the week that ended and was missed, not the week just begun.
    assert slj["Subject"] == "【政务公开周提醒】县水利局：1个栏目逾期未更新（2024年5月6日—5月12日）"
    assert slj["From"] == "政务公开办 <gkb@example.gov.cn>"
    text, html = parts(slj)
    assert ("经对瑞河县人民政府门户网站监测，截至2024年5月13日（2024年5月6日—5月12日一周已结束），"
            "贵单位有以下事项需要处理，请于5月20日前整改：") in text
    assert ("【逾期未发布】1个\n1. 工作动态（每周更新）\n"
            "   最后更新：2024年4月19日；应更新日期：2024年4月28日\n"
            "   http://127.0.0.1:8000/slj/gzdt/") in text
    assert "请于5月20日前整改完毕。" in text
    assert "【每周更新未达标】本月1周，本季度3周" in text
    assert ("未达标周次：2024年4月22日—4月28日、2024年4月29日—5月5日、2024年5月6日—5月12日"
            in text)
    assert ("1. 错链/断链：http://old.example.gov.cn/zt/\n"
            "   所在文章：《2024-04-19 工作信息》（2024年4月19日发布）\n"
            "   所在页面：http://127.0.0.1:8000/slj/gzdt/2024-04-19.html\n"
            "   原因：HTTP 404；发现日期：2024年5月13日") in text
    assert "2. 图片无法显示：http://127.0.0.1:8000/images/a.jpg" in text
    assert '<a href="http://127.0.0.1:8000/slj/gzdt/">工作动态</a>' in html

    wjw_text, _ = parts(mail[tuple(WJW)])
    assert "【逾期未发布】" not in wjw_text
    assert "附件无法下载：http://127.0.0.1:8000/files/plan.docx" in wjw_text

    digest = mail[tuple(OFFICE)]
    assert digest["Subject"] == (
        "【政务公开周报】3个单位栏目更新滞后或存在问题（2024年5月6日—5月12日）")
    digest_text, _ = parts(digest)
    order = [digest_text.index(name) for name in ("1. 县水利局", "2. 县应急管理局",
                                                  "3. 县卫生健康委员会")]
    assert order == sorted(order)
    assert "青石镇" not in digest_text  # up to date; its one problem was ignored


def test_a_unit_name_cannot_inject_headers(smtp_server, monitor: Monitor) -> None:
    smtp_server.start()
    assert monitor("alerts", "weekly").exit_code == 0
    for _sender, recipients, raw in smtp_server.mailbox.received:
        assert "evil@example.com" not in recipients
        message = parsed(raw)
        assert message["Bcc"] is None
        assert "\n" not in str(message["Subject"])
    hostile = parsed(next(raw for _s, rcpt, raw in smtp_server.mailbox.received if rcpt == YJJ))
    assert hostile["Subject"] == (
        "【政务公开周提醒】县应急管理局 Bcc: evil@example.com：1个栏目逾期未更新"
        "（2024年5月6日—5月12日）")


@pytest.mark.slow
def test_a_rerun_of_the_same_week_sends_nothing_new_but_next_week_reminds_again(
    smtp_server, monitor: Monitor
) -> None:
    smtp_server.start()
    assert monitor("alerts", "weekly").exit_code == 0
    again = monitor("alerts", "weekly", now="2024-05-13T17:00:00+08:00")
    assert again.exit_code == 0
    assert "本周共4封邮件：新增0封，此前已排队4封；本次发送0封" in again.stdout
    assert len(smtp_server.mailbox.received) == 4

    # Nothing changed, yet the office wants the weekly reminder every Monday.
    next_week = monitor("alerts", "weekly", now="2024-05-20T08:30:00+08:00")
    assert next_week.exit_code == 0
    later = smtp_server.mailbox.received[4:]
    subjects = {parsed(raw)["Subject"] for _s, _r, raw in later}
    assert "【政务公开周提醒】县水利局：1个栏目逾期未更新（2024年5月13日—5月19日）" in subjects
    # 青石镇 posted nothing in the week of 13 May: now it has a missed week to hear about.
    assert sorted(rcpt[0] for _s, rcpt, _raw in later) == [
        "gkb@example.gov.cn", "qsz@example.gov.cn", "slj@example.gov.cn", "wjw@example.gov.cn",
        "yjj@example.gov.cn"]


def test_with_the_server_down_messages_wait_and_arrive_exactly_once_when_it_is_up(
    smtp_server, monitor: Monitor
) -> None:
    down = monitor("alerts", "weekly")
    assert down.exit_code == 1
    assert down.stderr.startswith("错误：4条消息未被 SMTP 服务器或群机器人接收（ConnectionRefusedError")
    status = json.loads(monitor("alerts", "status", "--json").stdout)
    assert status["sent"] == 0
    assert [m["attempts"] for m in status["waiting"]] == [1, 1, 1, 1]
    assert all(m["last_error"].startswith("ConnectionRefusedError") for m in status["waiting"])
    assert {m["next_attempt_at"] for m in status["waiting"]} == {"2024-05-13T08:35:00+08:00"}

    smtp_server.start()
    early = monitor("alerts", "send", now="2024-05-13T08:31:00+08:00")
    assert early.exit_code == 0 and early.stdout == "已发送0封，未被接收0封\n"
    assert smtp_server.mailbox.received == []

    retried = monitor("alerts", "send", now="2024-05-13T08:36:00+08:00")
    assert retried.exit_code == 0 and retried.stdout == "已发送4封，未被接收0封\n"
    assert monitor("alerts", "send", now="2024-05-13T09:00:00+08:00").stdout == (
        "已发送0封，未被接收0封\n")
    rerun = monitor("alerts", "weekly", now="2024-05-13T10:00:00+08:00")
    assert rerun.exit_code == 0
    assert len(smtp_server.mailbox.received) == 4
    assert len({raw for _s, _r, raw in smtp_server.mailbox.received}) == 4
    status = json.loads(monitor("alerts", "status", "--json").stdout)
    assert status["sent"] == 4 and status["waiting"] == []


def test_a_refusing_server_leaves_messages_waiting_with_its_reply(
    smtp_server, monitor: Monitor
) -> None:
    smtp_server.mailbox.refuse_with = "451 4.3.0 mailbox busy, try again later"
    smtp_server.start()
    assert monitor("alerts", "weekly").exit_code == 1
    waiting = json.loads(monitor("alerts", "status", "--json").stdout)["waiting"]
    assert {m["last_error"] for m in waiting} == {"SMTP 451: 4.3.0 mailbox busy, try again later"}
    assert monitor("alerts", "status").stdout.endswith("已发送0封（最近：—），等待发送4封\n")

    smtp_server.mailbox.refuse_with = None
    # After one failure the retry is due 5 minutes later.
    assert monitor("alerts", "send", now="2024-05-13T08:40:00+08:00").exit_code == 0
    assert len(smtp_server.mailbox.received) == 4


def test_dry_run_writes_eml_files_and_neither_queues_nor_sends(
    smtp_server, monitor: Monitor, tmp_path: Path
) -> None:
    smtp_server.start()
    out = tmp_path / "eml"
    result = monitor("alerts", "weekly", "--dry-run", "--out", str(out))
    assert result.exit_code == 0
    assert result.stdout.endswith(f"试运行：生成4封邮件，已写入{out}；未发送\n")
    # Named by ISO week and unit (the office digest by its own label); a CR LF or a colon
    # in a configured unit name does not reach the file name.
    files = sorted(path.name for path in out.iterdir())
    assert files == sorted(["2024-W20_办公室汇总.eml", "2024-W20_县水利局.eml",
                            "2024-W20_县应急管理局_Bcc_evil@example.com.eml",
                            "2024-W20_县卫生健康委员会.eml"])
    unit = parsed((out / "2024-W20_县水利局.eml").read_bytes())
    assert unit["To"] == "slj@example.gov.cn, slj2@example.gov.cn"
    assert "【每周更新未达标】本月1周，本季度3周" in parts(unit)[0]
    assert smtp_server.mailbox.received == []
    assert monitor("alerts", "status").stdout == "已发送0封（最近：—），等待发送0封\n"


def test_due_soon_reminders_go_to_every_unit_whose_weekly_column_is_due_this_week(
    smtp_server, monitor: Monitor, database_url: str
) -> None:
    engine = create_db_engine(database_url)
    with session_factory(engine).begin() as session:
        column = session.scalar(select(Column).where(Column.url.endswith("wjw/gzdt/")))
        unit = session.scalar(select(Unit).where(Unit.name == "县卫生健康委员会"))
        assert column is not None and unit is not None
        overdue = session.scalar(select(Problem).where(Problem.unit_id == unit.id))
        assert overdue is not None
        session.add(Problem(site_id=one_site(session),
                            type="due_soon_column", key="due:wjw", unit_id=unit.id,
                            column_id=column.id, url=column.url, detail="", state="open",
                            first_seen=overdue.first_seen, last_seen=overdue.last_seen))
    engine.dispose()
    smtp_server.start()
    result = monitor("alerts", "due-soon", now="2024-05-16T15:00:00+08:00")
    assert result.exit_code == 0, result.output
    # Judged on Thursday itself: 青石镇 (last post 7 May) is due this week too, though no
    # crawl ran since Monday.
    received = {tuple(rcpt): raw for _s, rcpt, raw in smtp_server.mailbox.received}
    assert sorted(received) == [("qsz@example.gov.cn",), tuple(WJW)]
    message = parsed(received[tuple(WJW)])
    assert message["Subject"] == (
        "【栏目更新提醒】县卫生健康委员会：1个栏目本周即将到期（2024年5月13日—5月19日）")
    assert "最后更新：2024年5月8日；到期日：2024年5月19日" in parts(message)[0]
