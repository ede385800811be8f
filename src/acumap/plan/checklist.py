"""The patient checklist: the conditions a patient may have (every contraindication the articles name,
and conditions a listed side effect bears on), and for those ticked, what each article says of them
— a contraindication, a call for caution, the opposite, or a side effect — each with its line.

Pure: data in (cautions.toml, and checklist.toml as loading.py reads and checks it with the rest),
values and HTML out; every word from the strings file. Nothing here judges a patient: it only sets
the articles' words side by side."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from html import escape

from acumap.data.loading import Knowledge
from acumap.data.models import Evidence
from acumap.data.strings import Strings
from acumap.plan.formatting import cite
from acumap.style import PAGE

# What a statement says of a condition, in the order the panel lists them.
ROLES = ("contraindication", "caution", "otherwise", "side_effect")


@dataclass(frozen=True)
class Mention:
    """One article statement about a ticked condition."""

    role: str  # one of ROLES
    evidence: Evidence
    side_effect: str | None = None  # the side effect's id, for role "side_effect"


@dataclass(frozen=True)
class Condition:
    id: str
    label: str
    contraindication: bool  # a contraindication of cautions.toml (else a condition of checklist.toml)
    mentions: tuple[Mention, ...]
    note: str | None

    @property
    def disputed(self) -> bool:
        """Some article says the opposite of a contraindication or caution another (or the same) gives."""
        return any(m.role == "otherwise" for m in self.mentions)

    def by_source(self, source: str) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.evidence.source == source)

    def role(self, role: str) -> tuple[Mention, ...]:
        return tuple(m for m in self.mentions if m.role == role)


@cache
def conditions(k: Knowledge) -> tuple[Condition, ...]:
    """Every condition on the checklist: the contraindications in data order, then the conditions
    of checklist.toml that are none."""
    s, rules = k.strings, k.checklist
    effects = {item.id: item for item in k.cautions["side_effects"]}

    def side_mentions(condition: str) -> list[Mention]:
        return [Mention("side_effect", ev, sid) for sid in rules.side_effect_risks.get(condition, ())
                for ev in effects[sid].statements]

    found = []
    for item in k.cautions["contraindications"]:
        mentions = [Mention("caution" if (item.id, ev.source, ev.line) in rules.caution_only else "contraindication",
                            ev) for ev in item.statements]
        mentions += [Mention("otherwise", ev) for ev in item.disputed_by]
        found.append(Condition(item.id, s.get(f"caution.{item.id}"), True,
                               tuple(mentions + side_mentions(item.id)), item.note))
    for condition in rules.side_effect_risks:
        if condition not in {c.id for c in found}:
            found.append(Condition(condition, s.get(f"checklist.condition.{condition}"), False,
                                   tuple(side_mentions(condition)), None))
    return tuple(found)


def ticked(k: Knowledge, ids: Iterable[str]) -> list[Condition]:
    """The ticked conditions, in checklist order."""
    chosen = set(ids)
    unknown = chosen - {c.id for c in conditions(k)}
    if unknown:
        raise ValueError(f"not on the checklist: {', '.join(sorted(unknown))}")
    return [c for c in conditions(k) if c.id in chosen]


def cell(s: Strings, mentions: Iterable[Mention]) -> str:
    """One article's word on one condition: 'caution only (line 135) · says otherwise (line 85)'; empty
    where the article does not mention it."""
    out = []
    for role in ROLES:
        lines = sorted({m.evidence.line for m in mentions if m.role == role})
        if lines:
            out.append(s.get(f"checklist.role_{role}", lines=", ".join(s.get("checklist.line", line=n) for n in lines)))
    return s.get("value.joiner").join(out)


def checklist_html(k: Knowledge, chosen: list[Condition]) -> str:
    """The ticked conditions: a table of conditions by article, then per condition every statement
    with its line, the contradictions first."""
    s = k.strings
    letters = list(k.sources)
    head = "".join(f'<th scope="col">{escape(x)}</th>' for x in letters)
    rows = "".join(
        f'<tr><th scope="row">{escape(c.label)}</th>'
        + "".join(f"<td>{escape(cell(s, c.by_source(x))) or '—'}</td>" for x in letters) + "</tr>"
        for c in chosen
    )
    table = (f'<table class="acu-check"><thead><tr><th scope="col">{escape(s.get("checklist.column_condition"))}'
             f"</th>{head}</tr></thead><tbody>{rows}</tbody></table>")
    blocks = [_condition_html(k, c) for c in chosen]
    return CHECKLIST_CSS + table + "".join(blocks)


def _quote(s: Strings, ev: Evidence) -> str:
    note = f" — <em>{escape(ev.note)}</em>" if ev.note else ""
    return f"<li>{escape(cite(s, ev))}{note}</li>"


def _condition_html(k: Knowledge, c: Condition) -> str:
    s = k.strings
    parts = [f'<div class="acu-box acu-check-item" data-id="{escape(c.id)}"><b>{escape(c.label)}</b>']
    if c.disputed:
        said = c.role("contraindication") + c.role("caution")
        parts.append(f'<p class="acu-contra"><b>⚠ {escape(s.get("checklist.contradiction"))}</b></p><ul>'
                     + "".join(_quote(s, m.evidence) for m in said) + "</ul>"
                     f'<p class="acu-contra">{escape(s.get("checklist.against"))}</p><ul>'
                     + "".join(_quote(s, m.evidence) for m in c.role("otherwise")) + "</ul>")
    else:
        for role in ("contraindication", "caution"):
            if c.role(role):
                parts.append(f"<p>{escape(s.get(f'checklist.heading_{role}'))}</p><ul>"
                             + "".join(_quote(s, m.evidence) for m in c.role(role)) + "</ul>")
    if not c.contraindication:
        parts.append(f"<p>{escape(s.get('checklist.not_named'))}</p>")
    silent = [x for x in k.sources if not c.by_source(x)]
    if silent:
        parts.append(f"<p><small>{escape(s.get('checklist.silent', sources=', '.join(silent)))}</small></p>")
    effects = c.role("side_effect")
    if effects:
        names = ", ".join(dict.fromkeys(s.get(f"caution.{m.side_effect}") for m in effects))
        parts.append(f'<p><span class="acu-mark acu-m-reading">{escape(s.get("panel.interpretation_badge"))}</span> '
                     f"{escape(s.get('checklist.side_effects', names=names))}</p><ul>"
                     + "".join(_quote(s, m.evidence) for m in effects) + "</ul>")
    if c.note:
        parts.append(f"<p><small>{escape(c.note)}</small></p>")
    parts.append("</div>")
    return "".join(parts)


CHECKLIST_CSS = (
    "<style>.acu-check{border-collapse:collapse;width:100%;margin-bottom:0.6rem;font-size:0.9rem}"
    ".acu-check th,.acu-check td{text-align:left;vertical-align:top;padding:0.25rem 0.5rem;"
    f"border-bottom:1px solid {PAGE.rule}}}.acu-check-item ul{{margin:0.2rem 0}}"
    f".acu-check-item p{{margin:0.3rem 0 0 0}}.acu-contra{{color:{PAGE.warning_dark}}}</style>"
)


def summary(k: Knowledge, chosen: list[Condition]) -> str:
    """One line over the table: how many ticked conditions each article names as a contraindication,
    and how many the articles contradict each other on."""
    s = k.strings
    if not chosen:
        return s.get("checklist.none_ticked")
    named = {x: sum(1 for c in chosen if any(m.role == "contraindication" for m in c.by_source(x)))
             for x in k.sources}
    per = s.get("value.joiner").join(s.get("checklist.per_source", source=x, n=n) for x, n in named.items())
    return s.get("checklist.summary", ticked=len(chosen), per=per, disputed=sum(c.disputed for c in chosen))
