"""Exports: the plan's CSV holds exactly the plan's values, articles, lines and quotes; the JSON is the
CLI's document, unchanged; the session card's HTML carries every number of the plan, the
contraindications, the disclaimer, the date and the link. (The drawn files — PNG, SVG and the PDF's
one page — are checked in tests/browser/test_exports.py, as they need Chromium.)"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import subprocess
from datetime import date

import pytest

from acumap import make_plan
from acumap.charts.figures import back_view
from acumap.data.loading import Knowledge
from acumap.data.quantities import QUANTITIES
from acumap.output import card, exports
from acumap.plan.presenting import caution_items, parameter_cards, plan_document, plan_json

COMBINATIONS = [("cervical", "combined", "II"), ("thoracic", "sedative", "IV"), ("lumbar", "combined", "I"),
                ("lumbar", "exciting", "III")]


def read_csv(k: Knowledge, text: str) -> list[dict[str, str]]:
    """The CSV's rows keyed by column name (the headers are translated: map them back)."""
    rows = list(csv.reader(io.StringIO(text)))
    header = [k.strings.get(f"export.csv.{c}") for c in exports.CSV_COLUMNS]
    assert rows[0] == header
    return [dict(zip(exports.CSV_COLUMNS, r, strict=True)) for r in rows[1:]]


def number(cell: str) -> float | None:
    return None if cell == "" else float(cell)


def refs(doc_evidence: list[dict]) -> set[tuple[str, int]]:
    return {(e["source"], e["line"]) for e in doc_evidence}


def cell_refs(cell: str) -> set[tuple[str, int]]:
    found = re.findall(r"([A-D]) (\d+)", cell)
    return {(src, int(line)) for src, line in found}


@pytest.mark.parametrize("region,method,stage", list(itertools.product(
    ("cervical", "thoracic", "lumbar"), ("exciting", "combined", "sedative"), ("I", "II", "III", "IV"))))
def test_csv_rows_equal_the_plan(k: Knowledge, region: str, method: str, stage: str) -> None:
    plan = make_plan(k, region, method, stage)
    doc = plan_json(k, plan)
    rows = read_csv(k, exports.plan_csv(k, plan))
    assert {(r["region"], r["method"], r["stage"]) for r in rows} == {(region, method, stage)}
    assert list(dict.fromkeys(r["quantity"] for r in rows)) == [q.key for q in QUANTITIES]
    for spec in QUANTITIES:
        mine = [r for r in rows if r["quantity"] == spec.key]
        q = doc[spec.key]
        if q is None:
            assert len(mine) == 1 and mine[0]["min"] == mine[0]["max"] == mine[0]["sources"] == ""
            assert mine[0]["value"] == k.strings.get("value.not_stated")
            continue
        assert {r["unit"] for r in mine} == {q["unit"]}
        assert {r["reading"] for r in mine} == {str(q["reading"]).lower()}
        if q["parts"] is None and q["pieces"]:
            # Split by stage (stage II's session): a row per stage, each with its own range and lines.
            assert [r["part"] for r in mine] == [""] * len(q["pieces"])
            for row, piece in zip(mine, q["pieces"], strict=True):
                assert (number(row["min"]), number(row["max"])) == (piece["min"], piece["max"])
                assert row["sources"].split(", ") == piece["sources"]
                assert k.strings.get(f"severity.{piece['stage']}") in row["label"]
        elif q["parts"] is None:
            (row,) = mine
            assert row["part"] == ""
            assert (number(row["min"]), number(row["max"])) == (q["min"], q["max"])
            assert row["sources"].split(", ") == q["sources"]
            assert row["conflict"] == str(q["conflict"]).lower()
        else:
            assert [r["part"] for r in mine] == list(q["parts"])
            for row in mine:
                part = q["parts"][row["part"]]
                if part is None:  # no article states it for this method: nothing is filled in
                    assert row["min"] == row["max"] == row["sources"] == row["lines"] == ""
                    assert row["value"] == k.strings.get("value.not_stated")
                else:
                    assert (number(row["min"]), number(row["max"])) == (part["min"], part["max"])
                    assert row["sources"].split(", ") == part["sources"]
        # Together the rows name exactly the plan's evidence, each quote beside its line.
        assert set().union(*(cell_refs(r["lines"]) for r in mine)) == refs(q["evidence"])
        quoted = {(e["source"], e["line"], e["quote"]) for e in q["evidence"]}
        for row in mine:
            said = row["quotes"].split("\n") if row["quotes"] else []
            # "A, line 202: “…”" in the quotes cell, in the order of "A 202; D 663" in the lines cell
            parsed = [re.fullmatch(r"([A-D]), line (\d+): “(.*)”", x).groups() for x in said]
            assert {(src, int(line), quote) for src, line, quote in parsed} <= quoted
            assert list(dict.fromkeys(f"{src} {line}" for src, line, _ in parsed)) == \
                (row["lines"].split("; ") if row["lines"] else [])


def test_csv_quotes_are_on_their_lines(k: Knowledge, seed_lines: list[str]) -> None:
    for region, method, stage in itertools.product(k.regions, k.methods, k.stages):
        plan = make_plan(k, region, method, stage)
        for row in exports.csv_rows(k, plan):
            for ev in row.evidence:
                assert ev.quote in seed_lines[ev.line - 1], (ev.source, ev.line, ev.quote)


def test_csv_keeps_unstated_bounds_empty_and_numbers_plain(k: Knowledge) -> None:
    """'up to 4 minutes' has no lower bound: the cell stays empty, never 0; whole numbers have no '.0'."""
    plan = make_plan(k, "cervical", "exciting", "I")
    rows = read_csv(k, exports.plan_csv(k, plan))
    stay = next(r for r in rows if r["quantity"] == "retention_s")
    assert stay["min"] == "" and stay["max"] == "240" and stay["unit"] == "s"
    assert stay["value"] == "up to 4 min"
    assert not any(r["min"].endswith(".0") or r["max"].endswith(".0") for r in rows)


def test_json_export_is_the_cli_document_unchanged(k: Knowledge) -> None:
    for region, method, stage in COMBINATIONS:
        plan = make_plan(k, region, method, stage)
        text = plan_document(k, plan)  # what the page's JSON download and the CLI both give
        assert json.loads(text) == plan_json(k, plan)
        assert list(json.loads(text)) == ["region", "method", "stage", *[q.key for q in QUANTITIES], "method_caveat",
                                          "stage_reading", "stage_outside_source", "standard_point_depth",
                                          "danger_depths", "safety_warnings"]


def test_file_names_carry_the_view(k: Knowledge) -> None:
    plan = make_plan(k, "lumbar", "combined", "III")
    assert exports.file_name(plan, "card", "pdf") == "acumap-card-lumbar-combined-III.pdf"


def test_an_unknown_image_format_is_refused() -> None:
    with pytest.raises(ValueError, match="png, svg"):
        exports.figure_image(None, "gif")  # type: ignore[arg-type]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("region,method,stage", COMBINATIONS)
def test_card_html_holds_the_plans_numbers_cautions_disclaimer_date_and_link(k: Knowledge, region: str,
                                                                              method: str, stage: str) -> None:
    plan = make_plan(k, region, method, stage)
    url = f"http://localhost:8501/?region={region}&method={method}&stage={stage}"
    html = card.card_html(k, plan, "<svg xmlns='http://www.w3.org/2000/svg'/>", url, date(2031, 4, 5))
    text = squash(re.sub(r"<[^>]+>", " ", html))
    for c in parameter_cards(k, plan):
        assert squash(c.label) in text and squash(c.value) in text, c.key
        for src in c.sources:
            assert src in text
    for spec in QUANTITIES:  # every line behind a value is named
        q = plan.quantities[spec.key]
        for st in q.statements if q else ():
            assert f"{st.claim.source}{st.claim.line}" in text
    for label, item in caution_items(k, "contraindications"):
        assert squash(label.replace("&", "&amp;")) in text
        for ev in item.disputed_by:
            assert f"{ev.source}{ev.line}" in text
    assert squash(k.strings.get("app.disclaimer")) in text.replace("&#x27;", "'")
    assert "2031-04-05" in text and squash(url.replace("&", "&amp;")) in text
    assert "data:image/svg+xml;base64," in html


def test_a_method_s_csv_row_carries_only_its_own_notes(k: Knowledge) -> None:
    # Issue 17: the exciting depth row repeated "applied to the deep (sedative) needles".
    rows = {(r.quantity, r.part): r for r in exports.csv_rows(k, make_plan(k, "cervical", "combined", "I"))}
    exciting, sedative = rows[("depth_mm", "exciting")], rows[("depth_mm", "sedative")]
    assert "deep (sedative) needles" in sedative.note and "sedative needles: A about 10–20" in sedative.note
    assert "deep (sedative)" not in exciting.note and "sedative needles:" not in exciting.note
    assert "exciting needles: A 3–10, D up to 10 mm" in exciting.note


GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}


def font_families(css: str) -> list[str]:
    return [name.strip().strip("'\"") for name in css.split(",")]


def test_exported_pictures_ask_for_an_installed_font_then_a_generic_family(k: Knowledge) -> None:
    # They asked for "Source Sans", the page's web font, not installed on the server: kaleido fell back silently.
    fig = exports.export_figure(back_view(k, make_plan(k, "lumbar", "combined", "II")))
    names = font_families(fig.layout.font.family)
    assert names[-1] in GENERIC, names
    matched = subprocess.run(["fc-match", "-f", "%{family}", names[0]], capture_output=True, text=True,
                             timeout=30, check=True).stdout
    assert names[0] in matched.split(","), (names[0], matched)  # fontconfig found it, not a substitute
    # The printed card is set in the same font.
    assert f"font-family: {fig.layout.font.family};" in card.CSS
