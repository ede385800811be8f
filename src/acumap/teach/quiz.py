"""A quiz made from the data through the planner: no question is written by hand.

Every value question asks for what the planner gives for one region x method x stage, in the words
formatting.py gives it; its wrong choices are values the articles give elsewhere (another region,
method or stage, or a neighbouring quantity), never one that overlaps the right value, so no wrong
choice is partly right. "not stated" is always a choice, and it is the right one where no article
states the value. A question names every control its answer depends on. Each question carries the
quotes that justify its answer.

Kinds: needles, depth, retention, session, course (multiple choice on a value); source (which
article says a quote); click (a point on the back view, right when it falls inside the region's zone).
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
from dataclasses import dataclass, field, replace

from acumap.data import anatomy as anat
from acumap.data import units
from acumap.data.loading import Knowledge
from acumap.data.models import Anatomy, Evidence, Zone
from acumap.data.quantities import BY_KEY
from acumap.data.strings import Strings
from acumap.plan.citing import cites, quotes
from acumap.plan.formatting import level_text, number, quantity_notes, quantity_text, rendering
from acumap.plan.planner import Plan, make_plan

MAX_CHOICES = 4  # the right answer, "not stated" and up to two values from elsewhere
MIN_QUOTE_WORDS = 5  # shorter quotes ("bleeding.") occur in more than one article
CONTROLS = ("region", "method", "stage")  # the order of a Context
DIMENSIONS = ("method", "region", "stage")  # the order a prompt names them in

NOT_STATED = "not_stated"  # the key of the "not stated" choice


@dataclass(frozen=True)
class _Kind:
    quantity: str  # the plan quantity asked for
    named: tuple[str, ...]  # the controls every prompt of the kind names
    siblings: tuple[str, ...] = ()  # quantities whose values also make wrong choices


KINDS: dict[str, _Kind] = {
    "needles": _Kind("needles", ("region",)),
    "depth": _Kind("depth_mm", ("method", "region")),
    "retention": _Kind("retention_s", ("method", "region"), ("session_min",)),
    "session": _Kind("session_min", ("stage",), ("retention_s",)),
    "course": _Kind("course_sessions", (), ("courses_per_year", "sessions_per_day", "break_days")),
}
SOURCE = "source"
CLICK = "click"


@dataclass(frozen=True)
class Choice:
    key: str  # what an answer gives
    text: str  # what the page shows


@dataclass(frozen=True)
class ClickTarget:
    """The zone a click must fall in: drawing coordinates (x in B-cun, y minus the drop below C7)."""

    anatomy: Anatomy
    zone: Zone

    def contains(self, x: float, y: float) -> bool:
        return anat.zone_contains(self.anatomy, self.zone, float(-y), float(x))


@dataclass(frozen=True)
class Question:
    id: str  # stable across seeds: the kind and the controls it names
    kind: str  # a key of KINDS, "source" or "click"
    prompt: str
    choices: tuple[Choice, ...]  # empty for a click question
    correct: str | None  # the key of the right choice; None for a click question
    correct_text: str  # the right answer in words
    evidence: tuple[Evidence, ...]  # the quotes that justify it; empty where the answer is "not stated"
    cites: tuple[str, ...]  # the evidence as text: 'A, line 217: “…”'
    notes: tuple[str, ...]  # what the answer needs beside it: our readings, articles that differ
    region: str | None = None  # the controls the answer was taken for (value and click questions)
    method: str | None = None
    stage: str | None = None
    quantity: str | None = None  # the plan quantity of a value question
    named: tuple[str, ...] = ()  # the controls the prompt names
    target: ClickTarget | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Result:
    question_id: str
    right: bool
    given: str | tuple[float, float] | None  # None: the question was skipped
    correct: str  # the right answer in words
    evidence: tuple[Evidence, ...]
    cites: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Tally:
    """The running score of a session. A question counts once: answering it again changes nothing."""

    results: tuple[Result, ...] = ()

    def add(self, result: Result) -> Tally:
        if any(r.question_id == result.question_id for r in self.results):
            return self
        return replace(self, results=self.results + (result,))

    @property
    def asked(self) -> int:
        return len(self.results)

    @property
    def right(self) -> int:
        return sum(r.right for r in self.results)

    @property
    def wrong(self) -> int:
        return self.asked - self.right

    def answered(self, question_id: str) -> bool:
        return any(r.question_id == question_id for r in self.results)


@dataclass
class Round:
    """One session's round of the quiz of a link's seed: which question is shown and the results so
    far. Changed in place by the page's callbacks (an answer, "next", a restart)."""

    seed: int
    number: int = 0  # rounds restarted before this one: a new round's widgets get new keys
    at: int = 0  # the index of the question shown; the number of questions when the round is over
    tally: Tally = field(default_factory=Tally)

    def result(self, question_id: str) -> Result | None:
        """The question's answer, once it has one (the first: answering again changes nothing)."""
        return next((r for r in self.tally.results if r.question_id == question_id), None)

    def record(self, result: Result) -> None:
        self.tally = self.tally.add(result)

    def next_question(self) -> None:
        self.at += 1

    def restart(self) -> None:
        """The same questions again from the first, with a clean score."""
        self.number += 1
        self.at = 0
        self.tally = Tally()


def make_quiz(k: Knowledge, seed: int, n: int) -> list[Question]:
    """n questions (fewer if the data give fewer), the same for the same seed. Kinds take turns in
    an order the seed decides, so one kind does not crowd out the others."""
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    rng = random.Random(seed)
    by_kind: dict[str, list[Question]] = {}
    for q in question_pool(k, rng):
        by_kind.setdefault(q.kind, []).append(q)
    kinds = list(by_kind)
    rng.shuffle(kinds)
    for kind in kinds:
        rng.shuffle(by_kind[kind])
    picked: list[Question] = []
    while len(picked) < n and any(by_kind.values()):
        for kind in kinds:
            if by_kind[kind] and len(picked) < n:
                picked.append(by_kind[kind].pop())
    return picked


def question_pool(k: Knowledge, rng: random.Random | None = None) -> list[Question]:
    """Every question the data give; `rng` picks the wrong choices where there are more than fit."""
    rng = rng or random.Random(0)
    plans = _plans(k)
    pool: list[Question] = []
    for kind in KINDS:
        pool += _value_questions(k, plans, kind, rng)
    pool += _source_questions(k)
    pool += [_click_question(k, region) for region in k.regions]
    return pool


def score(question: Question, answer: str | tuple[float, float]) -> Result:
    """Right or wrong, with the right answer and the quotes it stands on. A click question takes
    (x, y) in drawing coordinates; the others take a choice key."""
    if question.target is not None:
        if isinstance(answer, str) or len(answer) != 2:
            raise ValueError(f"question '{question.id}' takes a click (x, y), not {answer!r}")
        x, y = (float(v) for v in answer)
        right = question.target.contains(x, y)
        given: str | tuple[float, float] = (x, y)
    else:
        if answer not in {c.key for c in question.choices}:
            raise ValueError(f"'{answer}' is not a choice of question '{question.id}'")
        right = answer == question.correct
        given = str(answer)
    return Result(question.id, right, given, question.correct_text, question.evidence, question.cites,
                  question.notes)


def skipped(question: Question) -> Result:
    """A question passed over: it counts as asked and not right, and shows its answer like any other."""
    return Result(question.id, False, None, question.correct_text, question.evidence, question.cites,
                  question.notes)


def result_text(s: Strings, result: Result) -> str:
    if result.given is None:
        return s.get("quiz.skipped", correct=result.correct)
    return s.get("quiz.right") if result.right else s.get("quiz.wrong", correct=result.correct)


def tally_text(s: Strings, tally: Tally) -> str:
    return s.get("quiz.tally", right=tally.right, asked=tally.asked)


# --- value questions -------------------------------------------------------------------------------
Context = tuple[str, str, str]  # region, plain method, stage


@dataclass(frozen=True)
class _Value:
    text: str
    low: float  # in the unit shown; -inf / inf for an open end
    high: float
    stated: bool
    split: bool = False  # the stages' own values side by side: no one value to ask for or offer
    def overlaps(self, other: _Value) -> bool:
        return self.stated and other.stated and self.low <= other.high and other.low <= self.high


def _plans(k: Knowledge) -> dict[Context, Plan]:
    plain = [m for m in k.methods if not k.methods[m].combines]
    return {(r, m, st): make_plan(k, r, m, st) for r, m, st in itertools.product(k.regions, plain, k.stages)}


def _value(s: Strings, plan: Plan, key: str) -> _Value:
    """The plan's value of a quantity, for a plan of one plain method (so one part)."""
    q = plan.quantities[key]
    if q is None:
        return _Value(s.get("value.not_stated"), -math.inf, math.inf, False)
    spec = BY_KEY[key]
    low, high = (units.convert(v, spec.unit, spec.display_unit) for v in q.parts[0].span)
    return _Value(quantity_text(s, q, with_unit=False), -math.inf if low is None else low,
                  math.inf if high is None else high, True, q.split)


def _named(k: Knowledge, plans: dict[Context, Plan], kind: _Kind, ctx: Context) -> tuple[str, ...]:
    """The controls a prompt must name: the kind's own, and any other the answer changes with."""
    s = k.strings
    here = _value(s, plans[ctx], kind.quantity).text

    def differs(fixed: set[int]) -> bool:
        """Whether a plan agreeing with ctx on the controls `fixed` gives another value."""
        return any(_value(s, plan, kind.quantity).text != here for other, plan in plans.items()
                   if all(other[i] == ctx[i] for i in fixed))

    named = {CONTROLS.index(d) for d in kind.named}
    for i in range(len(CONTROLS)):
        if i not in named and differs(set(range(len(CONTROLS))) - {i}):
            named.add(i)
    if differs(named):
        named = set(range(len(CONTROLS)))  # nothing less pins the answer down
    return tuple(d for d in DIMENSIONS if CONTROLS.index(d) in named)


def _prompt(s: Strings, kind: str, named: tuple[str, ...], ctx: dict[str, str]) -> str:
    labels = {"region": lambda v: s.get(f"region_part.{v}"), "method": lambda v: s.get(f"method_part.{v}"),
              "stage": lambda v: s.get(f"stage.{v}")}
    parts = [s.get(f"quiz.context.{d}", **{d: labels[d](ctx[d])}) for d in named]
    question = s.get(f"quiz.ask.{kind}")
    return s.get("quiz.prompt", question=question, context=s.get("quiz.context_joiner").join(parts)) \
        if parts else question


def _value_questions(k: Knowledge, plans: dict[Context, Plan], kind_key: str, rng: random.Random) -> list[Question]:
    s = k.strings
    kind = KINDS[kind_key]
    elsewhere = {_value(s, plan, key).text: _value(s, plan, key)
                 for key in (kind.quantity, *kind.siblings) for plan in plans.values()}
    not_stated = s.get("value.not_stated")
    questions: dict[str, Question] = {}
    for ctx, plan in plans.items():
        named = _named(k, plans, kind, ctx)
        where = dict(zip(CONTROLS, ctx, strict=True))
        qid = "/".join([kind_key, *(where[d] for d in named)])
        if qid in questions:
            continue
        right = _value(s, plan, kind.quantity)
        if right.split:
            continue  # two stages' values side by side are no single answer (stage II's session)
        wrong = sorted(text for text, v in elsewhere.items()
                       if text != right.text and v.stated and not v.split and not v.overlaps(right))
        if not wrong:
            continue  # nothing from the data differs from the right value: no honest question
        room = MAX_CHOICES - 1 - (1 if right.stated else 0)
        picked = [elsewhere[t] for t in rng.sample(wrong, min(room, len(wrong)))]
        values = [right, *picked]
        if right.stated:  # "not stated" is always a choice
            values.append(_Value(not_stated, -math.inf, math.inf, False))
        values.sort(key=lambda v: (not v.stated, v.low, v.high))
        choices = tuple(Choice(NOT_STATED if not v.stated else v.text, v.text) for v in values)
        q = plan.quantities[kind.quantity]
        evidence = quotes(q.parts[0].statements) if q else ()
        questions[qid] = Question(
            id=qid, kind=kind_key, prompt=_prompt(s, kind_key, named, where), choices=choices,
            correct=NOT_STATED if not right.stated else right.text, correct_text=right.text,
            evidence=evidence, cites=cites(s, evidence),
            notes=tuple(quantity_notes(s, plan, q)) if q else (s.get("quiz.none_states"),),
            region=ctx[0], method=ctx[1], stage=ctx[2], quantity=kind.quantity, named=named,
        )
    return list(questions.values())


# --- which article says it -------------------------------------------------------------------------
def _source_questions(k: Knowledge) -> list[Question]:
    s = k.strings
    said_by: dict[str, set[str]] = {}
    for _, ev in k.all_evidence():
        said_by.setdefault(ev.quote, set()).add(ev.source)
    choices = tuple(Choice(letter, s.get("quiz.article_choice", letter=letter, title=src.title))
                    for letter, src in k.sources.items())
    found: dict[str, Question] = {}
    for ev in quotes(ev for _, ev in k.all_evidence()):
        if len(ev.quote.split()) < MIN_QUOTE_WORDS or len(said_by[ev.quote]) > 1:
            continue  # too short to tell the articles apart, or said by more than one
        qid = f"{SOURCE}/{hashlib.sha1(ev.quote.encode('utf-8')).hexdigest()[:10]}"
        if qid in found:
            continue
        found[qid] = Question(
            id=qid, kind=SOURCE, prompt=s.get("quiz.ask.source", quote=ev.quote) + rendering(s, ev.quote_ru),
            choices=choices,
            correct=ev.source, correct_text=next(c.text for c in choices if c.key == ev.source),
            evidence=(ev,), cites=cites(s, (ev,)), notes=(),
        )
    return list(found.values())


# --- where the needles go --------------------------------------------------------------------------
def _click_question(k: Knowledge, region: str) -> Question:
    s = k.strings
    r = k.regions[region]
    zone = r.zone
    evidence = quotes(r.placement)
    correct = s.get("quiz.zone", region=s.get(f"region_part.{region}"), top=level_text(s, zone.from_),
                    bottom=level_text(s, zone.to),
                    inner=number(s, zone.lateral[0]), outer=number(s, zone.lateral[1]))
    return Question(
        id=f"{CLICK}/{region}", kind=CLICK, prompt=s.get("quiz.ask.click", region=s.get(f"region_part.{region}")),
        choices=(), correct=None, correct_text=correct, evidence=evidence, cites=cites(s, evidence),
        notes=(s.get("quiz.zone_reading", text=r.zone_reading),), region=region, named=("region",),
        target=ClickTarget(k.anatomy, zone),
    )
