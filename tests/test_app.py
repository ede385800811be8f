"""The page, driven headless with Streamlit's AppTest: every control, the numbers shown, the figures."""

from __future__ import annotations

import itertools
import re
from html import escape
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from acumap import make_plan
from acumap.data.loading import Knowledge
from acumap.plan.presenting import parameter_cards
from tests.conftest import trace, values
from tests.support.apptest import SI14_CLICK, blocks, click_chart, figures, move, opened, view_heading
from tests.support.cards import page_cards as cards
from tests.support.paths import APP


def shown(at: AppTest) -> dict[str, tuple[str, list[str]]]:
    """Each card's value and marks, leaving out the "changed" mark of the last control change."""
    return {c["label"]: (c["value"], [m for m in c["marks"] if m != "changed"]) for c in cards(at)}


def choose(at: AppTest, region: str, method: str, stage: str) -> AppTest:
    return move(at, region=region, method=method, stage=stage)


@pytest.fixture(scope="module")
def at() -> AppTest:
    return opened()


def panel(at: AppTest, name: str) -> AppTest:
    return move(at, panel=name)


def test_page_opens_with_title_disclaimer_safety_and_both_figures(at: AppTest) -> None:
    head = blocks(at)[0].value
    assert '<h1 class="acu-title">acumap' in head and "not medical advice" in head
    assert "pneumothorax" in head and "Pregnancy" in head
    assert set(figures(at)) == {"back_view", "depth_view"}


def test_all_36_combinations_show_the_planner_values(at: AppTest, k: Knowledge) -> None:
    for region, method, stage in itertools.product(k.regions, k.methods, k.stages):
        choose(at, region, method, stage)
        plan = make_plan(k, region, method, stage)
        on_page = [(c["label"], c["value"]) for c in cards(at)]
        assert on_page == [(c.label, c.value) for c in parameter_cards(k, plan)], (region, method, stage)
        fig = figures(at)["back_view"]
        needles = trace(fig, "needles")
        assert len(values(needles["x"])) == plan.quantities["needles"].max
        title = view_heading(at)
        assert k.strings.get(f"region.{region}") in title and f"stage {stage}" in title
        assert "title" not in fig["layout"]  # the page says it beside the figure
        # The stage panel describes the chosen stage.
        assert any(plan.stage_info.summary in m.value for m in blocks(at))


def test_numbers_on_screen_match_the_articles(at: AppTest) -> None:
    choose(at, "cervical", "sedative", "I")
    on_page = shown(at)
    assert on_page["Needles"] == ("8", [])
    # Every line behind the neck's depth says "about" (A 202, C 503, D 663): so does the card.
    assert on_page["Depth (mm)"] == ("about 10–20", ["articles differ", "our reading",
                                                     "deeper than standard points"])
    assert on_page["Retention (min)"][0] == "20–30" and "articles differ" in on_page["Retention (min)"][1]
    assert on_page["Break (days)"] == ("14, if treatment is resumed", [])
    choose(at, "lumbar", "sedative", "III")
    on_page = shown(at)
    assert on_page["Depth (mm)"][0] == "not stated"
    assert on_page["Needles"][0] == "about 5"  # A 202 "about five", D 664 "reaches 5": never an exact 5
    choose(at, "lumbar", "combined", "III")
    assert shown(at)["Depth (mm)"][0] == "exciting 3–10 · sedative: not stated"
    choose(at, "thoracic", "exciting", "I")
    on_page = shown(at)
    assert (on_page["Needles"][0], on_page["Depth (mm)"][0], on_page["Retention (min)"][0]) == ("6", "3–10", "up to 4")
    choose(at, "cervical", "exciting", "IV")
    on_page = shown(at)
    assert on_page["Session (min)"] == ("60", ["our reading"])
    assert "our reading" in on_page["Depth (mm)"][1]


def test_cards_mark_what_the_last_control_change_moved(at: AppTest) -> None:
    choose(at, "cervical", "sedative", "I")
    choose(at, "cervical", "sedative", "III")
    changed = {c["label"] for c in cards(at) if "changed" in c["marks"]}
    assert changed == {"Session (min)"}  # stage I up to about 30 -> stage III 60; nothing else moves
    panel(at, "sources")  # a rerun that changes no control keeps the marks
    assert {c["label"] for c in cards(at) if "changed" in c["marks"]} == changed
    panel(at, "depth")
    choose(at, "thoracic", "sedative", "III")
    changed = {c["label"] for c in cards(at) if "changed" in c["marks"]}
    assert {"Needles", "Depth (mm)"} <= changed  # C 553's daily sessions and break hold for every region


def test_both_methods_say_where_the_articles_state_them(at: AppTest) -> None:
    choose(at, "thoracic", "combined", "II")
    page = "\n".join(m.value for m in blocks(at))
    assert "line 221" in page and "special cases" in page
    assert "using them for the thoracic region is our reading" in page
    choose(at, "cervical", "sedative", "II")
    page = "\n".join(m.value for m in blocks(at))
    assert "line 221" not in page and "Article B describes these stages" not in page


def test_page_opens_on_the_sedative_method_and_says_why() -> None:
    at = opened()
    assert at.select_slider(key="method").value == "sedative"
    assert "no limit of region or case" in at.select_slider(key="method").help


def test_where_this_comes_from_lists_every_statement(at: AppTest, k: Knowledge) -> None:
    choose(at, "cervical", "combined", "IV")
    text = "\n".join(m.value for m in blocks(panel(at, "sources")))
    plan = make_plan(k, "cervical", "combined", "IV")
    for q in plan.quantities.values():
        for st_ in (*q.statements, *q.generic) if q else ():
            assert f"line {st_.claim.line}: “{escape(st_.claim.quote)}”" in text
    assert '<div class="acu-card acu-conflict"><b>Depth: exciting 3–10 mm · sedative about 10–20 mm</b>' in text
    assert '<div class="acu-card"><b>Needles: 8 needles</b>' in text
    # C's generic 10-30 minutes is listed, marked, under the stage's 60 minutes.
    assert "<b>Session: 60 min</b>" in text
    assert "<li><b>C</b> <span class=\"acu-role\">generic" in text


def test_cautions_list_each_item_with_its_articles(at: AppTest, k: Knowledge) -> None:
    text = "\n".join(m.value for m in blocks(panel(at, "safety")))
    assert "<summary>Pregnancy — A, B, C, D</summary>" in text
    assert "<summary>Dizziness — A, C, D</summary>" in text
    assert "<li>Said otherwise: D, line 593: “This procedure is not limited to age;”</li>" in text
    total = sum(len(items) for items in k.cautions.values())
    assert text.count("<details><summary>") - text.count("<details><summary>why</summary>") == total


def test_region_focus_and_whole_back(at: AppTest) -> None:
    choose(at, "lumbar", "exciting", "I")
    focused = figures(at)["back_view"]["layout"]["yaxis"]["range"]
    at.toggle(key="whole_back").set_value(True).run()
    whole = figures(at)["back_view"]["layout"]["yaxis"]["range"]
    at.toggle(key="whole_back").set_value(False).run()
    assert whole[1] - whole[0] > 2 * (focused[1] - focused[0])
    assert focused[0] < -21.8 and focused[1] > -15.4  # the L1-L5 stretch is in view


def test_each_zone_warning_once_in_the_depth_view(at: AppTest) -> None:
    panel(at, "depth")

    def warnings() -> list[str]:
        return [part for m in blocks(at) for part in m.value.split('<p class="acu-warn">')[1:]]

    choose(at, "thoracic", "sedative", "I")
    assert [w.count("pneumothorax") for w in warnings()] == [1, 0]
    assert [w.count("spinal canal") for w in warnings()] == [0, 1]
    page = "\n".join(m.value for m in blocks(at))
    assert "no measured margin exists" in page
    choose(at, "lumbar", "sedative", "I")
    assert len(warnings()) == 2 and "kidney" in warnings()[0] and "spinal canal" in warnings()[1]
    choose(at, "cervical", "sedative", "I")
    gap = [re.search(r"No measured depth[^:]*:", m.value) for m in blocks(at)
           if "no measured margin exists" in m.value]
    assert len(gap) == 1 and gap[0] is not None
    assert "SI14" not in gap[0].group(0) and "BL42" in gap[0].group(0)  # SI14's depth is published


def test_points_layer_and_detail_panel(k: Knowledge) -> None:
    at = opened()
    names = [t.get("name") for t in figures(at)["back_view"]["data"]]
    assert "Standard points in the zone" not in names  # off by default
    at.toggle(key="show_points").set_value(True).run()
    fig = figures(at)["back_view"]
    inside = trace(fig, "Standard points in the zone")
    assert {"SI14", "BL13", "BL41", "EX-B2 T3"} <= set(inside["customdata"])
    text = "\n".join(m.value for m in blocks(at))
    assert "BL13 Feishu" in text and "GV4" not in text
    at.selectbox(key="point").set_value("BL13").run()
    detail = "\n".join(m.value for m in blocks(at))
    assert "### BL13 Feishu" in detail and "pneumothorax" in detail


def test_clicking_a_point_on_the_chart_opens_its_detail() -> None:
    """Sends the chart's own selection event, as the browser does after a click on SI14."""
    at = opened()
    at.toggle(key="show_points").set_value(True).run()
    click_chart(at, at.get("plotly_chart")[0], SI14_CLICK)
    assert not at.exception
    assert at.session_state["point"] == "SI14"
    detail = "\n".join(m.value for m in blocks(at))
    assert "### SI14 Jianwaishu" in detail and "52 mm" in detail


def opened_on(folder: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app's first run on another data folder (the caches cleared before and after)."""
    monkeypatch.setenv("ACUMAP_DATA_DIR", str(folder))
    st.cache_resource.clear()
    try:
        return opened()
    finally:
        st.cache_resource.clear()


def test_broken_data_shows_one_line_not_a_traceback(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (data_copy / "session.toml").write_text(
        (data_copy / "session.toml").read_text(encoding="utf-8").replace("value = 8", 'value = "eight"', 1),
        encoding="utf-8")
    at = opened_on(data_copy, monkeypatch)
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "\n" not in message
    assert message.startswith("The app cannot start because a data file is broken: data/session.toml: needles[1] "
                              "(A, line 202): field 'value':")
    assert not at.get("plotly_chart")


def test_a_broken_checklist_stops_start_up_with_one_line(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """checklist.toml is read with the other data files: the first run says so in one line, before
    anyone opens the checklist panel (issue 17)."""
    (data_copy / "checklist.toml").write_text('[[caution_only]]\nitem = "gout"\nsource = "A"\nline = 1\n',
                                              encoding="utf-8")
    at = opened_on(data_copy, monkeypatch)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The app cannot start because a data file is broken: data/checklist.toml: caution_only[1]: field 'item': "
        "'gout' is no contraindication in cautions.toml"]
    assert not at.get("plotly_chart")


def test_build_control_redraws_the_outline(at: AppTest) -> None:
    choose(at, "thoracic", "sedative", "II")
    before = max(values(trace(figures(at)["back_view"], "body")["x"]))
    at.button_group(key="build").set_value("broad").run()
    assert not at.exception
    after = max(values(trace(figures(at)["back_view"], "body")["x"]))
    at.button_group(key="build").set_value("average").run()
    assert after > before


def test_compare_panel_puts_two_views_side_by_side(at: AppTest, k: Knowledge) -> None:
    choose(at, "thoracic", "sedative", "I")
    panel(at, "compare")
    at.selectbox(key="compare_method").set_value("exciting")
    at.selectbox(key="compare_stage").set_value("IV").run()
    assert not at.exception
    table = next(m.value for m in blocks(at) if "acu-compare" in m.value)
    # Needles: stage I is 6 (D, an easy stage); stage IV 6-7 -> that row differs, and says so.
    assert '<tr class="acu-diff"><th scope="row">Needles</th><td>6 needles</td><td>6–7 needles</td>' in table
    assert '<tr class=""><th scope="row">Course</th>' in table
    charts = figures(at)
    assert {"compare_here", "compare_there"} <= set(charts)
    assert "Exciting, stage IV" in charts["compare_there"]["layout"]["title"]["text"]
    panel(at, "depth")


def test_a_missing_data_folder_is_named_on_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACUMAP_DATA_DIR", str(tmp_path / "nowhere"))
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
    finally:
        st.cache_resource.clear()
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"The app cannot start: {tmp_path / 'nowhere'}: the data folder does not exist (set by ACUMAP_DATA_DIR)"]
