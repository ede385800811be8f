"""Accessibility in the real browser: axe-core finds no serious or critical violation on any view —
the explore screen per region and with the standard points, every lower panel, the Export area open,
the checklist with a condition ticked, presenter mode and the quiz; and the explore screen can be
driven with the keyboard alone (Tab, arrow keys, Space): region, method and stage change the cards.

Each view is opened by its link, in English and in Russian (LANGS)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from acumap import load_knowledge
from acumap.data.loading import Knowledge
from tests.support.axe import report, violations
from tests.support.live import Server, close, open_app, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

LANGS = ("en", "ru")
VIEWPORT = {"width": 1400, "height": 1000}
VIEWS = {
    "explore-cervical": "?region=cervical",
    "explore-thoracic": "?region=thoracic&method=combined&stage=III",
    "explore-lumbar": "?region=lumbar&method=exciting&stage=IV",
    "points-on": "?region=thoracic&show_points=true&point=BL13",
    "whole-back": "?region=lumbar&whole_back=true&show_points=true",
    "present": "?mode=present",
    "quiz": "?mode=quiz&seed=1",
    "quiz-click": "?mode=quiz&seed=7",  # opens on "click where the needles go"
}


# Some text of the page's main area: Markdown, or HTML (the explore screen's text blocks).
TEXT = '[data-testid="stMainBlockContainer"] :is([data-testid="stMarkdown"], [data-testid="stHtml"])'


def url(server: Server, query: str, lang: str) -> str:
    return f"{server.url}/{query}" + (f"&lang={lang}" if lang != "en" else "")


def opened(browser: Browser, server: Server, query: str, lang: str = "en") -> Page:
    # 60 s: on a loaded shared machine the first open loads Plotly's 4.7 MB.
    page = open_app(browser, url(server, query, lang), VIEWPORT, TEXT, timeout=60_000)
    settle(page)
    return page


def settle(page: Page) -> None:
    wait_idle(page, timeout=60_000)
    page.wait_for_function("""() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
                                   .every(c => c.querySelector('.main-svg'))""")
    page.wait_for_timeout(300)  # Plotly's layout pass


def assert_clean(page: Page, what: str) -> None:
    found = violations(page)
    assert not found, f"{what}: axe-core found serious or critical violations:\n{report(found)}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("view", list(VIEWS))
def test_no_serious_or_critical_violation(chromium: Browser, server: Server, view: str, lang: str) -> None:
    page = opened(chromium, server, VIEWS[view], lang)
    try:
        assert_clean(page, view)
    finally:
        close(page)


def _panel(k: Knowledge, name: str) -> Callable[[Page], None]:
    def choose(page: Page) -> None:
        page.locator(".st-key-panel").get_by_role("radio", name=k.strings.get(f"panel.tab_{name}")).click()
        settle(page)
    return choose


@pytest.mark.parametrize("lang", LANGS)
def test_every_panel_export_area_and_checklist_without_serious_violations(chromium: Browser, server: Server,
                                                                          knowledge: Knowledge, lang: str) -> None:
    from ui.explore import PANELS

    k = knowledge if lang == "en" else load_knowledge(lang=lang)  # the labels to click are in `lang`
    page = opened(chromium, server, "?region=cervical&method=combined&stage=II", lang)
    try:
        for name in PANELS:
            _panel(k, name)(page)
            expect(page.locator(".st-key-panel").get_by_role("radio", name=k.strings.get(f"panel.tab_{name}"))
                   ).to_have_attribute("aria-checked", "true")
            if name == "checklist":
                page.locator(".st-key-tick_young_children").get_by_text(k.strings.get("caution.young_children"),
                                                                         exact=True).click()
                settle(page)
                expect(page.locator(".acu-check-item")).to_have_count(1)
            assert_clean(page, f"panel {name}")
        expect(page.get_by_role("button", name=k.strings.get("export.button_pdf"))).to_be_visible()
        assert_clean(page, "export panel")
        # The folded tables under the charts, opened.
        for summary in page.locator(".acu-alt summary").all():
            summary.click()
        assert_clean(page, "chart tables open")
        # The sidebar's link to this view, opened.
        page.locator("[data-testid=stSidebar]").get_by_role("button", name=k.strings.get("links.copy")).click()
        link = page.locator("[data-testid=stPopoverBody] [data-testid=stCode]")
        expect(link).to_contain_text("method=combined&stage=II")
        assert_clean(page, "link to this view open")
    finally:
        close(page)


def cards(page: Page) -> list[str]:
    return page.locator(".acu-pcard").all_inner_texts()


def cards_change(page: Page, before: list[str]) -> list[str]:
    """The cards once they differ from `before`, and the page idle. A control's change reruns only the
    parts it changes, after a first run that stops at once for them: the page is briefly idle between
    the two, so idle alone does not say the change is drawn."""
    with contextlib.suppress(PlaywrightTimeout):  # the assertion after it names what did not change
        page.wait_for_function("""before => JSON.stringify(Array.from(document.querySelectorAll('.acu-pcard'))
                                      .map(e => e.innerText)) !== JSON.stringify(before)""", arg=before,
                               timeout=60_000)
    settle(page)
    return cards(page)


def tab_to(page: Page, check: str, limit: int = 60) -> None:
    """Press Tab until the focused element satisfies `check` (a JS expression over `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({check}); }}"):
            return
    raise AssertionError(f"Tab never reached an element with {check}")


def test_keyboard_alone_changes_region_method_and_stage(chromium: Browser, server: Server,
                                                        knowledge: Knowledge) -> None:
    s = knowledge.strings
    page = opened(chromium, server, "?region=cervical&method=sedative&stage=I")
    try:
        before = cards(page)
        # Region: a radio group; arrow keys move the choice.
        tab_to(page, "el.type === 'radio' && el.closest('.st-key-region') !== null")
        page.keyboard.press("ArrowDown")
        expect(page.locator(".st-key-region").get_by_role("radio", name=s.get("region.thoracic"))).to_be_checked()
        after_region = cards_change(page, before)
        assert after_region != before, "the cards did not follow the region chosen with the keyboard"
        # Method: a slider (an input of type range); Tab onward to it, arrow keys move it.
        tab_to(page, f"el.type === 'range' && el.getAttribute('aria-label') === {s.get('controls.method')!r}")
        page.keyboard.press("ArrowLeft")
        after_method = cards_change(page, after_region)
        expect(page.get_by_role("slider", name=s.get("controls.method"))).to_have_attribute(
            "aria-valuetext", s.get("method.combined"))
        assert after_method != after_region
        tab_to(page, f"el.type === 'range' && el.getAttribute('aria-label') === {s.get('controls.stage')!r}")
        page.keyboard.press("ArrowRight")  # one press, one rerun: a second press may land while it redraws
        after_stage = cards_change(page, after_method)
        expect(page.get_by_role("slider", name=s.get("controls.stage"))).to_have_attribute("aria-valuetext", "II")
        assert after_stage != after_method
        # Space toggles a switch: the standard points come on.
        tab_to(page, "el.getAttribute('role') === 'switch' && el.closest('.st-key-show_points') !== null")
        page.keyboard.press("Space")
        settle(page)
        expect(page.locator(".st-key-show_points").get_by_role("switch")).to_be_checked()
        assert "show_points=true" in page.url
        assert "region=thoracic" in page.url and "stage=II" in page.url and "method=combined" in page.url
    finally:
        close(page)
