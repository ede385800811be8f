"""Property-based tests (hypothesis): whatever comes in — a link's query, an uploaded protocol, the
command line's arguments, a damaged data file — the app and the CLI never raise; every invalid
input gets one-line messages, every valid one is used. Example counts are modest so the suite
stays quick; they follow the Hypothesis profile in force (tests/conftest.py): `make test-fast` tries a
fifth of them, `HYPOTHESIS_PROFILE=thorough` ten times as many."""

from __future__ import annotations

import contextlib
import io
import json
import math
import random
import shutil
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as hs

from acumap import DataError, cli, load_knowledge, make_plan, protocol
from acumap.charts.figures import overlay_traces
from acumap.data.loading import Knowledge
from acumap.data.paths import data_dir
from acumap.teach import links as L
from tests.conftest import examples
from tests.support.apptest import opened
from tests.test_app_links import link_notices

K = load_knowledge()
CH = L.choices_for(K, K.default_method, "average")


# --- links ---------------------------------------------------------------------------------------------
VALID_VALUES = [*CH.regions, *CH.methods, *CH.stages, *CH.builds, *CH.points[:5], "both", "true", "FALSE", "en",
                *L.MODES, "7", "123456789"]
names = hs.one_of(hs.sampled_from(L.PARAMS), hs.text(max_size=12))
values = hs.one_of(hs.sampled_from(VALID_VALUES), hs.text(max_size=30), hs.text(min_size=90, max_size=200))
queries = hs.dictionaries(names, hs.one_of(values, hs.lists(values, max_size=3)), max_size=6)


def assert_one_line(text: str | None) -> None:
    if text is not None:
        assert "\n" not in text and "\r" not in text and text.strip() == text


@given(queries)
@settings(max_examples=examples(300))
def test_links_read_any_query(raw: dict[str, Any]) -> None:
    view, ignored = L.read(raw, CH)
    assert view.region in CH.regions and view.method in CH.methods and view.stage in CH.stages
    assert view.build in CH.builds and view.mode in L.MODES and view.lang in L.LANGS
    assert view.point is None or (view.point in CH.points and view.show_points)
    # Every parameter given is either used or named in the notice, which is one line of plain text.
    named = {i.param for i in ignored}
    for name in raw:
        assert name in L.PARAMS or L._short(name) in named
    text = L.notice(K.strings, ignored)
    assert (text is None) == (not ignored)
    assert_one_line(text)
    # At most NOTICE_ITEMS parts are named, then how many more.
    shown = ignored[:L.NOTICE_ITEMS]
    assert (text or "").count(" (") >= len(shown)
    if len(ignored) > L.NOTICE_ITEMS:
        assert (text or "").endswith(K.strings.get("links.more", count=len(ignored) - L.NOTICE_ITEMS))
    # What the page writes back opens the same view.
    again, nothing = L.read(L.query(view, CH.default), CH)
    assert again == view and nothing == []


app_queries = hs.dictionaries(names, values, max_size=4)


@given(app_queries)
@settings(max_examples=examples(12), suppress_health_check=list(HealthCheck))
def test_the_app_opens_any_link(raw: dict[str, str]) -> None:
    at = opened(raw)  # which must not raise
    assert not at.error, (raw, [e.value for e in at.error])  # neither a broken page nor the guard's message
    view, ignored = L.read(raw, CH)
    notices = [n for n in link_notices(at) if n.startswith("Ignored from the link")]
    assert len(notices) == (1 if ignored else 0), (raw, notices)
    for n in notices:
        assert_one_line(n)
    if view.mode == "explore":
        assert any(c.proto.id.endswith("back_view") for c in at.get("plotly_chart"))


# --- protocol files ------------------------------------------------------------------------------------
LEVELS = [v.name for v in K.anatomy.vertebrae]
levels = hs.one_of(hs.sampled_from(LEVELS), hs.sampled_from(LEVELS[1:-1]).map(lambda v: f"below {v}"))
labels = hs.text(alphabet=hs.characters(blacklist_categories=("Cc", "Cs")), max_size=20)
finite = hs.floats(min_value=0.1, max_value=80, allow_nan=False).map(lambda v: round(v, 2))


@hs.composite
def zones(draw) -> dict[str, Any]:
    a, b = sorted(draw(hs.lists(hs.sampled_from(range(len(LEVELS))), min_size=2, max_size=2, unique=True)))
    inner = draw(hs.sampled_from([0.0, 0.5, 1.0]))
    outer = draw(hs.floats(min_value=inner + 0.5, max_value=protocol.HALF_WIDTH).map(lambda v: round(v, 2)))
    return {"from": LEVELS[a], "to": LEVELS[b], "lateral": [inner, max(outer, inner + 0.5)]}


points = hs.fixed_dictionaries({"level": levels, "x": hs.floats(-protocol.HALF_WIDTH, protocol.HALF_WIDTH)
                                .map(lambda v: round(v, 2))},
                               optional={"depth": finite, "unit": hs.sampled_from(["mm", "cm"]),
                                         "label": labels})
UNITS = {"needles": ["needles"], "depth": ["mm", "cm"], "retention": ["s", "min"], "session_length": ["min", "h"],
         "course_sessions": ["sessions"], "break": ["days", "weeks"]}


@hs.composite
def parameters(draw) -> list[dict[str, Any]]:
    chosen = draw(hs.lists(hs.sampled_from(sorted(UNITS)), unique=True, max_size=4))
    out = []
    for q in chosen:
        unit = draw(hs.sampled_from(UNITS[q]))
        if q == "needles":
            out.append({"quantity": q, "value": draw(hs.integers(1, 40)), "unit": unit})
        else:
            low, high = sorted(draw(hs.lists(finite, min_size=2, max_size=2)))
            out.append({"quantity": q, "min": low, "max": high, "unit": unit})
    return out


@hs.composite
def protocols(draw) -> dict[str, Any]:
    doc: dict[str, Any] = {"region": draw(hs.sampled_from(list(K.regions)))}
    if draw(hs.booleans()):
        doc["name"] = draw(labels.filter(str.strip))
    doc["zones"] = draw(hs.lists(zones(), max_size=3))
    doc["points"] = draw(hs.lists(points, max_size=8))
    doc["parameters"] = draw(parameters())
    assume(doc["zones"] or doc["points"] or doc["parameters"])
    return doc


def toml_str(v: str) -> str:
    """A TOML basic string: JSON's escapes, with characters TOML refuses raw escaped too."""
    return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(v: Any) -> str:
    """A small TOML writer: every table inline, strings as JSON (whose escapes TOML shares)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v) if math.isfinite(v) else ("nan" if math.isnan(v) else ("inf" if v > 0 else "-inf"))
    if isinstance(v, str):
        return toml_str(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{toml_str(str(k))} = {toml_value(x)}" for k, x in v.items()) + "}"


def toml_text(doc: dict[str, Any]) -> str:
    return "\n".join(f"{toml_str(k)} = {toml_value(v)}" for k, v in doc.items()) + "\n"


def csv_text(doc: dict[str, Any]) -> str:
    import csv

    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(protocol.CSV_COLUMNS)
    blank = dict.fromkeys(protocol.CSV_COLUMNS, "")

    def row(**cells: Any) -> None:
        w.writerow([cells.get(c, blank[c]) for c in protocol.CSV_COLUMNS])

    for key in ("name", "region"):
        if key in doc:
            row(kind="setting", name=key, value=doc[key])
    for z in doc["zones"]:
        row(kind="zone", **{"from": z["from"]}, to=z["to"], inner=z["lateral"][0], outer=z["lateral"][1])
    for p in doc["points"]:
        row(kind="point", level=p["level"], x=p["x"], value=p.get("depth", ""), unit=p.get("unit", ""),
            name=p.get("label", ""))
    for p in doc["parameters"]:
        row(kind="parameter", name=p["quantity"], value=p.get("value", ""), min=p.get("min", ""),
            max=p.get("max", ""), unit=p["unit"])
    return out.getvalue()


def problem_lines(result: protocol.Result) -> list[str]:
    found = protocol.problems_text(K.strings, result.problems)
    for line in found:
        assert_one_line(line)
    return found


def csv_safe(doc: dict[str, Any]) -> bool:
    """Whether every text cell is one the CSV reader accepts (no formula start, short, one line)."""
    texts = [doc.get("name", "")] + [p.get("label", "") for p in doc["points"]]
    return all(not t.strip().startswith(protocol.FORMULA_START) and len(t) <= protocol.MAX_CELL and t == t.strip()
               and "\n" not in t and "\r" not in t for t in texts if t)


@given(protocols(), hs.sampled_from(["toml", "csv"]))
@settings(max_examples=examples(150))
def test_a_valid_protocol_is_read_in_full(doc: dict[str, Any], fmt: str) -> None:
    if fmt == "csv":
        assume(csv_safe(doc) and not any(p.get("label", "").strip() != p.get("label", "") for p in doc["points"]))
    text = toml_text(doc) if fmt == "toml" else csv_text(doc)
    result = protocol.load(K, f"p.{fmt}", text.encode())
    assert result.ok, (text, problem_lines(result))
    p = result.protocol
    assert p.region == doc["region"]
    assert (len(p.zones), len(p.points), len(p.parameters)) == (len(doc["zones"]), len(doc["points"]),
                                                                len(doc["parameters"]))
    # And it is compared and drawn without trouble, under every method.
    for method in K.methods:
        protocol.differences(K, p, make_plan(K, p.region, method, "II"))
    assert len(overlay_traces(K, p)) == bool(p.zones) + bool(p.points)


BREAKS = {
    "level": "T13", "x": 99, "depth": -1, "unit": "furlong", "from": "nowhere", "lateral": [3, 1], "quantity": "joy",
    "value": "eight", "min": -5, "region": "neck",
}


@given(protocols(), hs.data())
@settings(max_examples=examples(150))
def test_a_nearly_valid_protocol_names_what_is_wrong(doc: dict[str, Any], data: hs.DataObject) -> None:
    spots = [("region", None, None)]
    spots += [(kind, i, key) for kind in ("zones", "points", "parameters") for i, entry in enumerate(doc[kind])
              for key in entry if key in BREAKS]
    kind, i, key = data.draw(hs.sampled_from(spots))
    if kind == "region":
        doc["region"] = BREAKS["region"]
    else:
        if key == "min" and "max" in doc[kind][i]:
            doc[kind][i]["max"] = 1
        doc[kind][i][key] = BREAKS[key]
    result = protocol.load(K, "p.toml", toml_text(doc).encode())
    found = problem_lines(result)
    assert result.protocol is None and found
    where = "region" if kind == "region" else f"{kind}[{i + 1}]"
    assert any(line.startswith(where) for line in found), (where, found)


@given(hs.binary(max_size=3000), hs.sampled_from(["p.toml", "p.csv", "p.txt"]))
@settings(max_examples=examples(200))
def test_random_bytes_never_raise(data: bytes, name: str) -> None:
    result = protocol.load(K, name, data)
    assert result.ok or problem_lines(result)


@given(hs.text(alphabet=hs.characters(codec="utf-8"), max_size=400),
       hs.sampled_from(["utf-8", "utf-16", "utf-32", "latin-1", "cp1251", "shift_jis"]),
       hs.sampled_from(["p.toml", "p.csv"]))
@settings(max_examples=examples(150))
def test_any_text_in_any_encoding_never_raises(text: str, encoding: str, name: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, errors="replace")
    result = protocol.load(K, name, data)
    assert result.ok or problem_lines(result)


@given(hs.integers(0, 400_000), hs.sampled_from(["[", "{a = ", "[[x]]\n"]))
@settings(max_examples=examples(30))
def test_deep_nesting_and_huge_files_never_raise(depth: int, opener: str) -> None:
    closer = {"[": "]", "{a = ": "}", "[[x]]\n": ""}[opener]
    data = ("a = " + opener * depth + "1" + closer * depth).encode()
    result = protocol.load(K, "p.toml", data)
    assert not result.ok and problem_lines(result)
    if len(data) > protocol.MAX_BYTES:
        assert problem_lines(result) == [f"the file is {len(data)} bytes; at most {protocol.MAX_BYTES} are allowed"]


cells = hs.one_of(hs.text(max_size=12), hs.sampled_from(["zone", "point", "parameter", "setting", "region", "T3",
                                                         "below T5", "-1.5", "=1+1", "@x", "mm", "needles", ""]))


@given(hs.lists(hs.lists(cells, max_size=14), max_size=20))
@settings(max_examples=examples(200))
def test_random_csv_never_raises(rows: list[list[str]]) -> None:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows([list(protocol.CSV_COLUMNS), *rows])
    result = protocol.load(K, "p.csv", out.getvalue().encode())
    assert result.ok or problem_lines(result)


# --- the command line ------------------------------------------------------------------------------------
args = hs.one_of(hs.sampled_from(["plan", "--region", "--method", "--stage", "-h", "--", "-", "--reg",
                                  *CH.regions, *CH.methods, *CH.stages, "both", "--region=lumbar"]),
                 hs.text(max_size=15))


@given(hs.lists(args, max_size=8))
@settings(max_examples=examples(150))
def test_the_cli_never_raises(argv: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(argv)
    assert status in (0, 2), (argv, status)
    if status == 2:
        assert out.getvalue() == ""
        lines = err.getvalue().strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("acumap: error: "), (argv, err.getvalue())
    elif not {"-h", "--help"} & set(argv) and "help" not in out.getvalue()[:10]:
        assert json.loads(out.getvalue())["region"] in CH.regions


# --- damaged data files ------------------------------------------------------------------------------------
DATA_FILES = sorted(p.relative_to(data_dir()).as_posix() for p in data_dir().rglob("*.toml"))


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    """Every place in a parsed TOML document: keys of tables and items of arrays."""
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*path, i))
    return found


def _mutate(doc: dict, path: tuple, how: str) -> None:
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "text":
        parent[last] = "x"
    elif how == "number":
        parent[last] = -1
    elif how == "empty":
        parent[last] = [] if not isinstance(parent[last], list) else {}


@given(hs.sampled_from(DATA_FILES), hs.randoms(use_true_random=False),
       hs.sampled_from(["delete", "delete", "text", "number", "empty"]))
@settings(max_examples=examples(60), suppress_health_check=list(HealthCheck))
def test_a_damaged_data_file_raises_data_error_or_loads(name: str, rnd: random.Random, how: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(data_dir(), folder)
        doc = tomllib.loads((folder / name).read_text(encoding="utf-8"))
        places = _paths(doc)
        path = rnd.choice(places)
        _mutate(doc, path, how)
        (folder / name).write_text(toml_text(doc), encoding="utf-8")
        try:
            k = load_knowledge(folder)
        except DataError as exc:
            assert_one_line(str(exc))
            assert str(exc).startswith("data/"), str(exc)
            return
        assert isinstance(k, Knowledge)


def test_the_toml_writer_round_trips_every_data_file() -> None:
    for name in DATA_FILES:
        doc = tomllib.loads((data_dir() / name).read_text(encoding="utf-8"))
        assert tomllib.loads(toml_text(doc)) == doc, name
