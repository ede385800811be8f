"""The charts' text alternatives say what the figures draw: every needle marker of the back view
(place, side, faded or not) and every column of the depth view (bars, their ends, danger depths)."""

from __future__ import annotations

import itertools
from html import unescape

import pytest

from acumap import make_plan
from acumap.charts import alternatives as alt
from acumap.charts.depth import depth_view
from acumap.charts.figures import back_view
from acumap.data.loading import Knowledge
from tests.conftest import trace, values

ALL = list(itertools.product(("cervical", "thoracic", "lumbar"), ("exciting", "combined", "sedative"),
                             ("I", "II", "III", "IV")))


@pytest.mark.parametrize("region,method,stage", ALL)
def test_needle_rows_are_the_markers_of_the_back_view(k: Knowledge, region: str, method: str, stage: str) -> None:
    plan = make_plan(k, region, method, stage)
    fig = back_view(k, plan).to_plotly_json()
    needles = trace(fig, "needles")
    spots = alt.needle_spots(k, plan)
    xs, ys = values(needles["x"]), values(needles["y"])
    assert [(p.x, p.y) for p in spots] == list(zip(xs, ys, strict=True))
    faded = [o < 1 for o in values(needles["marker"]["opacity"])]
    assert [p.optional for p in spots] == faded
    for p in spots:
        assert p.side == ("left" if p.x < 0 else "right" if p.x > 0 else "midline")
    # The alt names as many spots as are drawn, and the table has a row for each.
    assert f"{len(xs)} needle spots" in alt.back_view_alt(k, plan)
    assert alt.needle_table_html(k, plan).count("<tr>") == len(xs) + 1


def test_a_faded_spot_is_said_in_the_table(k: Knowledge) -> None:
    plan = make_plan(k, "lumbar", "sedative", "I")
    spots = alt.needle_spots(k, plan)
    assert any(p.optional for p in spots)
    assert k.strings.get("figure.legend_optional") in unescape(alt.needle_table_html(k, plan))


def _bars(fig: dict) -> dict[str, tuple[float, float]]:
    found = {}
    for t in fig["data"]:
        if t["type"] == "bar":
            (base,), (length,) = values(t["base"]), values(t["y"])
            found[t["name"]] = (base, base + length)
    return found


@pytest.mark.parametrize("region,method,stage", ALL)
def test_depth_rows_are_the_columns_of_the_depth_view(k: Knowledge, region: str, method: str, stage: str) -> None:
    plan = make_plan(k, region, method, stage)
    fig = depth_view(k, plan).to_plotly_json()
    rows = alt.depth_rows(k, plan)
    assert [r.label for r in rows] == list(fig["layout"]["xaxis"]["categoryarray"])
    bars = _bars(fig)
    dangers = {t["name"]: values(t["y"])[0] for t in fig["data"] if t["type"] == "scatter"}
    drawn = set()
    for r in rows:
        if r.kind == "danger":
            point = r.label.split(":")[0]
            assert dangers[point] == r.low == r.high
            drawn.add(point)
        elif r.low is None and r.high is None:  # not stated: no bar, and the chart says so
            assert r.label not in bars
            assert r.text == k.strings.get("depth.not_stated")
        else:
            assert bars[r.label] == ((r.low or 0.0), r.high if r.high is not None else r.low)
            drawn.add(r.label)
    assert drawn == set(bars) | set(dangers)  # nothing drawn is left out of the table


def test_the_depth_alt_gives_every_column_with_its_values(k: Knowledge) -> None:
    plan = make_plan(k, "cervical", "combined", "II")
    text = alt.depth_view_alt(k, plan)
    for r in alt.depth_rows(k, plan):
        assert f"{r.label}: {r.text}" in text
    assert "SI14" in text and "52 mm" in text  # the danger depth, not only the bars
