"""Issue 9, the quiz: every answer is the planner's value, every quote is on its line, a seed repeats
the quiz, a changed fact changes the answer, and a click scores by the zone."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from acumap import load_knowledge, make_plan
from acumap.data import anatomy as anat
from acumap.data.loading import Knowledge
from acumap.plan.formatting import quantity_text
from acumap.teach.quiz import (
    KINDS,
    NOT_STATED,
    Question,
    Round,
    Tally,
    make_quiz,
    question_pool,
    result_text,
    score,
    skipped,
)

PLAIN = ["exciting", "sedative"]


@pytest.fixture(scope="module")
def pool(k: Knowledge) -> list[Question]:
    return question_pool(k)


def planner_text(k: Knowledge, quantity: str, region: str, method: str, stage: str) -> str:
    return quantity_text(k.strings, make_plan(k, region, method, stage).quantities[quantity], with_unit=False)


def value_questions(pool: list[Question]) -> list[Question]:
    return [q for q in pool if q.quantity is not None]


def test_every_kind_is_asked(pool: list[Question]) -> None:
    assert {q.kind for q in pool} == set(KINDS) | {"source", "click"}
    assert len({q.id for q in pool}) == len(pool)


def test_value_answers_are_the_planners_values(k: Knowledge, pool: list[Question]) -> None:
    for q in value_questions(pool):
        expected = planner_text(k, q.quantity, q.region, q.method, q.stage)
        assert q.correct_text == expected, q.id
        right = [c for c in q.choices if c.key == q.correct]
        assert len(right) == 1 and right[0].text == expected, q.id


def test_the_prompt_names_every_control_the_answer_depends_on(k: Knowledge, pool: list[Question]) -> None:
    for q in value_questions(pool):
        here = {"region": q.region, "method": q.method, "stage": q.stage}
        for region, method, stage in itertools.product(k.regions, PLAIN, k.stages):
            other = {"region": region, "method": method, "stage": stage}
            if all(other[d] == here[d] for d in q.named):
                assert planner_text(k, q.quantity, region, method, stage) == q.correct_text, (q.id, other)
        for d in q.named:
            label = {"region": f"region_part.{q.region}", "method": f"method_part.{q.method}",
                     "stage": f"stage.{q.stage}"}[d]
            assert k.strings.get(label) in q.prompt, (q.id, d)
    thoracic = [q for q in pool if q.id.startswith("needles/thoracic")]
    cervical = next(q for q in pool if q.id == "needles/cervical")
    # The thoracic count changes with the stage (D 665: 'At an easy stage 6 suffices'); the neck's does not.
    assert thoracic and all("stage" in q.named for q in thoracic) and "stage" not in cervical.named


def test_wrong_choices_are_values_from_elsewhere_and_never_the_right_one(k: Knowledge, pool: list[Question]) -> None:
    not_stated = k.strings.get("value.not_stated")
    for q in value_questions(pool):
        texts = [c.text for c in q.choices]
        assert len(texts) == len(set(texts)) >= 2, q.id
        assert not_stated in texts, q.id  # "not stated" is always a choice
        kind = KINDS[q.kind]
        elsewhere = {planner_text(k, key, r, m, st) for key in (kind.quantity, *kind.siblings)
                     for r, m, st in itertools.product(k.regions, PLAIN, k.stages)}
        assert set(texts) <= elsewhere | {not_stated}, q.id
        assert [c.text for c in q.choices if c.key == q.correct] == [q.correct_text]


def test_not_stated_is_the_answer_where_no_article_states_it(k: Knowledge, pool: list[Question]) -> None:
    q = next(q for q in pool if q.id == "depth/sedative/lumbar")
    assert make_plan(k, "lumbar", "sedative", "I").quantities["depth_mm"] is None
    assert q.correct == NOT_STATED and q.correct_text == "not stated" and q.evidence == ()
    assert score(q, NOT_STATED).right
    assert not score(q, next(c.key for c in q.choices if c.key != NOT_STATED)).right


def test_evidence_is_the_planners_statements_and_on_its_line(k: Knowledge, pool: list[Question],
                                                             seed_lines: list[str]) -> None:
    for q in pool:
        assert q.cites and len(q.cites) == len(q.evidence) or q.correct == NOT_STATED, q.id
        for ev, text in zip(q.evidence, q.cites, strict=True):
            assert ev.quote in seed_lines[ev.line - 1], (q.id, ev)
            src = k.sources[ev.source]
            assert src.first_line <= ev.line <= src.last_line
            assert str(ev.line) in text and ev.quote in text and ev.source in text
    for q in value_questions(pool):
        quantity = make_plan(k, q.region, q.method, q.stage).quantities[q.quantity]
        stated = {(st.claim.source, st.claim.line, st.claim.quote) for st in quantity.statements} if quantity else set()
        assert {(e.source, e.line, e.quote) for e in q.evidence} == stated, q.id


def test_a_source_question_quote_is_in_its_article_and_no_other(k: Knowledge, pool: list[Question],
                                                                 seed_lines: list[str]) -> None:
    asked = [q for q in pool if q.kind == "source"]
    assert len(asked) > 20
    for q in asked:
        (ev,) = q.evidence
        assert ev.quote in q.prompt and q.correct == ev.source
        assert {c.key for c in q.choices} == set(k.sources)
        found_in = {letter for letter, src in k.sources.items()
                    if any(ev.quote.lower() in line.lower() for line in seed_lines[src.first_line - 1:src.last_line])}
        assert found_in == {ev.source}, (ev.quote, found_in)


def test_a_seed_repeats_the_quiz_and_another_seed_differs(k: Knowledge) -> None:
    first = make_quiz(k, 7, 12)
    assert make_quiz(k, 7, 12) == first
    assert len(first) == 12 and len({q.id for q in first}) == 12
    others = [make_quiz(k, seed, 12) for seed in (8, 9, 10)]
    assert all([q.id for q in other] != [q.id for q in first] for other in others)


def test_the_kinds_take_turns(k: Knowledge, pool: list[Question]) -> None:
    kinds = {q.kind for q in pool}
    for seed in range(5):
        assert {q.kind for q in make_quiz(k, seed, len(kinds))} == kinds


def test_quiz_length(k: Knowledge, pool: list[Question]) -> None:
    assert make_quiz(k, 1, 0) == []
    everything = make_quiz(k, 1, 10_000)
    assert sorted(q.id for q in everything) == sorted(q.id for q in pool)
    with pytest.raises(ValueError):
        make_quiz(k, 1, -1)


def test_a_changed_fact_changes_the_answer(k: Knowledge, data_copy: Path) -> None:
    def cervical_needles(kn: Knowledge) -> Question:
        return next(q for q in question_pool(kn) if q.id == "needles/cervical")

    before = cervical_needles(k)
    session = data_copy / "session.toml"
    text = session.read_text(encoding="utf-8")
    # Both cervical counts (A 202, D 663) become 9: the first two `value = 8` of the needle statements.
    changed, count = re.subn(r'value = 8\nunit = "needles"', 'value = 9\nunit = "needles"', text)
    assert count == 2
    session.write_text(changed, encoding="utf-8")
    changed_k = load_knowledge(data_copy)
    after = cervical_needles(changed_k)
    expected = planner_text(changed_k, "needles", "cervical", "sedative", "I")
    assert expected == "9" and before.correct_text == "8"
    assert after.correct_text == expected and after.correct == expected
    assert score(after, "9").right and "8" not in {c.text for c in after.choices}


def test_scoring_right_and_wrong(pool: list[Question]) -> None:
    for q in pool:
        if q.kind == "click":
            continue
        result = score(q, q.correct)
        assert result.right and result.question_id == q.id
        assert result.correct == q.correct_text and result.evidence == q.evidence and result.cites == q.cites
        for c in q.choices:
            if c.key != q.correct:
                wrong = score(q, c.key)
                assert not wrong.right and wrong.correct == q.correct_text and wrong.given == c.key
        with pytest.raises(ValueError):
            score(q, "no such choice")


def test_a_click_inside_the_zone_is_right_and_outside_is_wrong(k: Knowledge, pool: list[Question]) -> None:
    for region, r in k.regions.items():
        q = next(q for q in pool if q.id == f"click/{region}")
        assert q.choices == () and q.correct is None
        top, bottom = anat.level_drop(k.anatomy, r.zone.from_), anat.level_drop(k.anatomy, r.zone.to)
        inner, outer = r.zone.lateral
        middle = -(top + bottom) / 2
        for spot in r.markers:  # the diagram's own needle spots lie in the zone
            assert score(q, (spot.x, anat.y_of(k.anatomy, spot.level))).right
        assert score(q, (-(inner + outer) / 2, middle)).right  # mirrored on the left
        assert not score(q, (outer + 0.5, middle)).right  # beyond the band
        assert not score(q, (-(outer + 0.5), middle)).right
        assert not score(q, ((inner + outer) / 2, -top + 0.5)).right  # above the zone
        assert not score(q, ((inner + outer) / 2, -bottom - 0.5)).right  # below it
        assert r.zone.from_ in q.correct_text and r.zone.to in q.correct_text
        with pytest.raises(ValueError):
            score(q, "A")
    lumbar = next(q for q in pool if q.id == "click/lumbar")
    neck_spot = k.regions["cervical"].markers[0]
    assert not score(lumbar, (neck_spot.x, anat.y_of(k.anatomy, neck_spot.level))).right


def test_tally_counts_each_question_once(pool: list[Question]) -> None:
    a, b, c = [q for q in pool if q.kind != "click"][:3]
    wrong_key = next(ch.key for ch in b.choices if ch.key != b.correct)
    tally = Tally()
    first = tally.add(score(a, a.correct))
    second = first.add(score(b, wrong_key)).add(score(c, c.correct))
    assert (tally.asked, tally.right) == (0, 0)  # unchanged: a Tally is a value
    assert (first.asked, first.right, first.wrong) == (1, 1, 0)
    assert (second.asked, second.right, second.wrong) == (3, 2, 1)
    again = second.add(score(b, b.correct))
    assert again == second and again.answered(b.id) and not Tally().answered(b.id)


def test_a_skipped_question_counts_as_asked_and_shows_its_answer(k: Knowledge, pool: list[Question]) -> None:
    q = next(q for q in pool if q.kind == "click")
    result = skipped(q)
    assert (result.right, result.given, result.cites) == (False, None, q.cites)
    assert result_text(k.strings, result) == f"Skipped: the articles give {q.correct_text}."
    tally = Tally().add(result)
    assert (tally.asked, tally.right) == (1, 0)


def test_a_round_counts_each_question_once_moves_on_and_restarts_clean(k: Knowledge) -> None:
    qs = [q for q in make_quiz(k, 3, 10) if q.correct is not None][:2]
    run = Round(seed=3)
    assert (run.at, run.number, run.tally.asked, run.result(qs[0].id)) == (0, 0, 0, None)
    first = score(qs[0], qs[0].correct)
    run.record(first)
    run.record(skipped(qs[0]))  # a second answer to the same question changes nothing
    assert run.result(qs[0].id) == first and (run.tally.asked, run.tally.right) == (1, 1)
    run.next_question()
    run.record(skipped(qs[1]))
    assert run.at == 1 and run.result(qs[1].id).given is None and (run.tally.asked, run.tally.wrong) == (2, 1)
    run.restart()
    assert (run.seed, run.number, run.at, run.tally) == (3, 1, 0, Tally())
    assert run.result(qs[0].id) is None
