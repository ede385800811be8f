"""Links to a view, headless with AppTest: a URL sets the controls and the page follows them; a
changed control changes the URL; a bad link never raises, gives the defaults and one notice."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from acumap import make_plan
from acumap.data.loading import Knowledge
from acumap.plan.presenting import parameter_cards
from tests.conftest import trace, values
from tests.support.apptest import SI14_CLICK, blocks, click_chart, opened, view_heading
from tests.support.cards import page_cards as cards

NOTICE = "Ignored from the link: "


def controls(at: AppTest) -> dict[str, object]:
    return {"region": at.radio(key="region").value, "method": at.select_slider(key="method").value,
            "stage": at.select_slider(key="stage").value, "build": at.button_group(key="build").value,
            "whole_back": at.toggle(key="whole_back").value, "show_points": at.toggle(key="show_points").value,
            "point": at.session_state["point"]}


DEFAULTS = {"region": "cervical", "method": "sedative", "stage": "I", "build": "average", "whole_back": False,
            "show_points": False, "point": None}


def back_view(at: AppTest) -> dict:
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("back_view"))
    return json.loads(chart.proto.spec)


NOTICE_BOX = re.compile(r'<div class="acu-link-notice" role="status">🔗 (.*?)</div>', re.S)


def link_notices(at: AppTest) -> list[str]:
    """The link notices on the page, as the text a reader sees (drawn with st.html, not Markdown)."""
    return [unescape(m) for h in at.get("html") for m in NOTICE_BOX.findall(h.proto.body)]


def notices(at: AppTest) -> list[str]:
    return [n for n in link_notices(at) if n.startswith(NOTICE)]


def link_shown(at: AppTest) -> str:
    return at.sidebar.code[0].value


def test_a_link_opens_its_view_and_the_page_follows(k: Knowledge) -> None:
    at = opened({"region": "lumbar", "method": "exciting", "stage": "III", "build": "broad", "whole_back": "true"})
    assert controls(at) == DEFAULTS | {"region": "lumbar", "method": "exciting", "stage": "III", "build": "broad",
                                       "whole_back": True}
    plan = make_plan(k, "lumbar", "exciting", "III")
    assert [(c["label"], c["value"]) for c in cards(at)] == [(c.label, c.value) for c in parameter_cards(k, plan)]
    fig = back_view(at)
    title = view_heading(at)
    assert "Lumbar" in title and "stage III" in title
    assert len(values(trace(fig, "needles")["x"])) == plan.quantities["needles"].max
    # The whole back: the y range spans C1 to the pelvis, not only the lumbar zone.
    y0, y1 = fig["layout"]["yaxis"]["range"]
    assert y1 - y0 > 20
    assert not notices(at)
    assert dict(at.query_params) == {"region": "lumbar", "method": "exciting", "stage": "III", "build": "broad",
                                     "whole_back": "true"}
    assert link_shown(at) == "?region=lumbar&method=exciting&stage=III&build=broad&whole_back=true"


def test_the_build_in_a_link_draws_that_outline() -> None:
    average = max(values(trace(back_view(opened({"region": "thoracic"})), "body")["x"]))
    broad = max(values(trace(back_view(opened({"region": "thoracic", "build": "broad"})), "body")["x"]))
    assert broad > average


def test_both_opens_the_combined_method_and_writes_its_own_value() -> None:
    at = opened({"method": "both", "stage": "II"})
    assert controls(at) == DEFAULTS | {"method": "combined", "stage": "II"}
    assert not notices(at)
    assert dict(at.query_params) == {"method": "combined", "stage": "II"}
    # The default method leaves the URL.
    at = opened({"method": "sedative", "stage": "II"})
    assert dict(at.query_params) == {"stage": "II"}


def test_a_link_to_a_point_opens_its_detail() -> None:
    at = opened({"show_points": "true", "point": "BL13", "region": "thoracic"})
    assert at.selectbox(key="point").value == "BL13"
    assert "### BL13 Feishu" in "\n".join(m.value for m in blocks(at))
    assert dict(at.query_params) == {"region": "thoracic", "show_points": "true", "point": "BL13"}
    at = opened({"show_points": "true", "point": "EX-B2 T3"})
    assert at.selectbox(key="point").value == "EX-B2 T3"
    assert link_shown(at) == "?show_points=true&point=EX-B2+T3"


def test_changing_a_control_changes_the_url() -> None:
    at = opened({})
    assert dict(at.query_params) == {} and link_shown(at) == ""
    at.radio(key="region").set_value("thoracic").run()
    assert dict(at.query_params) == {"region": "thoracic"}
    at.select_slider(key="stage").set_value("IV").run()
    at.select_slider(key="method").set_value("exciting").run()
    at.button_group(key="build").set_value("slim").run()
    assert dict(at.query_params) == {"region": "thoracic", "method": "exciting", "stage": "IV", "build": "slim"}
    assert link_shown(at) == "?region=thoracic&method=exciting&stage=IV&build=slim"
    # Back to a default value: its parameter leaves the URL.
    at.radio(key="region").set_value("cervical").run()
    at.select_slider(key="method").set_value("sedative").run()
    assert dict(at.query_params) == {"stage": "IV", "build": "slim"}
    assert not at.exception


def test_choosing_a_point_puts_it_in_the_url() -> None:
    # show_points is bound by Streamlit (the browser writes it); AppTest has no browser, so it
    # comes from the link here, and the point is chosen on the page.
    at = opened({"show_points": "true"})
    at.selectbox(key="point").set_value("BL13").run()
    assert at.query_params["point"] == "BL13"
    assert link_shown(at) == "?show_points=true&point=BL13"
    at.selectbox(key="point").set_value(None).run()
    assert "point" not in at.query_params


def test_a_click_on_a_point_puts_it_in_the_url() -> None:
    at = opened({"show_points": "true"})
    click_chart(at, at.get("plotly_chart")[0], SI14_CLICK)
    assert not at.exception
    assert at.query_params["point"] == "SI14"


BAD_LINKS = [
    ({"stage": "V", "foo": "1"}, {}, "stage=V (not a stage), foo (unknown parameter)"),
    ({"stage": ["I", "II"]}, {}, "stage (given 2 times)"),
    ({"region": "Lumbar"}, {}, "region=Lumbar (not a region)"),
    ({"method": "Both", "region": "lumbar"}, {"region": "lumbar"}, "method=Both (not a method)"),
    ({"stage": "I" * 10_000}, {}, f"stage={'I' * 24}… (too long)"),
    ({"build": ""}, {}, "build= (empty)"),
    ({"whole_back": "maybe"}, {}, "whole_back=maybe (not true or false)"),
    ({"whole_back": ["true", "true"]}, {}, "whole_back (given 2 times)"),
    ({"point": "BL13"}, {}, "point=BL13 (standard points are off)"),
    ({"show_points": "true", "point": "BL99"}, {"show_points": True}, "point=BL99 (not a standard point)"),
    ({"mode": "Quiz", "seed": "42"}, {}, "mode=Quiz (not a mode)"),
    ({"mode": "presenter"}, {}, "mode=presenter (not a mode)"),
    ({"lang": "de", "stage": "II"}, {"stage": "II"}, "lang=de (not an available language)"),
]


@pytest.mark.parametrize(("query", "kept", "notice"), BAD_LINKS, ids=[b[2] for b in BAD_LINKS])
def test_a_bad_link_gives_the_defaults_and_one_notice(query: dict, kept: dict, notice: str) -> None:
    at = opened(query)
    assert controls(at) == DEFAULTS | kept
    assert notices(at) == [NOTICE + notice]
    # The page went on: both figures are drawn and the cards are there.
    assert len(at.get("plotly_chart")) == 2 and cards(at)


def test_the_url_is_cleaned_of_what_was_ignored() -> None:
    at = opened({"stage": "V", "foo": "1", "region": "lumbar", "mode": "Quiz", "seed": "42", "lang": "en"})
    # lang=en is the default; the seed is kept in the link, for the quiz.
    assert dict(at.query_params) == {"region": "lumbar", "seed": "42"}
    assert link_shown(at) == "?region=lumbar&seed=42"


@pytest.mark.parametrize("mode", ["explore", "present", "quiz"])
def test_every_share_link_carries_the_language(mode: str) -> None:
    # Issue 16: the quiz's link for the class (in the main area) dropped lang=ru.
    at = opened({"mode": mode, "lang": "ru", "region": "lumbar"})
    shown = [c.value for c in at.code]  # the sidebar's and the main area's
    shared = [v for v in shown if v.startswith("?") or "://" in v]
    assert len(set(shared)) == (2 if mode == "quiz" else 1), shown  # the quiz's own link for the class too
    for link in shared:
        assert parse_qs(urlsplit(link).query)["lang"] == ["ru"], link
    # In English, the default, no link names a language.
    at = opened({"mode": mode, "region": "lumbar"})
    assert not [c.value for c in at.code if "lang=" in c.value]


@pytest.mark.parametrize("mode", ["present", "quiz"])
def test_a_link_opens_its_mode_with_its_view(mode: str) -> None:
    at = opened({"mode": mode, "region": "thoracic", "stage": "II", "seed": "7"})
    assert at.button_group(key="mode").value == mode
    assert not notices(at)
    # Presenter mode names its step too: thoracic under the default method (the lesson's 6th of 9).
    step = {"step": "6"} if mode == "present" else {}
    assert dict(at.query_params) == {"region": "thoracic", "stage": "II", "mode": mode, "seed": "7"} | step
    assert link_shown(at) == f"?region=thoracic&stage=II&mode={mode}&seed=7" + ("&step=6" if step else "")
    # Back to explore: the link's view, and the mode leaves the URL.
    at.button_group(key="mode").set_value("explore").run()
    assert controls(at) == DEFAULTS | {"region": "thoracic", "stage": "II"}
    assert dict(at.query_params) == {"region": "thoracic", "stage": "II", "seed": "7"}


def test_a_repeated_toggle_in_a_quiz_link_does_not_stop_the_page() -> None:
    at = opened({"mode": "quiz", "whole_back": ["true", "true"]})
    assert notices(at) == [NOTICE + "whole_back (given 2 times)"]
    assert at.query_params["mode"] == "quiz"


def test_the_notice_stays_until_the_view_changes() -> None:
    at = opened({"stage": "V"})
    assert len(notices(at)) == 1
    at.run()
    assert len(notices(at)) == 1
    at.radio(key="region").set_value("thoracic").run()
    assert notices(at) == []
