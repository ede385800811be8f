"""AppTest: the Export area, the charts' text alternatives and the patient checklist panel, on the page."""

from __future__ import annotations

import json
from html import unescape

import pytest
from streamlit.testing.v1 import AppTest

from acumap import make_plan
from acumap.charts import alternatives as alt
from acumap.data.loading import Knowledge
from acumap.output import card, exports
from acumap.plan import checklist
from acumap.plan.presenting import plan_json
from tests.support.apptest import blocks, opened
from tests.test_app import choose, panel


@pytest.fixture(scope="module")
def at() -> AppTest:
    return opened()


def downloads(at: AppTest) -> dict[str, object]:
    return {b.proto.label: b.proto for b in at.get("download_button")}


def test_export_area_offers_csv_png_svg_and_the_card_made_only_on_a_press(at: AppTest, k: Knowledge,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.runtime.media_file_manager import MediaFileManager

    s = k.strings
    made = {}  # file name -> what makes it, as the buttons register it (AppTest's store goes with its run)
    register = MediaFileManager.add_deferred

    def kept(self, data, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data
        return register(self, data, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", kept)
    choose(at, "thoracic", "combined", "II")
    at.button_group(key="panel").set_value("export").run()
    found = downloads(at)
    for key in ("export.button_csv", "export.button_png", "export.button_svg", "export.button_pdf",
                "panel.download"):
        button = found[s.get(key)]
        # A deferred file: nothing is made until the button is pressed, so no rerun pays for it. The plan's
        # JSON too: as data it was filed in Streamlit's media store on every rerun, under one lock all
        # sessions share, and 300 students waited seconds on it (make capacity).
        assert button.deferred_file_id and not button.url, key
    # Pressed, it hands over the plan's JSON document.
    document = made["acumap-plan-thoracic-combined-II.json"]()
    assert json.loads(document) == plan_json(k, make_plan(k, "thoracic", "combined", "II"))


def test_without_chromium_the_page_runs_and_the_export_panel_says_what_is_missing(
        tmp_path, monkeypatch: pytest.MonkeyPatch, k: Knowledge) -> None:
    # Issue 17: `make run` installed Chromium though only these exports need it.
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on it
    page = opened()
    page.button_group(key="panel").set_value("export").run()
    assert not page.exception
    said = [m.value for m in blocks(page) if "acu-no-chromium" in m.value]
    assert len(said) == 1 and unescape(k.strings.get("export.no_chromium")) in unescape(said[0])
    found = downloads(page)
    s = k.strings
    assert [found[s.get(f"export.button_{f}")].disabled for f in ("csv", "png", "svg", "pdf")] == \
        [False, True, True, True]


def test_a_rerun_never_draws_an_image_or_prints_a_card(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("an export ran during a rerun")

    for name in ("figure_image", "back_view_file", "plan_csv"):
        monkeypatch.setattr(exports, name, refuse)
    monkeypatch.setattr(card, "session_card", refuse)
    page = opened()
    page.button_group(key="panel").set_value("export").run()  # the buttons are drawn, nothing is made
    choose(page, "lumbar", "sedative", "III")
    assert not page.exception
    assert len(page.get("download_button")) == 5


@pytest.mark.parametrize("region,method,stage", [("cervical", "combined", "II"), ("lumbar", "sedative", "IV")])
def test_charts_carry_their_alt_and_a_table_beside_them(at: AppTest, k: Knowledge, region: str, method: str,
                                                       stage: str) -> None:
    plan = make_plan(k, region, method, stage)
    choose(at, region, method, stage)
    panel(at, "depth")
    charts = {c.proto.id.rsplit("-", 1)[-1]: c.proto for c in at.get("plotly_chart")}
    assert charts["back_view"].alt == alt.back_view_alt(k, plan)
    assert charts["depth_view"].alt == alt.depth_view_alt(k, plan)
    page = "\n".join(m.value for m in blocks(at))
    assert alt.needle_table_html(k, plan) in page and alt.depth_table_html(k, plan) in page


def test_checklist_panel_shows_both_sides_of_a_ticked_disputed_item(at: AppTest, k: Knowledge) -> None:
    panel(at, "checklist")
    boxes = {c.key: c for c in at.checkbox}
    assert {f"tick_{c.id}" for c in checklist.conditions(k)} <= set(boxes)
    page = "\n".join(m.value for m in blocks(at))
    assert k.strings.get("checklist.none_ticked") in page and "acu-check-item" not in page
    at.checkbox(key="tick_young_children").check().run()
    page = unescape("\n".join(m.value for m in blocks(at)))
    assert "A, line 85: “Acupuncture has no age restrictions.”" in page
    assert "C, line 528: “Infant (up to 3 years)" in page
    assert "caution only (line 135) · says otherwise (line 85)" in page
    at.checkbox(key="tick_pregnancy").check().run()
    page = unescape("\n".join(m.value for m in blocks(at)))
    assert "D, line 632: “Period of gestation;”" in page and "Ticked: 2." in page
    at.checkbox(key="tick_young_children").uncheck().run()
    page = unescape("\n".join(m.value for m in blocks(at)))
    assert "line 85" not in page and "Ticked: 1." in page
    assert not at.exception


def test_every_chart_on_every_screen_has_an_alt(k: Knowledge) -> None:
    from ui.explore import PANELS

    page = opened()
    seen = set()
    for name in PANELS:
        panel(page, name)
        for c in page.get("plotly_chart"):
            assert c.proto.alt.strip(), f"chart {c.proto.id} in panel {name} has no alt"
            seen.add(c.proto.id.rsplit("-", 1)[-1])
    assert {"back_view", "depth_view", "compare_here", "compare_there", "timeline_view", "course_view"} <= seen
    for mode, seed in (("present", None), ("quiz", "7")):  # quiz seed 7 opens on a click question
        other = opened({"mode": mode} | ({"seed": seed} if seed else {}))
        assert not other.exception and other.get("plotly_chart")
        for c in other.get("plotly_chart"):
            assert c.proto.alt.strip(), f"chart {c.proto.id} in {mode} mode has no alt"


def test_ticks_survive_a_look_at_another_panel(k: Knowledge) -> None:
    page = opened()
    panel(page, "checklist")
    page.checkbox(key="tick_elderly").check().run()
    panel(page, "sources")
    panel(page, "checklist")
    assert page.checkbox(key="tick_elderly").value
    assert "B, line 379" in unescape("\n".join(m.value for m in blocks(page)))
