"""Nothing on the page may look surer or safer than its sources: one test per correction, through
the values the page, the hovers, the depth view and the plan JSON are built from."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from acumap import load_knowledge, make_plan
from acumap.charts.depth import depth_view
from acumap.charts.figures import back_view
from acumap.data.errors import DataError
from acumap.data.loading import Knowledge
from acumap.plan.points import hover as point_hover
from acumap.plan.points import site_at
from acumap.plan.presenting import danger_gap_text, parameter_cards, plan_json, source_blocks
from acumap.plan.standard_depth import zone_depth
from acumap.style import EXPLORE
from tests.conftest import edit_data, trace, unwrapped, values

COMBINATIONS = list(itertools.product(["cervical", "thoracic", "lumbar"], ["exciting", "combined", "sedative"],
                                      ["I", "II", "III", "IV"]))


def card(k: Knowledge, region: str, method: str, stage: str, key: str):
    return next(c for c in parameter_cards(k, make_plan(k, region, method, stage)) if c.key == key)


def needle_hovers(k: Knowledge, region: str, method: str, stage: str) -> list[str]:
    fig = back_view(k, make_plan(k, region, method, stage)).to_plotly_json()
    return [unwrapped(t) for t in trace(fig, "needles")["text"]]


# 1 -- a method part no article states is said as plainly as the stated one --------------------
def test_lumbar_depth_under_both_says_the_sedative_part_is_not_stated(k: Knowledge) -> None:
    assert card(k, "lumbar", "combined", "I", "depth_mm").value == "exciting 3–10 · sedative: not stated"
    for hover in needle_hovers(k, "lumbar", "combined", "I"):
        assert "Depth: exciting 3–10 mm [A, D] · sedative: not stated" in hover
    fig = depth_view(k, make_plan(k, "lumbar", "combined", "I")).to_plotly_json()
    assert "<b>not stated</b>" in [a["text"] for a in fig["layout"]["annotations"]]
    doc = plan_json(k, make_plan(k, "lumbar", "combined", "I"))["depth_mm"]
    assert (doc["min"], doc["max"], doc["not_stated_for"]) == (None, None, ["sedative"])


@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_no_card_reads_as_complete_while_a_part_is_missing(k: Knowledge, region: str, method: str,
                                                           stage: str) -> None:
    plan = make_plan(k, region, method, stage)
    for c in parameter_cards(k, plan):
        q = plan.quantities[c.key]
        if q is None:
            assert c.value == "not stated"
            continue
        for m in q.missing:
            assert f"{m}: not stated" in c.value
        if len(q.parts) > 1:
            assert all(k.strings.get(f"method_part.{p.method}") in c.value for p in q.parts)


# 2 -- the articles' depth against the usual depth of the zone's standard points ----------------
def test_cervical_depth_is_flagged_deeper_than_the_points_the_needles_are_drawn_on(k: Knowledge) -> None:
    plan = make_plan(k, "cervical", "sedative", "II")
    check = zone_depth(k, plan)
    # The zone's midline (GV9-GV13) is usually needled up to 1 cun (about 20 mm): the articles' 20 mm
    # is not deeper than every standard point of the zone, but it is deeper than the points drawn on.
    assert check is not None and check.deeper == ()
    assert check.cun == (0.3, 1.0) and check.mm == (6.0, 20.0)
    depth_card = card(k, "cervical", "sedative", "II", "depth_mm")
    assert depth_card.deeper
    assert "BL42, BL44, BL12, BL14, the standard points the needles are drawn on" in depth_card.note
    hovers = needle_hovers(k, "cervical", "sedative", "II")
    on_bl42 = [h for h in hovers if "Sits on BL42" in h]
    assert on_bl42 and all("0.3–0.5 cun (≈ 6–10 mm), obliquely" in h for h in on_bl42)
    assert all("deeper than BL42's usual depth" in h for h in on_bl42)
    on_bl12 = [h for h in hovers if "Sits on BL12" in h]
    assert on_bl12 and all("obliquely toward the spine" in h for h in on_bl12)
    fig = depth_view(k, plan).to_plotly_json()
    assert "Standard points (usual)" in {t["name"] for t in fig["data"]}
    assert plan_json(k, plan)["standard_point_depth"]["deeper"] == []
    assert plan_json(k, plan)["standard_point_depth"]["deeper_than_drawn_on"] == ["BL42", "BL44", "BL12", "BL14"]
    # The exciting needles' 3-10 mm is within the usual depth: no flag.
    assert not card(k, "cervical", "exciting", "II", "depth_mm").deeper


# 3 -- only the zone's own danger depths ---------------------------------------------------------
def test_danger_depths_are_those_of_points_inside_the_zone(k: Knowledge) -> None:
    shown = {r: [d["point"] for d in plan_json(k, make_plan(k, r, "sedative", "I"))["danger_depths"]]
             for r in k.regions}
    assert shown == {"cervical": ["SI14"], "thoracic": [], "lumbar": []}
    gap = danger_gap_text(k, make_plan(k, "cervical", "sedative", "I"))
    assert gap is not None and "no measured margin exists" in gap
    assert "BL12, BL14, BL42, BL44" in gap  # the points the needles are drawn on
    assert "GB21" not in gap and "SI15" not in gap


# 4 -- a statement for the stage outranks a generic one ------------------------------------------
def test_stage_iv_session_is_60_minutes_from_d_with_c_listed_as_generic(k: Knowledge) -> None:
    plan = make_plan(k, "cervical", "combined", "IV")
    session = card(k, "cervical", "combined", "IV", "session_min")
    assert (session.value, session.sources) == ("60", ("D",))
    assert "C 10–30" in session.note and "Generic" in session.note
    block = next(b for b in source_blocks(k, plan) if b.label == "Session")
    generic = [(r.source, r.line) for r in block.rows if r.role == "generic"]
    assert ("C", 553) in generic and ("A", 208) in generic
    doc = plan_json(k, plan)["session_min"]
    assert (doc["min"], doc["max"]) == (60, 60)
    assert {g["line"] for g in doc["generic"]} == {208, 553}


# 5 -- interpretations marked wherever they act --------------------------------------------------
def test_readings_are_marked_where_they_act(k: Knowledge) -> None:
    # The region's depth read as the sedative needles' depth: marked in the exciting-only view too.
    exciting = card(k, "cervical", "exciting", "I", "depth_mm")
    assert exciting.reading and "to the sedative needles" in exciting.note
    fig = depth_view(k, make_plan(k, "cervical", "exciting", "I")).to_plotly_json()
    assert any("not drawn for the exciting ones" in a["text"] for a in fig["layout"]["annotations"])
    assert plan_json(k, make_plan(k, "cervical", "exciting", "I"))["depth_mm"]["reading"] is True
    sedative = card(k, "cervical", "sedative", "I", "depth_mm")
    assert sedative.reading
    assert any("our reading" in h for h in needle_hovers(k, "cervical", "sedative", "I"))
    # Article B's stages are the neck's: their use elsewhere is a reading.
    assert make_plan(k, "thoracic", "sedative", "I").stage_outside_source
    assert not make_plan(k, "cervical", "sedative", "I").stage_outside_source
    assert "our reading" in plan_json(k, make_plan(k, "lumbar", "sedative", "III"))["stage_outside_source"]
    # "Both at once" says where it is stated; the default method is one stated for every region.
    caveat = make_plan(k, "thoracic", "combined", "I").method_caveat
    assert caveat and "line 221" in caveat and "special cases" in caveat
    assert make_plan(k, "thoracic", "sedative", "I").method_caveat is None
    assert k.default_method == "sedative" and not k.methods[k.default_method].combines


def test_article_c_is_read_sentence_by_sentence_like_a_and_d(k: Knowledge) -> None:
    # Issue 27, 4: C's scheme of a session (503, 505) continues C 495 on the neck; C 553 continues C 550,
    # which names no region, so its course, daily sessions and break are every region's.
    assert k.sources["C"].only_regions is None
    regions = {(c.line, c.quote): c.regions for claims in k.facts.values() for c in claims if c.source == "C"}
    assert {line for (line, _), r in regions.items() if r == ("cervical",)} == {503, 505}
    assert {line for (line, _), r in regions.items() if r == "every"} == {553}
    for region in ("thoracic", "lumbar"):
        doc = plan_json(k, make_plan(k, region, "sedative", "I"))
        used = {(e["source"], e["line"]) for q in doc.values() if isinstance(q, dict) and "evidence" in q
                for e in q["evidence"] + q["generic"]}
        assert ("C", 553) in used and not {("C", 503), ("C", 505)} & used, used


def test_an_article_kept_to_one_region_refuses_a_statement_for_another(data_copy: Path) -> None:
    # The loader's rule for an article that writes of one region only (B's stages): shown here on C.
    edit_data(data_copy, "sources.toml", r'(\[C\]\n(?:.*\n){4})', r'\1only_regions = ["cervical"]\n')
    with pytest.raises(DataError, match="article C writes only of cervical"):
        load_knowledge(data_copy)


# 6 -- smaller corrections -----------------------------------------------------------------------
def test_lumbar_count_is_stored_and_drawn_as_an_upper_bound(k: Knowledge) -> None:
    d664 = next(c for c in k.facts["needles"] if c.source == "D" and c.line == 664)
    assert (d664.min, d664.max) == (None, 5)
    fig = back_view(k, make_plan(k, "lumbar", "sedative", "I")).to_plotly_json()
    needles = trace(fig, "needles")
    assert len(values(needles["x"])) == 5
    # D asks for none of them firmly: every marker is drawn faded.
    assert needles["marker"]["opacity"] == [EXPLORE.optional_opacity] * 5
    assert all("A about 5, D up to 5 needles" in unwrapped(h) for h in needles["text"])
    assert card(k, "lumbar", "sedative", "I", "needles").conflict


def test_notes_give_values_in_the_unit_on_the_card(k: Knowledge) -> None:
    retention = card(k, "thoracic", "sedative", "I", "retention_s")
    assert retention.label == "Retention (min)"
    assert "A 20–30, D about 30 min" in retention.note and "1200" not in retention.note


def test_needle_hover_lists_every_article_behind_the_depth(k: Knowledge) -> None:
    for hover in needle_hovers(k, "cervical", "sedative", "I"):
        assert "Depth: about 10–20 mm [A, C, D]" in hover


def test_sources_are_credited_as_they_are(k: Knowledge) -> None:
    jiaji = next(p for p in k.points if p.code == "EX-B2")
    assert "WHO" not in jiaji.sources and "WHO1991" in jiaji.sources
    assert "Nomenclature" in k.point_sources["WHO1991"]
    pneumothorax = next(w for w in k.safety.warnings if w.id == "pneumothorax")
    assert "over the thorax" in pneumothorax.text
    review = k.safety.sources[k.safety.variability.source]
    assert "Lin, Chou & Chu" in review and "10.1155/2013/740508" in review


def test_daily_sessions_carry_the_frequency_warning_and_the_plan_carries_safety(k: Knowledge) -> None:
    daily = card(k, "cervical", "sedative", "I", "sessions_per_day")
    assert daily.value == "daily" and "line 206" in daily.note and "line 667" in daily.note
    doc = plan_json(k, make_plan(k, "cervical", "sedative", "I"))
    assert doc["sessions_per_day"]["max"] == 1
    assert {(c["source"], c["line"]) for c in doc["sessions_per_day"]["caveats"]} == {("A", 206), ("D", 667)}
    assert [w["id"] for w in doc["safety_warnings"]] == ["pneumothorax", "spinal_canal"]
    lumbar = plan_json(k, make_plan(k, "lumbar", "sedative", "I"))
    assert [w["id"] for w in lumbar["safety_warnings"]] == ["kidney", "spinal_canal"]


def test_depth_view_draws_no_unsourced_skin_layer(k: Knowledge) -> None:
    fig = depth_view(k, make_plan(k, "thoracic", "sedative", "I")).to_plotly_json()
    bands = [s for s in fig["layout"]["shapes"] if s.get("type") == "rect"]
    assert [b["y0"] for b in bands] == [0]  # one band from the skin down, no 3 mm layer


# Issue 14 -----------------------------------------------------------------------------------------
# 1 -- thoracic needles drawn on the midline carry the spinal-canal caution -----------------------
THORACIC_GV = ["GV13", "GV12", "GV11", "GV10", "GV9", "GV8", "GV7", "GV6"]


def test_thoracic_midline_points_are_standard_points_with_a_spinal_canal_caution(k: Knowledge) -> None:
    by_code = {p.code: p for p in k.points}
    levels = {"GV13": "below T1", "GV12": "below T3", "GV11": "below T5", "GV10": "below T6", "GV9": "below T7",
              "GV8": "below T9", "GV7": "below T10", "GV6": "below T11", "BL18": "below T9", "BL19": "below T10",
              "BL20": "below T11", "BL21": "below T12"}
    for code, level in levels.items():
        p = by_code[code]
        assert p.level == level and p.offset == (0.0 if code.startswith("GV") else 1.5)
        assert p.caution and p.depth_cun[1] <= 1.0 and "WHO" in p.sources
    assert all("spinal canal" in by_code[c].caution for c in THORACIC_GV)
    assert all("pneumothorax" in by_code[c].caution for c in ("BL18", "BL19", "BL20", "BL21"))
    # Every drawn thoracic needle sits on one of them, and its hover says so with the canal's depth.
    hovers = needle_hovers(k, "thoracic", "sedative", "III")
    assert len(hovers) == 7
    for hover in hovers:
        assert "on none of our standard points" not in hover
        assert any(f"Sits on {c}:" in hover for c in THORACIC_GV)
        assert ("spinal canal lies about 1.25–1.75 cun (≈ 25–35 mm) deep, less in thin patients, with the spinal "
                "cord in it in the thoracic spine: never deeper than the usual depth [DM]") in hover
        # Said once: the point's own caution restates that warning (caution_restates) and is left out here.
        assert hover.count("spinal canal") == 1 and "Caution:" not in hover, hover
        assert "our reading of 'between the vertebrae'" in hover and "Jiaji" in hover
    # The points layer, where no midline warning is drawn, still gives each point its own caution.
    assert all(by_code[c].caution_restates == "spinal_canal" for c in THORACIC_GV)
    site = site_at(k, "below T1", 0.0)
    assert site is not None and site.point.code == "GV13"
    assert f"Caution: {by_code['GV13'].caution}" in point_hover(k, site)


def test_a_needle_on_a_point_whose_caution_is_not_the_warning_keeps_it(data_copy: Path) -> None:
    # Without caution_restates the point's caution is shown beside the midline warning, as any other caution.
    edit_data(data_copy, "points.toml", r'caution_restates = "spinal_canal"\n', "", count=11)
    k = load_knowledge(data_copy)
    for hover in needle_hovers(k, "thoracic", "sedative", "III"):
        assert "Caution: The spinal canal, with the spinal cord in it" in hover and "<b>⚠ On or beside" in hover


@pytest.mark.parametrize(("edit", "problem"), [
    ('caution_restates = "kidney"', r"^data/points\.toml: points \('GV14'\): field 'caution_restates': 'kidney' "
                                    r"is not a warning with a depth in data/safety\.toml \(known: spinal_canal\)$"),
    ('caution_restates = "nowhere"', r"field 'caution_restates': 'nowhere' is not a warning with a depth"),
])
def test_a_caution_restating_no_midline_warning_is_refused(data_copy: Path, edit: str, problem: str) -> None:
    edit_data(data_copy, "points.toml", r'caution_restates = "spinal_canal"', edit, count=11)
    with pytest.raises(DataError, match=problem):
        load_knowledge(data_copy)


def test_caution_restates_without_a_caution_is_refused(data_copy: Path) -> None:
    edit_data(data_copy, "points.toml", r'caution\.en = "The spinal canal lies about 1.25-1.75 cun deep."\n'
              r'caution\.ru = "[^"]*"\n(caution_restates = "spinal_canal")', r"\1", count=3)
    with pytest.raises(DataError, match="caution_restates is given, but no caution"):
        load_knowledge(data_copy)


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("method", ["exciting", "combined", "sedative"])
@pytest.mark.parametrize("stage", ["I", "II", "III", "IV"])
def test_thoracic_zone_warns_of_the_spinal_canal_everywhere(lang: str, method: str, stage: str) -> None:
    k = load_knowledge(lang=lang)
    plan = make_plan(k, "thoracic", method, stage)
    doc = plan_json(k, plan)
    canal = next(w for w in doc["safety_warnings"] if w["id"] == "spinal_canal")
    assert canal["depth_cun"] == [1.25, 1.75] and canal["mm_approx"] == [25.0, 35.0] and canal["sources"] == ["DM"]
    fig = depth_view(k, plan).to_plotly_json()
    column = k.strings.get("depth.canal", tissue=canal["tissue"])
    bar = next(t for t in fig["data"] if t["name"] == column)
    assert (bar["base"][0], bar["base"][0] + bar["y"][0]) == (25.0, 35.0) and "[DM]" in bar["hovertext"]


def test_usual_depth_of_the_thoracic_zone_counts_every_point_inside_it(k: Knowledge) -> None:
    check = zone_depth(k, make_plan(k, "thoracic", "sedative", "I"))
    assert check is not None
    assert set(THORACIC_GV) | {"BL18", "BL19", "BL20", "BL21", "EX-B2", "BL11"} <= set(check.codes)
    assert check.cun == (0.5, 1.0)


def test_placement_reading_names_the_other_reading(k: Knowledge) -> None:
    from acumap.plan.presenting import zone_html
    html = zone_html(k, "thoracic")
    assert "our reading of &#x27;between the vertebrae&#x27;" in html and "Jiaji" in html
    ru = load_knowledge(lang="ru")
    assert "Цзяцзи" in zone_html(ru, "thoracic")


# 2 -- one rule for a statement written of one region ---------------------------------------------
WRITTEN_OF = {("A", 164): ("thoracic",), ("A", 167): ("thoracic",), ("D", 652): ("cervical",),
              ("D", 655): ("cervical",), ("A", 180): ("cervical",), ("A", 184): ("cervical",),
              ("C", 553): "every"}
KNOWLEDGE = {lang: load_knowledge(lang=lang) for lang in ("en", "ru")}


def _claim_regions(k: Knowledge) -> dict[tuple[str, int, str], object]:
    return {(c.source, c.line, c.quote): c.regions for claims in k.facts.values() for c in claims}


def test_every_statement_carries_the_region_it_was_written_of(k: Knowledge) -> None:
    found = _claim_regions(k)
    for (src, line), regions in WRITTEN_OF.items():
        assert {r for (s_, l_, _), r in found.items() if (s_, l_) == (src, line)} == {regions}, (src, line)
    # A region is never carried elsewhere as "our reading": `reading` speaks of methods and stages.
    for claims in k.facts.values():
        for c in claims:
            assert c.regions == "every" or not (c.reading and c.methods is None), (c.source, c.line)


def test_a_statement_without_its_region_is_refused(data_copy: Path) -> None:
    edit_data(data_copy, "session.toml", r'unit = "courses/year"\nregions = \["cervical"\]\n',
              'unit = "courses/year"\n')
    with pytest.raises(DataError, match="courses_per_year.*regions"):
        load_knowledge(data_copy)


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_no_statement_is_used_outside_its_region(lang: str, region: str, method: str, stage: str) -> None:
    from acumap.output.card import card_html
    from acumap.output.exports import csv_rows

    k = KNOWLEDGE[lang]
    regions = _claim_regions(k)
    foreign = {key for key, r in regions.items() if r != "every" and region not in r}
    plan = make_plan(k, region, method, stage)
    doc = plan_json(k, plan)
    for key, q in doc.items():
        if isinstance(q, dict) and "evidence" in q:
            used = {(e["source"], e["line"], e["quote"]) for e in q["evidence"] + q["generic"] + q["set_aside"]}
            assert not used & foreign, (key, used & foreign)
    for row in csv_rows(k, plan):
        assert not {(e.source, e.line, e.quote) for e in row.evidence} & foreign
    for block in source_blocks(k, plan):
        assert not {(r.source, r.line, r.quote) for r in block.rows} & foreign
    # The card PDF lists lines only: no line whose every statement belongs to another region.
    html = card_html(k, plan, "<svg/>", "http://h/", __import__("datetime").date(2026, 1, 1))
    html = html[html.index("<table>"):html.index("</table>")]  # the parameters (the footer cites an example)
    allowed = {(s_, l_) for (s_, l_, _), r in regions.items() if r == "every" or region in r}
    for src, line in {(s_, l_) for s_, l_, _ in foreign} - allowed:
        assert k.strings.get("export.line", source=src, line=line) not in html


def test_sessions_of_one_region_are_not_shown_for_another(k: Knowledge) -> None:
    # A 167 and D 655 ("about an hour", "60 minutes") were written of the thoracic and the cervical
    # spine: the lumbar region has only the general lines, A 208's 20 minutes and C 553's 10 to 30, and
    # its card says no line gives it a value for the stage.
    for stage in ("III", "IV"):
        lumbar = card(k, "lumbar", "sedative", stage, "session_min")
        assert (lumbar.value, lumbar.sources) == ("10–30", ("A", "C"))
        assert (f"No line gives the lumbar region a value for stage {stage} (lines for it exist for other regions: "
                "cervical, thoracic)") in (lumbar.note or "")
    thoracic = card(k, "thoracic", "sedative", "III", "session_min")
    assert (thoracic.value, thoracic.sources) == ("about 60", ("A",))
    assert card(k, "thoracic", "sedative", "I", "session_min").sources == ("A",)
    assert card(k, "cervical", "sedative", "I", "session_min").value == "up to about 30"
    # About 15 visits and 2-3 courses a year were written of the neck.
    assert card(k, "lumbar", "sedative", "I", "courses_per_year").value == "not stated"
    lumbar_course = plan_json(k, make_plan(k, "lumbar", "sedative", "I"))["course_sessions"]
    assert 180 not in {e["line"] for e in lumbar_course["evidence"]}


def test_quiz_answers_follow_the_region_rule() -> None:
    from acumap.teach.quiz import question_pool

    for lang, k in KNOWLEDGE.items():
        regions = _claim_regions(k)
        for q in question_pool(k):
            if q.region is None:
                continue
            for ev in q.evidence:
                r = regions.get((ev.source, ev.line, ev.quote))
                assert r is None or r == "every" or q.region in r, (lang, q.id, ev.source, ev.line)


# 3 -- a note lists what each line says, never a range merged across lines ------------------------
@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("region", ["cervical", "thoracic", "lumbar"])
def test_stage_ii_session_note_credits_no_article_with_a_merged_range(lang: str, region: str) -> None:
    k = KNOWLEDGE[lang]
    for method in ("exciting", "combined", "sedative"):
        note = card(k, region, method, "II", "session_min").note or ""
        for merged in ("A 15–60", "D up to 60", "D до 60"):
            assert merged not in note
    expected = {"cervical": [("D", 652, "up to about 30" if lang == "en" else "примерно до 30"), ("D", 655, "60")],
                "thoracic": [("A", 164, "15–30"), ("A", 167, "about 60" if lang == "en" else "около 60")],
                "lumbar": []}[region]
    note = card(k, region, "sedative", "II", "session_min").note or ""
    for src, line, value in expected:
        assert f"{k.strings.get('value.line_ref', source=src, line=line)} {value}" in note


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_every_differing_note_gives_each_lines_own_value(lang: str, region: str, method: str, stage: str) -> None:
    from acumap.plan.formatting import span_text

    k = KNOWLEDGE[lang]
    s = k.strings
    plan = make_plan(k, region, method, stage)
    for c in parameter_cards(k, plan):
        q = plan.quantities[c.key]
        for p in q.parts if q else ():
            spans = {(st.min, st.max) for st in p.statements}
            if len(spans) < 2:
                continue
            for st in p.statements:
                # Each line's own value keeps its own hedge ("A about 10–20", "D up to 5").
                own = span_text(s, st.min, st.max, q.spec.unit, q.spec.display_unit, with_unit=False,
                                about=st.claim.about)
                several = len({(o.min, o.max) for o in p.statements if o.claim.source == st.claim.source}) > 1
                label = s.get("value.line_ref", source=st.claim.source, line=st.claim.line) if several \
                    else st.claim.source
                same_line = {(o.min, o.max) for o in p.statements if (o.claim.source, o.claim.line) ==
                             (st.claim.source, st.claim.line)}
                if len(same_line) > 1 and st.claim.severity:  # one line, two values: told apart by stage
                    label = s.get("value.piece", value=label, stage=s.get(f"severity.{st.claim.severity}"))
                assert f"{label} {own}" in (c.note or ""), (c.key, label, own)


# 4 -- a contraindication is not made to look weaker than it is ----------------------------------
def test_a_flare_of_another_chronic_disease_stays_an_undisputed_contraindication() -> None:
    from acumap.plan.checklist import conditions
    from acumap.plan.presenting import caution_html, caution_items, safety_summary

    for k in KNOWLEDGE.values():
        item = next(i for i in k.cautions["contraindications"] if i.id == "chronic_exacerbation")
        assert item.disputed_by == ()
        assert {(e.source, e.line) for e in item.remarks} == {("A", 88), ("D", 596)}
        html = caution_html(k.strings, caution_items(k, "contraindications"))
        entry = html[html.index(k.strings.get("caution.chronic_exacerbation")):]
        entry = entry[:entry.index("</details>")]
        assert k.strings.get("panel.disputed") not in entry and k.strings.get("panel.remark") in entry
        assert not next(c for c in conditions(k) if c.id == "chronic_exacerbation").disputed
        summary = safety_summary(k, make_plan(k, "cervical", "sedative", "I"), most=2)
        assert k.strings.get("safety.disputed", name=k.strings.get("caution.chronic_exacerbation")) not in summary


def test_every_dispute_speaks_of_the_items_own_subject(k: Knowledge) -> None:
    disputes = {(kind, i.id): {(e.source, e.line) for e in i.disputed_by}
                for kind, items in k.cautions.items() for i in items if i.disputed_by}
    age = {("A", 85), ("D", 593)}
    # "Impossible to injure the skin" (A 87, D 595) against the articles' own bruising and bleeding (issue 27, 5).
    skin = {("A", 87), ("D", 595)}
    assert disputes == {("contraindications", "young_children"): age, ("contraindications", "elderly"): age,
                        ("side_effects", "pain_during_session"): {("A", 89), ("D", 597)},
                        ("side_effects", "bruising"): skin, ("side_effects", "bleeding"): skin}


def test_named_by_three_articles_counts_contraindicating_statements_only() -> None:
    from acumap.plan.presenting import contraindicating_sources, safety_summary

    for k in KNOWLEDGE.values():
        items = {i.id: i for i in k.cautions["contraindications"]}
        assert "blood_diseases" not in items  # merged: the same condition as poor clotting and bleeding
        assert {(e.source, e.line) for e in items["poor_clotting_bleeding"].statements} == \
            {("A", 133), ("B", 383), ("B", 384), ("C", 529)}
        assert contraindicating_sources(k, items["young_children"]) == ("C",)  # A 135, D 633: caution only
        assert contraindicating_sources(k, items["elderly"]) == ("B", "C")
        summary = safety_summary(k, make_plan(k, "lumbar", "sedative", "I"))
        named = summary[summary.index(k.strings.get("safety.summary").split("{names}")[0].split("{most}")[1]):]
        for kept in ("tumours", "infections", "poor_clotting_bleeding", "pregnancy"):
            assert k.strings.get(f"caution.{kept}") in named
        for dropped in ("young_children", "elderly"):
            assert k.strings.get(f"caution.{dropped}") not in named


# 5 -- smaller items -------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_lumbar_headline_is_never_an_exact_five(lang: str) -> None:
    from acumap.charts.figures import key_number_lines
    from acumap.output.exports import csv_rows

    k = KNOWLEDGE[lang]
    about = k.strings.get("value.about", value="5")
    for method, stage in itertools.product(["exciting", "combined", "sedative"], ["I", "II", "III", "IV"]):
        plan = make_plan(k, "lumbar", method, stage)
        assert card(k, "lumbar", method, stage, "needles").value == about
        assert plan_json(k, plan)["needles"]["approximate"] is True
        assert next(r for r in csv_rows(k, plan) if r.quantity == "needles").value.startswith(about)
        assert k.strings.get("figure.key_needles", value=about) in " ".join(key_number_lines(k, plan))
    # An exact statement beside an "about" one keeps the exact number: the neck's 8 (D 663).
    assert card(k, "cervical", "sedative", "I", "needles").value == "8"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_stay_longer_than_the_shortest_session_is_said_where_both_are_shown(lang: str) -> None:
    from acumap.charts.timeline import session_timeline

    k = KNOWLEDGE[lang]
    s = k.strings
    plan = make_plan(k, "thoracic", "sedative", "I")
    said = s.get("plan.stay_longer", stay=s.get("value.with_unit", number=s.get("value.up_to", max="30"),
                                                 unit=s.plural("unit.min", 30)),
                 stay_lines="A 217, D 673",
                 session=s.get("value.with_unit", number="15", unit=s.plural("unit.min", 15)), session_lines="A 164")
    for key in ("session_min", "retention_s"):
        c = card(k, "thoracic", "sedative", "I", key)
        assert said in (c.note or "")
    # Neither value is changed.
    assert card(k, "thoracic", "sedative", "I", "session_min").value == "15–30"
    assert card(k, "thoracic", "sedative", "I", "retention_s").value == "20–30"
    notes = [a["text"] for a in session_timeline(k, plan).to_plotly_json()["layout"]["annotations"]
             if a.get("name") == "stay_longer"]
    assert len(notes) == 1 and said.split(":")[0] in notes[0]
    # Where the stay fits in the session (the neck at stage III: 60 min), nothing is said.
    assert not any(s.get("plan.stay_longer").split(":")[0] in (c.note or "")
                   for c in parameter_cards(k, make_plan(k, "cervical", "sedative", "III")))


def test_stage_iii_gives_the_risk_to_tissues_and_vessels() -> None:
    for k in KNOWLEDGE.values():
        stage = k.stages["III"]
        assert ("B", 245, "There is a risk of damage to tissues and blood vessels.") in \
            {(e.source, e.line, e.quote) for e in stage.evidence}
    assert "risk of damage to tissues and blood vessels" in KNOWLEDGE["en"].stages["III"].summary
    assert "риском повреждения тканей и сосудов" in KNOWLEDGE["ru"].stages["III"].summary


def test_jiaji_has_a_caution_over_the_lung_and_a_second_depth_source() -> None:
    for lang, k in KNOWLEDGE.items():
        jiaji = next(p for p in k.points if p.code == "EX-B2")
        assert "CN" in jiaji.sources and "[CN]" in jiaji.depth_how
        assert ("pneumothorax" if lang == "en" else "пневмоторакс") in (jiaji.caution or "")
        assert "361" not in (jiaji.caution or "") and "361" in jiaji.location  # the status is no caution


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_daily_sessions_are_shown_as_daily(lang: str) -> None:
    from acumap.charts.course import course_rows
    from acumap.output.exports import csv_rows

    k = KNOWLEDGE[lang]
    daily = "daily" if lang == "en" else "ежедневно"
    plan = make_plan(k, "cervical", "sedative", "I")
    assert card(k, "cervical", "sedative", "I", "sessions_per_day").value == daily
    assert next(r for r in course_rows(k, plan) if r.key == "sessions_per_day").value == daily
    assert next(r for r in csv_rows(k, plan) if r.quantity == "sessions_per_day").value == daily
    assert plan_json(k, plan)["sessions_per_day"]["wording"] == daily


# 6 -- evidence a Russian reader can read ----------------------------------------------------------
import re  # noqa: E402

NUMBER_WORDS = {"two": r"дв(а|е|ух)", "three": r"тр(и|ёх)", "five": r"пят(ь|и)", "six": r"шест(ь|и)",
                "half": r"пол"}
UNITS = {r"\b(centimeters?|cm)\b": r"сантиметр|\bсм\b", r"\bmm\b": r"\bмм\b", r"\bminutes?\b|-minute\b": r"минут",
         r"\bhour\b": r"час", r"\bseconds\b": r"секунд", r"-week\b|\bweeks?\b": r"недел", r"\byears?\b": r"лет|год",
         r"\btrimester\b": r"триместр", r"\bsessions?\b": r"сеанс", r"\bprocedures?\b": r"процедур",
         r"\bvisits\b": r"посещени", r"\bneedles?\b": r"игл", r"\bpoints\b": r"точ", r"\btimes\b": r"\bраза?\b"}
NEGATIONS = r"\bnot\b|\bno\b|\bnever\b|n't\b|\bcannot\b|non-existent|\bwithout\b"
NEGATIONS_RU = r"\bне\b|\bнет\b|\bни\b|нельзя|\bбез\b|отсутств|никогда|запрещ|\bнеточн"  # неточно: "not accurately"
QUALIFIERS = {r"\babout (\d|two|five|half|an hour)": r"около|примерно", r"\bapproximately\b": r"примерно",
              r"\bup to\b": r"\bдо\b", r"\bmaximum\b": r"максим", r"\bonly\b": r"только|лишь|всего"}


def _numbers(text: str) -> list[str]:
    return sorted(re.findall(r"\d+", text.replace(",", ".")))


def test_every_quote_has_a_russian_rendering_that_keeps_its_numbers_units_and_negations(k: Knowledge) -> None:
    checked = 0
    for file, ev in k.all_evidence():
        q, ru = ev.quote, ev.quote_ru
        where = (file, ev.source, ev.line, q)
        assert ru and re.search(r"[а-яё]", ru, re.IGNORECASE), where
        assert _numbers(q) == _numbers(ru), where
        for word, pattern in NUMBER_WORDS.items():
            if re.search(rf"\b{word}\b", q, re.IGNORECASE):
                assert re.search(pattern, ru, re.IGNORECASE), (word, *where)
        for english, russian in {**UNITS, **QUALIFIERS}.items():
            if re.search(english, q, re.IGNORECASE):
                assert re.search(russian, ru, re.IGNORECASE), (english, *where)
        if re.search(NEGATIONS, q, re.IGNORECASE):
            assert re.search(NEGATIONS_RU, ru, re.IGNORECASE), ("negation", *where)
        checked += 1
    assert checked == len(k.all_evidence()) >= 140


def test_a_quote_without_its_rendering_is_refused(data_copy: Path) -> None:
    edit_data(data_copy, "stages.toml", r', quote_ru = "Требуется длительное комплексное лечение\."', "")
    with pytest.raises(DataError, match="quote_ru"):
        load_knowledge(data_copy)


def test_the_russian_page_shows_each_rendering_marked_as_ours() -> None:
    from acumap.output.exports import plan_csv
    from acumap.plan.checklist import checklist_html, conditions
    from acumap.plan.presenting import caution_html, caution_items, sources_html, stage_html, zone_html
    from acumap.teach.quiz import question_pool

    ru, en = KNOWLEDGE["ru"], KNOWLEDGE["en"]
    mark = ru.strings.get("value.rendering", rendering="").split(":")[0]
    assert "перевод" in mark and "английского" in mark
    plan = make_plan(ru, "cervical", "combined", "III")
    texts = [stage_html(ru, plan), zone_html(ru, "thoracic"), sources_html(ru.strings, source_blocks(ru, plan)),
             caution_html(ru.strings, caution_items(ru, "contraindications")), plan_csv(ru, plan)]
    for text in texts:
        assert mark in text
    # Every quote on these views is followed by its rendering; the English words stay first.
    blocks = sources_html(ru.strings, source_blocks(ru, plan))
    for claims in ru.facts.values():
        for c in claims:
            if f"«{c.quote}»" in blocks:
                assert f"«{c.quote}»{ru.strings.get('value.rendering', rendering=c.quote_ru)}" in blocks
    html = caution_html(ru.strings, caution_items(ru, "contraindications"))
    assert "«Плохая свёртываемость крови.»" in html and "«Bad coagulability of blood.»" in html
    assert any(mark in q.prompt for q in question_pool(ru) if q.kind == "source")
    assert all(mark in c for q in question_pool(ru) for c in q.cites)
    assert mark in checklist_html(ru, list(conditions(ru)[:3]))
    # The English page shows the articles' words only.
    en_plan = make_plan(en, "cervical", "combined", "III")
    for text in (stage_html(en, en_plan), sources_html(en.strings, source_blocks(en, en_plan)), plan_csv(en, en_plan),
                 checklist_html(en, list(conditions(en)[:3]))):
        assert "our translation" not in text and "перевод" not in text
