"""The planner over all 36 combinations, and the values the articles give."""

from __future__ import annotations

import itertools

import pytest

from acumap import make_plan
from acumap.loading import Knowledge
from acumap.planner import choices

JSON_KEYS = ["region", "method", "stage", "needles", "depth_mm", "retention_s", "session_min",
             "course_sessions", "courses_per_year", "break_days"]
QUANTITY_KEYS = {"min", "max", "unit", "sources", "evidence", "conflict", "note"}
COMBINATIONS = list(itertools.product(["cervical", "thoracic", "lumbar"], ["exciting", "combined", "sedative"],
                                      ["I", "II", "III", "IV"]))


def test_there_are_36_combinations(k: Knowledge) -> None:
    c = choices(k)
    assert len(list(itertools.product(c["region"], c["method"], c["stage"]))) == len(COMBINATIONS) == 36


@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_every_plan_is_well_formed(k: Knowledge, region: str, method: str, stage: str) -> None:
    doc = make_plan(k, region, method, stage).to_json()
    assert list(doc) == JSON_KEYS
    assert (doc["region"], doc["method"], doc["stage"]) == (region, method, stage)
    for key in JSON_KEYS[3:]:
        q = doc[key]
        if q is None:
            continue
        assert set(q) == QUANTITY_KEYS
        assert q["min"] is not None or q["max"] is not None
        if q["min"] is not None and q["max"] is not None:
            assert q["min"] <= q["max"]
        assert q["sources"] == sorted({e["source"] for e in q["evidence"]}) and q["sources"]
        for ev in q["evidence"]:
            assert set(ev) == {"source", "line", "quote"}
            src = k.sources[ev["source"]]
            assert src.first_line <= ev["line"] <= src.last_line
    # These are stated for every combination by at least one article.
    for key in ("needles", "retention_s", "session_min", "course_sessions", "courses_per_year", "break_days"):
        assert doc[key] is not None, key


def _q(k: Knowledge, region: str, method: str, stage: str, key: str):
    return make_plan(k, region, method, stage).to_json()[key]


def test_needles_per_region(k: Knowledge) -> None:
    cervical = _q(k, "cervical", "sedative", "I", "needles")
    assert (cervical["min"], cervical["max"], cervical["sources"], cervical["conflict"]) == (8, 8, ["A", "D"], False)
    lumbar = _q(k, "lumbar", "sedative", "III", "needles")
    assert (lumbar["min"], lumbar["max"], lumbar["sources"]) == (5, 5, ["A", "D"])


def test_thoracic_needles_follow_the_easy_stage(k: Knowledge) -> None:
    # A: 7, often only 6. D: 7, and 6 at an easy stage (stage I, our reading).
    early = _q(k, "thoracic", "exciting", "I", "needles")
    assert (early["min"], early["max"], early["conflict"]) == (6, 7, False)
    assert {(e["source"], e["quote"]) for e in early["evidence"]} >= {("D", "At an easy stage 6 suffices.")}
    late = _q(k, "thoracic", "exciting", "IV", "needles")
    assert (late["min"], late["max"], late["conflict"]) == (6, 7, True)
    assert all(e["quote"] != "At an easy stage 6 suffices." for e in late["evidence"])
    assert late["note"].startswith("Articles differ: A 6-7, D 7 needles.")


def test_depth_by_method_and_region(k: Knowledge) -> None:
    exciting = _q(k, "cervical", "exciting", "I", "depth_mm")
    assert (exciting["min"], exciting["max"], exciting["unit"], exciting["conflict"]) == (3, 10, "mm", False)
    sedative = _q(k, "cervical", "sedative", "I", "depth_mm")
    assert (sedative["min"], sedative["max"], sedative["conflict"]) == (10, 20, True)
    assert sedative["sources"] == ["A", "C", "D"]
    thoracic = _q(k, "thoracic", "sedative", "II", "depth_mm")
    assert (thoracic["min"], thoracic["max"], thoracic["sources"]) == (15, 15, ["D"])
    both = _q(k, "cervical", "combined", "I", "depth_mm")
    assert (both["min"], both["max"]) == (3, 20)


def test_lumbar_sedative_depth_is_not_stated(k: Knowledge) -> None:
    assert _q(k, "lumbar", "sedative", "II", "depth_mm") is None
    both = _q(k, "lumbar", "combined", "II", "depth_mm")
    assert (both["min"], both["max"]) == (3, 10)
    assert "Not stated for the sedative needles." in both["note"]


def test_retention_in_seconds(k: Knowledge) -> None:
    sedative = _q(k, "thoracic", "sedative", "I", "retention_s")
    assert (sedative["min"], sedative["max"], sedative["unit"]) == (1200, 1800, "s")
    exciting = _q(k, "thoracic", "exciting", "I", "retention_s")
    # "from a few seconds to 4 minutes": no number for the lower bound.
    assert (exciting["min"], exciting["max"]) == (None, 240)
    both = _q(k, "thoracic", "combined", "I", "retention_s")
    assert (both["min"], both["max"]) == (None, 1800)


def test_session_length_follows_the_stage_mapping(k: Knowledge) -> None:
    early = _q(k, "cervical", "sedative", "I", "session_min")
    assert (early["min"], early["max"]) == (10, 30)
    late = _q(k, "cervical", "sedative", "III", "session_min")
    assert (late["min"], late["max"], late["conflict"]) == (10, 60, True)
    lines = {e["line"] for e in late["evidence"]}
    assert {167, 655} <= lines and not {164, 652} & lines
    middle = _q(k, "cervical", "sedative", "II", "session_min")
    assert {164, 167, 652, 655} <= {e["line"] for e in middle["evidence"]}
    assert "Stage II" in middle["note"]


def test_course(k: Knowledge) -> None:
    plan = make_plan(k, "lumbar", "exciting", "IV").to_json()
    assert (plan["course_sessions"]["min"], plan["course_sessions"]["max"]) == (10, 15)
    assert plan["course_sessions"]["sources"] == ["A", "C", "D"]
    assert (plan["courses_per_year"]["min"], plan["courses_per_year"]["max"]) == (2, 3)
    assert (plan["break_days"]["min"], plan["break_days"]["max"], plan["break_days"]["sources"]) == (14, 14, ["C"])


def test_unknown_choices_are_refused(k: Knowledge) -> None:
    with pytest.raises(ValueError, match="unknown region 'neck'"):
        make_plan(k, "neck", "sedative", "I")
    with pytest.raises(ValueError, match="choose from I, II, III, IV"):
        make_plan(k, "lumbar", "sedative", "V")
