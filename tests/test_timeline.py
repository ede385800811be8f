"""Issue 9, the session timeline: every span is the plan's, for all 36 combinations; a range is
drawn as a range, an open end as open, and "not stated" where no article states a value; the rows
(the text alternative) carry the same numbers and articles."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from acumap import load_knowledge, make_plan
from acumap.charts.timeline import Row, session_timeline, timeline_rows
from acumap.data.loading import Knowledge
from acumap.plan.formatting import span_text
from tests.conftest import edit_data, unwrapped, values

COMBINATIONS = list(itertools.product(["cervical", "thoracic", "lumbar"], ["exciting", "combined", "sedative"],
                                      ["I", "II", "III", "IV"]))


def minutes(v: float | None, unit: str) -> float | None:
    return None if v is None else v / 60 if unit == "s" else v


def expected_spans(k: Knowledge, region: str, method: str, stage: str) -> dict[str, tuple]:
    """Straight from the plan: (low, high, sources) in minutes per row key; (None, None, ()) not stated."""
    plan = make_plan(k, region, method, stage)
    session = plan.quantities["session_min"]
    assert session is None or session.spec.unit == "min"
    # A session split by stage (stage II: 15–30 beside about 60) is a row per stage, never one 15–60 bar.
    spans = {(f"session:{piece.severity}" if piece.severity else "session"): (*piece.span, tuple(piece.sources))
             for piece in session.parts[0].pieces} if session else {"session": (None, None, ())}
    retention = plan.quantities["retention_s"]
    assert retention is None or retention.spec.unit == "s"
    for m in k.components(method):
        part = retention.part(m) if retention else None
        spans[f"retention:{m}"] = ((minutes(part.span[0], "s"), minutes(part.span[1], "s"), tuple(part.sources))
                                   if part and part.stated else (None, None, ()))
    return spans


def bars(fig: dict) -> dict[str, list[tuple[float, float]]]:
    """Trace name -> [(start, end)] of its bar segments."""
    found = {}
    for t in fig["data"]:
        if t["type"] == "bar":
            found[t["name"]] = [(b, b + w) for b, w in zip(values(t["base"]), values(t["x"]), strict=True)]
    return found


@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_rows_and_bars_equal_the_plan(k: Knowledge, region: str, method: str, stage: str) -> None:
    expected = expected_spans(k, region, method, stage)
    plan = make_plan(k, region, method, stage)
    rows = timeline_rows(k, plan)
    assert [r.key for r in rows][0].startswith("session")
    assert {r.key: (r.low, r.high, r.sources) for r in rows} == expected
    assert (stage == "II" and region != "lumbar") == ("session:early" in expected and "session:advanced" in expected)
    drawn = bars(session_timeline(k, plan).to_plotly_json())
    for key, (low, high, _) in expected.items():
        if low is not None and high is not None:
            if low > 0:
                assert drawn[f"{key}:solid"] == [(0, low)]
            if high > low:
                assert drawn[f"{key}:range"] == [(low, high)]
            else:
                assert f"{key}:range" not in drawn
        if low is None and high is not None:  # "up to": nothing drawn as sure, a fade from zero to the bound
            assert f"{key}:solid" not in drawn and f"{key}:range" not in drawn
            segments = drawn[f"{key}:open_low"]
            assert segments[0][0] == 0 and segments[-1][1] == pytest.approx(high)
        if high is None and low is not None:
            assert drawn[f"{key}:solid"] == [(0, low)] and drawn[f"{key}:open_high"][0][0] == pytest.approx(low)
        if low is None and high is None:
            assert not any(name.startswith(f"{key}:") for name in drawn)


@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_rows_carry_the_plans_text_and_articles(k: Knowledge, region: str, method: str, stage: str) -> None:
    plan = make_plan(k, region, method, stage)
    rows = {r.key: r for r in timeline_rows(k, plan)}
    session = plan.quantities["session_min"]
    for piece in session.parts[0].pieces:
        row = rows[f"session:{piece.severity}" if piece.severity else "session"]
        # The value with its lines' hedge ("up to about 30 min"); the stage, where split, names the row.
        assert row.value == span_text(k.strings, *piece.span, "min", "min", about=piece.approximate)
        assert {(e.source, e.line) for e in row.evidence} == {(st.claim.source, st.claim.line)
                                                             for st in piece.statements}
        if piece.severity:
            assert k.strings.get(f"severity.{piece.severity}") in row.label
    retention = plan.quantities["retention_s"]
    for m in k.components(method):
        part = retention.part(m)
        row = rows[f"retention:{m}"]
        assert row.value == span_text(k.strings, *part.span, "s", "min", about=part.approximate)
        assert {(e.source, e.line, e.quote) for e in row.evidence} == \
            {(st.claim.source, st.claim.line, st.claim.quote) for st in part.statements}
    fig = session_timeline(k, plan).to_plotly_json()
    for t in fig["data"]:
        row = rows[t["name"].rsplit(":", 1)[0]]
        for hover in map(unwrapped, t["hovertext"]):
            for ev in row.evidence:
                assert f"{ev.source}, line {ev.line}" in hover and ev.quote in hover
    labels = [a["text"] for a in fig["layout"]["annotations"]]
    assert all(any(r.value in text for text in labels) for r in rows.values() if r.stated)


def test_both_methods_side_by_side_under_both(k: Knowledge) -> None:
    rows = timeline_rows(k, make_plan(k, "thoracic", "combined", "I"))
    assert [r.key for r in rows] == ["session", "retention:exciting", "retention:sedative"]
    assert [r.key for r in timeline_rows(k, make_plan(k, "thoracic", "sedative", "I"))] == \
        ["session", "retention:sedative"]


def test_the_exciting_retention_is_open_below(k: Knowledge) -> None:
    """A 219: 'from a few seconds to 4 minutes'; D 674: 'a maximum of 4 minutes' - no lower number."""
    plan = make_plan(k, "cervical", "exciting", "I")
    part = plan.quantities["retention_s"].part("exciting")
    assert part.span[0] is None
    (row,) = [r for r in timeline_rows(k, plan) if r.key == "retention:exciting"]
    assert row.open_low and not row.open_high and row.value == "up to 4 min"
    fade = next(t for t in session_timeline(k, plan).to_plotly_json()["data"] if t["name"].endswith(":open_low"))
    opacity = fade["marker"]["opacity"]
    assert list(opacity) == sorted(opacity) and opacity[0] < opacity[-1]  # faint at the open end


def test_session_reading_is_marked(k: Knowledge, seed_lines: list[str]) -> None:
    rows = timeline_rows(k, make_plan(k, "thoracic", "sedative", "I"))
    session = rows[0]
    assert session.reading  # A 164 is for the initial stage: the stage mapping is our reading
    for ev in session.evidence:
        assert ev.quote in seed_lines[ev.line - 1]


def test_not_stated_and_open_upper_end(data_copy: Path) -> None:
    # No sedative retention at all; the advanced sessions only 'from' their number.
    sedative_retention = r'\[\[retention\]\]\n(?:(?!\[\[)[^\n]*\n)*?methods = \["sedative"\]\n(?:(?!\[\[)[^\n]*\n)*'
    edit_data(data_copy, "session.toml", sedative_retention, "", 3)
    edit_data(data_copy, "session.toml", r'value = 1\nunit = "h"', 'min = 1\nunit = "h"', 1)
    edit_data(data_copy, "session.toml", r'value = 60\nunit = "min"', 'min = 60\nunit = "min"', 1)
    k = load_knowledge(data_copy)
    plan = make_plan(k, "thoracic", "combined", "III")
    rows = {r.key: r for r in timeline_rows(k, plan)}
    sedative: Row = rows["retention:sedative"]
    assert not sedative.stated and sedative.value == "not stated" and sedative.evidence == ()
    assert plan.quantities["session_min"].parts[0].span == (60, None)
    assert rows["session"].open_high and rows["session"].value == "from about 60 min"  # A 167 says "about"
    fig = session_timeline(k, plan).to_plotly_json()
    drawn = bars(fig)
    assert drawn["session:solid"] == [(0, 60)] and drawn["session:open_high"][0][0] == 60
    assert "retention:exciting:open_low" in drawn
    assert not any(name.startswith("retention:sedative") for name in drawn)
    (text,) = [t for t in fig["data"] if t["name"] == "retention:sedative:not_stated"]
    assert "not stated" in text["text"][0]
    fade = fig["data"][[t["name"] for t in fig["data"]].index("session:open_high")]["marker"]["opacity"]
    assert list(fade) == sorted(fade, reverse=True)  # fading out past the stated bound
