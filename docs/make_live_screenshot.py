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
sys.path[:0] = [str(REPO), str(REPO / "src"), str(REPO / "docs")]

from make_screenshot import take  # noqa: E402
from playwright.sync_api import Page  # noqa: E402

from tests.support.live import wait_shown  # noqa: E402

OUT = REPO / "docs" / "live-projector.png"


def start_class(page: Page) -> None:
    """Start a class, put the teacher link away, and bring the join code, link and QR code to the top."""
    page.locator(".st-key-live_start [data-testid^=stBaseButton]").click()
    page.locator(".st-key-live_key_done [data-testid^=stBaseButton]").click()
    wait_shown(page, ".acu-qr svg")
    page.evaluate("() => document.querySelector('.st-key-live_teacher').scrollIntoView({block: 'start'})")


def main() -> int:
    with tempfile.TemporaryDirectory() as state:
        return take(OUT, "/?mode=present", ".st-key-present_view .main-svg", {"ACUMAP_STATE_DIR": state}, start_class)


if __name__ == "__main__":
    sys.exit(main())
