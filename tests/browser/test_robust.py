"""In a real Chromium: text planted in the data or in an upload is shown as text, never run as HTML;
an uploaded protocol is drawn as yours; two websocket sessions keep their own controls."""

from __future__ import annotations

import asyncio
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Browser, Page, expect

from acumap.data.paths import data_dir
from tests.support.live import REPO, Server, serve, wait_idle, wait_shown

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

XSS = "<img src=x onerror=window.__xss=1>"
CHART_DRAWN = ".st-key-back_view .main-svg"


def no_injected_image(page: Page) -> None:
    assert page.locator('img[src="x"]').count() == 0
    assert page.evaluate("() => window.__xss") is None


def choose_panel(page: Page, label: str) -> None:
    page.locator(".st-key-panel").get_by_role("radio", name=label).click()
    wait_idle(page)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("xss") / "data"
    shutil.copytree(data_dir(), folder)
    session = folder / "session.toml"
    text = session.read_text(encoding="utf-8")
    session.write_text(text.replace('quote = "the number of needles is 8"',
                                    f'quote = "the number of needles is 8 {XSS}"'), encoding="utf-8")
    regions = folder / "regions.toml"
    regions.write_text(regions.read_text(encoding="utf-8").replace('zone_reading.en = "Along',
                                                                   f'zone_reading.en = "{XSS} Along'), encoding="utf-8")
    with serve(env={"ACUMAP_DATA_DIR": str(folder)}) as srv:
        yield srv


def test_html_in_a_data_quote_is_shown_as_text(chromium: Browser, planted: Server) -> None:
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(planted.url)
        wait_shown(page, CHART_DRAWN)
        wait_idle(page)
        expect(page.get_by_text(XSS + " Along", exact=False)).to_be_visible()
        choose_panel(page, "Where this comes from")
        expect(page.get_by_text("the number of needles is 8 " + XSS, exact=False).first).to_be_attached()
        no_injected_image(page)
    finally:
        context.close()


def test_an_uploaded_protocol_is_drawn_as_yours_and_its_text_stays_text(app_page: Page) -> None:
    page = app_page
    choose_panel(page, "Your protocol")
    doc = (f'name = "{XSS}"\nregion = "cervical"\n[[zones]]\nfrom = "T1"\nto = "below T5"\nlateral = [0.5, 3.0]\n'
           '[[points]]\nlevel = "below T3"\nx = 1.5\ndepth = 30\n')
    page.locator(".st-key-protocol_file input[type=file]").set_input_files(
        files=[{"name": "mine.toml", "mimeType": "application/toml", "buffer": doc.encode()}])
    expect(page.locator(".st-key-back_view .legend").get_by_text(f"{XSS}: needles")).to_be_visible(timeout=30_000)
    wait_idle(page)
    expect(page.get_by_text("deeper than the standard point's usual depth")).to_be_visible()
    no_injected_image(page)
    assert not page.js_errors


def test_two_websocket_sessions_keep_their_own_controls(server: Server) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from wsclient import Session

    async def both() -> tuple[list[str], list[str]]:
        async with Session(server.url) as one, Session(server.url) as two:
            await asyncio.gather(one.run(), two.run())
            seen_one, seen_two = [], []
            for stage_one, stage_two in (("III", "I"), ("IV", "II"), ("II", "IV")):
                a, b = await asyncio.gather(one.run(region="Lumbar", stage=stage_one),
                                            two.run(region="Thoracic", method="Exciting", stage=stage_two))
                assert not a.errors and not b.errors
                seen_one.append(a.view_title)  # the back view's title, page text beside the chart
                seen_two.append(b.view_title)
                # Each session's URL is its own (stage I is the default, left out of a link).
                assert parse_qs(one.query) == {"region": ["lumbar"], "stage": [stage_one]}
                assert parse_qs(two.query) == {"region": ["thoracic"], "method": ["exciting"]} | (
                    {"stage": [stage_two]} if stage_two != "I" else {})
            return seen_one, seen_two

    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        seen_one, seen_two = pool.submit(asyncio.run, both()).result(timeout=120)
    for title, stage in zip(seen_one, ("III", "IV", "II"), strict=True):
        assert "Lumbar" in title and f"stage {stage}" in title and "Thoracic" not in title
    for title, stage in zip(seen_two, ("I", "II", "IV"), strict=True):
        assert "Thoracic" in title and "Exciting" in title and f"stage {stage}" in title


def test_showing_no_error_details_is_what_the_server_runs_with() -> None:
    text = (REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert 'showErrorDetails = "none"' in text
    assert Path(REPO / "app.py").read_text(encoding="utf-8").count("guard.page()") == 1
