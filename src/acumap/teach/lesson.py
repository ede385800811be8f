"""Presenter mode's lesson: every region under every method, in the order the data files give them,
and for each step the few numbers a class needs (needles, depth, stay, the stage's session) with
the article lines they stand on. Plain values; never imports Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

from acumap.data.loading import Knowledge
from acumap.data.models import Evidence
from acumap.plan.citing import cites, quotes
from acumap.plan.formatting import quantity_text
from acumap.plan.planner import Plan

KEY_QUANTITIES = ("needles", "depth_mm", "retention_s", "session_min")


@dataclass(frozen=True)
class Step:
    region: str
    method: str


@dataclass(frozen=True)
class KeyNumber:
    key: str  # a plan quantity
    label: str
    value: str  # as formatting.quantity_text gives it, with its unit; "not stated" where none is
    evidence: tuple[Evidence, ...]  # the quotes behind the value (not the generic or set-aside ones)
    cites: tuple[str, ...]  # the evidence as text: 'A, line 217: “…”'
    conflict: bool  # the articles give different values
    reading: bool  # our reading acts on the value


def steps(k: Knowledge) -> list[Step]:
    """Region by region, each under every method, in data order."""
    return [Step(region, method) for region in k.regions for method in k.methods]


def step_index(k: Knowledge, region: str, method: str) -> int:
    return steps(k).index(Step(region, method))


def key_numbers(k: Knowledge, plan: Plan) -> list[KeyNumber]:
    s = k.strings
    out = []
    for key in KEY_QUANTITIES:
        q = plan.quantities[key]
        label = s.get("present.session", stage=plan.stage) if key == "session_min" else s.get(f"quantity.{key}")
        if q is None:
            out.append(KeyNumber(key, label, s.get("value.not_stated"), (), (), False, False))
            continue
        evidence = quotes(q.statements)
        out.append(KeyNumber(key, label, quantity_text(s, q), evidence, cites(s, evidence), q.conflict, q.reading))
    return out
