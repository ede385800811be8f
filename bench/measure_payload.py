"""3. Payload, the AppTest half: the Plotly figure JSON (PlotlyChartProto.spec, the bytes
st.plotly_chart puts on the wire) of each chart on the page, for each region in the default method
and stage, with the standard-points layer off (the default) and on. The websocket half, every byte
the server sends per rerun, is in measure_browser.payload."""

from __future__ import annotations

from dataclasses import dataclass

from common import APP, BASELINE
from measure_rerun import check, quiet
from streamlit.testing.v1 import AppTest

REGIONS = ["cervical", "thoracic", "lumbar"]


@dataclass
class Specs:
    back: dict[tuple[str, bool], int]  # (region, points on) -> bytes of the back view's spec
    all_charts: dict[tuple[str, bool], int]  # the same, summed over every chart on the page
    baseline: int


def _chart_sizes(at: AppTest) -> dict[str, int]:
    return {c.proto.id.rsplit("-", 1)[-1]: len(c.proto.spec) for c in at.get("plotly_chart")}


def measure() -> Specs:
    quiet()
    back, total = {}, {}
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    for points in (False, True):
        at.toggle(key="show_points").set_value(points).run()
        for region in REGIONS:
            at.radio(key="region").set_value(region).run()
            check(at, f"app.py ({region}, points {'on' if points else 'off'})")
            sizes = _chart_sizes(at)
            back[region, points] = sizes["back_view"]
            total[region, points] = sum(sizes.values())
    base = AppTest.from_file(str(BASELINE), default_timeout=30)
    base.run()
    check(base, "bench/baseline_app.py")
    return Specs(back, total, sum(_chart_sizes(base).values()))
