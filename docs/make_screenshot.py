"""Write docs/screenshot.png, the README's picture of the app: the default view in Debian's
Chromium at 1280x720, taken once the back-view chart is drawn and the first run is over.

Run from anywhere with the project's venv:  .venv/bin/python docs/make_screenshot.py
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "src")]

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.support.live import launch_chromium, serve, wait_idle, wait_shown  # noqa: E402

OUT = REPO / "docs" / "screenshot.png"
VIEWPORT = {"width": 1280, "height": 720}  # a common projector: the first screen


def take(out: Path, path: str = "", ready: str = ".st-key-back_view .main-svg", env: dict[str, str] | None = None,
         act: Callable[[Page], None] | None = None) -> int:
    """Serve the app, open `path` at the projector's size, wait for `ready`, let `act` set the page up,
    and write the picture to `out` once the page is idle (1 and no picture when it shows an exception)."""
    with serve(env=env) as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(120_000)
            page.goto(server.url + path)
            wait_shown(page, ready, timeout=120_000)
            if act is not None:
                act(page)
            wait_idle(page)
            if page.get_by_test_id("stException").count():
                print("the app shows an exception; no screenshot written", file=sys.stderr)
                return 1
            page.mouse.move(0, 0)  # no hover label over the chart
            page.screenshot(path=out)
        finally:
            browser.close()
    print(f"wrote {out.relative_to(REPO)} ({out.stat().st_size} bytes)")
    return 0


def main() -> int:
    return take(OUT)


if __name__ == "__main__":
    sys.exit(main())
