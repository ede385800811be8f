"""The back view's tick labels: the page's chart and the exported file keep the same ones, chosen by
one rule (acumap.charts.ticks), far enough apart to be read at the narrowest width the page draws."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from acumap.charts.figures import back_view, click_canvas
from acumap.charts.ticks import TICK_GAP, fit_tick_labels
from acumap.data.loading import Knowledge
from acumap.output import exports
from acumap.plan.planner import make_plan
from acumap.style import EXPLORE, PRESENT, Style
from ui.quiz import CANVAS


def px_per_unit(fig, width: float) -> float:
    layout = fig.layout
    plot_w = width - layout.margin.l - layout.margin.r
    plot_h = layout.height - layout.margin.t - layout.margin.b
    return min(plot_w / (layout.xaxis.range[1] - layout.xaxis.range[0]),
               plot_h / (layout.yaxis.range[1] - layout.yaxis.range[0]))


@pytest.mark.parametrize("style", [EXPLORE, PRESENT])
@pytest.mark.parametrize("focus", [False, True])
def test_spine_levels_are_labelled_apart_at_the_narrowest_width(k: Knowledge, style: Style,
                                                                 focus: bool) -> None:
    for region in k.regions:
        fig = back_view(k, make_plan(k, region, "combined", "III"), focus=focus, style=style)
        ys = list(fig.layout.yaxis.tickvals)
        px = px_per_unit(fig, style.narrowest_width)
        gaps = [(b - a) * px for a, b in zip(ys, ys[1:], strict=False)]
        assert len(ys) >= 3 and min(gaps) >= 0.8 * (style.small_font + TICK_GAP), (region, gaps)
        assert fig.layout.xaxis.tickangle == 0


def test_the_whole_back_labels_fewer_levels_than_it_has_and_the_file_keeps_the_pages_ones(k: Knowledge) -> None:
    fig = back_view(k, make_plan(k, "lumbar", "sedative", "II"), focus=False)
    shown = list(fig.layout.yaxis.ticktext)
    assert 3 <= len(shown) < len(k.anatomy.vertebrae)
    assert "C1" in shown
    exported = exports.export_figure(fig)
    assert list(exported.layout.yaxis.ticktext) == shown
    assert list(exported.layout.xaxis.ticktext) == list(fig.layout.xaxis.ticktext)


@pytest.mark.parametrize("style", [EXPLORE, PRESENT], ids=["explore", "present"])
def test_the_back_views_height_bounds_are_in_order(style: Style) -> None:
    assert style.back_min_height <= style.back_max_height


@pytest.mark.parametrize("reveal", [None, "lumbar"])
def test_the_quizs_click_canvas_thins_the_spine_labels_as_the_back_view_does(k: Knowledge, reveal: str | None) -> None:
    # The canvas showed every level of the whole spine, about 6 px apart at a phone's width.
    canvas = click_canvas(k, title="t", style=CANVAS, reveal=reveal)
    ys = list(canvas.layout.yaxis.tickvals)
    px = px_per_unit(canvas, CANVAS.narrowest_width)
    gaps = [(b - a) * px for a, b in zip(ys, ys[1:], strict=False)]
    assert 3 <= len(ys) < len(k.anatomy.vertebrae)
    assert min(gaps) >= CANVAS.small_font + TICK_GAP, gaps
    assert "C1" in canvas.layout.yaxis.ticktext
    assert canvas.layout.xaxis.tickvals is None  # Plotly still picks the B-cun axis's ticks


def test_the_click_canvas_is_thinned_by_the_one_rule(k: Knowledge) -> None:
    canvas = click_canvas(k, title="t", style=EXPLORE)
    fitted = go.Figure(canvas)
    fit_tick_labels(fitted, EXPLORE.narrowest_width)  # thinning again changes nothing: it was applied
    assert list(fitted.layout.yaxis.ticktext) == list(canvas.layout.yaxis.ticktext)
