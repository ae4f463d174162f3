import pytest

from sampleportal.model import ListStyle
from sampleportal.styles import article_path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.mark.slow
@pytest.mark.browser
def test_js_list_is_drawn_only_by_a_real_browser(running, portal, client, chromium):
    from playwright.sync_api import sync_playwright

    column = next(column for column in portal.columns() if column.style is ListStyle.JSLIST)
    newest = column.live_posts(running.now)[:10]
    assert article_path(column, newest[0]) not in client.get(running.url(column.list_path)).text
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(running.url(column.list_path))
            page.wait_for_selector("#news-list[data-loaded='true']", timeout=15000)
            hrefs = page.eval_on_selector_all("#news-list a", "links => links.map(a => a.href)")
            page.goto(running.url(column.list_path) + "?page=2")
            page.wait_for_selector("#news-list[data-loaded='true']", timeout=15000)
            second = page.eval_on_selector_all("#news-list a", "links => links.map(a => a.href)")
        finally:
            browser.close()
    assert hrefs == [running.url(article_path(column, post)) for post in newest]
    assert second and not set(second) & set(hrefs)
