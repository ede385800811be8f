"""Issue 3 in a real Chromium: the standard points layer, a click on a point, the depth view."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from acumap import make_plan
from acumap.charts.depth import needle_depths
from acumap.data.loading import Knowledge
from acumap.plan.points import placements, site_by_key
from tests.support.live import figure_data, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

IN_ZONE = "Standard points in the zone"

# Where a point of the in-zone layer is on the screen: Plotly's own axis mapping, from data
# coordinates to pixels inside the plot area.
_POINT_ON_SCREEN = """([code, layer]) => {
    const el = document.querySelector('.st-key-back_view .js-plotly-plot');
    const trace = el._fullData.find(t => t.name === layer);
    const i = Array.from(trace.customdata).indexOf(code);
    const area = el.querySelector('.nsewdrag').getBoundingClientRect();
    return {x: area.left + el._fullLayout.xaxis.l2p(trace.x[i]), y: area.top + el._fullLayout.yaxis.l2p(trace.y[i])};
}"""


def show_points(page: Page, k: Knowledge) -> None:
    page.locator(".st-key-show_points").get_by_text(k.strings.get("points.toggle"), exact=True).click()
    page.wait_for_function(
        """layer => { const el = document.querySelector('.st-key-back_view .js-plotly-plot');
                      return !!el && !!el._fullData && el._fullData.some(t => t.name === layer); }""",
        arg=IN_ZONE,
    )
    wait_idle(page)


def test_points_layer_highlights_the_zone_and_a_click_opens_the_detail(app_page: Page, knowledge: Knowledge) -> None:
    k = knowledge
    show_points(app_page, k)
    drawn = next(t for t in figure_data(app_page, "back_view") if t["name"] == IN_ZONE)
    expected = [m for m in placements(k, "cervical") if m.in_zone]
    def spots(pairs) -> list[tuple[float, float]]:
        return sorted((round(x, 6), round(y, 6)) for x, y in pairs)

    assert spots(zip(drawn["x"], drawn["y"], strict=True)) == spots((m.x, m.y) for m in expected)
    listing = app_page.locator(".st-key-points_in_zone")
    expect(listing).to_contain_text("BL13 Feishu")
    expect(listing).not_to_contain_text("GV4")

    spot = app_page.evaluate(_POINT_ON_SCREEN, ["BL13", IN_ZONE])
    app_page.mouse.click(spot["x"], spot["y"])
    detail = app_page.locator(".st-key-point_detail")
    expect(detail).to_contain_text("BL13 Feishu", timeout=30_000)  # a busy shared machine: seconds
    site = site_by_key(k, "BL13")
    assert site is not None and site.point.caution
    expect(detail).to_contain_text(site.point.caution)
    expect(app_page.get_by_test_id("stException")).to_have_count(0)


def test_depth_view_and_its_warnings(app_page: Page, knowledge: Knowledge) -> None:
    k = knowledge
    app_page.locator(".st-key-region").get_by_text(k.strings.get("region.thoracic"), exact=True).click()
    app_page.wait_for_function(
        """() => { const el = document.querySelector('.st-key-depth_view .js-plotly-plot');
                   return !!el && el.layout.title.text.includes('Thoracic'); }""")
    wait_idle(app_page)
    plan = make_plan(k, "thoracic", k.default_method, "I")
    bars = {t["name"]: t for t in figure_data(app_page, "depth_view") if t["name"].endswith("needles")}
    for depth in needle_depths(k, plan):
        column = f"{k.strings.get(f'method.{depth.method}')} needles"
        assert bars[column]["y"][0] == pytest.approx(depth.high - (depth.low or 0))
    alerts = app_page.locator("p.acu-warn")
    expect(alerts).to_have_count(2)  # the lung, and the spinal canal under the midline needles
    expect(alerts.first).to_contain_text("pneumothorax")
    expect(alerts.first).to_contain_text("1.75 per million")
    expect(alerts.nth(1)).to_contain_text("spinal canal")
    canal = next(t for t in figure_data(app_page, "depth_view") if t["name"] == "Midline: spinal canal")
    assert canal["y"][0] == pytest.approx(10.0)  # 25-35 mm: the bar's length (figure_data gives no base)
