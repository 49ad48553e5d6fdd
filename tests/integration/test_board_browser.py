"""The story board in a real browser: headless Chromium (Debian's) driven by Selenium.

Skipped, with the reason, where Chromium, its driver or Selenium is missing.
"""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from schemas import Alert
from schemas.streams import ALERTS, DATA_FIELD
from storywatch.api import Access
from storywatch.http_server import HttpServer, make_app
from tests.integration.fault_harness import free_port

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM or not DRIVER:
        pytest.skip("no chromium/chromedriver on PATH (Debian: apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[browser]')")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(arg)
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=DRIVER))


def alert(n: int, status: str, previous: str | None, actors: list[str]) -> Alert:
    return Alert(alert_id=f"al-{n}", kind="status_changed" if previous else "story_new", story_id="st-board", story_title="Summit: " + ", ".join(actors),
                 event_type="summit", actors=actors, location="Budapest", from_status=previous, to_status=status,  # type: ignore[arg-type]
                 evidence=f"evidence number {n}", source="Example News", article_id=f"a{n}", event_time=datetime(2025, 1, n, tzinfo=UTC))


def wait_text(driver, selector: str, text: str, timeout: float = 15) -> str:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: text in d.find_element(By.CSS_SELECTOR, selector).text)
    return str(driver.find_element(By.CSS_SELECTOR, selector).text)


async def test_an_alert_published_during_the_test_appears_on_the_board(redis: Redis) -> None:
    driver = await asyncio.to_thread(browser)
    closing = asyncio.Event()
    server = HttpServer(make_app(redis, lambda: True, access=Access(None, True), closing=closing), "127.0.0.1", free_port(), closing)
    await server.start()
    try:
        await asyncio.to_thread(driver.get, f"http://127.0.0.1:{server.port}/")
        await asyncio.to_thread(wait_text, driver, "#state", "live")
        await redis.xadd(ALERTS, {DATA_FIELD: alert(1, "planned", None, ["Putin", "Trump"]).model_dump_json()})
        row = await asyncio.to_thread(wait_text, driver, "#story-st-board", "Summit: Putin, Trump")
        assert "planned" in row
        await redis.xadd(ALERTS, {DATA_FIELD: alert(2, "cancelled", "planned", ["Putin", "Trump"]).model_dump_json()})
        row = await asyncio.to_thread(wait_text, driver, "#story-st-board", "cancelled")
        status = await asyncio.to_thread(lambda: driver.find_element("css selector", "#story-st-board").get_attribute("data-status"))
        assert status == "cancelled"
        timeline = await asyncio.to_thread(lambda: driver.find_element("css selector", "#story-st-board + tr").get_attribute("textContent"))
        assert "evidence number 1" in timeline and "evidence number 2" in timeline and "Example News" in timeline

        def filter_by(actor: str) -> bool:
            box = driver.find_element("css selector", "input[name=actor]")
            box.clear()
            box.send_keys(actor)
            driver.find_element("css selector", "#filters button").click()
            return bool(driver.find_element("css selector", "#story-st-board").is_displayed())

        assert await asyncio.to_thread(filter_by, "Xi") is False
        assert await asyncio.to_thread(filter_by, "putin") is True
    finally:
        await asyncio.to_thread(driver.quit)
        await server.stop()
