"""Issue 9, the course calendar: the shortest and the longest reading use the plan's bounds, pieces
no article states for the region say "not stated", and every rule carries its articles."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from acumap import load_knowledge, make_plan
from acumap.charts.course import course_calendar, course_readings, course_rows
from acumap.data.loading import Knowledge
from acumap.plan.formatting import quantity_text, span_text
from tests.conftest import edit_data, unwrapped

COMBINATIONS = list(itertools.product(["cervical", "thoracic", "lumbar"], ["exciting", "combined", "sedative"],
                                      ["I", "II", "III", "IV"]))


def squares(fig: dict, reading: str) -> dict[str, int]:
    """Course trace name -> number of session squares, for one reading."""
    return {t["name"]: len(t["x"]) for t in fig["data"]
            if t["name"].startswith(f"{reading}:course") and t["mode"] == "markers"}


def texts(fig: dict, prefix: str) -> list[str]:
    return [t["text"][0] for t in fig["data"] if t["name"].startswith(prefix) and t.get("text")]


@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_readings_use_the_plans_bounds(k: Knowledge, region: str, method: str, stage: str) -> None:
    plan = make_plan(k, region, method, stage)
    sessions, per_year = plan.quantities["course_sessions"], plan.quantities["courses_per_year"]
    shortest, longest = course_readings(k, plan)
    # Courses a year are stated for the neck only (A 184): elsewhere one course is drawn, not a guess.
    assert (per_year is None) == (region != "cervical")
    low, high = (per_year.min, per_year.max) if per_year else (None, None)
    assert (shortest.sessions, shortest.courses) == (sessions.min, low)
    assert (longest.sessions, longest.courses) == (sessions.max, high)
    fig = course_calendar(k, plan).to_plotly_json()
    for reading, n_sessions, n_courses in (("shortest", sessions.min, low or 1), ("longest", sessions.max, high or 1)):
        drawn = squares(fig, reading)
        assert len(drawn) == n_courses and set(drawn.values()) == {n_sessions}
        assert len(texts(fig, f"{reading}:break")) == n_courses - 1
        if per_year is None:
            assert "not stated" in texts(fig, f"{reading}:per_year_not_stated")[0]


@pytest.mark.parametrize("region", ["cervical", "thoracic", "lumbar"])
def test_rows_carry_the_plans_values_and_articles(k: Knowledge, region: str, seed_lines: list[str]) -> None:
    plan = make_plan(k, region, "sedative", "II")
    rows = {r.key: r for r in course_rows(k, plan)}
    assert list(rows) == ["course_sessions", "sessions_per_day", "break_days", "courses_per_year"]
    for key, row in rows.items():
        q = plan.quantities[key]
        if q is None:
            assert (row.low, row.high, row.value, row.sources, row.evidence) == (None, None, "not stated", (), ())
            assert row.shortest == row.longest == "not stated"
            continue
        assert (row.low, row.high) == (q.min, q.max)
        assert row.value == quantity_text(k.strings, q)  # as the cards say it ("daily", "about 5")
        assert row.sources == tuple(q.sources)
        assert {(e.source, e.line, e.quote) for e in row.evidence} == \
            {(st.claim.source, st.claim.line, st.claim.quote) for st in q.statements}
        for ev in row.evidence:
            assert ev.quote in seed_lines[ev.line - 1]
    for key in ("course_sessions", "courses_per_year"):  # the readings take one bound each
        q = plan.quantities[key]
        if q is None:
            continue
        unit, shown = q.spec.unit, q.spec.display_unit
        assert rows[key].shortest == span_text(k.strings, q.min, q.min, unit, shown)
        assert rows[key].longest == span_text(k.strings, q.max, q.max, unit, shown)
    fig = course_calendar(k, plan).to_plotly_json()
    squares_hover = unwrapped(next(t for t in fig["data"] if t["name"] == "shortest:course1")["hovertext"][0])
    for key in ("course_sessions", "courses_per_year"):
        for ev in rows[key].evidence:
            assert f"{ev.source}, line {ev.line}" in squares_hover and ev.quote in squares_hover


def test_daily_and_break_no_line_states_are_said_to_be_not_stated(data_copy: Path) -> None:
    # Only C 553 states them (for every region): without its two statements, nothing is filled in.
    for table in ("sessions_per_day", "break"):
        edit_data(data_copy, "session.toml", rf"\[\[{table}\]\]\n(?:(?!\[\[)[^\n]*\n)*", "")
    k = load_knowledge(data_copy)
    plan = make_plan(k, "thoracic", "sedative", "I")
    assert plan.quantities["sessions_per_day"] is None and plan.quantities["break_days"] is None
    rows = {r.key: r for r in course_rows(k, plan)}
    for key in ("sessions_per_day", "break_days"):
        assert rows[key].value == "not stated" and rows[key].evidence == ()
    # The articles' caution on frequent sessions stays beside the unstated daily rule.
    assert any("line 206" in n for n in rows["sessions_per_day"].notes)
    fig = course_calendar(k, plan).to_plotly_json()
    breaks = texts(fig, "shortest:break") + texts(fig, "longest:break")
    assert all("not stated" in t for t in breaks)  # one course (none a year is stated here): no break drawn
    per_day = texts(fig, "shortest:per_day") + texts(fig, "longest:per_day")
    assert len(per_day) == 2 and all("not stated" in t for t in per_day)


@pytest.mark.parametrize("region", ["cervical", "thoracic", "lumbar"])
def test_every_region_has_daily_sessions_and_a_conditional_break_from_article_c(k: Knowledge, region: str) -> None:
    # C 553 continues C 550 on osteochondrosis in general (issue 27, 4): every region's. Its break holds only
    # "if necessary": it never reads as a rule.
    plan = make_plan(k, region, "sedative", "I")
    rows = {r.key: r for r in course_rows(k, plan)}
    brk, daily = plan.quantities["break_days"], plan.quantities["sessions_per_day"]
    assert rows["break_days"].value == span_text(k.strings, brk.min, brk.max, "days", "days") + \
        ", if treatment is resumed"
    assert rows["break_days"].sources == rows["sessions_per_day"].sources == ("C",)
    fig = course_calendar(k, plan).to_plotly_json()
    assert daily.parts[0].wording == "daily" and rows["sessions_per_day"].value == "daily"
    assert all("how often: daily" in t for t in texts(fig, "longest:per_day"))
    breaks = texts(fig, "longest:break")
    if plan.quantities["courses_per_year"] is None:  # one course drawn (none a year stated): no break between
        assert breaks == []
        return
    assert breaks and all(rows["break_days"].value in t.replace("<br>", " ") for t in breaks)
    hover = unwrapped(next(t for t in fig["data"] if t["name"] == "longest:break1")["hovertext"][0])
    assert "C, line 553" in hover


def test_an_unstated_bound_is_not_drawn(data_copy: Path) -> None:
    # No courses a year at all; every course statement becomes 'up to 15' (no lower bound).
    edit_data(data_copy, "session.toml", r'\[\[courses_per_year\]\]\n(?:(?!\[\[)[^\n]*\n)*', "", 1)
    edit_data(data_copy, "session.toml", r'min = 10\nmax = 15\nunit = "sessions"', 'max = 15\nunit = "sessions"', 3)
    edit_data(data_copy, "session.toml", r'value = 15\nunit = "sessions"', 'max = 15\nunit = "sessions"', 1)  # A 180
    k = load_knowledge(data_copy)
    plan = make_plan(k, "thoracic", "sedative", "I")
    shortest, longest = course_readings(k, plan)
    assert shortest.sessions is None and longest.sessions == 15 and longest.courses is None
    rows = {r.key: r for r in course_rows(k, plan)}
    assert rows["course_sessions"].value == "up to 15 sessions" and rows["course_sessions"].shortest == "not stated"
    assert rows["courses_per_year"].value == "not stated"
    fig = course_calendar(k, plan).to_plotly_json()
    assert squares(fig, "shortest") == {} and texts(fig, "shortest:sessions_not_stated")
    assert squares(fig, "longest") == {"longest:course1": 15}  # one course, not a guessed number of them
    assert "not stated" in texts(fig, "longest:per_year_not_stated")[0]
