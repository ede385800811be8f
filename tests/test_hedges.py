"""Issue 27, 2-4: a value keeps its lines' "about" and their conditions, no headline is a range that no
line states, and one region rule holds for every article. Checked for all 36 combinations in both
languages, on every surface that shows a value: the cards, the needle hovers, the plan JSON, the CSV,
the session timeline, the course, presenter mode's key numbers and the quiz."""

from __future__ import annotations

import itertools
import re

import pytest

from acumap import load_knowledge, make_plan
from acumap.charts.course import course_rows
from acumap.charts.figures import back_view
from acumap.charts.timeline import timeline_rows
from acumap.data.loading import Knowledge
from acumap.output.exports import csv_rows
from acumap.plan.planner import Plan
from acumap.plan.presenting import parameter_cards, plan_json
from acumap.teach.lesson import key_numbers
from acumap.teach.quiz import question_pool
from tests.conftest import trace, unwrapped

COMBINATIONS = list(itertools.product(["cervical", "thoracic", "lumbar"], ["exciting", "combined", "sedative"],
                                      ["I", "II", "III", "IV"]))
KNOWLEDGE = {lang: load_knowledge(lang=lang) for lang in ("en", "ru")}
ABOUT = {"en": "about", "ru": "около"}
UP_TO_ABOUT = {"en": "up to about 30", "ru": "примерно до 30"}
# Ranges that only merging two lines (of two stages, or of two methods) could give: no line states them.
MERGED = {"en": ("15–60", "up to 60", "3–20"), "ru": ("15–60", "до 60", "3–20")}


def surfaces(k: Knowledge, plan: Plan) -> dict[str, str]:
    """Every text that shows a value of the plan, by where it is shown."""
    fig = back_view(k, plan).to_plotly_json()
    return {
        "cards": " | ".join(f"{c.key}: {c.value}" for c in parameter_cards(k, plan)),
        "hovers": " | ".join(unwrapped(t) for t in trace(fig, "needles")["text"]),
        "csv": " | ".join(f"{r.quantity}: {r.value}" for r in csv_rows(k, plan)),
        "timeline": " | ".join(f"{r.label}: {r.value}" for r in timeline_rows(k, plan)),
        "course": " | ".join(f"{r.key}: {r.value}" for r in course_rows(k, plan)),
        "lesson": " | ".join(f"{n.key}: {n.value}" for n in key_numbers(k, plan)),
    }


# 2 -- "about" kept --------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_the_necks_sedative_depth_reads_about_everywhere(lang: str, region: str, method: str, stage: str) -> None:
    # A 202 "about 1-2 centimeters", D 663 "about two centimeters", C 503 "(about 2 cm)": every bound hedged.
    k = KNOWLEDGE[lang]
    plan = make_plan(k, region, method, stage)
    depth = plan_json(k, plan)["depth_mm"]
    if method == "exciting" or region == "lumbar":
        # A 219 "only 3-10 mm" and D 674 "up to 10 mm" give no hedge; the lumbar sedative depth is not stated.
        if method == "sedative":  # the lumbar sedative depth: no line states it
            assert depth is None
            return
        exciting = depth["parts"]["exciting"] if depth["parts"] else depth
        assert (exciting["min"], exciting["max"], exciting["approximate"]) == (3, 10, False)
        assert f"{ABOUT[lang]} 3–10" not in surfaces(k, plan)["cards"]
        if method == "combined":
            assert depth["parts"]["sedative"] is None
        return
    part = depth["parts"]["sedative"] if depth["parts"] else depth
    if region == "cervical":
        assert (part["min"], part["max"], part["approximate"]) == (10, 20, True)
        shown = surfaces(k, plan)
        for where in ("cards", "hovers", "csv"):
            assert f"{ABOUT[lang]} 10–20" in shown[where], where
        assert not re.search(r"(?<!около )(?<!about )\b10–20 (mm|мм)", shown["hovers"] + shown["csv"])
    else:  # D 665 "at 1.5 centimeters": no hedge to keep, none added
        assert part["approximate"] is False and f"{ABOUT[lang]} 15" not in surfaces(k, plan)["cards"]


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("method", ["exciting", "combined", "sedative"])
def test_the_necks_stage_i_session_keeps_approximately(lang: str, method: str) -> None:
    # D 652 "approximately up to 30 minutes" is the only line for the neck's initial stage.
    k = KNOWLEDGE[lang]
    plan = make_plan(k, "cervical", method, "I")
    assert plan_json(k, plan)["session_min"]["approximate"] is True
    shown = surfaces(k, plan)
    for where in ("cards", "csv", "timeline", "lesson"):
        assert UP_TO_ABOUT[lang] in shown[where], (where, shown[where])
    answers = [q for q in question_pool(k) if q.kind == "session" and q.region == "cervical" and q.stage == "I"]
    assert answers and all(q.correct_text == UP_TO_ABOUT[lang] for q in answers)


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_a_value_is_hedged_exactly_where_its_lines_are(lang: str, region: str, method: str, stage: str) -> None:
    # Where no line behind a headline says "about", the headline never does; where every line giving its
    # bounds does, it always does.
    k = KNOWLEDGE[lang]
    plan = make_plan(k, region, method, stage)
    cards = {c.key: c.value for c in parameter_cards(k, plan)}
    word = ABOUT[lang] if lang == "en" else r"около|примерно"
    for key, q in plan.quantities.items():
        if q is None or q.by_method:
            continue
        for piece in q.parts[0].pieces:
            hedged = [st.claim.about for st in piece.statements]
            if not any(hedged):
                assert not piece.approximate
            if all(hedged) and not piece.wording:
                assert piece.approximate and re.search(word, cards[key]), (key, cards[key])


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_each_lines_value_in_a_note_keeps_its_own_hedge(lang: str) -> None:
    k = KNOWLEDGE[lang]
    about = ABOUT[lang]
    notes = {c.key: c.note or "" for c in parameter_cards(k, make_plan(k, "lumbar", "sedative", "I"))}
    assert f"A {about} 5, D {'up to' if lang == 'en' else 'до'} 5" in notes["needles"]
    notes = {c.key: c.note or "" for c in parameter_cards(k, make_plan(k, "cervical", "sedative", "I"))}
    assert f"A {about} 10–20, D {about} 20, C {about} 20" in notes["depth_mm"]
    assert f"A 20–30, D {about} 30, C {about} 30" in notes["retention_s"]


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_the_break_says_it_holds_if_treatment_is_resumed(lang: str, region: str, method: str, stage: str) -> None:
    # C 553: "if necessary, treatment can be resumed after a two-week break" - never a rule on its own.
    k = KNOWLEDGE[lang]
    plan = make_plan(k, region, method, stage)
    condition = {"en": "if treatment is resumed", "ru": "если лечение возобновляют"}[lang]
    assert plan_json(k, plan)["break_days"]["condition"] == condition
    shown = surfaces(k, plan)
    for where in ("cards", "csv", "course"):
        assert re.search(rf"break_days: 14[^|]*, {condition}", shown[where]), (where, shown[where])


# 3 -- no headline a range that no line states -----------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_no_surface_shows_a_range_merged_across_lines(lang: str, region: str, method: str, stage: str) -> None:
    k = KNOWLEDGE[lang]
    plan = make_plan(k, region, method, stage)
    for where, text in surfaces(k, plan).items():
        for merged in MERGED[lang]:
            assert not re.search(rf"(?<![\d–]){merged}(?!\d)", text), (where, merged, text)
    doc = plan_json(k, plan)
    for key, q in plan.quantities.items():
        if q is not None and (q.split or len({p.span for p in q.parts}) > 1):
            assert (doc[key]["min"], doc[key]["max"]) == (None, None), key


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(("region", "method"), list(itertools.product(["cervical", "thoracic"],
                                                                       ["exciting", "combined", "sedative"])))
def test_stage_ii_shows_each_stages_session_side_by_side(lang: str, region: str, method: str) -> None:
    k = KNOWLEDGE[lang]
    s = k.strings
    plan = make_plan(k, region, method, "II")
    early, late = s.get("severity.early"), s.get("severity.advanced")
    expected = {"cervical": (UP_TO_ABOUT[lang], "60"), "thoracic": ("15–30", f"{ABOUT[lang]} 60")}[region]
    card = next(c.value for c in parameter_cards(k, plan) if c.key == "session_min")
    assert card == f"{expected[0]} ({early}) · {expected[1]} ({late})"
    rows = [r for r in timeline_rows(k, plan) if r.key.startswith("session")]
    assert [r.key for r in rows] == ["session:early", "session:advanced"]  # two bars, never one 15–60
    assert [r.value.rsplit(" ", 1)[0] for r in rows] == list(expected)
    pieces = plan_json(k, plan)["session_min"]["pieces"]
    assert [p["stage"] for p in pieces] == ["early", "advanced"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_quiz_answer_or_choice_is_two_stages_side_by_side(lang: str) -> None:
    k = KNOWLEDGE[lang]
    pool = question_pool(k)
    joiner = k.strings.get("value.joiner")
    for q in pool:
        assert joiner not in q.correct_text or q.kind in ("depth", "retention"), q.correct_text
        for c in q.choices:
            assert k.strings.get("severity.early") not in c.text and k.strings.get("severity.advanced") not in c.text
            for merged in MERGED[lang]:
                assert not re.search(rf"(?<![\d–]){merged}(?!\d)", c.text), (q.id, c.text)
    # Stage II's session for the neck and the thoracic spine is asked nowhere; stage I's and III's are.
    asked = {(q.region, q.stage) for q in pool if q.kind == "session"}
    assert ("thoracic", "II") not in asked and ("cervical", "II") not in asked
    assert ("thoracic", "III") in asked or ("thoracic", None) in asked


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_two_values_from_one_line_are_told_apart_by_stage(lang: str) -> None:
    k = KNOWLEDGE[lang]
    note = next(c.note for c in parameter_cards(k, make_plan(k, "thoracic", "sedative", "II")) if c.key == "needles")
    assert f"D 665 ({k.strings.get('severity.early')}) 6, A 6–7, D 665 7" in (note or "")
    assert "(line 665)" not in (note or "") and "(строка 665)" not in (note or "")


# 4 -- one region rule ----------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("stage", ["I", "II", "III", "IV"])
def test_a_region_with_no_line_for_the_stage_says_so_in_one_line(lang: str, stage: str) -> None:
    k = KNOWLEDGE[lang]
    note = next(c.note for c in parameter_cards(k, make_plan(k, "lumbar", "sedative", stage))
                if c.key == "session_min") or ""
    said = k.strings.get("plan.no_stage_line", stage=stage, region=k.strings.get("region_part.lumbar"),
                         others=", ".join(k.strings.get(f"region_part.{r}") for r in ("cervical", "thoracic")))
    assert note.count(said) == 1
    # Where the region has its own line for the stage, no such line.
    for region in ("cervical", "thoracic"):
        note = next(c.note for c in parameter_cards(k, make_plan(k, region, "sedative", stage))
                    if c.key == "session_min") or ""
        assert k.strings.get("plan.no_stage_line", stage=stage, region=k.strings.get(f"region_part.{region}"),
                             others="").split("(")[0] not in note


def test_a_164_and_d_652_point_to_each_other() -> None:
    k = KNOWLEDGE["en"]
    by_line = {(c.source, c.line): c for c in k.facts["session_length"]}
    assert "Article D has the same passage (line 652" in (by_line[("A", 164)].note or "")
    assert "Article A has the same passage (line 164" in (by_line[("D", 652)].note or "")
    ru = {(c.source, c.line): c for c in KNOWLEDGE["ru"].facts["session_length"]}
    assert "статье D (строка 652" in (ru[("A", 164)].note or "")
    assert "статье A (строка 164" in (ru[("D", 652)].note or "")


def test_d_657_is_rendered_as_may_be_from_10_to_15() -> None:
    d657 = next(c for c in KNOWLEDGE["en"].facts["course_sessions"] if (c.source, c.line) == ("D", 657))
    assert "может составлять от 10 до 15 сеансов" in (d657.quote_ru or "")


def test_the_data_guide_states_the_region_rule_and_the_hedge_rule() -> None:
    from tests.support.paths import REPO

    text = (REPO / "docs" / "data.md").read_text(encoding="utf-8")
    region = text.split("### The region rule", 1)[1].split("###", 1)[0]
    hedge = text.split("### The hedge rule", 1)[1].split("##", 1)[0]
    assert "Filled by" not in region + hedge
    assert "sentence by sentence, for every article" in region and "C 553" in region
    assert "each bound it states comes only from \"about\" lines" in hedge and "if treatment is resumed" in hedge
