"""acumap.teach.links: a view survives the trip into a link and back, and every bad part of a link gives
the default for its control and one named item in the notice."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import fields, replace
from urllib.parse import parse_qs, urlsplit

import pytest

from acumap.data.loading import Knowledge
from acumap.plan.planner import choices
from acumap.plan.points import sites
from acumap.teach import links
from acumap.teach.links import Choices, Ignored, View
from tests.support.paths import REPO


@pytest.fixture(scope="module")
def ch(k: Knowledge) -> Choices:
    return links.choices_for(k, k.default_method, "average")


def test_links_does_not_import_streamlit() -> None:
    code = "import sys, acumap.teach.links; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert out.stdout.strip() == "False"


def test_choices_come_from_the_data(k: Knowledge, ch: Choices) -> None:
    valid = choices(k)
    assert list(ch.regions) == valid["region"] and list(ch.methods) == valid["method"]
    assert list(ch.stages) == valid["stage"] and list(ch.builds) == list(k.anatomy.builds)
    assert list(ch.points) == [s.key for s in sites(k)]
    assert ch.default == View(region=valid["region"][0], method="sedative", stage=valid["stage"][0], build="average")
    # The default method is whatever the caller (app.py) says.
    assert links.choices_for(k, "sedative", "slim").default.method == "sedative"


def test_no_parameters_give_the_default_view(ch: Choices) -> None:
    assert links.read({}, ch) == (ch.default, [])
    assert links.query(ch.default, ch.default) == {}
    assert links.link("http://host/app", ch.default, ch.default) == "http://host/app"


def every_view(ch: Choices) -> list[View]:
    """Each value of each parameter, one at a time, plus a view that sets them all."""
    d = ch.default
    views = [replace(d, region=r) for r in ch.regions] + [replace(d, method=m) for m in ch.methods]
    views += [replace(d, stage=s) for s in ch.stages] + [replace(d, build=b) for b in ch.builds]
    views += [replace(d, whole_back=True), replace(d, show_points=True)]
    views += [replace(d, show_points=True, point=p) for p in ch.points]
    views += [replace(d, lang="en"), replace(d, lang="ru"), replace(d, mode="explore"),
              replace(d, mode="quiz", seed=3), replace(d, seed=0), replace(d, seed=123456789)]
    # Presenter mode's views as the page writes them: each names its step.
    views += [replace(d, region=r, method=m, mode="present", step=n) for n, (r, m) in enumerate(ch.steps, start=1)]
    views.append(View(region=ch.regions[-1], method=ch.methods[0], stage=ch.stages[-1], build=ch.builds[-1],
                      whole_back=True, show_points=True, point="EX-B2 T3", mode="present", seed=7,
                      step=ch.steps.index((ch.regions[-1], ch.methods[0])) + 1))
    return views


def test_every_parameter_survives_the_round_trip(ch: Choices) -> None:
    for view in every_view(ch):
        params = links.query(view, ch.default)
        assert links.read(params, ch) == (view, []), params
        # Through a real query string too: encoded, parsed back as the browser's URL would be.
        url = links.link("http://127.0.0.1:8501/", view, ch.default)
        raw = parse_qs(urlsplit(url).query, keep_blank_values=True)
        assert links.read(raw, ch) == (view, []), url


def test_query_names_only_what_differs_from_the_default(ch: Choices) -> None:
    view = View(region="lumbar", method="exciting", stage="III", build="broad", whole_back=True, show_points=True,
                point="BL13", seed=5)
    assert links.query(view, ch.default) == {"region": "lumbar", "method": "exciting", "stage": "III",
                                             "build": "broad", "whole_back": "true", "show_points": "true",
                                             "point": "BL13", "seed": "5"}
    assert list(links.query(view, ch.default)) == [p for p in links.PARAMS if p not in ("lang", "mode", "step")]
    assert links.link("http://h/", replace(ch.default, show_points=True, point="EX-B2 T3"), ch.default) == \
        "http://h/?show_points=true&point=EX-B2+T3"
    # A point without the points layer is not part of the view's link.
    assert "point" not in links.query(replace(ch.default, point="BL13"), ch.default)


def test_both_is_an_alias_of_combined(ch: Choices) -> None:
    for given in ("both", "combined"):
        view, ignored = links.read({"method": given, "region": "lumbar"}, ch)
        assert (view.method, view.region, ignored) == ("combined", "lumbar", [])
    view, _ = links.read({"method": "both"}, replace(ch, default=replace(ch.default, method="sedative")))
    assert view.method == "combined"


def test_values_may_come_as_lists_of_one(ch: Choices) -> None:
    assert links.read({"stage": ["III"], "whole_back": ["true"]}, ch) == (
        replace(ch.default, stage="III", whole_back=True), [])


HUGE = "V" * 10_000

BAD = [
    # (query, the control it falls back on, the ignored item)
    ({"stage": "V"}, "stage", Ignored("stage", "V", "not_stage")),
    ({"region": "neck"}, "region", Ignored("region", "neck", "not_region")),
    ({"method": "relaxing"}, "method", Ignored("method", "relaxing", "not_method")),
    ({"build": "huge"}, "build", Ignored("build", "huge", "not_build")),
    ({"whole_back": "yes"}, "whole_back", Ignored("whole_back", "yes", "not_flag")),
    ({"show_points": "1"}, "show_points", Ignored("show_points", "1", "not_flag")),
    ({"show_points": "true", "point": "BL99"}, "point", Ignored("point", "BL99", "not_point")),
    ({"lang": "de"}, "lang", Ignored("lang", "de", "not_lang")),
    ({"mode": "draw"}, "mode", Ignored("mode", "draw", "not_mode")),
    ({"seed": "-3"}, "seed", Ignored("seed", "-3", "not_seed")),
    ({"seed": "1.5"}, "seed", Ignored("seed", "1.5", "not_seed")),
    ({"seed": "1234567890"}, "seed", Ignored("seed", "1234567890", "not_seed")),
    # wrong case: values are case-sensitive (the flags excepted, see below)
    ({"region": "Lumbar"}, "region", Ignored("region", "Lumbar", "not_region")),
    ({"method": "Both"}, "method", Ignored("method", "Both", "not_method")),
    ({"method": "SEDATIVE"}, "method", Ignored("method", "SEDATIVE", "not_method")),
    ({"stage": "iv"}, "stage", Ignored("stage", "iv", "not_stage")),
    ({"build": "Broad"}, "build", Ignored("build", "Broad", "not_build")),
    ({"show_points": "true", "point": "bl13"}, "point", Ignored("point", "bl13", "not_point")),
    ({"lang": "EN"}, "lang", Ignored("lang", "EN", "not_lang")),
    # repeated, even with the same value twice
    ({"stage": ["I", "II"]}, "stage", Ignored("stage", None, "repeated")),
    ({"region": ["lumbar", "lumbar"]}, "region", Ignored("region", None, "repeated")),
    ({"whole_back": ["true", "true"]}, "whole_back", Ignored("whole_back", None, "repeated")),
    # empty
    ({"stage": ""}, "stage", Ignored("stage", "", "empty")),
    ({"show_points": "true", "point": ""}, "point", Ignored("point", "", "empty")),
    ({"seed": [""]}, "seed", Ignored("seed", "", "empty")),
    # huge: the notice repeats only the start of it
    ({"stage": HUGE}, "stage", Ignored("stage", "V" * links.SHOWN + "…", "too_long")),
    ({"show_points": "true", "point": HUGE}, "point", Ignored("point", "V" * links.SHOWN + "…", "too_long")),
]


@pytest.mark.parametrize(("raw", "control", "item"), BAD, ids=[f"{b[2].reason}-{b[1]}-{i}" for i, b in enumerate(BAD)])
def test_a_bad_parameter_gives_the_default_and_one_named_item(ch: Choices, raw: dict, control: str,
                                                            item: Ignored) -> None:
    view, ignored = links.read(raw, ch)
    assert ignored == [item]
    assert getattr(view, control) == getattr(ch.default, control)
    # Every other parameter of the link still counts.
    for name, value in raw.items():
        if name != control:
            assert links.query(view, ch.default)[name] == value


def test_flags_are_read_without_regard_to_case_as_streamlit_binding_does(ch: Choices) -> None:
    for given, want in (("TRUE", True), ("True", True), ("false", False), ("FALSE", False)):
        assert links.read({"whole_back": given}, ch) == (replace(ch.default, whole_back=want), [])


def test_an_unknown_parameter_is_named_and_the_rest_still_counts(ch: Choices) -> None:
    view, ignored = links.read({"foo": "1", "stage": "II", "Region": "lumbar", "utm_source": ["a", "b"]}, ch)
    assert view == replace(ch.default, stage="II")
    assert ignored == [Ignored("foo", None, "unknown_parameter"), Ignored("Region", None, "unknown_parameter"),
                       Ignored("utm_source", None, "unknown_parameter")]
    _, [huge_name] = links.read({HUGE: "x"}, ch)
    assert huge_name == Ignored("V" * links.SHOWN + "…", None, "unknown_parameter")


def test_every_mode_opens_from_a_link(ch: Choices) -> None:
    assert links.MODES == ("explore", "present", "quiz")
    for mode in ("present", "quiz"):
        view, ignored = links.read({"mode": mode, "seed": "42", "region": "lumbar"}, ch)
        assert view == replace(ch.default, mode=mode, seed=42, region="lumbar") and ignored == []
        assert links.query(view, ch.default) == {"region": "lumbar", "mode": mode, "seed": "42"}
    # The default mode stays out of the link; a mode spelled otherwise is not a mode.
    assert links.query(replace(ch.default, mode="explore"), ch.default) == {}
    for wrong in ("Quiz", "PRESENT", "presenter"):
        assert links.read({"mode": wrong}, ch) == (ch.default, [Ignored("mode", wrong, "not_mode")])


def test_a_point_needs_the_points_layer(ch: Choices) -> None:
    view, ignored = links.read({"point": "BL13"}, ch)
    assert view == ch.default and ignored == [Ignored("point", "BL13", "points_off")]
    view, ignored = links.read({"point": "BL13", "show_points": "false"}, ch)
    assert view == ch.default and ignored == [Ignored("point", "BL13", "points_off")]
    assert links.read({"point": "BL13", "show_points": "true"}, ch) == (
        replace(ch.default, show_points=True, point="BL13"), [])


def test_many_bad_parameters_at_once_never_raise(ch: Choices) -> None:
    raw = {f"p{i}": str(i) for i in range(500)} | {name: [HUGE, "", "x"] for name in links.PARAMS}
    view, ignored = links.read(raw, ch)
    assert view == ch.default
    assert len(ignored) == 500 + len(links.PARAMS)


def test_notice_is_one_line_naming_each_item(k: Knowledge, ch: Choices) -> None:
    assert links.notice(k.strings, []) is None
    _, ignored = links.read({"stage": "V", "foo": "1", "region": ["a", "b"], "mode": "Quiz", "seed": HUGE}, ch)
    text = links.notice(k.strings, ignored)
    assert text == ("Ignored from the link: stage=V (not a stage), foo (unknown parameter), region (given 2 times), "
                    f"mode=Quiz (not a mode), seed={'V' * links.SHOWN}… (too long)")
    assert "\n" not in text


def test_notice_is_plain_text_capped_and_names_a_nameless_parameter(k: Knowledge, ch: Choices) -> None:
    # Issue 17: a URL or Markdown in a link stays as typed; 1,000 unknown parameters gave 26 kB.
    raw = {"region": "see http://x.example/y", "lang": ":red[RED]", "": "x"} | {f"p{i}": "1" for i in range(1000)}
    _, ignored = links.read(raw, ch)
    text = links.notice(k.strings, ignored)
    assert text == ("Ignored from the link: region=see http://x.example/y (not a region), "
                    "lang=:red[RED] (not an available language), a parameter without a name (unknown parameter), "
                    "p0 (unknown parameter), p1 (unknown parameter), and 998 more")
    assert links.notice(k.strings, ignored[:links.NOTICE_ITEMS]).endswith("p1 (unknown parameter)")
    assert links.plain("a\nb\x1b") == "a\ufffdb\ufffd"


def test_every_reason_has_its_text(k: Knowledge, ch: Choices) -> None:
    reasons = {item.reason for _, _, item in BAD} | {"unknown_parameter", "points_off"}
    for reason in reasons:
        assert k.strings.has(f"links.reason.{reason}"), reason


def test_view_fields_are_the_public_parameters() -> None:
    assert tuple(f.name for f in fields(View)) == links.PARAMS
