"""The page in a real Chromium: what it draws and shows must be what the planner computes.

Every expected value comes from the acumap package (planner, presenting, figures), never from
numbers written here, so the tests follow the data files."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import plotly.graph_objects as go
import pytest
from playwright.sync_api import Page, expect

from acumap import make_plan
from acumap.charts.figures import back_view
from acumap.data.loading import Knowledge
from acumap.plan.planner import Plan
from acumap.plan.presenting import parameter_cards, plan_document, plan_json
from tests.support.live import REPO, figure_data, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
CHART = "back_view"

_CHART_STATE = """key => {
    const el = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    if (!el || !el.layout || !el._fullLayout) return null;
    // The view's title is page text beside the chart (the figure itself has none).
    const shown = document.querySelector('p.acu-view-title');
    const title = shown ? shown.textContent : '';
    const y = el.layout.yaxis || {};
    return {title, yrange: Array.from(y.range || []), figureTitle: !!(el.layout.title && el.layout.title.text)};
}"""

_NEEDLE_POINTS_DRAWN = """key => {
    const el = document.querySelector(`.st-key-${key} .js-plotly-plot`);
    if (!el || !el._fullData) return null;
    const trace = el._fullData.find(t => t.name === 'needles');
    if (!trace) return 0;
    return el.querySelectorAll(`.scatterlayer g.trace${trace.uid} .point`).length;
}"""


@dataclass(frozen=True)
class View:
    """What the sidebar controls are set to."""

    region: str
    method: str
    stage: str
    whole_back: bool = False

    def plan(self, k: Knowledge) -> Plan:
        return make_plan(k, self.region, self.method, self.stage)

    def figure(self, k: Knowledge) -> go.Figure:
        return back_view(k, self.plan(k), focus=not self.whole_back)


def default_view(k: Knowledge) -> View:
    # app.py: the first region, the data's default method, the first stage.
    return View(region=next(iter(k.regions)), method=k.default_method, stage=next(iter(k.stages)))


def _plain_title(fig: go.Figure) -> str:
    return re.sub(r"<[^>]*>", "", fig.layout.title.text)  # the title the page writes beside the chart


def settle(page: Page, k: Knowledge, view: View) -> None:
    """Wait until the back-view chart shows `view` (its title and its y range), then until the
    rerun is over. Every control changes one of the two, so no change can be missed."""
    fig = view.figure(k)
    y0, y1 = sorted(fig.layout.yaxis.range)
    page.wait_for_function(
        f"""([key, title, y0, y1]) => {{
            const s = ({_CHART_STATE})(key);
            if (s === null || s.title !== title || s.figureTitle || s.yrange.length !== 2) return false;
            // The drawn range is the asked one, or more of the back above and below it where the chart is
            // narrower than the stretch's proportions (constrain "range"), about the same middle.
            const [lo, hi] = [Math.min(...s.yrange), Math.max(...s.yrange)];
            return lo <= y0 + 1e-6 && hi >= y1 - 1e-6 && Math.abs((lo + hi) - (y0 + y1)) < 1e-6;
        }}""",
        arg=[CHART, _plain_title(fig), y0, y1],
    )
    wait_idle(page)


def assert_no_errors(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert page.js_errors == [], f"JavaScript errors on the page: {page.js_errors}"


def needle_points_drawn(page: Page) -> int | None:
    return page.evaluate(_NEEDLE_POINTS_DRAWN, CHART)


def assert_shows(page: Page, k: Knowledge, view: View) -> None:
    """The page shows exactly what the planner gives for `view`."""
    s = k.strings
    plan = view.plan(k)

    # The controls themselves show the selection.
    region_box = page.locator(".st-key-region")
    expect(region_box.get_by_role("radio", name=s.get(f"region.{view.region}"), exact=True)).to_be_checked()
    expect(page.get_by_role("slider", name=s.get("controls.method"))).to_have_attribute(
        "aria-valuetext", s.get(f"method.{view.method}"))
    expect(page.get_by_role("slider", name=s.get("controls.stage"))).to_have_attribute(
        "aria-valuetext", s.get(f"stage.{view.stage}"))

    # Session-parameter cards: every label and value, in order.
    cards = parameter_cards(k, plan)
    expect(page.locator(".acu-pcard .acu-plabel")).to_have_text([c.label for c in cards])
    expect(page.locator(".acu-pcard .acu-pvalue")).to_have_text([c.value for c in cards])

    # Needle markers: the trace Plotly holds and the points it drew.
    needles = plan.quantities["needles"]
    expected_count = int(needles.max) if needles is not None and needles.max is not None else 0
    drawn = [t for t in figure_data(page, CHART) if t["name"] == "needles"]
    if expected_count:
        assert len(drawn) == 1, f"one 'needles' trace expected, found {len(drawn)}"
        trace = drawn[0]
        assert len(trace["x"]) == len(trace["y"]) == expected_count
        want = next(t for t in view.figure(k).data if t.name == "needles")
        assert trace["x"] == pytest.approx(list(want.x))
        assert trace["y"] == pytest.approx(list(want.y))
    else:
        assert drawn == []
    assert needle_points_drawn(page) == expected_count

    assert_no_errors(page)


def change(page: Page, k: Knowledge, view: View, control: str, value) -> View:
    """Operate one sidebar control as a user would, wait for the page to follow, return the new view."""
    s = k.strings
    if control == "region":
        page.locator(".st-key-region").get_by_text(s.get(f"region.{value}"), exact=True).click()
    elif control == "whole_back":
        assert value != view.whole_back
        page.locator(".st-key-whole_back").get_by_text(s.get("controls.whole_back"), exact=True).click()
    else:
        options = list(k.methods if control == "method" else k.stages)
        here, there = options.index(getattr(view, control)), options.index(value)
        if there == 0:
            key = "Home"
        elif there == len(options) - 1:
            key = "End"
        elif there == here + 1:
            key = "ArrowRight"
        elif there == here - 1:
            key = "ArrowLeft"
        else:
            raise AssertionError(f"one key press cannot move {control} from {options[here]} to {value}")
        page.get_by_role("slider", name=s.get(f"controls.{control}")).press(key)
    new = replace(view, **{control: value})
    settle(page, k, new)
    return new


# ---------------------------------------------------------------------------------------------


def test_page_opens_with_the_chart_and_the_default_plan(app_page: Page, knowledge: Knowledge) -> None:
    k = knowledge
    view = default_view(k)
    expect(app_page.locator(f".st-key-{CHART} .main-svg").first).to_be_visible()
    assert_no_errors(app_page)

    plan = view.plan(k)
    needles = plan.quantities["needles"]
    assert needles is not None and needles.max, "the default view must draw needle markers"
    traces = figure_data(app_page, CHART)
    assert traces is not None, "no Plotly figure in the back-view chart"
    drawn = [t for t in traces if t["name"] == "needles"]
    assert len(drawn) == 1
    assert len(drawn[0]["x"]) == int(needles.max)
    assert needle_points_drawn(app_page) == int(needles.max)

    settle(app_page, k, view)  # the title and y range are the default view's
    assert_shows(app_page, k, view)


def test_every_control_value_shows_the_planners_values(app_page: Page, knowledge: Knowledge) -> None:
    k = knowledge
    view = default_view(k)
    assert_shows(app_page, k, view)
    regions, methods, stages = list(k.regions), list(k.methods), list(k.stages)
    # One key press or click each; together they visit every value of every control.
    steps = [("stage", stages[1]), ("region", regions[1]), ("method", methods[0]), ("stage", stages[2]),
             ("region", regions[2]), ("method", methods[-1]), ("stage", stages[-1]), ("whole_back", True),
             ("region", regions[0]), ("method", methods[1]), ("stage", stages[0]), ("whole_back", False)]
    seen: dict[str, set] = {"region": {view.region}, "method": {view.method}, "stage": {view.stage},
                            "whole_back": {view.whole_back}}
    for control, value in steps:
        view = change(app_page, k, view, control, value)
        assert_shows(app_page, k, view)
        seen[control].add(value)
    assert seen == {"region": set(regions), "method": set(methods), "stage": set(stages),
                    "whole_back": {False, True}}


def test_sources_panel_quotes_the_articles(app_page: Page, knowledge: Knowledge) -> None:
    k = knowledge
    app_page.locator(".st-key-panel").get_by_role("radio", name=k.strings.get("panel.tab_sources")).click()
    heading = app_page.get_by_role("heading", name=k.strings.get("panel.tab_sources"))
    expect(heading).to_be_visible()
    view = default_view(k)
    for region in [view.region, list(k.regions)[-1]]:
        if region != view.region:
            view = change(app_page, k, view, "region", region)
        evidence = plan_json(k, view.plan(k))["needles"]["evidence"]
        assert evidence, f"the plan for {view} has no needle evidence"
        for ev in evidence:
            # A source row reads "**A** → 8 · line 202: “quote”"; the cite() captions elsewhere have no arrow.
            row = app_page.get_by_text(f"line {ev['line']}: “{ev['quote']}”").filter(has_text="→").first
            row.scroll_into_view_if_needed()
            expect(row).to_be_visible()
            assert row.bounding_box()["y"] > heading.bounding_box()["y"], "quote is not in the sources section"
    assert_no_errors(app_page)


def test_download_gives_the_plan_json(app_page: Page, knowledge: Knowledge, tmp_path: Path) -> None:
    k = knowledge
    view = default_view(k)
    view = change(app_page, k, view, "region", list(k.regions)[1])
    view = change(app_page, k, view, "method", list(k.methods)[-1])
    view = change(app_page, k, view, "stage", list(k.stages)[1])
    assert_shows(app_page, k, view)

    wait_idle(app_page, timeout=60_000)
    sent = frames_sent(app_page)
    with app_page.expect_download() as info:
        app_page.locator(".st-key-download").get_by_role("button").click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".json")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(plan_document(k, view.plan(k)))
    app_page.wait_for_timeout(1000)
    # Downloading reruns nothing: the file is made with the page (a click that reran the page cost a
    # whole run on the server for every download).
    assert "rerun_script" not in sent


def frames_sent(page: Page) -> list[str]:
    """The kind of each message the page sends to the server from now on (Streamlit's BackMsg), read
    from Chromium's network events, as a page already open has its websocket already."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    kinds: list[str] = []
    cdp = page.context.new_cdp_session(page)

    def sent(event: dict) -> None:
        msg = BackMsg()
        msg.ParseFromString(base64.b64decode(event["response"]["payloadData"]))
        kinds.append(msg.WhichOneof("type") or "")

    cdp.on("Network.webSocketFrameSent", sent)
    cdp.send("Network.enable")
    return kinds


def test_screenshot_of_each_region(app_page: Page, knowledge: Knowledge) -> None:
    k = knowledge
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    view = default_view(k)
    digests = {}
    for region in k.regions:
        shot = SCREENSHOTS / f"{region}.png"
        shot.unlink(missing_ok=True)
        if region != view.region:
            view = change(app_page, k, view, "region", region)
        assert_shows(app_page, k, view)
        app_page.screenshot(path=shot, full_page=True)
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) > 20_000, f"{shot} is only {len(data)} bytes"
        digests[region] = hashlib.sha256(data).hexdigest()
    assert len(set(digests.values())) == len(digests), "two regions gave the same screenshot"


def test_each_test_s_tab_starts_with_no_storage_from_an_earlier_one(open_page) -> None:
    """The browser tests' tabs share one context (tests/support/live.py); what Streamlit keeps in the
    local storage (the sidebar's state and width) must not reach the next test's tab, and a tab's own
    reload keeps it, as in a browser."""
    first = open_page("/")
    first.evaluate("() => localStorage.setItem('acumap-probe', 'kept')")
    first.reload()
    wait_idle(first)
    assert first.evaluate("() => localStorage.getItem('acumap-probe')") == "kept"
    second = open_page("/")
    assert second.evaluate("() => localStorage.getItem('acumap-probe')") is None
