"""Write docs/live-projector.png, the README's picture of a live class on the projector: presenter
mode at 1280x720 in Debian's Chromium, a class started (on a throwaway SQLite file in a temp folder),
the teacher link put away, scrolled to the join code, link and QR code.

Run from anywhere with the project's venv:  .venv/bin/python docs/make_live_screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "src")]

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.support.live import launch_chromium, serve, wait_idle, wait_shown  # noqa: E402

OUT = REPO / "docs" / "live-projector.png"
VIEWPORT = {"width": 1280, "height": 720}


def main() -> int:
    with tempfile.TemporaryDirectory() as state, serve(env={"ACUMAP_STATE_DIR": state}) as server, \
            sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(120_000)
            page.goto(server.url + "/?mode=present")
            wait_shown(page, ".st-key-present_view .main-svg", timeout=120_000)
            page.locator(".st-key-live_start [data-testid^=stBaseButton]").click()
            page.locator(".st-key-live_key_done [data-testid^=stBaseButton]").click()
            wait_shown(page, ".acu-qr svg")
            wait_idle(page)
            if page.get_by_test_id("stException").count():
                print("the app shows an exception; no screenshot written", file=sys.stderr)
                return 1
            page.locator(".st-key-live_teacher").scroll_into_view_if_needed()
            page.evaluate("() => document.querySelector('.st-key-live_teacher').scrollIntoView({block: 'start'})")
            page.mouse.move(0, 0)
            page.screenshot(path=OUT)
        finally:
            browser.close()
    print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
