"""Which tick labels of the back view fit side by side: shared by the page's chart (figures.back_view),
the quiz's click canvas (figures.click_canvas) and the exported files (exports.export_figure), so that
none draws labels on one another.

In the whole back the spine's levels are about 6 px apart on the page: Plotly drew every label, on
top of each other, and turned the crowded B-cun offsets on their side. Only the labels that fit are
kept, upright; a chart wider than the one the labels were chosen for spaces them further apart."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

# Tick labels are kept this far apart (in pixels, besides their own size), so that none covers its
# neighbour.
TICK_GAP = 4.0
CHAR_WIDTH = 0.62  # an upper estimate of a digit's width, as a fraction of the font size
# The plot may lose some height to the legend (Plotly moves the bottom margin for it): the spacing
# of the ticks is worked out on this share of the height the layout asks for.
PLOT_SHARE = 0.8


def _spaced(ticks: list[tuple[float, str]], px_per_unit: float,
            room: Callable[[str, str], float]) -> tuple[list[float], list[str]]:
    """The ticks to label, chosen in the order given (the most telling first) so that each kept one
    is at least `room(text_a, text_b)` pixels from every other kept one; returned in axis order."""
    kept: list[tuple[float, str]] = []
    for value, text in ticks:
        if all(abs(value - v) * px_per_unit >= room(text, t) for v, t in kept):
            kept.append((value, text))
    kept.sort()
    return [v for v, _ in kept], [t for _, t in kept]


def fit_tick_labels(fig: go.Figure, width: float) -> None:
    """Keep on `fig` (an equal-aspect back view with tick values and texts on the spine's axis, and on the
    B-cun axis unless Plotly picks its ticks) only the tick labels that fit side by side without touching
    when it is drawn `width` CSS pixels wide, upright."""
    layout = fig.layout
    font = layout.font.size or 12
    x0, x1 = layout.xaxis.range
    y0, y1 = layout.yaxis.range
    margin = layout.margin
    plot_w = width - (margin.l or 0) - (margin.r or 0)
    plot_h = (layout.height - (margin.t or 0) - (margin.b or 0)) * PLOT_SHARE
    # Equal aspect: one unit is as many pixels on both axes, set by the tighter of the two.
    px = min(plot_w / (x1 - x0), plot_h / (y1 - y0))
    y_font = layout.yaxis.tickfont.size or font
    ys, y_text = _spaced(list(zip(layout.yaxis.tickvals, layout.yaxis.ticktext, strict=True)), px,
                         lambda a, b: y_font + TICK_GAP)
    fig.update_layout(yaxis={"tickvals": ys, "ticktext": y_text}, xaxis={"tickangle": 0})
    if layout.xaxis.tickvals is None:  # Plotly's own ticks (the quiz's canvas): it spaces those itself
        return
    x_font = layout.xaxis.tickfont.size or font
    x_ticks = list(zip(layout.xaxis.tickvals, layout.xaxis.ticktext, strict=True))
    # Whole numbers of B-cun first (the midline, then outwards), the half steps where there is room.
    x_ticks.sort(key=lambda t: (not float(t[0]).is_integer(), abs(t[0])))
    xs, x_text = _spaced(x_ticks, px, lambda a, b: CHAR_WIDTH * x_font * (len(a) + len(b)) / 2 + TICK_GAP)
    fig.update_layout(xaxis={"tickvals": xs, "ticktext": x_text})
