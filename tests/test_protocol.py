"""acumap.protocol: reading and checking an uploaded protocol, and where it differs from the articles."""

from __future__ import annotations

import pytest

from acumap import make_plan
from acumap import protocol as P
from acumap.charts.figures import overlay_traces
from acumap.data.loading import Knowledge
from acumap.plan.points import cun_to_mm
from tests.support.paths import REPO

HEADER = "kind,name,value,min,max,unit,from,to,inner,outer,level,x\n"


def load(k: Knowledge, text: str | bytes, name: str = "p.toml") -> P.Result:
    return P.load(k, name, text.encode() if isinstance(text, str) else text)


def lines(k: Knowledge, result: P.Result) -> list[str]:
    return P.problems_text(k.strings, result.problems)


@pytest.mark.parametrize("name", ["protocol.toml", "protocol.csv"])
def test_the_examples_load_with_no_problem(k: Knowledge, name: str) -> None:
    result = load(k, (REPO / "examples" / name).read_bytes(), name)
    assert result.ok, lines(k, result)
    assert result.protocol.zones and result.protocol.points and result.protocol.parameters


def test_toml_and_csv_of_the_same_protocol_are_the_same(k: Knowledge) -> None:
    toml = load(k, 'name = "Mine"\nregion = "lumbar"\n[[zones]]\nfrom = "L1"\nto = "below L5"\nlateral = [0.0, 3.0]\n'
                   '[[points]]\nlevel = "below L2"\nx = -1.5\ndepth = 2\nunit = "cm"\nlabel = "a"\n'
                   '[[parameters]]\nquantity = "retention"\nmin = 10\nmax = 20\nunit = "min"\n')
    csv = load(k, HEADER + "setting,name,Mine\nsetting,region,lumbar\nzone,,,,,,L1,below L5,0,3\n"
                           "point,a,2,,,cm,,,,,below L2,-1.5\nparameter,retention,,10,20,min\n", "p.csv")
    assert toml.ok and csv.ok, (lines(k, toml), lines(k, csv))
    a, b = toml.protocol, csv.protocol
    assert (a.name, a.region, a.zones, a.parameters.keys()) == (b.name, b.region, b.zones, b.parameters.keys())
    assert [(p.level, p.x, p.depth_mm) for p in a.points] == [(p.level, p.x, p.depth_mm) for p in b.points]
    assert a.points[0].depth_mm == 20  # 2 cm through units
    assert a.parameters["retention"].min == 600 and a.parameters["retention"].max == 1200  # min -> s


def test_every_problem_is_reported_at_once_with_its_entry_and_field(k: Knowledge) -> None:
    result = load(k, 'region = "neck"\n'
                     '[[zones]]\nfrom = "T7"\nto = "T1"\nlateral = [0.0, 3.0]\n'
                     '[[zones]]\nfrom = "T1"\nto = "T3"\nlateral = [2.0, 1.0]\n'
                     '[[points]]\nlevel = "T13"\nx = 1.5\n'
                     '[[points]]\nlevel = "T3"\nx = 40\n'
                     '[[parameters]]\nquantity = "depth"\nvalue = 1\nunit = "h"\n'
                     '[[parameters]]\nquantity = "needles"\nvalue = 6.5\nunit = "needles"\n'
                     '[[parameters]]\nquantity = "happiness"\nvalue = 1\nunit = "s"\n')
    assert not result.ok and result.protocol is None
    got = lines(k, result)
    expected = [
        "region: unknown region 'neck'",
        "zones[1]: field 'from': 'T7' must lie above 'T1'",
        "zones[2]: field 'lateral': Value error, lateral must be [inner, outer]",
        "points[1]: field 'level': unknown level 'T13'",
        "points[2]: field 'x': Input should be less than or equal to 12",
        "parameters[1]: field 'unit': 'h' cannot be read as mm",
        "parameters[2]: field 'value': a needle count must be a whole number",
        "parameters[3]: field 'quantity': unknown quantity 'happiness'",
    ]
    assert len(got) == len(expected), got
    for line, start in zip(got, expected, strict=True):
        assert line.startswith(start.replace("Value error, ", "")), (line, start)
        assert "\n" not in line


def test_a_bad_level_is_reported_beside_an_entry_s_other_problems(k: Knowledge) -> None:
    # Issue 17: region "neck", level T13, x = 40 and depth "deep" gave three problems, not four.
    result = load(k, 'region = "neck"\n[[points]]\nlevel = "T13"\nx = 40\ndepth = "deep"\nunit = "in"\n'
                     '[[zones]]\nfrom = "T13"\nto = "X1"\nlateral = [3.0, 1.0]\n'
                     '[[zones]]\nfrom = "T7"\nto = "T1"\nlateral = [1.0, 3.0]\nlabel = 7\n')
    expected = [
        "region: unknown region 'neck'",
        "zones[1]: field 'from': unknown level 'T13'",
        "zones[1]: field 'to': unknown level 'X1'",
        "zones[1]: field 'lateral': lateral must be [inner, outer]",
        "zones[2]: field 'from': 'T7' must lie above 'T1'",
        "zones[2]: field 'label': Input should be a valid string",
        "points[1]: field 'level': unknown level 'T13'",
        "points[1]: field 'x': Input should be less than or equal to 12",
        "points[1]: field 'depth': Input should be a valid number",
        "points[1]: field 'unit': unknown depth unit 'in'",
    ]
    got = lines(k, result)
    assert len(got) == len(expected), got
    for line, start in zip(got, expected, strict=True):
        assert line.startswith(start), (line, start)


def test_csv_rows_are_named_by_their_line_and_formulas_are_refused(k: Knowledge) -> None:
    result = load(k, HEADER + "setting,region,cervical\n"
                              "point,=HYPERLINK(\"http://x\"),,,,,,,,,T3,1\n"
                              "point,@SUM(A1),,,,,,,,,T3,1\n"
                              "point,ok,+1+2,,,mm,,,,,T3,1\n"
                              "point,fine,-3,,,mm,,,,,T3,-1.5\n"
                              "zone,,,,,,T1,T99,0,3\n", "p.csv")
    got = lines(k, result)
    assert got[0].startswith("row 3: field 'name': the cell starts with =")
    assert got[1].startswith("row 4: field 'name': the cell starts with =")
    assert got[2].startswith("row 5: field 'value': the cell starts with =")
    # A plain negative number is a number, not a formula; a negative depth is refused for being one.
    assert got[3].startswith("row 6: field 'depth': Input should be greater than 0")
    assert got[4].startswith("row 7: field 'to': unknown level 'T99'")
    assert len(got) == 5


@pytest.mark.parametrize(("data", "start"), [
    (b"", "the file is empty"),
    (b"\xff\xfe r\x00e\x00g\x00", "the file is not UTF-8 text"),
    ("region = 'cervical'".encode("utf-16"), "the file is not UTF-8 text"),
    (b"region = \x00", "the file holds binary data"),
    (b"region = [", "not valid TOML"),
    (b"a = " + b"[" * 200 + b"]" * 200, "a: unknown key"),
    (b"a = " + b"[" * 200_000 + b"]" * 200_000, "the TOML is nested too deeply"),
    (b"x" * (P.MAX_BYTES + 1), f"the file is {P.MAX_BYTES + 1} bytes; at most {P.MAX_BYTES}"),
    (b'region = "cervical"', "the file has no zones, points or parameters"),
    (b'region = "cervical"\npoints = 3', "points: 'points' must be a list"),
    (b'region = "cervical"\n!!python/object:os.system = 1', "not valid TOML"),
])
def test_unreadable_files_get_one_clear_line(k: Knowledge, data: bytes, start: str) -> None:
    result = load(k, data)
    assert result.protocol is None
    assert result.problems and lines(k, result)[0].startswith(start), lines(k, result)


def test_too_many_entries_are_refused_by_count(k: Knowledge) -> None:
    rows = "".join("point,,,,,,,,,,T3,1\n" for _ in range(P.MAX_ENTRIES + 1))
    result = load(k, HEADER + "setting,region,cervical\n" + rows, "p.csv")
    assert lines(k, result) == [f"{P.MAX_ENTRIES + 1} zones, points and parameters; at most {P.MAX_ENTRIES} "
                                "are allowed"]


def test_differences_against_the_articles(k: Knowledge) -> None:
    result = load(k, 'region = "cervical"\n'
                     '[[points]]\nlevel = "below T3"\nx = 1.5\ndepth = 30\n'  # BL13's place
                     '[[parameters]]\nquantity = "retention"\nvalue = 60\nunit = "min"\n'
                     '[[parameters]]\nquantity = "needles"\nvalue = 8\nunit = "needles"\n')
    assert result.ok, lines(k, result)
    plan = make_plan(k, "cervical", "sedative", "II")
    rows = {r.what: r for r in P.differences(k, result.protocol, plan)}
    needles = plan.quantities["needles"]
    assert needles.min == needles.max == 8
    assert not rows["Needles"].differs  # 8 is what A and D say
    assert rows["Depth"].verdict == "deeper than the articles" and plan.quantities["depth_mm"].max < 30
    retention = plan.quantities["retention_s"]
    assert retention.max < 3600 and rows["Needles stay in"].verdict == "longer than the articles"
    bl13 = next(p for p in k.points if p.code == "BL13")
    point = rows["points[1] (below T3, 1.5 B-cun)"]
    assert point.verdict == "deeper than the standard point's usual depth"
    assert f"≈{cun_to_mm(k, bl13.depth_cun[1]):g} mm" in point.articles


def test_a_protocol_within_the_articles_differs_nowhere(k: Knowledge) -> None:
    plan = make_plan(k, "thoracic", "sedative", "I")
    q = plan.quantities["needles"]
    result = load(k, f'region = "thoracic"\n[[parameters]]\nquantity = "needles"\nvalue = {q.max:g}\n'
                     'unit = "needles"\n')
    rows = P.differences(k, result.protocol, plan)
    assert [r.differs for r in rows] == [False]


def test_overlay_is_labelled_as_yours_and_escapes_the_name(k: Knowledge) -> None:
    result = load(k, 'name = "<b>Mine</b>"\nregion = "lumbar"\n[[zones]]\nfrom = "L1"\nto = "L5"\n'
                     'lateral = [1.0, 2.0]\n[[points]]\nlevel = "L3"\nx = 0\n')
    traces = overlay_traces(k, result.protocol)
    assert [t.name for t in traces] == ["&lt;b&gt;Mine&lt;/b&gt;: zone", "&lt;b&gt;Mine&lt;/b&gt;: needles"]
    zone_x = [x for x in traces[0].x if x is not None]
    assert sorted({abs(x) for x in zone_x}) == [1.0, 2.0]  # a band each side of the spine
