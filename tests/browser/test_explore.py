"""The explore page in a real Chromium at a projector's 1280x720 and a phone's 390x844: the diagram
answers every control, nothing is cut, labels keep apart, a clicked point's detail is in view."""

from __future__ import annotations

import asyncio
import itertools
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Browser, Page, expect

from acumap.data.loading import Knowledge
from tests.browser.test_points import _POINT_ON_SCREEN, IN_ZONE
from tests.support.live import REPO, Server, close, open_app, wait_idle, wait_shown

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
CHART = ".st-key-back_view .js-plotly-plot"


def open_view(browser: Browser, server: Server, query: str, viewport: dict, page: Page | None = None) -> Page:
    """The app opened at `query` in a new context, or, given the `page` of a test's previous view,
    opened there: a new document and a new session on the same tab, at about half the time of a new
    context's first page (the tab keeps Plotly's 4.7 MB script compiled)."""
    if page is None:
        page = open_app(browser, f"{server.url}/{query}", viewport, f"{CHART} .main-svg")
    else:
        page.goto(f"{server.url}/{query}")
        wait_shown(page, f"{CHART} .main-svg", timeout=90_000)
        wait_idle(page, timeout=90_000)
    page.wait_for_timeout(300)  # let Plotly finish its layout pass
    return page


def chart_pixels(page: Page) -> bytes:
    return page.locator(CHART).screenshot(animations="disabled")


def test_the_diagram_changes_with_method_and_stage(chromium: Browser, server: Server) -> None:
    shots = {}
    page = None
    try:
        for method, stage in (("sedative", "I"), ("exciting", "I"), ("combined", "I"), ("sedative", "IV")):
            page = open_view(chromium, server, f"?region=thoracic&method={method}&stage={stage}", PROJECTOR, page)
            shots[(method, stage)] = chart_pixels(page)
    finally:
        if page is not None:
            close(page)
    for a, b in itertools.combinations(shots, 2):
        assert shots[a] != shots[b], f"the back view looks the same for {a} and {b}"


def test_first_screen_holds_the_whole_diagram_and_no_card_is_cut(chromium: Browser, server: Server,
                                                                 knowledge: Knowledge) -> None:
    views = [(r, m, "en") for r, m in itertools.product(knowledge.regions, ("sedative", "combined"))]
    views += [(r, "combined", "ru") for r in knowledge.regions]  # Russian runs longer
    page = None
    try:
        for region, method, lang in views:
            page = open_view(chromium, server, f"?region={region}&method={method}&stage=II&lang={lang}", PROJECTOR,
                             page)
            box = page.locator(CHART).bounding_box()
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"], (region, box)
            cut = page.evaluate("""() => Array.from(document.querySelectorAll('.acu-pvalue, .acu-plabel, .acu-mark'))
                .filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
                .map(e => e.textContent)""")
            assert cut == [], f"{region}/{method}: cut card text {cut}"
            values = page.locator(".acu-pvalue").all_inner_texts()
            assert values and all("…" not in v for v in values)
    finally:
        if page is not None:
            close(page)


def _label_boxes(page: Page) -> list[dict]:
    return page.evaluate(f"""() => Array.from(document.querySelectorAll('{CHART} .textpoint text'))
        .filter(t => t.textContent.trim())
        .map(t => {{ const r = t.getBoundingClientRect();
                     return {{text: t.textContent, x0: r.left, x1: r.right, y0: r.top, y1: r.bottom}}; }})""")


def test_point_labels_never_overlap(chromium: Browser, server: Server, knowledge: Knowledge) -> None:
    page = None
    try:
        for region in knowledge.regions:
            page = open_view(chromium, server, f"?region={region}&method=combined&show_points=true", PROJECTOR, page)
            boxes = _label_boxes(page)
            assert boxes, f"no point labels drawn in the {region} view"
            for a, b in itertools.combinations(boxes, 2):
                apart = a["x1"] <= b["x0"] or b["x1"] <= a["x0"] or a["y1"] <= b["y0"] or b["y1"] <= a["y0"]
                assert apart, f"{region}: labels {a['text']} and {b['text']} overlap"
    finally:
        if page is not None:
            close(page)


def test_a_clicked_point_shows_its_detail_on_the_first_screen(chromium: Browser, server: Server) -> None:
    page = open_view(chromium, server, "?region=thoracic&show_points=true", PROJECTOR)
    spot = page.evaluate(_POINT_ON_SCREEN, ["BL13", IN_ZONE])
    page.mouse.click(spot["x"], spot["y"])
    detail = page.locator(".st-key-point_detail")
    # A click reruns the diagram, the side column and the link: 3.6 s on this shared machine at load 22.
    expect(detail).to_contain_text("BL13 Feishu", timeout=30_000)
    wait_idle(page)
    page.evaluate("() => window.scrollTo(0, 0)")
    box = detail.get_by_text("BL13 Feishu").last.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PROJECTOR["height"], box
    close(page)


def test_on_a_phone_the_controls_leave_the_diagram_in_view(chromium: Browser, server: Server) -> None:
    page = open_view(chromium, server, "?region=lumbar", PHONE)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "true")  # folded away until asked for
    chart = page.locator(CHART)
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"] and box["height"] > 200
    # Nothing covers the diagram: the element at its centre is the chart itself.
    hit = page.evaluate("""([x, y]) => { const el = document.elementFromPoint(x, y);
                                        return !!el && !!el.closest('.js-plotly-plot'); }""",
                        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert hit
    page.screenshot(path=REPO / "test-artifacts" / "screenshots" / "phone.png")  # whatever the working folder
    close(page)


def test_a_control_change_reruns_only_the_parts_it_changes(server: Server) -> None:
    """Over the websocket, as the page's frontend talks to the server: a stage change resends the side
    column (title, key numbers, cards), the stage text and the link, not the back view, whose figure is
    the same for every cervical stage; the whole-back toggle resends the back view and not the cards."""
    sys.path.insert(0, str(REPO / "bench"))
    from wsclient import Session

    async def changes():
        async with Session(server.url) as s:
            return await s.run(), await s.run(stage="II"), await s.run(whole_back=True)

    with ThreadPoolExecutor(1) as pool:
        first, stage, whole = pool.submit(asyncio.run, changes()).result(timeout=120)
    for run in (first, stage, whole):
        assert not run.errors, run.errors
    assert "back_view" in first.charts and "stage I" in first.view_title
    # The stage change: the new title and cards, no figure (the whole page was 28 messages before).
    assert "stage II" in stage.view_title and not stage.charts
    assert any("acu-pcard" in t for t in stage.texts)
    assert stage.messages <= 16 < first.messages
    # The toggle: the figure (now the whole back), not the cards or the title.
    assert set(whole.charts) == {"back_view"} and whole.view_title == ""
    y0, y1 = whole.charts["back_view"]["layout"]["yaxis"]["range"]
    f0, f1 = first.charts["back_view"]["layout"]["yaxis"]["range"]
    assert y1 - y0 > f1 - f0
