"""acumap.teach.lesson: presenter mode's steps in data order, and each step's key numbers as the planner
gives them, with the quotes behind them and nothing surer than the sources."""

from __future__ import annotations

import itertools

from acumap import make_plan
from acumap.data.loading import Knowledge
from acumap.plan.citing import quotes
from acumap.plan.formatting import quantity_text
from acumap.teach import lesson


def test_steps_are_each_region_under_each_method_in_data_order(k: Knowledge) -> None:
    steps = lesson.steps(k)
    assert [(s.region, s.method) for s in steps] == list(itertools.product(k.regions, k.methods))
    for i, s in enumerate(steps):
        assert lesson.step_index(k, s.region, s.method) == i


def test_key_numbers_are_the_plans_values_with_their_quotes(k: Knowledge, seed_lines: list[str]) -> None:
    for region, method, stage in itertools.product(k.regions, k.methods, k.stages):
        plan = make_plan(k, region, method, stage)
        numbers = lesson.key_numbers(k, plan)
        assert [n.key for n in numbers] == list(lesson.KEY_QUANTITIES)
        for n in numbers:
            q = plan.quantities[n.key]
            assert n.value == quantity_text(k.strings, q)
            if q is None:
                assert n.value == "not stated" and n.cites == () and not n.conflict
                continue
            assert n.evidence == quotes(q.statements) and len(n.cites) == len(n.evidence)
            assert (n.conflict, n.reading) == (q.conflict, q.reading)
            for ev in n.evidence:
                assert ev.quote in seed_lines[ev.line - 1]
        assert numbers[-1].label == f"Session, stage {stage}"


def test_a_value_no_article_states_says_so(k: Knowledge) -> None:
    depth = next(n for n in lesson.key_numbers(k, make_plan(k, "lumbar", "sedative", "I")) if n.key == "depth_mm")
    assert depth.value == "not stated" and depth.cites == ()
