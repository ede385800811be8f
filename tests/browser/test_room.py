"""Presenter mode and the quiz in a room (issue 16), in a real Chromium at a projector's 1280x720:
a clicker's and a keyboard's keys step the lesson (and leave a focused control its own keys), the
quotes and axis ticks are large enough to read from the back, the lesson panel never shows a line
cut in half, and the quiz's click question is answered and followed by keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from acumap import lesson
from acumap.loading import Knowledge
from tests.support.live import wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

PROJECTOR = {"width": 1280, "height": 720}
PRESENT_READY = ".st-key-present_view .main-svg"


def step_shown(page: Page, n: int, count: int) -> None:
    expect(page.locator(".acu-present .acu-step")).to_have_text(f"Step {n} of {count}")
    wait_idle(page)


def test_a_clicker_and_the_keyboard_step_the_lesson(open_page, knowledge: Knowledge) -> None:
    count = len(lesson.steps(knowledge))
    page = open_page("/?mode=present", PROJECTOR, PRESENT_READY)
    step_shown(page, 1, count)
    # A clicker's keys, the arrows and space forward; then each one's partner back.
    n = 1
    for key in ("PageDown", "ArrowRight", "ArrowDown", "Space"):
        page.keyboard.press(key)
        n += 1
        step_shown(page, n, count)
        assert f"step={n}" in page.url
    for key in ("Shift+Space", "ArrowUp", "ArrowLeft", "PageUp"):
        page.keyboard.press(key)
        n -= 1
        step_shown(page, n, count)
    # At the first step "back" goes nowhere.
    page.keyboard.press("PageUp")
    page.wait_for_timeout(500)
    step_shown(page, 1, count)
    # A focused control keeps its own keys: the stage slider moves, the lesson stays at its step.
    page.get_by_test_id("stExpandSidebarButton").click()
    stage = page.get_by_role("slider", name=knowledge.strings.get("controls.stage"))
    stage.focus()
    stage.press("ArrowRight")
    expect(page.locator(".acu-present .acu-head")).to_contain_text("stage II")
    step_shown(page, 1, count)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert page.js_errors == []
