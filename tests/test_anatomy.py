"""Issue 3: the drawing speaks in landmarks. Points sit at their standard level and offset, every
point and zone lies inside the drawn body, zones hold their needle markers, and the depth view
shows each method's depth or 'not stated'."""

from __future__ import annotations

import itertools
import tomllib

import pytest

from acumap import make_plan
from acumap.charts.depth import depth_view
from acumap.charts.figures import back_view
from acumap.data.loading import Knowledge
from acumap.data.paths import data_dir
from acumap.plan.points import placements
from tests.conftest import trace, values

RAW_ANATOMY = tomllib.loads((data_dir() / "anatomy.toml").read_text(encoding="utf-8"))
RAW_POINTS = tomllib.loads((data_dir() / "points.toml").read_text(encoding="utf-8"))["points"]
SPINOUS = {v["name"]: v["drop"] for v in RAW_ANATOMY["vertebrae"]}
ORDER = list(SPINOUS)


def expected_drop(level: str) -> float:
    """Read a level straight from anatomy.toml, independently of the app's code."""
    if level.startswith("below "):
        name = level.removeprefix("below ")
        if name in SPINOUS:
            return (SPINOUS[name] + SPINOUS[ORDER[ORDER.index(name) + 1]]) / 2
        mark = RAW_ANATOMY["landmarks"][name]["drop"]
        return (mark + min(d for d in SPINOUS.values() if d > mark)) / 2
    if level.startswith("above "):
        name = level.removeprefix("above ")
        return (SPINOUS[name] + SPINOUS[ORDER[ORDER.index(name) - 1]]) / 2
    return SPINOUS[level]


def inside_polygon(x: float, y: float, xs: list[float], ys: list[float]) -> bool:
    hit = False
    for i in range(len(xs)):
        x1, y1, x2, y2 = xs[i - 1], ys[i - 1], xs[i], ys[i]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def in_body(fig: dict, x: float, y: float) -> bool:
    body, head = trace(fig, "body"), trace(fig, "head")
    return inside_polygon(x, y, values(body["x"]), values(body["y"])) or inside_polygon(
        x, y, values(head["x"]), values(head["y"]))


def figure(k: Knowledge, region: str, method: str = "combined", stage: str = "II", **kw) -> dict:
    return back_view(k, make_plan(k, region, method, stage), **kw).to_plotly_json()


def test_landmarks_sit_at_their_who_levels(k: Knowledge) -> None:
    marks = RAW_ANATOMY["landmarks"]
    assert marks["scapular_spine_root"]["level"] == "T3"
    assert marks["inferior_angle"]["level"] == "T7"
    assert marks["iliac_crest_top"]["level"] == "L4"
    assert marks["psis"]["level"] == "S2"
    assert marks["medial_border"]["x"] == 3.0
    spine = [f"C{i}" for i in range(1, 8)] + [f"T{i}" for i in range(1, 13)] + [f"L{i}" for i in range(1, 6)]
    assert ORDER[:24] == spine


def test_every_standard_point_is_drawn_at_its_level_and_offset(k: Knowledge) -> None:
    fig = back_view(k, make_plan(k, "thoracic", "combined", "I"), focus=False,
                    points=placements(k, "thoracic")).to_plotly_json()
    drawn: dict[str, set[tuple[float, float]]] = {}
    for t in fig["data"]:
        if t.get("name") in ("Standard points in the zone", "Other standard points"):
            for key, x, y in zip(t["customdata"], values(t["x"]), values(t["y"]), strict=True):
                drawn.setdefault(key, set()).add((round(x, 6), round(y, 6)))
    required = {"GV14", "GV16", "GB20", "GB21", "BL10", "SI14", "SI15", "GV3", "GV4", "BL23", "BL25", "BL52"}
    required |= {f"BL{n}" for n in range(11, 18)} | {f"BL{n}" for n in range(41, 47)}
    assert required <= set(drawn)
    checked = 0
    for p in RAW_POINTS:
        if "between" in p:  # GB21: halfway from C7 to the acromion
            level, mark = p["between"]
            acromion = RAW_ANATOMY["landmarks"][mark]
            spots = [(p["code"], (SPINOUS[level] + acromion["drop"]) / 2, acromion["x"] / 2)]
        else:
            levels = p.get("levels") or [p["level"]]
            spots = [(p["code"] if "levels" not in p else f"{p['code']} {lv.removeprefix('below ')}",
                      expected_drop(lv), p["offset"]) for lv in levels]
        for key, drop, offset in spots:
            sides = {offset, -offset} if p["bilateral"] else {offset}
            assert drawn[key] == {(round(x, 6), round(-drop, 6)) for x in sides}, key
            checked += 1
    assert checked == len(drawn) == 54  # 37 single points and 17 Jiaji levels


def test_standard_levels_from_the_reference(k: Knowledge) -> None:
    by_code = {p["code"]: p for p in RAW_POINTS}
    assert [by_code[f"BL{n}"]["level"] for n in range(11, 18)] == [f"below T{n}" for n in range(1, 8)]
    assert [by_code[f"BL{n}"]["level"] for n in range(41, 47)] == [f"below T{n}" for n in range(2, 8)]
    assert {by_code[f"BL{n}"]["offset"] for n in range(11, 18)} == {1.5}
    assert {by_code[f"BL{n}"]["offset"] for n in range(41, 47)} == {3.0}
    midline = (by_code["GV14"]["level"], by_code["GV4"]["level"], by_code["GV3"]["level"])
    assert midline == ("below C7", "below L2", "below L4")
    assert (by_code["SI14"]["level"], by_code["SI14"]["offset"]) == ("below T1", 3.0)
    assert (by_code["SI15"]["level"], by_code["SI15"]["offset"]) == ("below C7", 2.0)
    assert by_code["EX-B2"]["levels"][0] == "below T1" and by_code["EX-B2"]["levels"][-1] == "below L5"
    assert by_code["EX-B2"]["offset"] == 0.5


@pytest.mark.parametrize("build", ["slim", "average", "broad"])
def test_every_point_and_zone_lies_inside_the_body(k: Knowledge, build: str) -> None:
    fig = figure(k, "cervical", focus=False, points=placements(k, "cervical"), build=build)
    landmarks = trace(fig, "landmarks")
    for x, y in zip(values(landmarks["x"]), values(landmarks["y"]), strict=True):
        assert in_body(fig, x, y), ("landmark", x, y)
    for t in fig["data"]:
        if t.get("name") in ("Standard points in the zone", "Other standard points", "needles"):
            for x, y in zip(values(t["x"]), values(t["y"]), strict=True):
                assert in_body(fig, x, y), (t["name"], x, y)
        if "zone" in (t.get("name") or ""):
            for x, y in zip(values(t["x"]), values(t["y"]), strict=True):
                if x is not None:
                    assert in_body(fig, x, y), (t["name"], x, y)


@pytest.mark.parametrize(("region", "stage"), list(itertools.product(["cervical", "thoracic", "lumbar"], ["I", "IV"])))
def test_zones_contain_their_needle_markers(k: Knowledge, region: str, stage: str) -> None:
    fig = figure(k, region, stage=stage)
    label = k.strings.get("figure.zone_hover", region=k.strings.get(f"region.{region}"))
    zone = trace(fig, label)
    zx = [v for v in values(zone["x"]) if v is not None]
    zy = [v for v in values(zone["y"]) if v is not None]
    needles = trace(fig, "needles")
    xs, ys = values(needles["x"]), values(needles["y"])
    assert len(xs) == make_plan(k, region, "combined", stage).quantities["needles"].max
    for x, y in zip(xs, ys, strict=True):
        assert min(zx) <= x <= max(zx) and min(zy) <= y <= max(zy), (x, y)


def test_build_changes_the_outline_but_not_the_points(k: Knowledge) -> None:
    slim = figure(k, "lumbar", build="slim", points=placements(k, "lumbar"))
    broad = figure(k, "lumbar", build="broad", points=placements(k, "lumbar"))
    assert max(values(trace(broad, "body")["x"])) > max(values(trace(slim, "body")["x"]))
    for name in ("Standard points in the zone", "needles", "landmarks", "Scapulae and iliac crests"):
        assert values(trace(slim, name)["x"]) == values(trace(broad, name)["x"])


def test_the_view_focuses_on_the_chosen_region(k: Knowledge) -> None:
    for region, top, bottom in (("cervical", "C1", "T7"), ("thoracic", "T1", "T12"), ("lumbar", "L1", "L5")):
        y0, y1 = figure(k, region)["layout"]["yaxis"]["range"]
        assert y0 < -SPINOUS[bottom] and y1 > -SPINOUS[top]
        assert y1 - y0 < 30  # a part of the back, not the whole of it
    assert figure(k, "lumbar")["layout"]["yaxis"]["scaleanchor"] == "x"


# What each method's needles reach, per the articles (mm), or None for "not stated".
DEPTHS = {
    ("cervical", "exciting"): (3, 10), ("thoracic", "exciting"): (3, 10), ("lumbar", "exciting"): (3, 10),
    ("cervical", "sedative"): (10, 20), ("thoracic", "sedative"): (15, 15), ("lumbar", "sedative"): None,
}


@pytest.mark.parametrize(("region", "method"), list(itertools.product(["cervical", "thoracic", "lumbar"],
                                                                      ["exciting", "combined", "sedative"])))
def test_depth_view_shows_each_methods_range_or_not_stated(k: Knowledge, region: str, method: str) -> None:
    fig = depth_view(k, make_plan(k, region, method, "I")).to_plotly_json()
    bars = {t["name"]: t for t in fig["data"] if t["type"] == "bar"}
    notes = [a["text"] for a in fig["layout"]["annotations"]]
    for part in k.components(method):
        column = f"{k.strings.get(f'method.{part}')} needles"
        want = DEPTHS[(region, part)]
        if want is None:
            assert column not in bars
            assert "<b>not stated</b>" in notes
        else:
            bar = bars[column]
            low, size = values(bar["base"])[0], values(bar["y"])[0]
            assert (low, low + size) == want
    dangers = {t["name"]: values(t["y"])[0] for t in fig["data"] if t["type"] == "scatter"}
    # Only the zone's own points: SI14 lies in the cervical zone; GB21 and SI15 lie outside it.
    assert dangers == ({"SI14": 52} if region == "cervical" else {})
