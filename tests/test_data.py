"""The data files load, validate, and say what the articles say."""

from __future__ import annotations

import tomllib

from acumap.data.loading import CAUTION_KINDS, Knowledge
from acumap.data.models import MAX_QUOTE_WORDS
from acumap.data.paths import data_dir


def test_everything_loads(k: Knowledge) -> None:
    assert list(k.sources) == ["A", "B", "C", "D"]
    assert list(k.stages) == ["I", "II", "III", "IV"]
    assert set(k.methods) == {"sedative", "exciting", "combined"}
    assert list(k.regions) == ["cervical", "thoracic", "lumbar"]
    assert all(k.facts[t] for t in ("needles", "depth", "retention", "session_length", "course_sessions"))


def test_article_spans_start_at_their_titles(k: Knowledge, seed_lines: list[str]) -> None:
    for src in k.sources.values():
        assert seed_lines[src.first_line - 1].strip() == src.title


def test_every_quote_is_verbatim_on_its_line(k: Knowledge, seed_lines: list[str]) -> None:
    evidence = k.all_evidence()
    assert len(evidence) > 100
    wrong = [
        f"{file}: {ev.source} line {ev.line}: {ev.quote!r}"
        for file, ev in evidence
        if ev.quote not in seed_lines[ev.line - 1]
    ]
    assert not wrong, "quotes not found on their line:\n" + "\n".join(wrong)


def test_quotes_are_short_and_inside_their_article(k: Knowledge) -> None:
    for _, ev in k.all_evidence():
        assert len(ev.quote.split()) <= MAX_QUOTE_WORDS
        src = k.sources[ev.source]
        assert src.first_line <= ev.line <= src.last_line


def test_caution_items_are_distinct_and_list_every_article(k: Knowledge) -> None:
    for kind in CAUTION_KINDS:
        ids = [item.id for item in k.cautions[kind]]
        assert len(ids) == len(set(ids))
    contra = {item.id: item.sources for item in k.cautions["contraindications"]}
    # Pregnancy is in all four lists; tumours in A, C and D; high blood pressure in A and D.
    assert contra["pregnancy"] == ("A", "B", "C", "D")
    assert contra["tumours"] == ("A", "C", "D")
    assert contra["high_blood_pressure"] == ("A", "D")
    side = {item.id: item.sources for item in k.cautions["side_effects"]}
    assert side["dizziness"] == ("A", "C", "D")
    prep = {item.id: item.sources for item in k.cautions["preparation"]}
    assert prep["comfortable_position"] == ("A", "C", "D")


def test_disagreements_between_articles_are_kept(k: Knowledge) -> None:
    contra = {item.id: item for item in k.cautions["contraindications"]}
    # A and D list age limits, yet both also say the method has no age restriction.
    disputed = {(ev.source, ev.line) for ev in contra["elderly"].disputed_by}
    assert disputed == {("A", 85), ("D", 593)}


def test_no_article_states_a_lumbar_depth(k: Knowledge) -> None:
    lumbar_depths = [c for c in k.facts["depth"] if c.regions and "lumbar" in c.regions]
    assert lumbar_depths == []


def test_every_label_the_data_needs_is_in_the_strings(k: Knowledge) -> None:
    raw = tomllib.loads((data_dir() / "strings" / "en.toml").read_text(encoding="utf-8"))
    for kind in CAUTION_KINDS:
        for item in k.cautions[kind]:
            assert item.id in raw["caution"]
    assert set(raw["region"]) == set(k.regions)
    assert set(raw["method"]) == set(k.methods)
