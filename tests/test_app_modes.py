"""The three modes headless with AppTest: presenter mode (large figure, a lesson stepped with previous
and next, the key numbers with their lines), the quiz (seeded questions, answers scored, clicks on
the back view), the mode switch, and the explore screen's timeline and course panels. Expected
values come from the acumap package, never from numbers written here, except where a test names
what an article says."""

from __future__ import annotations

import math
from html import escape

import pytest
from streamlit.testing.v1 import AppTest

from acumap import make_plan
from acumap.charts.course import course_rows
from acumap.charts.figures import click_grid
from acumap.charts.timeline import timeline_rows
from acumap.data import anatomy as anat
from acumap.data.loading import Knowledge
from acumap.style import EXPLORE, PRESENT
from acumap.teach import lesson, links
from acumap.teach.quiz import CLICK, make_quiz
from tests.conftest import trace, values
from tests.support.apptest import blocks, click_chart, figures, move, opened
from tests.test_app_links import link_notices
from ui.quiz import QUESTIONS


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in blocks(at))


def click(at: AppTest, key: str, button: str) -> AppTest:
    at.button(key=button).click().run()
    assert not at.exception, at.exception
    return at


# --- presenter mode --------------------------------------------------------------------------------
def numbers_shown(at: AppTest) -> str:
    found = [m.value for m in blocks(at) if 'class="acu-present"' in m.value]
    assert len(found) == 1
    return found[0]


def assert_step(at: AppTest, k: Knowledge, region: str, method: str, stage: str) -> None:
    steps = lesson.steps(k)
    index = steps.index(lesson.Step(region, method))
    fig = figures(at)["present_view"]
    html = numbers_shown(at)  # the title is the text beside the figure, not inside it
    assert "title" not in fig["layout"]
    assert k.strings.get(f"region.{region}") in html and k.strings.get(f"method.{method}") in html
    assert f"Step {index + 1} of {len(steps)}" in html
    plan = make_plan(k, region, method, stage)
    numbers = lesson.key_numbers(k, plan)
    assert [n.key for n in numbers] == ["needles", "depth_mm", "retention_s", "session_min"]
    for n in numbers:
        assert f'<dd class="acu-val">{escape(n.value)}</dd>' in html
        for c in n.cites:
            assert f'<dd class="acu-cite">{escape(c)}</dd>' in html
    # As many needle markers as the plan gives.
    assert len(values(trace(fig, "needles")["x"])) == plan.quantities["needles"].max
    assert at.query_params["mode"] == "present"


def test_present_mode_draws_the_large_back_view_and_hides_the_secondary_panels(k: Knowledge) -> None:
    at = opened({"mode": "present"})
    charts = figures(at)
    assert set(charts) == {"present_view"}  # no explore back view, no depth view
    fig = charts["present_view"]
    assert fig["layout"]["font"]["size"] == PRESENT.font == EXPLORE.font * 1.5
    assert trace(fig, "needles")["marker"]["size"] == PRESENT.needle_size
    assert fig["layout"]["height"] > 600  # the explore view is at most 520 + its margins
    assert not [b for b in at.button_group if b.key == "panel"]
    assert not [m for m in blocks(at) if "acu-pgrid" in m.value]  # no card grid
    assert at.button_group(key="mode").value == "present"
    # A presenter link that names no step opens at the lesson's first step (issue 16: step 3 of 9).
    first = lesson.steps(k)[0]
    assert_step(at, k, first.region, first.method, "I")
    assert at.query_params["step"] == "1"


def test_a_presenter_link_opens_at_the_step_it_names(k: Knowledge) -> None:
    steps = lesson.steps(k)
    for n in (1, 5, len(steps)):
        at = opened({"mode": "present", "step": str(n)})
        assert_step(at, k, steps[n - 1].region, steps[n - 1].method, "I")
        assert at.query_params["step"] == str(n)
    # A link from before steps were named keeps its region and method.
    at = opened({"mode": "present", "region": "lumbar", "method": "sedative"})
    assert_step(at, k, "lumbar", "sedative", "I")
    assert at.query_params["step"] == str(steps.index(lesson.Step("lumbar", "sedative")) + 1)
    # A step the lesson has not: the first step, and the notice says what was ignored.
    at = opened({"mode": "present", "step": str(len(steps) + 1)})
    assert_step(at, k, steps[0].region, steps[0].method, "I")
    assert f"step={len(steps) + 1} (not a step of the lesson)" in " ".join(link_notices(at))
    # Outside presenter mode a step means nothing, and is said so.
    at = opened({"step": "2"})
    assert "step=2 (a step is for presenter mode only)" in " ".join(link_notices(at))
    assert "step" not in at.query_params


def test_present_numbers_come_with_their_article_lines(k: Knowledge) -> None:
    at = opened({"mode": "present", "region": "cervical", "method": "sedative", "stage": "I"})
    html = numbers_shown(at)
    # Article A, line 202 and D, line 663 give the neck's eight needles.
    assert '<dd class="acu-val">8 needles</dd>' in html
    assert "A, line 202: “Depth of introduction - about 1-2 centimeters, needles usually use about 8.”" in html
    assert "D, line 663: “the number of needles is 8”" in html
    assert '<dd class="acu-val">up to about 30 min</dd>' in html and "Session, stage I" in html
    # No article states the sedative depth in the lumbar region: it says so, with no line.
    at = opened({"mode": "present", "region": "lumbar", "method": "sedative"})
    html = numbers_shown(at)
    assert '<dt data-key="depth_mm">Depth</dt><dd class="acu-val">not stated</dd>' \
           '<dd class="acu-cite">No article states this.</dd>' in html


def test_previous_and_next_step_through_each_region_and_method(k: Knowledge) -> None:
    steps = lesson.steps(k)
    assert len(steps) == len(k.regions) * len(k.methods)
    at = opened({"mode": "present", "region": steps[0].region, "method": steps[0].method, "stage": "III"})
    assert at.button(key="present_previous").disabled
    for step in steps[1:]:
        click(at, "present", "present_next")
        assert_step(at, k, step.region, step.method, "III")
        defaults = {"region": next(iter(k.regions)), "method": k.default_method}
        want = {"region": step.region, "method": step.method, "stage": "III", "mode": "present",
                "step": str(steps.index(step) + 1)}
        assert dict(at.query_params) == {n: v for n, v in want.items() if defaults.get(n) != v}
    assert at.button(key="present_next").disabled
    click(at, "present", "present_previous")
    assert_step(at, k, steps[-2].region, steps[-2].method, "III")


def test_the_mode_switch_keeps_the_view_and_the_url_follows(k: Knowledge) -> None:
    at = opened({"region": "lumbar", "stage": "III"})
    at.button_group(key="mode").set_value("present").run()
    assert not at.exception
    assert "present_view" in figures(at) and "Lumbar" in numbers_shown(at)
    assert dict(at.query_params) == {"region": "lumbar", "stage": "III", "mode": "present",
                                     "step": str(lesson.steps(k).index(lesson.Step("lumbar", k.default_method)) + 1)}
    at.button_group(key="mode").set_value("quiz").run()
    assert not at.exception
    assert dict(at.query_params) == {"region": "lumbar", "stage": "III", "mode": "quiz",
                                     "seed": str(links.DEFAULT_SEED)}
    at.button_group(key="mode").set_value("explore").run()
    assert not at.exception
    assert at.radio(key="region").value == "lumbar" and at.select_slider(key="stage").value == "III"
    assert set(figures(at)) == {"back_view", "depth_view"}
    assert "mode" not in at.query_params


# --- quiz ------------------------------------------------------------------------------------------
def first_seed(k: Knowledge, click_first: bool) -> int:
    return next(seed for seed in range(1, 500)
                if (make_quiz(k, seed, QUESTIONS)[0].kind == CLICK) == click_first)


def question_shown(at: AppTest) -> tuple[str, list[str]]:
    radios = [r for r in at.radio if r.key and r.key.startswith("quiz_choice_")]
    if radios:
        return radios[0].label, list(radios[0].options)
    prompt = next(m.value for m in blocks(at) if m.value.startswith("**Click"))
    return prompt.strip("*"), []


def test_the_same_seed_gives_the_same_questions_in_the_same_order(k: Knowledge) -> None:
    seed = first_seed(k, click_first=False)
    a, b = opened({"mode": "quiz", "seed": str(seed)}), opened({"mode": "quiz", "seed": str(seed)})
    expected = make_quiz(k, seed, QUESTIONS)[0]
    assert question_shown(a) == question_shown(b) == (expected.prompt, [c.text for c in expected.choices])
    # Another seed asks something else first (for some seed: kinds take turns in a seeded order).
    others = {question_shown(opened({"mode": "quiz", "seed": str(s)}))[0] for s in range(seed + 1, seed + 6)}
    assert others - {expected.prompt}
    assert any(f"Question set {seed}:" in c.value for c in a.caption)


def test_a_quiz_without_seed_takes_the_default_and_shows_it(k: Knowledge) -> None:
    at = opened({"mode": "quiz"})
    assert at.query_params["seed"] == str(links.DEFAULT_SEED)
    assert any(f"Question set {links.DEFAULT_SEED}:" in c.value for c in at.caption)
    assert any(c.value.endswith(f"?mode=quiz&seed={links.DEFAULT_SEED}") for c in at.code)
    first = make_quiz(k, links.DEFAULT_SEED, QUESTIONS)[0]
    if first.kind != CLICK:
        assert question_shown(at)[0] == first.prompt
    # A bad seed: the notice, and the default seed's questions.
    at = opened({"mode": "quiz", "seed": "x1"})
    assert link_notices(at) == ["Ignored from the link: seed=x1 (not a whole number)"]
    assert at.query_params["seed"] == str(links.DEFAULT_SEED)


def answer(at: AppTest, seed: int, index: int, key: str) -> AppTest:
    at.radio(key=f"quiz_choice_{seed}_0_{index}").set_value(key).run()  # choosing reruns, as in the browser
    return click(at, "quiz", "quiz_submit")


def test_answers_are_scored_with_the_right_value_and_its_quote(k: Knowledge) -> None:
    seed = next(s for s in range(1, 500) if all(q.kind != CLICK for q in make_quiz(k, s, QUESTIONS)[:2]))
    qs = make_quiz(k, seed, QUESTIONS)
    at = opened({"mode": "quiz", "seed": str(seed)})
    assert "**Score: 0 of 0**" in markdown(at)
    first, second = qs[0], qs[1]
    answer(at, seed, 0, first.correct)
    assert [s.value for s in at.success] == ["Right."] and not at.error
    assert "**Score: 1 of 1**" in markdown(at)
    for cite in first.cites:
        assert f"- {cite}" in markdown(at)
    assert at.radio(key=f"quiz_choice_{seed}_0_0").disabled  # answered: it counts once
    click(at, "quiz", "quiz_next")
    assert question_shown(at)[0] == second.prompt
    wrong = next(c for c in second.choices if c.key != second.correct)
    answer(at, seed, 1, wrong.key)
    assert [e.value for e in at.error] == [f"Not quite: the articles give {second.correct_text}."]
    assert "**Score: 1 of 2**" in markdown(at)
    text = markdown(at)
    assert all(f"- {c}" in text for c in second.cites) if second.cites else "No article states this." in text


def test_the_round_ends_with_the_score_and_starts_again(k: Knowledge) -> None:
    seed = links.DEFAULT_SEED
    qs = make_quiz(k, seed, QUESTIONS)
    assert len(qs) == QUESTIONS and any(q.kind == CLICK for q in qs)
    spots = list(zip(*click_grid(k), strict=True))
    at = opened({"mode": "quiz", "seed": str(seed)})
    for i, q in enumerate(qs):
        right = i % 2 == 0
        if q.kind == CLICK:
            send_click(at, f"quiz_click_{seed}_0_{i}", *next(p for p in spots if q.target.contains(*p) == right))
        else:
            answer(at, seed, i, q.correct if right else next(c.key for c in q.choices if c.key != q.correct))
        assert f"**Score: {i // 2 + 1} of {i + 1}**" in markdown(at)
        click(at, "quiz", "quiz_next")
    right = math.ceil(len(qs) / 2)
    assert [s.value for s in at.success] == [f"Done. Score: {right} of {len(qs)}."]
    click(at, "quiz", "quiz_restart")
    assert "**Score: 0 of 0**" in markdown(at) and question_shown(at)[0] == qs[0].prompt


def send_click(at: AppTest, key: str, x: float, y: float) -> AppTest:
    """The chart's own selection event, as the browser sends it after a click on a grid spot."""
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(key))
    click_chart(at, chart, [{"x": x, "y": y, "curve_number": 5, "point_index": 0}])
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("inside", [True, False], ids=["in the zone", "outside the zone"])
def test_a_click_question_is_answered_by_a_click_on_the_back_view(k: Knowledge, inside: bool) -> None:
    seed = first_seed(k, click_first=True)
    q = make_quiz(k, seed, QUESTIONS)[0]
    at = opened({"mode": "quiz", "seed": str(seed)})
    key = f"quiz_click_{seed}_0_0"
    canvas = figures(at)[key]
    grid = trace(canvas, "click_grid")
    spots = list(zip(values(grid["x"]), values(grid["y"]), strict=True))
    assert spots == list(zip(*click_grid(k), strict=True))
    # The question's own zone is not drawn before the answer.
    assert not [t for t in canvas["data"] if t.get("fill") == "toself" and t.get("hoveron") == "fills"]
    x, y = next(p for p in spots if q.target.contains(*p) == inside)
    send_click(at, key, x, y)
    if inside:
        assert [s.value for s in at.success] == ["Right."]
    else:
        assert [e.value for e in at.error] == [f"Not quite: the articles give {q.correct_text}."]
    assert f"**Score: {int(inside)} of 1**" in markdown(at)
    text = markdown(at)
    for cite in q.cites:
        assert f"- {cite}" in text
    # The answer shows the zone and the spot given.
    after = figures(at)[f"quiz_answer_{seed}_0_0"]
    assert values(trace(after, "clicked")["x"]) == [x] and values(trace(after, "clicked")["y"]) == [y]
    zone = [t for t in after["data"] if t.get("hoveron") == "fills"]
    assert len(zone) == 1 and k.strings.get(f"region.{q.region}") in zone[0]["name"]


@pytest.mark.parametrize("inside", [True, False])
def test_a_click_question_is_answered_by_a_labelled_level_and_distance(k: Knowledge, inside: bool) -> None:
    # Issue 16: the click question was mouse-only.
    seed = first_seed(k, click_first=True)
    q = make_quiz(k, seed, QUESTIONS)[0]
    at = opened({"mode": "quiz", "seed": str(seed)})
    level, side = at.selectbox(key=f"quiz_level_{seed}_0_0"), at.selectbox(key=f"quiz_side_{seed}_0_0")
    names = {v.name: -v.drop for v in k.anatomy.vertebrae}
    assert level.options[:3] == ["C1", "C2", "C3"] and "L5" in level.options
    assert side.options[:3] == ["0 B-cun", "0.5 B-cun", "1 B-cun"]
    assert at.button(key="quiz_submit").disabled  # nothing chosen yet
    # The zone's first level at the midline is in it; the level below the zone's end is not.
    top = names[q.target.zone.from_]
    below = max(y for y in names.values() if not q.target.contains(0.0, y) and y < top)
    chosen = top if inside else below
    level.set_value(chosen)
    side.set_value(0.0)
    at.run()
    click(at, "quiz", "quiz_submit")
    if inside:
        assert [s.value for s in at.success] == ["Right."]
    else:
        assert [e.value for e in at.error] == [f"Not quite: the articles give {q.correct_text}."]
    assert f"**Score: {int(inside)} of 1**" in markdown(at)
    # The answer marks the spot chosen, as it would a click.
    after = figures(at)[f"quiz_answer_{seed}_0_0"]
    assert values(trace(after, "clicked")["x"]) == [0.0] and values(trace(after, "clicked")["y"]) == [chosen]


def test_a_click_question_can_be_skipped(k: Knowledge) -> None:
    seed = first_seed(k, click_first=True)
    q = make_quiz(k, seed, QUESTIONS)[0]
    at = opened({"mode": "quiz", "seed": str(seed)})
    click(at, "quiz", "quiz_skip")
    assert [e.value for e in at.error] == [f"Skipped: the articles give {q.correct_text}."]
    assert "**Score: 0 of 1**" in markdown(at)
    for cite in q.cites:
        assert f"- {cite}" in markdown(at)
    click(at, "quiz", "quiz_next")
    assert "Question 2 of" in markdown(at)


def test_the_click_grid_covers_every_zone(k: Knowledge) -> None:
    gx, gy = click_grid(k)
    for region, r in k.regions.items():
        inside = [(x, y) for x, y in zip(gx, gy, strict=True)
                  if anat.zone_contains(k.anatomy, r.zone, float(-y), x)]
        # every marker spot of the zone has a grid spot within half a grid step either way
        for spot in r.markers:
            sy = anat.y_of(k.anatomy, spot.level)
            assert any(abs(x - spot.x) <= 0.25 + 1e-9 and abs(y - sy) <= 0.25 + 1e-9 for x, y in inside), \
                (region, spot)


# --- timeline and course panels --------------------------------------------------------------------
def panel(at: AppTest, name: str) -> AppTest:
    return move(at, panel=name)


@pytest.mark.parametrize(("region", "method", "stage"), [("thoracic", "combined", "II"), ("cervical", "sedative", "IV"),
                                                         ("lumbar", "exciting", "I")])
def test_timeline_panel_shows_the_plans_spans_with_its_text(k: Knowledge, region: str, method: str,
                                                            stage: str) -> None:
    at = panel(opened({"region": region, "method": method, "stage": stage}), "timeline")
    plan = make_plan(k, region, method, stage)
    table = at.table[0].value
    rows = timeline_rows(k, plan)
    assert list(table.index) == [r.label for r in rows]
    assert [v.split(" (")[0] for v in table.iloc[:, 0]] == [r.value for r in rows]
    fig = figures(at)["timeline_view"]
    # The session bar ends where the plan's session does (in minutes).
    session = plan.quantities["session_min"]
    # A bar per stage where stage II takes both stages' lines, each ending where its own lines do.
    for piece in session.parts[0].pieces if session else ():
        key = f"session:{piece.severity}:" if piece.severity else "session:"
        low, high = piece.span
        if high is not None:
            ends = [b + w for t in fig["data"] if t["name"].startswith(key) and t["type"] == "bar"
                    for b, w in zip(values(t["base"]), values(t["x"]), strict=True)]
            assert max(ends) == pytest.approx(high)
        if low is not None and high is not None and high > low:
            assert values(trace(fig, f"{key}range")["base"]) == [pytest.approx(low)]
    # Each method's stay: the plan's part, in minutes; the quotes beside it.
    retention = plan.quantities["retention_s"]
    for m in k.components(method):
        part = retention.part(m) if retention else None
        row = table.loc[k.strings.get("timeline.retention", method=k.strings.get(f"method.{m}"))]
        if part is None or not part.stated:
            assert row.iloc[0] == "not stated"
            continue
        low, high = part.span
        if high is not None:
            ends = [b + w for t in fig["data"] if t["name"].startswith(f"retention:{m}:") and t["type"] == "bar"
                    for b, w in zip(values(t["base"]), values(t["x"]), strict=True)]
            assert max(ends) == pytest.approx(high / 60)
        for st_ in part.statements:
            assert f"{st_.claim.source}, line {st_.claim.line}: “{st_.claim.quote}”" in row.iloc[1]


@pytest.mark.parametrize("region", ["cervical", "thoracic", "lumbar"])
def test_course_panel_shows_the_plans_course_with_its_text(k: Knowledge, region: str) -> None:
    at = panel(opened({"region": region}), "course")
    plan = make_plan(k, region, k.default_method, "I")
    table = at.table[0].value
    rows = course_rows(k, plan)
    assert list(table.index) == [r.label for r in rows]
    assert list(table.iloc[:, 0]) == [r.value for r in rows]
    fig = figures(at)["course_view"]
    sessions = plan.quantities["course_sessions"]
    if sessions is not None:
        for reading, bound in (("shortest", sessions.min), ("longest", sessions.max)):
            if bound is not None:
                assert len(values(trace(fig, f"{reading}:course1")["x"])) == math.ceil(bound)
        for st_ in sessions.statements:
            assert f"{st_.claim.source}, line {st_.claim.line}" in table.loc[rows[0].label].iloc[-1]
    else:
        assert table.loc[rows[0].label].iloc[0] == "not stated"
