"""A zone's safety warnings come from what the zone covers (issue 27, 1): a warning belongs to every zone
that shares a spot with the area its tissue lies under (data/safety.toml `covers`), never to a list of
regions that a changed zone could leave behind. Checked on every surface that shows them, in both
languages, and against a zone moved about at random."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acumap import load_knowledge, make_plan
from acumap.charts.alternatives import depth_rows
from acumap.charts.depth import depth_view
from acumap.charts.figures import back_view
from acumap.data import anatomy as anat
from acumap.data.errors import DataError
from acumap.data.loading import Knowledge
from acumap.data.models import Zone
from acumap.html.explore import depth_heading_html
from acumap.output.card import card_html
from acumap.plan.points import inside
from acumap.plan.presenting import plan_json, safety_summary
from tests.conftest import edit_data, trace, unwrapped

COMBINATIONS = list(itertools.product(["cervical", "thoracic", "lumbar"], ["exciting", "combined", "sedative"],
                                      ["I", "II", "III", "IV"]))
KNOWLEDGE = {lang: load_knowledge(lang=lang) for lang in ("en", "ru")}


def warned_by_points(k: Knowledge, region: str) -> list[str]:
    """Worked out the other way round from the planner: the warnings whose area holds a standard point
    that lies inside the zone."""
    return [w.id for w in k.safety.warnings
            if any(anat.zone_contains(k.anatomy, w.covers, float(site.drop), site.offset)
                   for site in inside(k, region))]


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(("region", "method", "stage"), COMBINATIONS)
def test_every_surface_names_each_warning_whose_area_the_zone_covers(lang: str, region: str, method: str,
                                                                     stage: str) -> None:
    k = KNOWLEDGE[lang]
    plan = make_plan(k, region, method, stage)
    ids = warned_by_points(k, region)
    assert ids, region
    assert [w.id for w in plan.warnings] == ids
    assert [w["id"] for w in plan_json(k, plan)["safety_warnings"]] == ids
    summary = safety_summary(k, plan)
    heading = depth_heading_html(k.strings, plan)
    card = card_html(k, plan, "<svg/>", "http://h/", datetime.date(2026, 1, 1))
    for w in plan.warnings:
        assert w.short in summary
        assert w.text.replace("'", "&#x27;") in heading
        assert w.text.replace("'", "&#x27;") in card
    # A warning with a depth is drawn in the depth view and read out in its text alternative.
    fig = depth_view(k, plan).to_plotly_json()
    names = {t.get("name") for t in fig["data"]}
    rows = [r.label for r in depth_rows(k, plan) if r.kind == "canal"]
    for w in plan.warnings:
        if w.depth_cun is not None:
            assert k.strings.get("depth.canal", tissue=w.tissue) in names
            assert any(w.tissue and w.tissue in label for label in rows), rows


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_neck_view_warns_of_the_spinal_canal_under_its_midline_points(lang: str) -> None:
    # The cervical zone runs from T1 to below T7 out from the midline: GV13-GV9 and the Jiaji points lie in it,
    # as in the thoracic zone, and the spinal cord lies under them.
    k = KNOWLEDGE[lang]
    codes = {site.point.code for site in inside(k, "cervical")}
    assert {"GV13", "GV12", "GV11", "GV10", "GV9", "EX-B2"} <= codes
    for method, stage in itertools.product(["exciting", "combined", "sedative"], ["I", "II", "III", "IV"]):
        plan = make_plan(k, "cervical", method, stage)
        canal = next(w for w in plan_json(k, plan)["safety_warnings"] if w["id"] == "spinal_canal")
        assert canal["depth_cun"] == [1.25, 1.75] and canal["mm_approx"] == [25.0, 35.0]
        assert ("over the spinal canal" if lang == "en" else "над позвоночным каналом") in safety_summary(k, plan)
        bar = next(t for t in depth_view(k, plan).to_plotly_json()["data"]
                   if t.get("name") == k.strings.get("depth.canal", tissue=canal["tissue"]))
        assert (bar["base"][0], bar["base"][0] + bar["y"][0]) == (25.0, 35.0)


def test_a_needle_is_warned_where_it_is_drawn_not_where_its_region_is() -> None:
    # The neck's needles stand 1.5 and 3 B-cun out, outside the canal's band: no canal line at them; the
    # thoracic and lumbar midline needles have one each.
    k = KNOWLEDGE["en"]
    for region, on_midline in (("cervical", 0), ("thoracic", 7), ("lumbar", 1)):
        texts = [unwrapped(t) for t in trace(back_view(k, make_plan(k, region, "sedative", "IV")).to_plotly_json(),
                                             "needles")["text"]]
        assert sum("⚠ On or beside the midline" in t for t in texts) == on_midline, region


def test_the_kidney_warning_covers_its_levels_and_band_not_two_points() -> None:
    k = KNOWLEDGE["en"]
    kidney = next(w for w in k.safety.warnings if w.id == "kidney")
    assert "From L1 to L3, between 1.5 and 3 B-cun" in kidney.text and "our reading" in kidney.text
    # BL22 and BL51 stand below L1, 1.5 and 3 B-cun out; BL23 and BL52 below L2; BL25 (below L4) is outside.
    for level, x, held in (("below L1", 1.5, True), ("below L1", 3.0, True), ("below L2", 1.5, True),
                           ("below L2", -3.0, True), ("below L4", 1.5, False), ("below L2", 0.0, False)):
        assert anat.zone_contains(k.anatomy, kidney.covers, level, x) is held, (level, x)
    ru = next(w for w in KNOWLEDGE["ru"].safety.warnings if w.id == "kidney")
    assert "От L1 до L3" in ru.text and "наше прочтение" in ru.text


LEVELS = [v.name for v in KNOWLEDGE["en"].anatomy.vertebrae if v.name[0] in "CTL"]


@st.composite
def zones(draw: st.DrawFn) -> Zone:
    top = draw(st.integers(0, len(LEVELS) - 2))
    bottom = draw(st.integers(top + 1, len(LEVELS) - 1))
    inner = draw(st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0]))
    outer = inner + draw(st.sampled_from([0.2, 0.5, 1.0, 1.7, 3.4]))
    return Zone.model_validate({"from": LEVELS[top], "to": LEVELS[bottom], "lateral": [inner, outer]})


@given(zone=zones())
def test_a_moved_zone_keeps_every_warning_that_lies_under_it(zone: Zone) -> None:
    # Any zone, moved anywhere: a warning is carried exactly when some spot lies in both the zone and the
    # warning's area (a spot tried on a fine grid, independently of the planner's overlap rule).
    k = KNOWLEDGE["en"]
    moved = replace(k, regions={**k.regions, "cervical": k.regions["cervical"].model_copy(update={"zone": zone})})
    got = [w.id for w in make_plan(moved, "cervical", "sedative", "I").warnings]
    top, bottom = anat.level_drop(k.anatomy, zone.from_), anat.level_drop(k.anatomy, zone.to)
    # The ends exactly (a zone that only touches a warning's edge shares that row or column with it).
    drops = [top + (bottom - top) * i / 40 for i in range(40)] + [bottom]
    xs = [zone.lateral[0] + (zone.lateral[1] - zone.lateral[0]) * i / 20 for i in range(20)] + [zone.lateral[1]]
    expected = [w.id for w in k.safety.warnings
                if any(anat.zone_contains(k.anatomy, w.covers, d, x) for d in drops for x in xs)]
    assert got == expected
    if zone.lateral[0] <= 0.5:  # a zone reaching the Jiaji line or the midline lies over the canal
        assert "spinal_canal" in got


def test_a_warning_whose_area_names_an_unknown_level_is_one_clear_line(data_copy: Path) -> None:
    edit_data(data_copy, "safety.toml", r'from = "C1", to = "below L5"', 'from = "C1", to = "below L9"')
    with pytest.raises(DataError, match=r"^data/safety\.toml: warnings\[3\] \('spinal_canal'\): field 'covers\.to': "
                                        r"unknown level 'below L9'"):
        load_knowledge(data_copy)


def test_a_warning_whose_area_is_upside_down_is_one_clear_line(data_copy: Path) -> None:
    edit_data(data_copy, "safety.toml", r'from = "L1", to = "L3"', 'from = "L3", to = "L1"')
    with pytest.raises(DataError, match=r"warnings\[2\] \('kidney'\): field 'covers': 'L3' must lie above 'L1'"):
        load_knowledge(data_copy)
