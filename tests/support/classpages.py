"""A live class driven in Chromium, shared by the browser test and the benchmark: a teacher's projector
page that starts a class, students' pages that join it by the link, and the time a presenter step takes
from the store to the last phone."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Browser, Page, expect

from acumap.classroom import Classroom
from acumap.teach import lesson
from tests.support.live import wait_idle, wait_shown

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1400, "height": 1000}
ROOM = 180_000  # ms: a page's first open, with room for five pages on a busy 2-core machine


def open_page(browser: Browser, url: str, viewport: dict, ready: str, contexts: list) -> Page:
    """As tests.support.live.open_app, with room for a shared machine under load (several pages at once).
    The context goes into `contexts`, for the caller to close even when it fails."""
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    contexts.append(context)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.goto(url, timeout=ROOM)
    wait_shown(page, ready, timeout=ROOM)
    wait_idle(page, timeout=ROOM)
    return page


def start_class(browser: Browser, base: str, contexts: list, lang: str = "en") -> tuple[Page, str, str]:
    """The teacher's projector page after "Start a class": the page, the class code and the teacher key."""
    page = open_page(browser, base + "/?mode=present" + ("&lang=ru" if lang == "ru" else ""), PROJECTOR,
                     ".st-key-present_view .main-svg", contexts)
    page.locator(".st-key-live_start [data-testid^=stBaseButton]").click()
    wait_shown(page, ".acu-qr svg")
    link = page.locator(".st-key-live_key code").inner_text()
    code, key = re.search(r"teach=([A-Z0-9]{6})\.(\S+)", link).groups()
    # The join link comes after the QR code in the same run: wait for it, do not read it mid-run.
    expect(page.locator(".st-key-live_teacher")).to_contain_text(f"?class={code}")
    wait_idle(page)
    return page, code, key


def join(browser: Browser, base: str, code: str, nickname: str, viewport: dict, contexts: list) -> Page:
    """A student's page, joined by the link and showing the teacher's step."""
    page = open_page(browser, f"{base}/?class={code}", viewport, ".st-key-live_nickname input", contexts)
    if nickname:
        page.locator(".st-key-live_nickname input").fill(nickname)
        page.locator(".st-key-live_nickname input").press("Enter")
    page.locator(".st-key-live_join [data-testid^=stBaseButton]").click()
    wait_shown(page, ".st-key-live_step .main-svg", timeout=60_000)
    return page


def heading(s, step: lesson.Step, stage: str = "I") -> str:
    """The line a student's screen shows for a presenter step (a presenter link opens at stage I)."""
    return s.get("live.follow_heading", region=s.get(f"region.{step.region}"), method=s.get(f"method.{step.method}"),
                 stage=stage)


def expect_everyone(students: list[Page], text: str, seconds: float) -> None:
    for page in students:
        expect(page.locator("[data-testid=stMain] strong").filter(has_text=text).first).to_have_text(
            text, timeout=seconds * 1000)


def store_until(store: Classroom, code: str, key: str, ready: Callable[[Any], bool], seconds: float,
                every: float = 0.05) -> Any | None:
    """The class's status once `ready` holds for it, or None after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = store.status(code, key)
        if ready(status):
            return status
        time.sleep(every)
    return None


def stored_step(store: Classroom, code: str, key: str, step: int | None, seconds: float = 60.0) -> int:
    """Wait until the teacher's page has written step `step` (None: any step) to the store; its number."""
    status = store_until(store, code, key, lambda st: st.step is not None and step in (None, st.step.step), seconds)
    if status is None:
        raise AssertionError(f"the teacher's page did not send step {step} within {seconds:.0f} s")
    return status.step.step


def step_time(store: Classroom, code: str, key: str) -> float:
    """When the teacher's latest step reached the store (the store's own time, seconds since the epoch)."""
    return store.status(code, key).step.at


def next_step_reaches(teacher: Page, students: list[Page], store: Classroom, code: str, key: str,
                      number: int, text: str, seconds: float) -> float:
    """Press "Next" on the projector; seconds from step `number` reaching the store to its heading on the
    last of the students' pages (at most `seconds`, else the expectation fails)."""
    teacher.locator(".st-key-present_next [data-testid^=stBaseButton]").click()
    stored_step(store, code, key, number)
    sent = step_time(store, code, key)
    expect_everyone(students, text, seconds)
    return time.time() - sent


def reveal(teacher: Page, store: Classroom, code: str, key: str, seconds: float = 20.0) -> None:
    """The teacher clicks Reveal until the store has the reveal. Once (a CI-style run, 2026-12-01, just
    after the teacher link was reopened on the surviving server) a click left the button and no reveal
    for 60 s: a click made while the page's polled part is rerunning can be lost in Streamlit. A teacher
    clicks again; so does this, and only when the store shows the question still unrevealed."""
    button = teacher.locator(".st-key-live_reveal [data-testid^=stBaseButton]")
    for _ in range(3):
        button.click()
        if store_until(store, code, key, lambda st: st.question is not None and st.question.revealed, seconds, 0.2):
            return
    raise AssertionError(f"three clicks on Reveal and the store has no reveal for class {code}")
