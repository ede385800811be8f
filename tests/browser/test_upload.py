"""Uploads in a real Chromium, where the uploader's own steps matter: replacing a file first
removes the old one, then sends the new one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.live import REPO, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

EXAMPLE = REPO / "examples" / "protocol.toml"
LEGEND = ".st-key-back_view .legend"


def choose_panel(page: Page, label: str) -> None:
    page.locator(".st-key-panel").get_by_role("radio", name=label).click()
    wait_idle(page)


def upload(page: Page, name: str, data: bytes) -> None:
    page.locator(".st-key-protocol_file input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])


def test_a_rejected_upload_keeps_the_last_good_one(app_page: Page) -> None:
    page = app_page
    choose_panel(page, "Your protocol")
    upload(page, "protocol.toml", EXAMPLE.read_bytes())
    needles = page.locator(LEGEND).get_by_text("Example: neck, upper back: needles")
    expect(needles).to_be_visible(timeout=30_000)
    wait_idle(page)
    table = page.locator("table.acu-yours")
    expect(table).to_be_visible()
    crosses = page.locator(".st-key-back_view .scatterlayer .trace .point")
    drawn = crosses.count()

    upload(page, "broken.toml", b'name = "broken\nregion = \n')
    expect(page.get_by_text("This file was not used")).to_be_visible(timeout=30_000)
    wait_idle(page)
    expect(page.get_by_text("Still showing your last good upload: Example: neck, upper back.")).to_be_visible()
    expect(needles).to_be_visible()
    expect(page.locator(LEGEND).get_by_text("Example: neck, upper back: zone")).to_be_visible()
    expect(table).to_be_visible()
    assert crosses.count() == drawn
    assert not page.js_errors
