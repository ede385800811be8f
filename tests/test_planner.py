"""The planner over all 36 combinations, and the values the articles give."""

from __future__ import annotations

import itertools

import pytest

from acumap import make_plan
from acumap.data.loading import Knowledge
from acumap.plan.planner import choices, firm_count
from acumap.plan.presenting import plan_json

QUANTITY_KEYS_JSON = ["needles", "depth_mm", "retention_s", "session_min", "course_sessions", "sessions_per_day",
                      "courses_per_year", "break_days"]
JSON_KEYS = ["region", "method", "stage", *QUANTITY_KEYS_JSON, "method_caveat", "stage_reading",
             "stage_outside_source", "standard_point_depth", "danger_depths", "safety_warnings"]
QUANTITY_KEYS = {"min", "max", "unit", "sources", "evidence", "conflict", "approximate", "wording", "note", "parts",
                 "not_stated_for", "pieces", "condition",
                 "reading", "generic", "set_aside", "caveats"}
COMBINATIONS = list(itertools.product(["cervical", "thoracic", "lumbar"], ["exciting", "combined", "sedative"],
                                      ["I", "II", "III", "IV"]))


def test_there_are_36_combinations(k: Knowledge) -> None:
    c = choices(k)
    assert len(list(itertools.product(c["region"], c["method"], c["stage"]))) == len(COMBINATIONS) == 36


@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_every_plan_is_well_formed(k: Knowledge, region: str, method: str, stage: str) -> None:
    doc = plan_json(k, make_plan(k, region, method, stage))
    assert list(doc) == JSON_KEYS
    assert (doc["region"], doc["method"], doc["stage"]) == (region, method, stage)
    for key in QUANTITY_KEYS_JSON:
        q = doc[key]
        if q is None:
            continue
        assert set(q) == QUANTITY_KEYS
        if q["not_stated_for"]:
            # No single range may read as complete while a method's part is not stated.
            assert q["min"] is None and q["max"] is None
            assert all(q["parts"][m] is None for m in q["not_stated_for"])
        elif q["pieces"] or (q["parts"] and (len({(p["min"], p["max"]) for p in q["parts"].values()}) > 1
                                             or any(p["pieces"] for p in q["parts"].values()))):
            # Issue 27, 3: no one range where the methods' parts differ or a part is split by stage.
            assert q["min"] is None and q["max"] is None
        else:
            assert q["min"] is not None or q["max"] is not None
        if q["min"] is not None and q["max"] is not None:
            assert q["min"] <= q["max"]
        assert q["sources"] == sorted({e["source"] for e in q["evidence"]}) and q["sources"]
        for ev in q["evidence"] + q["generic"] + q["set_aside"] + q["caveats"]:
            src = k.sources[ev["source"]]
            assert src.first_line <= ev["line"] <= src.last_line
    # These are stated for every combination by at least one article; courses a year only for the neck.
    for key in ("needles", "retention_s", "session_min", "course_sessions"):
        assert doc[key] is not None, key
    assert (doc["courses_per_year"] is None) == (region != "cervical")


def _q(k: Knowledge, region: str, method: str, stage: str, key: str):
    return plan_json(k, make_plan(k, region, method, stage))[key]


def test_needles_per_region(k: Knowledge) -> None:
    cervical = _q(k, "cervical", "sedative", "I", "needles")
    assert (cervical["min"], cervical["max"], cervical["sources"], cervical["conflict"]) == (8, 8, ["A", "D"], False)
    lumbar = _q(k, "lumbar", "sedative", "III", "needles")
    assert (lumbar["min"], lumbar["max"], lumbar["sources"]) == (5, 5, ["A", "D"])


def test_thoracic_needles_at_an_easy_stage_are_six(k: Knowledge) -> None:
    # D: "At an easy stage 6 suffices" speaks of the stage, and outranks the generic "7" (A, D).
    early = _q(k, "thoracic", "exciting", "I", "needles")
    assert (early["min"], early["max"], early["sources"]) == (6, 6, ["D"])
    assert [e["quote"] for e in early["evidence"]] == ["At an easy stage 6 suffices."]
    assert {(g["source"], g["line"]) for g in early["generic"]} == {("A", 204), ("D", 665)}
    late = _q(k, "thoracic", "exciting", "IV", "needles")
    assert (late["min"], late["max"], late["conflict"]) == (6, 7, True)
    assert all(e["quote"] != "At an easy stage 6 suffices." for e in late["evidence"])
    assert late["note"].startswith("Articles differ: A 6–7, D 7 needles.")


def test_depth_by_method_and_region(k: Knowledge) -> None:
    exciting = _q(k, "cervical", "exciting", "I", "depth_mm")
    assert (exciting["min"], exciting["max"], exciting["unit"]) == (3, 10, "mm")
    sedative = _q(k, "cervical", "sedative", "I", "depth_mm")
    assert (sedative["min"], sedative["max"], sedative["conflict"]) == (10, 20, True)
    assert sedative["sources"] == ["A", "C", "D"]
    thoracic = _q(k, "thoracic", "sedative", "II", "depth_mm")
    assert (thoracic["min"], thoracic["max"], thoracic["sources"]) == (15, 15, ["D"])
    both = _q(k, "cervical", "combined", "I", "depth_mm")
    # Issue 27, 3: the two methods' depths are two values, never one 3–20 mm range; the parts carry them.
    assert (both["min"], both["max"]) == (None, None)
    assert both["parts"]["exciting"]["max"] == 10 and both["parts"]["sedative"]["min"] == 10
    assert (both["parts"]["sedative"]["approximate"], both["parts"]["exciting"]["approximate"]) == (True, False)


def test_lumbar_sedative_depth_is_not_stated(k: Knowledge) -> None:
    assert _q(k, "lumbar", "sedative", "II", "depth_mm") is None
    both = _q(k, "lumbar", "combined", "II", "depth_mm")
    assert (both["min"], both["max"], both["not_stated_for"]) == (None, None, ["sedative"])
    assert both["parts"] == {"exciting": {"min": 3, "max": 10, "approximate": False, "sources": ["A", "D"],
                                          "pieces": None}, "sedative": None}
    assert "Not stated for the sedative needles." in both["note"]


def test_retention_in_seconds(k: Knowledge) -> None:
    sedative = _q(k, "thoracic", "sedative", "I", "retention_s")
    assert (sedative["min"], sedative["max"], sedative["unit"]) == (1200, 1800, "s")
    exciting = _q(k, "thoracic", "exciting", "I", "retention_s")
    # "from a few seconds to 4 minutes": no number for the lower bound.
    assert (exciting["min"], exciting["max"]) == (None, 240)
    both = _q(k, "thoracic", "combined", "I", "retention_s")
    assert (both["min"], both["max"]) == (None, None)  # up to 240 beside 1200–1800: two values, no range
    assert (both["parts"]["exciting"]["max"], both["parts"]["sedative"]["min"]) == (240, 1200)


def test_session_length_follows_the_stage_mapping(k: Knowledge) -> None:
    early = _q(k, "cervical", "sedative", "I", "session_min")
    assert (early["min"], early["max"], early["sources"]) == (None, 30, ["D"])
    assert {g["line"] for g in early["generic"]} == {208, 553}
    late = _q(k, "cervical", "sedative", "III", "session_min")
    assert (late["min"], late["max"], late["sources"], late["conflict"]) == (60, 60, ["D"], False)
    assert {e["line"] for e in late["evidence"]} == {655}
    middle = _q(k, "cervical", "sedative", "II", "session_min")
    assert {652, 655} == {e["line"] for e in middle["evidence"]}
    assert "Stage II" in middle["note"]
    thoracic = _q(k, "thoracic", "sedative", "II", "session_min")
    assert {164, 167} == {e["line"] for e in thoracic["evidence"]}
    # Stage II takes both stages' lines: no 15–60 range, each stage's own value.
    assert (thoracic["min"], thoracic["max"]) == (None, None)
    assert thoracic["pieces"] == [
        {"stage": "early", "min": 15, "max": 30, "approximate": False, "sources": ["A"]},
        {"stage": "advanced", "min": 60, "max": 60, "approximate": True, "sources": ["A"]}]
    assert middle["pieces"] == [
        {"stage": "early", "min": None, "max": 30, "approximate": True, "sources": ["D"]},
        {"stage": "advanced", "min": 60, "max": 60, "approximate": False, "sources": ["D"]}]


def test_course(k: Knowledge) -> None:
    plan = plan_json(k, make_plan(k, "lumbar", "exciting", "IV"))
    assert (plan["course_sessions"]["min"], plan["course_sessions"]["max"]) == (10, 15)
    # C 553 names no region (issue 27, 4): its course, daily sessions and break are every region's.
    assert plan["course_sessions"]["sources"] == ["A", "C", "D"]
    assert plan["courses_per_year"] is None  # A 184 is written of the neck
    assert (plan["break_days"]["min"], plan["break_days"]["sources"]) == (14, ["C"])
    neck = plan_json(k, make_plan(k, "cervical", "exciting", "IV"))
    assert (neck["break_days"]["min"], neck["break_days"]["max"], neck["break_days"]["sources"]) == (14, 14, ["C"])
    assert neck["course_sessions"]["sources"] == ["A", "C", "D"]


def test_unknown_choices_are_refused(k: Knowledge) -> None:
    with pytest.raises(ValueError, match="unknown region 'neck'"):
        make_plan(k, "neck", "sedative", "I")
    with pytest.raises(ValueError, match="choose from I, II, III, IV"):
        make_plan(k, "lumbar", "sedative", "V")


@pytest.mark.parametrize(("region", "stage", "firm"),
                         [("cervical", "II", 8), ("thoracic", "III", 6), ("lumbar", "I", 0)])
def test_firm_count_is_the_needles_every_article_asks_for(k: Knowledge, region: str, stage: str, firm: int) -> None:
    """The planner's rule (the figures fade, and the alternatives describe, the needles beyond it):
    thoracic, A asks for 6-7 and D for 7, so 6 are firm; lumbar, D says only "up to 5", so none is."""
    assert firm_count(make_plan(k, region, "sedative", stage).quantities["needles"]) == firm
