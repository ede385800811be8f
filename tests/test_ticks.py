"""The back view's tick labels: the page's chart and the exported file keep the same ones, chosen by
one rule (acumap.ticks), far enough apart to be read at the narrowest width the page draws."""

from __future__ import annotations

import pytest

from acumap import exports
from acumap.figures import back_view
from acumap.loading import Knowledge
from acumap.planner import make_plan
from acumap.style import EXPLORE, PRESENT, Style
from acumap.ticks import TICK_GAP


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
