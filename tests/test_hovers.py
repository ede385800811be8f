"""Hover texts wrapped to fit their chart (acumap.charts.hovers): lines no longer than HOVER_CHARS where the words
allow, nothing lost, Plotly's tags balanced on every line, and chart labels left alone."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acumap import load_knowledge, make_plan
from acumap.charts.course import course_calendar
from acumap.charts.depth import depth_view
from acumap.charts.figures import back_view
from acumap.charts.hovers import HOVER_CHARS, wrap, wrap_line
from acumap.charts.timeline import session_timeline
from acumap.plan.points import placements
from tests.conftest import unwrapped

TAG = re.compile(r"<(/?)(\w+)[^>]*>")


def visible(line: str) -> str:
    return TAG.sub("", line)


def balanced(line: str) -> bool:
    stack: list[str] = []
    for m in TAG.finditer(line):
        if m.group(2) == "br":
            continue
        if m.group(1):
            if not stack or stack.pop() != m.group(2):
                return False
        else:
            stack.append(m.group(2))
    return not stack


def test_a_short_line_is_left_as_it_is() -> None:
    assert wrap("<b>BL11</b> Dazhu") == "<b>BL11</b> Dazhu"
    assert wrap_line("x" * HOVER_CHARS) == ["x" * HOVER_CHARS]


def test_a_long_bold_line_is_broken_inside_its_tag_and_loses_no_word() -> None:
    # Plotly keeps a <b> open across a <br>: the tag stays once around the whole line.
    text = "<b>⚠ " + " ".join(["canal"] * 30) + " [DM].</b>"
    out = wrap(text, 20)
    lines = out.split("<br>")
    assert len(lines) > 1 and all(len(visible(line)) <= 20 for line in lines)
    assert out.count("<b>") == 1 and out.count("</b>") == 1
    assert unwrapped(out) == text


def test_tags_count_for_nothing_in_a_lines_length() -> None:
    lines = wrap_line("<b>Thoracic needle 1 of 7</b> · below T1 and a few more words here", 22)
    assert lines[0] == "<b>Thoracic needle 1 of 7</b>"
    assert " ".join(lines) == "<b>Thoracic needle 1 of 7</b> · below T1 and a few more words here"


def test_a_word_longer_than_a_line_stays_whole() -> None:
    word = "x" * (HOVER_CHARS + 5)
    assert wrap_line(f"a {word} b") == ["a", word, "b"]


words = st.text(alphabet=st.characters(codec="utf-8", exclude_characters=" <>\n\r\t"), min_size=1, max_size=12)


@given(st.lists(words, min_size=1, max_size=40), st.integers(min_value=8, max_value=60),
       st.sampled_from(["", "b", "i"]))
def test_wrapping_keeps_every_word_in_order_and_each_line_fits(ws: list[str], chars: int, tag: str) -> None:
    line = " ".join(ws)
    text = f"<{tag}>{line}</{tag}>" if tag else line
    out = wrap(text, chars)
    assert unwrapped(out) == text
    assert balanced(out)
    for part in out.split("<br>"):
        assert len(visible(part)) <= chars or " " not in visible(part)


K = load_knowledge()


def hover_lines(fig) -> list[str]:
    out = []
    for t in fig.to_plotly_json()["data"]:
        if t.get("hoverinfo") in ("skip", "none"):
            continue
        texts = []
        # `text` is a hover only on a scatter trace whose mode does not draw it.
        hover_only = t.get("type") in (None, "scatter", "scattergl") and "text" not in (t.get("mode") or "")
        for field in ("hovertext", "text") if hover_only else ("hovertext",):
            v = t.get(field)
            texts += [v] if isinstance(v, str) else list(v) if v is not None else []
        out += [line for text in texts for line in str(text).split("<br>")]
    return out


# Every region with every method, the stages taken in turn (a stage changes the numbers, not the lines' length).
VIEWS = [(region, method, ("I", "II", "III", "IV")[i % 4]) for i, (region, method) in
         enumerate(itertools.product(["cervical", "thoracic", "lumbar"], ["exciting", "combined", "sedative"]))]


@pytest.mark.parametrize(("region", "method", "stage"), VIEWS)
def test_every_hover_line_of_every_chart_fits(region: str, method: str, stage: str) -> None:
    plan = make_plan(K, region, method, stage)
    figs = [back_view(K, plan, points=placements(K, region)), depth_view(K, plan), session_timeline(K, plan),
            course_calendar(K, plan)]
    lines = [line for fig in figs for line in hover_lines(fig)]
    assert lines
    long = [line for line in lines if len(visible(line)) > HOVER_CHARS and " " in visible(line)]
    assert not long, long[:3]


def test_labels_drawn_on_the_chart_are_not_wrapped() -> None:
    plan = make_plan(K, "thoracic", "sedative", "III")
    fig = back_view(K, plan, points=placements(K, "thoracic")).to_plotly_json()
    labelled = [t for t in fig["data"] if "text" in (t.get("mode") or "") and t.get("text") is not None]
    assert labelled
    assert all("<br>" not in str(label) for t in labelled for label in t["text"])
