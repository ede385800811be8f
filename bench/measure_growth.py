"""4. Growth: building the back view with a points layer of n synthetic points, plus fig.to_json()
(serialisation is part of the cost), for n = 10 … 10,000.

The synthetic set is the real standard-point placements of acumap.plan.points repeated and nudged so
every marker is distinct, so hover texts, labels and the in-zone split are realistic. The figure
module switches a layer of more than WEBGL_FROM markers to go.Scattergl; the run also forces plain
go.Scatter at every size to show what SVG markers would cost on the server."""

from __future__ import annotations

import pickle
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace

import plotly.graph_objects as go
import plotly.io
from common import median

import acumap.charts.figures as figures
from acumap import load_knowledge, make_plan
from acumap.plan.points import PointPlacement, placements

SIZES = [10, 100, 1_000, 10_000]


@dataclass
class Growth:
    sizes: list[int]
    shipped: list[float]  # median seconds, back_view(points=...) + fig.to_json(), as the module is
    build: list[float]  # of which back_view() alone
    svg: list[float]  # median seconds, every layer forced to plain go.Scatter
    json_bytes: list[int]
    empty: float  # the same figure with no points layer
    traces_at_max: str  # trace types of the largest shipped figure
    # At the largest size, what every rerun pays again even when the figure is cached:
    cache_hit: float  # st.cache_data hit: unpickling the go.Figure
    send: float  # st.plotly_chart: fig.to_dict() + plotly.io.to_json()
    colour_list: float  # validating one per-marker colour list of that length (marker.line.color)
    colour_lists: bool  # whether the largest figure carries per-marker colour lists


def synthetic(k, region: str, n: int) -> list[PointPlacement]:
    real = placements(k, region)
    out = []
    for i in range(n):
        p = real[i % len(real)]
        lap = i // len(real)
        out.append(replace(p, key=f"{p.key}#{i}", x=p.x + 0.01 * lap, y=p.y - 0.01 * lap))
    return out


@contextmanager
def _webgl_from(limit: int):
    saved = figures.WEBGL_FROM
    figures.WEBGL_FROM = limit
    try:
        yield
    finally:
        figures.WEBGL_FROM = saved


def _time(k, plan, marks, reps: int) -> tuple[float, float, int]:
    """Median (build + to_json, build alone) seconds and the JSON's size."""
    totals, builds, size = [], [], 0
    for _ in range(reps):
        t0 = time.perf_counter()
        fig = figures.back_view(k, plan, points=marks)
        t1 = time.perf_counter()
        size = len(fig.to_json())
        totals.append(time.perf_counter() - t0)
        builds.append(t1 - t0)
    return median(totals), median(builds), size


def _timed(fn, reps: int) -> float:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return median(times)


def measure(reps: int) -> Growth:
    k = load_knowledge()
    region = next(iter(k.regions))
    plan = make_plan(k, region, "combined", next(iter(k.stages)))
    _time(k, plan, synthetic(k, region, 10), 2)  # warm up: validators load on first use
    empty = _time(k, plan, None, reps)[0]
    shipped, build, svg, sizes = [], [], [], []
    for n in SIZES:
        marks = synthetic(k, region, n)
        total, built, size = _time(k, plan, marks, reps)
        shipped.append(total)
        build.append(built)
        sizes.append(size)
        with _webgl_from(10**9):
            svg.append(_time(k, plan, marks, reps)[0])
    fig = figures.back_view(k, plan, points=synthetic(k, region, SIZES[-1]))
    kinds = sorted({t.type for t in fig.data})
    blob = pickle.dumps(fig)
    few = max(1, reps // 2)
    cache_hit = _timed(lambda: pickle.loads(blob), few)
    send = _timed(lambda: plotly.io.to_json(fig.to_dict(), validate=False), few)
    colours = ["white"] * SIZES[-1]
    colour_list = _timed(lambda: go.scatter.Marker(line={"color": colours}), few)
    return Growth(SIZES, shipped, build, svg, sizes, empty, ", ".join(kinds), cache_hit, send, colour_list,
                  _has_colour_lists(fig))


def _has_colour_lists(fig) -> bool:
    for trace in fig.data:
        marker = getattr(trace, "marker", None)
        if marker is None:
            continue
        for value in (marker.color, marker.line.color if marker.line else None):
            if value is not None and not isinstance(value, str) and len(value) > 1:
                return True
    return False


def fit(sizes: list[int], times: list[float]) -> tuple[float, float, float]:
    """Least-squares line t = a + b n: (a seconds, b seconds per point, R²)."""
    n = len(sizes)
    mx, my = sum(sizes) / n, sum(times) / n
    sxx = sum((x - mx) ** 2 for x in sizes)
    b = sum((x - mx) * (y - my) for x, y in zip(sizes, times, strict=True)) / sxx
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in times)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(sizes, times, strict=True))
    return a, b, 1 - ss_res / ss_tot if ss_tot else 1.0
