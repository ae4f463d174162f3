"""The dashboard in a real browser: Chromium driven by Playwright against `monitor serve`
started as its own process on 127.0.0.1, over the crawled sample portal (SPEC §8).

Each page's screenshot is saved under the test's temporary directory (printed with -s).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .conftest import OFFICE, OTHER_UNIT, PASSWORD, UNIT_NAME, UNIT_USER

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(dashboard) -> Iterator[str]:
    """`monitor serve` on a free loopback port; its base URL."""
    port = _free_port()
    environment = {**os.environ, **dashboard.environ()}
    process = subprocess.Popen(
        [sys.executable, "-m", "monitor", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "monitor serve did not answer within 60 s"
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("dashboard-screenshots")
    print(f"screenshots in {directory}")
    return directory


@pytest.fixture
def browser(chromium: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _log_in(page, base: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def _cli_problems(dashboard, *args: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "monitor", "problems", "list", "--json", *args],
                          env={**os.environ, **dashboard.environ()}, capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def test_the_office_logs_in_ranks_opens_a_unit_and_ignores_a_problem(
        served, browser, dashboard, screenshots) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    _log_in(page, served, OFFICE)

    assert page.url == f"{served}/"
    assert page.locator("h2", has_text="各单位完成情况").is_visible()
    ranked = page.locator("table.ranking tbody tr")
    assert ranked.count() == len(dashboard.unit_names)
    page.wait_for_selector("#weekly-chart[data-rendered='true'] canvas")
    page.screenshot(path=str(screenshots / "overview.png"), full_page=True)

    page.click(f"table.ranking a:text-is('{UNIT_NAME}')")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith(UNIT_NAME)
    assert page.locator("table.columns tbody tr").count() > 0
    assert page.locator("ol.weeks li").count() > 0
    page.screenshot(path=str(screenshots / "unit.png"), full_page=True)

    page.goto(f"{served}/problems")
    first = page.locator("table.problems tbody tr").first
    problem_id = int(first.get_attribute("id").removeprefix("problem-"))
    first.locator("input[name=reason]").fill("栏目已撤并，不再考核")
    first.locator("form.ignore button").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".flash", has_text=f"问题 {problem_id} 已忽略").first.is_visible()
    page.screenshot(path=str(screenshots / "problems.png"), full_page=True)

    ignored = _cli_problems(dashboard, "--state", "ignored")
    assert [(p["id"], p["ignored_reason"]) for p in ignored] == [
        (problem_id, "栏目已撤并，不再考核")]

    page.select_option("select[name=state]", "ignored")
    page.wait_for_selector(f"#problem-{problem_id}")
    assert "state=ignored" in page.url

    for path, name in (("/reports", "reports"), ("/runs", "runs")):
        page.goto(f"{served}{path}")
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    assert refused == []


def test_a_unit_user_is_refused_another_unit(served, browser, screenshots) -> None:
    page = browser.new_page()
    _log_in(page, served, UNIT_USER)
    assert page.locator("h1").inner_text().startswith(UNIT_NAME)
    response = page.goto(f"{served}/units/{OTHER_UNIT}")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "页面不存在"
    page.screenshot(path=str(screenshots / "unit-user-refused.png"))


def test_a_form_without_its_csrf_token_is_refused(served, browser, dashboard,
                                                  screenshots) -> None:
    page = browser.new_page()
    _log_in(page, served, OFFICE)
    page.goto(f"{served}/problems")
    first = page.locator("table.problems tbody tr").first
    problem_id = int(first.get_attribute("id").removeprefix("problem-"))
    first.locator("form.ignore input[name=csrf_token]").evaluate("input => input.remove()")
    first.locator("input[name=reason]").fill("没有校验码的表单")
    with page.expect_navigation() as navigation:
        first.locator("form.ignore button").click()
    assert navigation.value is not None and navigation.value.status == 403
    assert "表单已失效" in page.locator("h1").inner_text()
    page.screenshot(path=str(screenshots / "csrf-refused.png"))
    assert problem_id in [p["id"] for p in _cli_problems(dashboard)]
