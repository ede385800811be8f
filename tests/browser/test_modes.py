"""Presenter mode and the quiz in a real Chromium: presenter mode at a projector's 1280x720 with no
text cut and the diagram on screen at every step of the lesson, and a quiz click question answered
by a real mouse click on the back view."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from acumap.charts.figures import click_grid
from acumap.data.loading import Knowledge
from acumap.teach import lesson
from acumap.teach.quiz import CLICK, make_quiz
from tests.support.live import REPO, wait_idle, wait_shown
from ui.quiz import QUESTIONS

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
PROJECTOR = {"width": 1280, "height": 720}

# Elements showing text whose content is wider than their box (cut, or spilling over a neighbour);
# and the SVG texts of the chart that reach past the chart's own width.
_CUT_TEXT = """() => {
    const cut = [];
    for (const el of document.querySelectorAll('[data-testid=stMain] *, [data-testid=stMain]')) {
        if (el instanceof SVGElement) continue;  // the chart's texts: below
        const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
        if (own && el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
            cut.push(`${el.tagName}.${el.className}: ${el.textContent.trim().slice(0, 60)}`);
    }
    for (const svg of document.querySelectorAll('[data-testid=stMain] .main-svg')) {
        const width = svg.getBoundingClientRect().right;
        for (const t of svg.querySelectorAll('text')) {
            const box = t.getBoundingClientRect();
            if (t.textContent.trim() && box.width > 0 && box.right > width + 1) cut.push(`svg: ${t.textContent}`);
        }
    }
    return cut;
}"""
_BOX = """sel => { const b = document.querySelector(sel).getBoundingClientRect();
                   return {top: b.top, bottom: b.bottom, left: b.left, right: b.right}; }"""
_SPOT_ON_SCREEN = """([key, x, y]) => {
    const el = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    el.scrollIntoView({block: 'center'});
    const area = el.querySelector('.nsewdrag').getBoundingClientRect();
    return {x: area.left + el._fullLayout.xaxis.l2p(x), y: area.top + el._fullLayout.yaxis.l2p(y)};
}"""


def steady_spot(page: Page, key: str, x: float, y: float) -> dict:
    """Where the chart's point (x, y) is on the screen, with the app idle and two readings 100 ms apart
    agreeing. A click once recorded no answer in a full run; why is not known (the point did not move after
    the page was ready in 4 opens watched), so the click waits for both a rerun's end and a still chart."""
    wait_idle(page)
    last = None
    for _ in range(30):
        spot = page.evaluate(_SPOT_ON_SCREEN, [key, x, y])
        if spot == last:
            return spot
        last = spot
        page.wait_for_timeout(100)
    raise AssertionError(f"the chart kept moving: ({x}, {y}) was last at {last}")


@pytest.fixture
def projector(open_page) -> Callable[[str, str], Page]:
    """Opens a path of the app in a fresh 1280x720 page, once `ready` is drawn."""
    return lambda path, ready: open_page(path, PROJECTOR, ready)


def assert_fits(page: Page) -> None:
    assert page.evaluate(_CUT_TEXT) == []
    chart = page.evaluate(_BOX, ".st-key-present_view .js-plotly-plot")
    assert chart["top"] >= 0 and chart["left"] >= 0
    assert chart["bottom"] <= PROJECTOR["height"] and chart["right"] <= PROJECTOR["width"], chart
    # Previous and next are on screen too.
    for key in ("present_previous", "present_next"):
        button = page.evaluate(_BOX, f".st-key-{key} button")
        assert button["bottom"] <= PROJECTOR["height"] and button["right"] <= PROJECTOR["width"], key


def test_presenter_mode_fits_a_projector_at_every_step(projector, knowledge: Knowledge) -> None:
    k = knowledge
    steps = lesson.steps(k)
    first = steps[0]
    page = projector(f"/?mode=present&region={first.region}&method={first.method}",
                     ".st-key-present_view .main-svg")
    # The sidebar starts collapsed: the diagram has the screen.
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "present.png"))
    for n, step in enumerate(steps, start=1):
        if n > 1:
            page.locator(".st-key-present_next button").click()
        names = [k.strings.get(f"region.{step.region}"), k.strings.get(f"method.{step.method}")]
        # The step's title is the text beside the chart (the figure has none).
        page.wait_for_function(
            """names => { const el = document.querySelector('.st-key-present_view .js-plotly-plot');
                          const head = document.querySelector('.acu-present .acu-head');
                          return !!el && !!el.layout && !(el.layout.title && el.layout.title.text) && !!head
                                 && names.every(n => head.textContent.includes(n)); }""", arg=names)
        wait_idle(page)
        expect(page.locator(".acu-present .acu-step")).to_have_text(f"Step {n} of {len(steps)}")
        assert_fits(page)
        if n == 2:
            page.screenshot(path=str(SCREENSHOTS / "present-both.png"))
    expect(page.locator(".st-key-present_next button")).to_be_disabled()
    assert f"region={steps[-1].region}" in page.url and "mode=present" in page.url
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert page.js_errors == []


def click_question(projector, k: Knowledge):
    """A quiz whose first question is the click question, opened at 1280x720: (seed, question,
    the chart's key, the page)."""
    seed = next(s for s in range(1, 500) if make_quiz(k, s, QUESTIONS)[0].kind == CLICK)
    q = make_quiz(k, seed, QUESTIONS)[0]
    key = f"quiz_click_{seed}_0_0"
    return seed, q, key, projector(f"/?mode=quiz&seed={seed}", f".st-key-{key} .main-svg")


def test_a_quiz_click_in_the_zone_is_right(projector, knowledge: Knowledge) -> None:
    k = knowledge
    seed, q, key, page = click_question(projector, k)
    expect(page.get_by_text(q.prompt)).to_be_visible()
    # A grid spot in the middle of the zone's spots, where the student would aim.
    inside = [p for p in zip(*click_grid(k), strict=True) if q.target.contains(*p)]
    x, y = sorted(inside, key=lambda p: (p[1], p[0]))[len(inside) // 2]
    spot = steady_spot(page, key, x, y)
    page.mouse.move(spot["x"], spot["y"])
    page.mouse.click(spot["x"], spot["y"])
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text("Right.")
    expect(page.get_by_text("Score: 1 of 1")).to_be_visible()
    for cite in q.cites:
        expect(page.locator(".st-key-quiz_sources")).to_contain_text(cite)
    # The answer's figure marks the click and shades the zone.
    wait_shown(page, f".st-key-quiz_answer_{seed}_0_0 .main-svg")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert page.js_errors == []


def test_a_quiz_click_outside_the_zone_is_wrong(projector, knowledge: Knowledge) -> None:
    k = knowledge
    seed, q, key, page = click_question(projector, k)
    # Low on the back, far below every zone: the pelvis at the midline's side.
    outside = [p for p in zip(*click_grid(k), strict=True) if not q.target.contains(*p)]
    x, y = min(outside, key=lambda p: (p[1], abs(p[0] - 2)))
    spot = steady_spot(page, key, x, y)
    page.mouse.move(spot["x"], spot["y"])
    page.mouse.click(spot["x"], spot["y"])
    expect(page.get_by_test_id("stAlertContentError")).to_have_text(
        f"Not quite: the articles give {q.correct_text}.")
    expect(page.get_by_text("Score: 0 of 1")).to_be_visible()
