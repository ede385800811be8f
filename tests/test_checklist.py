"""The patient checklist: every contraindication is on it with every statement of cautions.toml;
a ticked condition the articles contradict each other on shows both sides with their lines; what
asks only for caution is not called a contraindication; a broken checklist.toml names its fault."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest

from acumap import DataError, load_knowledge
from acumap.data.loading import Knowledge
from acumap.plan import checklist as cl


def test_every_contraindication_is_on_the_list_with_all_its_statements(k: Knowledge) -> None:
    items = {c.id: c for c in cl.conditions(k)}
    for item in k.cautions["contraindications"]:
        c = items[item.id]
        assert c.contraindication
        said = {(m.evidence.source, m.evidence.line, m.evidence.quote) for m in c.mentions
                if m.role in ("contraindication", "caution")}
        assert said == {(ev.source, ev.line, ev.quote) for ev in item.statements}
        against = {(m.evidence.source, m.evidence.line) for m in c.role("otherwise")}
        assert against == {(ev.source, ev.line) for ev in item.disputed_by}
        assert c.disputed == bool(item.disputed_by)


def test_a_ticked_disputed_item_shows_both_sides_with_lines(k: Knowledge) -> None:
    (children,) = cl.ticked(k, ["young_children"])
    html = unescape(cl.checklist_html(k, [children]))
    assert k.strings.get("checklist.contradiction") in html
    # the side that limits or forbids …
    assert "C, line 528: “Infant (up to 3 years)" in html
    assert "A, line 135: “With caution" in html and "D, line 633: “It is recommended to limit" in html
    # … against the side that says there is no age limit
    assert "A, line 85: “Acupuncture has no age restrictions.”" in html
    assert "D, line 593: “This procedure is not limited to age;”" in html
    # In the table, article A both asks for caution and says otherwise: its cell names both lines.
    assert cl.cell(k.strings, children.by_source("A")) == "caution only (line 135) · says otherwise (line 85)"
    assert cl.cell(k.strings, children.by_source("C")) == "contraindication (line 528)"
    assert cl.cell(k.strings, children.by_source("B")) == ""
    assert "Not mentioned by: B." in html


def test_caution_is_not_called_a_contraindication(k: Knowledge) -> None:
    (elderly,) = cl.ticked(k, ["elderly"])
    assert {(m.evidence.source, m.evidence.line) for m in elderly.role("caution")} == {("A", 135), ("D", 633)}
    assert {(m.evidence.source, m.evidence.line) for m in elderly.role("contraindication")} == {("B", 379), ("C", 528)}
    assert "A: 0 · B: 1 · C: 1 · D: 0" in cl.summary(k, [elderly])


def test_an_undisputed_item_shows_no_contradiction(k: Knowledge) -> None:
    (pregnancy,) = cl.ticked(k, ["pregnancy"])
    html = unescape(cl.checklist_html(k, [pregnancy]))
    assert k.strings.get("checklist.contradiction") not in html
    for src, line in (("A", 134), ("B", 378), ("C", 525), ("D", 632)):
        assert f"{src}, line {line}:" in html


def test_a_side_effect_risk_is_marked_as_our_reading_and_not_a_contraindication(k: Knowledge) -> None:
    (low,) = cl.ticked(k, ["low_pressure_prone"])
    assert not low.contraindication and low.role("contraindication") == ()
    html = unescape(cl.checklist_html(k, [low]))
    assert k.strings.get("checklist.not_named") in html
    assert k.strings.get("panel.interpretation_badge") in html
    assert "A, line 115: “Reduced blood pressure.”" in html and "D, line 620: “Low pressure;”" in html


def test_ticking_nothing_says_so_and_an_unknown_condition_is_refused(k: Knowledge) -> None:
    assert cl.summary(k, []) == k.strings.get("checklist.none_ticked")
    with pytest.raises(ValueError, match="not on the checklist: gout"):
        cl.ticked(k, ["gout"])


@pytest.mark.parametrize("text,message", [
    ('[[caution_only]]\nitem = "gout"\nsource = "A"\nline = 1\n',
     "data/checklist.toml: caution_only[1]: field 'item': 'gout' is no contraindication"),
    ('[[caution_only]]\nitem = "pregnancy"\nsource = "A"\nline = 999\n',
     "data/checklist.toml: caution_only[1]: field 'line': pregnancy has no statement A, line 999"),
    ('[[side_effect_risks]]\ncondition = "pregnancy"\nside_effects = ["hiccups"]\n',
     "data/checklist.toml: side_effect_risks[1]: field 'side_effects'"),
    ('[[side_effect_risks]]\ncondition = "gout"\nside_effects = ["dizziness"]\n',
     "field 'condition': 'gout' is no contraindication and has no label checklist.condition.gout"),
    # Values of the wrong kind (Hypothesis found these raising TypeError): a list where a name goes.
    ('[[caution_only]]\nitem = ["pregnancy"]\nsource = "A"\nline = 1\n',
     "data/checklist.toml: caution_only[1]: field 'item'"),
    ('[[caution_only]]\nitem = "pregnancy"\nsource = ["A"]\nline = 1\n',
     "data/checklist.toml: caution_only[1]: field 'line'"),
    ('[[side_effect_risks]]\ncondition = ["pregnancy"]\nside_effects = ["dizziness"]\n',
     "data/checklist.toml: side_effect_risks[1]: field 'condition'"),
    ('[[side_effect_risks]]\ncondition = "pregnancy"\nside_effects = "dizziness"\n',
     "data/checklist.toml: side_effect_risks[1]: field 'side_effects': expected a list"),
    ('[[side_effect_risks]]\ncondition = "pregnancy"\nside_effects = [["dizziness"]]\n',
     "data/checklist.toml: side_effect_risks[1]: field 'side_effects': not side effects"),
])
def test_a_broken_checklist_file_names_file_entry_and_field(data_copy: Path, text: str, message: str) -> None:
    """Found when the data is loaded, with the other files (issue 17): not only when the panel opens."""
    (data_copy / "checklist.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_knowledge(data_copy)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_a_missing_checklist_file_is_named(data_copy: Path) -> None:
    (data_copy / "checklist.toml").unlink()
    with pytest.raises(DataError, match="data/checklist.toml: file is missing"):
        load_knowledge(data_copy)


def test_a_checklist_entry_that_is_no_table_is_named(data_copy: Path) -> None:
    (data_copy / "checklist.toml").write_text('caution_only = ["pregnancy"]\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"^data/checklist.toml: caution_only\[1\]: expected a \[\[table\]\] entry$"):
        load_knowledge(data_copy)

