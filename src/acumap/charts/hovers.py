"""Hover texts that fit their chart. Plotly draws a hover label with one line per `<br>` and never wraps
a line itself; a label wider than the chart is cut off at the chart's edges (seen at 1280x720: a thoracic
needle's spinal-canal line lost its start and its end). Each line is wrapped here at spaces."""

from __future__ import annotations

import functools
import re

import numpy as np
import plotly.graph_objects as go

# Characters per hover line. The narrowest back view is a 390 px phone's (its chart about 358 px wide): at 60
# a Russian needle hover ran 7 px past it, at 54 it fitted (tests/browser/test_layout.py); 50 leaves room
# for a narrower phone.
HOVER_CHARS = 50

_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def _visible(word: str) -> int:
    return len(_TAG.sub("", word)) if "<" in word else len(word)


def wrap_line(line: str, chars: int = HOVER_CHARS) -> list[str]:
    """One line (no `<br>` in it) as lines of at most `chars` visible characters where its words allow;
    a single longer word stays whole. Tags stay where they are: Plotly carries a `<b>` or `<i>` over a
    `<br>` (checked in Chromium), and closing and opening them at every break would only add to the
    figure's JSON (where Plotly writes each < and > as six characters)."""
    if _visible(line) <= chars:
        return [line]
    out: list[list[str]] = [[]]
    width = 0
    for word in line.split(" "):
        size = _visible(word)
        if out[-1] and width + 1 + size > chars:
            out.append([])
            width = 0
        width += size + (1 if out[-1] else 0)
        out[-1].append(word)
    return [" ".join(words) for words in out]


@functools.lru_cache(maxsize=8192)
def _wrap(text: str, chars: int) -> str:
    return "<br>".join(part for line in _BREAK.split(text) for part in wrap_line(line, chars))


def wrap(text: str, chars: int = HOVER_CHARS) -> str:
    """A hover text with every line wrapped (see wrap_line). The same texts come back on every figure
    built (a points layer repeats its hovers), so the wrapped ones are remembered."""
    if not isinstance(text, str) or len(text) <= chars:  # tags only add to len(): nothing to wrap
        return text
    return _wrap(text, chars)


def _wrapped(value: object, chars: int) -> object:
    if isinstance(value, str):
        return wrap(value, chars)
    if isinstance(value, np.ndarray):
        return np.array([wrap(v, chars) for v in value], dtype=object)
    if isinstance(value, list | tuple):
        return [wrap(v, chars) for v in value]
    return value


def fit_trace(trace: go.Scatter | go.Scattergl | go.Bar, chars: int = HOVER_CHARS) -> None:
    """Wrap a trace's hover texts in place: `hovertext`, and `text` where it is shown only on hover (a
    trace whose mode draws its text keeps those labels as they are)."""
    if getattr(trace, "hoverinfo", None) in ("skip", "none"):
        return
    if getattr(trace, "hovertext", None) is not None:
        trace.hovertext = _wrapped(trace.hovertext, chars)
    # A scatter trace's `text` is its hover unless its mode draws it; other kinds (bars) draw their text.
    if trace.type in ("scatter", "scattergl") and trace.text is not None and "text" not in (trace.mode or ""):
        trace.text = _wrapped(trace.text, chars)


def fit_hovers(fig: go.Figure, chars: int = HOVER_CHARS) -> go.Figure:
    """Every trace of `fig` through fit_trace; returns `fig`."""
    for trace in fig.data:
        fit_trace(trace, chars)
    return fig
