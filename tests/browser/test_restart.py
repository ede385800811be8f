"""A server restart under an open page, in a real Chromium: the browser reconnects and keeps its
page; the first click after that must count."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from acumap.data.loading import Knowledge
from tests.browser.test_page import View, settle
from tests.support.live import IDLE, free_port, serve, wait_idle, wait_shown

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def test_the_first_click_after_a_server_restart_counts(chromium: Browser, knowledge: Knowledge) -> None:
    # Issue 17: the new session's first run was the click, and it re-read the link, undoing the click.
    k = knowledge
    port = free_port()
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    try:
        page = context.new_page()
        with serve(port=port) as srv:
            page.goto(srv.url + "/?region=lumbar&stage=II")
            wait_shown(page, ".st-key-back_view .main-svg")
            wait_idle(page)
            settle(page, k, View(region="lumbar", method=k.default_method, stage="II"))
        expect(page.locator('[data-testid="stApp"][data-test-connection-state="CONNECTED"]')).to_have_count(0)
        with serve(port=port):
            page.wait_for_selector(IDLE, timeout=60_000)
            page.locator(".st-key-region").get_by_text(k.strings.get("region.thoracic"), exact=True).click()
            settle(page, k, View(region="thoracic", method=k.default_method, stage="II"))
            page.wait_for_function("() => new URLSearchParams(location.search).get('region') === 'thoracic'")
            assert "stage=II" in page.url
    finally:
        context.close()
