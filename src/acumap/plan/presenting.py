"""What each panel of the page shows, as plain values (no Streamlit here): the app only lays
them out, and the tests read the same values the page is built from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from acumap.data.loading import Knowledge
from acumap.data.models import CautionItem, Evidence
from acumap.data.quantities import QUANTITIES
from acumap.data.strings import Strings
from acumap.plan.formatting import (
    cite,
    level_text,
    number,
    quantity_notes,
    quantity_text,
    rendering,
    statement_text,
)
from acumap.plan.planner import Part, Plan, Quantity, Statement
from acumap.plan.points import Site, cun_to_mm, danger_depth, depth_text, inside, site_name, zone_danger_depths
from acumap.plan.standard_depth import ZoneDepth, drawn_deeper, marker_points, zone_depth
from acumap.style import PAGE


@dataclass(frozen=True)
class Card:
    """One session parameter: its label, the value shown, and why it may need a second look."""

    key: str
    label: str
    value: str
    conflict: bool  # the articles give different values
    reading: bool  # our reading acts on the value
    deeper: bool  # deeper than the usual depth of the zone's standard points, or of those drawn on
    note: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SourceRow:
    source: str
    line: int
    quote: str
    value: str
    part: str | None
    quote_ru: str | None
    role: str | None  # None: behind the value; "generic": outranked; "set_aside": given to another method
    note: str | None


@dataclass(frozen=True)
class SourceBlock:
    label: str
    value: str
    conflict: bool
    rows: tuple[SourceRow, ...]


def parameter_cards(k: Knowledge, plan: Plan) -> list[Card]:
    s = k.strings
    check = zone_depth(k, plan)
    cards = []
    for spec in QUANTITIES:
        q = plan.quantities[spec.key]
        notes = quantity_notes(s, plan, q)
        drawn = drawn_deeper(k, plan) if spec.key == "depth_mm" else ()
        deeper = spec.key == "depth_mm" and bool(check and check.deeper or drawn)
        if deeper and check and check.deeper:
            notes.append(depth_check_text(k, check))
        elif drawn:
            notes.append(s.get("depth_check.drawn_deeper", codes=", ".join(drawn), rule=cun_rule_text(k)))
        cards.append(Card(
            key=spec.key,
            label=s.get(f"card.{spec.key}"),
            value=quantity_text(s, q, with_unit=False),
            conflict=bool(q and q.conflict),
            reading=bool(q and q.reading),
            deeper=deeper,
            note=" ".join(notes) or None,
            sources=tuple(q.sources) if q else (),
        ))
    return cards


def depth_check_text(k: Knowledge, check: ZoneDepth) -> str:
    """'Deeper than the usual depth of this zone's standard points: ...' with both sources."""
    s = k.strings
    said = ", ".join(s.get("depth_check.part", part=s.get(f"method_part.{m}"), mm=number(s, d))
                     for m, d in check.deeper)
    return s.get("depth_check.deeper", said=said, codes=", ".join(check.codes), low=number(s, check.cun[0]),
                 high=number(s, check.cun[1]), mm_low=number(s, check.mm[0]), mm_high=number(s, check.mm[1]),
                 how="; ".join(check.directions), rule=cun_rule_text(k))


def cun_rule_text(k: Knowledge) -> str:
    return k.strings.get("depth_check.rule", mm=number(k.strings, k.cun.mm_per_cun), source=k.cun.source)


def _rows(s: Strings, q: Quantity, stmts: tuple[Statement, ...], role: str | None) -> list[SourceRow]:
    return [
        SourceRow(
            source=st.claim.source, line=st.claim.line, quote=st.claim.quote, value=statement_text(s, q, st),
            part=s.get("source_row.part", part=s.get(f"method.{st.part}")) if st.part else None,
            quote_ru=st.claim.quote_ru, role=role, note=st.claim.note,
        )
        for st in stmts
    ]


def source_blocks(k: Knowledge, plan: Plan) -> list[SourceBlock]:
    """Per quantity, every article statement behind it with the value it gives, then the generic
    statements a statement for this stage outranks and those our reading gives to another method."""
    s = k.strings
    blocks = []
    for spec in QUANTITIES:
        q = plan.quantities[spec.key]
        rows: list[SourceRow] = []
        if q is not None:
            rows = _rows(s, q, q.statements, None) + _rows(s, q, q.generic, "generic")
            rows += _rows(s, q, q.set_aside, "set_aside")
        blocks.append(SourceBlock(s.get(f"quantity.{spec.key}"), quantity_text(s, q), bool(q and q.conflict),
                                  tuple(rows)))
    return blocks


def _evidence(ev: Evidence) -> dict[str, object]:
    return {"source": ev.source, "line": ev.line, "quote": ev.quote}


def _quantity_json(k: Knowledge, plan: Plan, q: Quantity) -> dict[str, object]:
    def plain(value: float | None) -> float | int | None:
        # 6.0 -> 6, so the JSON reads as the articles do.
        return int(value) if value is not None and float(value).is_integer() else value

    def stated(stmts: tuple[Statement, ...]) -> list[dict[str, object]]:
        return [{**_evidence(st.claim), "min": plain(st.min), "max": plain(st.max)} for st in stmts]

    evidence, seen = [], set()
    for st in q.statements:
        key = (st.claim.source, st.claim.line, st.claim.quote)
        if key not in seen:
            seen.add(key)
            evidence.append(_evidence(st.claim))
    def part_json(p: Part) -> dict[str, object]:
        # A part split by stage gives no range of its own (no line states it): its pieces do.
        return {"min": None if p.split else plain(p.span[0]), "max": None if p.split else plain(p.span[1]),
                "approximate": p.approximate and not p.split, "sources": p.sources,
                "pieces": [{"stage": piece.severity, "min": plain(piece.span[0]), "max": plain(piece.span[1]),
                            "approximate": piece.approximate, "sources": piece.sources}
                           for piece in p.pieces] if p.split else None}

    parts = None
    if q.by_method:
        parts = {p.method: part_json(p) if p.stated else None for p in q.parts}
    return {
        # One range only where it says it all: not where a method part is not stated, where the methods'
        # parts differ ("Both": 3–10 beside 10–20 mm is not 3–20) or where a part is split by stage.
        "min": plain(q.min) if q.uniform else None,
        "max": plain(q.max) if q.uniform else None,
        "unit": q.spec.unit,
        "sources": q.sources,
        "evidence": evidence,
        "conflict": q.conflict,
        # The hedge rule (docs/data.md): "about" where the lines behind the value all hedge it.
        "approximate": q.approximate,
        # A quantity that does not depend on the method, split by stage: each stage's own value.
        "pieces": None if q.by_method else part_json(q.parts[0])["pieces"],
        "wording": q.parts[0].wording if not q.by_method else None,  # the articles' words for it ("daily")
        # What the lines make it depend on ("if treatment is resumed"), shown after the value on the page.
        "condition": _condition(q),
        "parts": parts,
        "not_stated_for": list(q.missing),
        "reading": q.reading,
        "generic": stated(q.generic),
        "set_aside": stated(q.set_aside),
        "caveats": [_evidence(c) for c in q.caveats],
        "note": " ".join(quantity_notes(k.strings, plan, q)) or None,
    }


def _condition(q: Quantity) -> str | None:
    found = {piece.condition for p in q.parts for piece in p.pieces}
    return found.pop() if len(found) == 1 else None


def plan_json(k: Knowledge, plan: Plan) -> dict[str, object]:
    doc: dict[str, object] = {"region": plan.region, "method": plan.method, "stage": plan.stage}
    for spec in QUANTITIES:
        q = plan.quantities[spec.key]
        doc[spec.key] = _quantity_json(k, plan, q) if q else None
    s = k.strings
    doc["method_caveat"] = plan.method_caveat
    doc["stage_reading"] = plan.stage_info.interpretation
    doc["stage_outside_source"] = s.get("stage_panel.outside_source", region=s.get(f"region_part.{plan.region}")) \
        if plan.stage_outside_source else None
    check = zone_depth(k, plan)
    doc["standard_point_depth"] = None if check is None else {
        "points": list(check.codes), "cun": list(check.cun), "mm_approx": list(check.mm),
        "how": list(check.directions), "rule": cun_rule_text(k),
        "deeper": [{"method": m, "mm": d} for m, d in check.deeper],
        # The points the drawn needles sit on that the articles' depth exceeds (the card's mark).
        "deeper_than_drawn_on": list(drawn_deeper(k, plan)),
    }
    doc["danger_depths"] = [{"point": d.point, "tissue": d.tissue, "mean_mm": d.mean_mm, "source": d.source}
                            for d in zone_danger_depths(k, plan.region)]
    doc["safety_warnings"] = [
        {"id": w.id, "text": w.text, "sources": list(w.sources),
         **({"tissue": w.tissue, "depth_cun": list(w.depth_cun),
             "mm_approx": [cun_to_mm(k, w.depth_cun[0]), cun_to_mm(k, w.depth_cun[1])]} if w.depth_cun else {})}
        for w in plan.warnings
    ]
    return doc


def plan_document(k: Knowledge, plan: Plan) -> str:
    """The plan as JSON text: what the CLI prints and the download button gives."""
    return json.dumps(plan_json(k, plan), indent=2, ensure_ascii=False) + "\n"


def danger_gap_text(k: Knowledge, plan: Plan) -> str | None:
    """Which of the zone's points have no published depth to the tissue at risk, naming those the
    needles are drawn on: no neighbour's depth may stand in for a margin that was never measured."""
    s = k.strings
    measured = {d.point for d in zone_danger_depths(k, plan.region)}
    codes = list(dict.fromkeys(site.point.code for site in inside(k, plan.region)))
    missing = [code for code in codes if code not in measured]
    if not missing:
        return None
    under = {p.code for p in marker_points(k, plan) if p is not None}
    drawn = [code for code in missing if code in under]
    text = s.get("depth.no_margin", codes=", ".join(missing))
    if drawn:
        text += " " + s.get("depth.no_margin_markers", codes=", ".join(drawn))
    return text


def stage_html(k: Knowledge, plan: Plan) -> str:
    """The stage panel as one HTML block: the stage, the article lines it stands on, and our reading
    of it (marked), including its use outside the region the article wrote of."""
    s = k.strings
    lines = "".join(f"<li>{escape(cite(s, ev))}</li>" for ev in plan.stage_info.evidence)
    outside = (f"<br>{escape(s.get('stage_panel.outside_source', region=s.get(f'region_part.{plan.region}')))}"
               if plan.stage_outside_source else "")
    return (f'<div class="acu-box"><b>{escape(s.get("panel.stage", stage=plan.stage))}</b> — '
            f"{escape(plan.stage_info.summary)}<ul>{lines}</ul>"
            f'<span class="acu-mark acu-m-reading">{escape(s.get("panel.interpretation_badge"))}</span> '
            f"<small>{escape(plan.stage_info.interpretation)}{outside}</small></div>")


def zone_html(k: Knowledge, region: str) -> str:
    """Where the needles go: our reading of the articles' words, and the words."""
    s = k.strings
    r = k.regions[region]
    lines = "".join(f"<li>{escape(cite(s, ev))}</li>" for ev in r.placement)
    markers = f"<br>{escape(r.marker_reading)}" if r.marker_reading else ""
    return (f'<div class="acu-box"><b>{escape(s.get("panel.zone"))}</b> '
            f'<span class="acu-mark acu-m-reading">{escape(s.get("panel.interpretation_badge"))}</span>'
            f"<br>{escape(r.zone_reading)}{markers}<ul>{lines}</ul></div>")


BOX_CSS = (
    f"<style>.acu-box{{border:1px solid {PAGE.box_border};border-radius:0.5rem;padding:0.5rem 0.8rem;"
    "margin-bottom:0.5rem;font-size:0.92rem}.acu-box ul{margin:0.3rem 0;padding-left:1.1rem;font-size:0.85rem;"
    f"color:{PAGE.secondary_text}}}.acu-mark{{display:inline-block;font-size:0.68rem;line-height:1.3;border-radius:0.3rem;"
    f"padding:0 0.3rem}}.acu-m-reading{{background:{PAGE.reading_fill};color:{PAGE.reading}}}</style>"
)


def contraindicating_sources(k: Knowledge, item: CautionItem) -> tuple[str, ...]:
    """The articles whose statement of the item forbids it: one that asks only for caution or a
    limit (data/checklist.toml caution_only) does not count."""
    caution_only = k.checklist.caution_only
    return tuple(sorted({ev.source for ev in item.statements if (item.id, ev.source, ev.line) not in caution_only}))


def safety_summary(k: Knowledge, plan: Plan, most: int = 3) -> str:
    """One line for the top of the page: the zone's warning in short and the contraindications
    named by at least `most` articles (those another article disputes are marked so)."""
    s = k.strings
    named = [
        s.get("safety.disputed", name=s.get(f"caution.{item.id}")) if item.disputed_by else s.get(f"caution.{item.id}")
        for item in k.cautions["contraindications"] if len(contraindicating_sources(k, item)) >= most
    ]
    warnings = " ".join(f"{w.short} [{', '.join(w.sources)}]" for w in plan.warnings)
    return s.get("safety.summary", warnings=warnings, most=most, names="; ".join(named))


@dataclass(frozen=True)
class CompareRow:
    label: str
    here: str
    there: str

    @property
    def differs(self) -> bool:
        return self.here != self.there


def compare_rows(k: Knowledge, here: Plan, there: Plan) -> list[CompareRow]:
    """Each session parameter under two views, for the compare panel."""
    s = k.strings
    return [CompareRow(s.get(f"quantity.{spec.key}"), quantity_text(s, here.quantities[spec.key]),
                       quantity_text(s, there.quantities[spec.key])) for spec in QUANTITIES]


def compare_html(s: Strings, rows: list[CompareRow], here: str, there: str) -> str:
    """The two views as one table; the rows that differ are highlighted and marked in words too."""
    body = "".join(
        f'<tr class="{"acu-diff" if r.differs else ""}"><th scope="row">{escape(r.label)}</th>'
        f"<td>{escape(r.here)}</td><td>{escape(r.there)}</td>"
        f"<td>{escape(s.get('compare.differs')) if r.differs else ''}</td></tr>"
        for r in rows
    )
    head = (f"<tr><th></th><th scope=\"col\">{escape(here)}</th><th scope=\"col\">{escape(there)}</th>"
            f"<th></th></tr>")
    return COMPARE_CSS + f'<table class="acu-compare"><thead>{head}</thead><tbody>{body}</tbody></table>'


COMPARE_CSS = (
    "<style>.acu-compare{border-collapse:collapse;width:100%}.acu-compare th,.acu-compare td{text-align:left;"
    f"padding:0.3rem 0.6rem;border-bottom:1px solid {PAGE.rule}}}"
    f".acu-compare tr.acu-diff{{background:{PAGE.differ_fill}}}"
    f".acu-compare tr.acu-diff td:last-child{{color:{PAGE.differ_text};"
    "font-size:0.85rem}</style>"
)


def caution_items(k: Knowledge, kind: str) -> list[tuple[str, CautionItem]]:
    return [(k.strings.get(f"caution.{item.id}"), item) for item in k.cautions[kind]]


def points_in_zone(k: Knowledge, region: str) -> list[str]:
    """Names of the standard point sites inside a region's zone, in data order."""
    return [site_name(k.strings, site) for site in inside(k, region)]


def point_facts(k: Knowledge, site: Site) -> list[tuple[str, str]]:
    """The detail panel of one point: (label, text) rows."""
    s, p = k.strings, site.point
    where = s.get("points.where", level=level_text(s, site.level), offset=s.number(site.offset))
    if p.approximate:
        where += f" ({s.get('points.approximate')})"
    rows = [
        (s.get("points.detail_location"), p.location),
        (s.get("points.detail_position"), where),
        (s.get("points.detail_depth"), depth_text(k, p)),
    ]
    if p.caution:
        rows.append((s.get("points.detail_caution"), p.caution))
    danger = danger_depth(k, p.code)
    if danger:
        rows.append((s.get("points.detail_danger"),
                     s.get("points.danger", tissue=danger.tissue, mm=s.number(danger.mean_mm), source=danger.source)))
    rows.append((s.get("points.detail_sources"), "; ".join(f"{x}: {k.point_sources[x]}" for x in p.sources)))
    return rows


def sources_html(s: Strings, blocks: list[SourceBlock]) -> str:
    """The "where this comes from" panel as one HTML grid of cards: per quantity, its value and
    every article statement behind it; a quantity the articles disagree on is highlighted. Generic
    statements outranked by one for the stage, and statements our reading gives to another method,
    follow, marked."""
    cards = []
    for block in blocks:
        badge = f' <span class="acu-differ">⚠ {escape(s.get("panel.conflict_badge"))}</span>' if block.conflict else ""
        rows = []
        for r in block.rows:
            part = f" ({escape(r.part)})" if r.part else ""
            role = f' <span class="acu-role">{escape(s.get(f"source_row.{r.role}"))}</span>' if r.role else ""
            note = f"<br><small>{escape(r.note)}</small>" if r.note else ""
            said = escape(s.get("source_row.said", line=r.line, quote=r.quote) + rendering(s, r.quote_ru))
            rows.append(f"<li><b>{r.source}</b>{part}{role} → {escape(r.value)} · {said}{note}</li>")
        body = f"<ul>{''.join(rows)}</ul>" if rows else f"<p><small>{escape(s.get('panel.none_states'))}</small></p>"
        style = "acu-card acu-conflict" if block.conflict else "acu-card"
        cards.append(f'<div class="{style}"><b>{escape(block.label)}: {escape(block.value)}</b>{badge}{body}</div>')
    return SOURCES_CSS + f'<div class="acu-grid">{"".join(cards)}</div>'


SOURCES_CSS = (
    "<style>.acu-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:0.8rem}"
    f".acu-card{{border:1px solid {PAGE.box_border};border-radius:0.5rem;padding:0.7rem 0.9rem}}"
    ".acu-card ul{margin:0.4rem 0 0 0;padding-left:1.1rem}.acu-card li{margin-bottom:0.35rem}"
    f".acu-conflict{{background:{PAGE.conflict_fill};border-color:{PAGE.conflict_border}}}"
    f".acu-differ{{color:{PAGE.conflict_text};font-size:0.85rem}}"
    f".acu-role{{background:{PAGE.reading_fill};color:{PAGE.reading};border-radius:0.3rem;padding:0 0.3rem;"
    "font-size:0.8rem}</style>"
)


def cards_html(s: Strings, cards: list[Card], changed: set[str] | None = None) -> str:
    """The session parameters as one HTML grid: values wrap instead of being cut, and each card
    carries its marks (articles differ, our reading, deeper than the standard points) and its notes.
    `changed`: keys whose value differs from the view before the last control change."""
    out = []
    for c in cards:
        marks = []
        if changed and c.key in changed:
            marks.append(("acu-m-changed", s.get("panel.changed_badge")))
        if c.conflict:
            marks.append(("acu-m-differ", s.get("panel.conflict_badge")))
        if c.reading:
            marks.append(("acu-m-reading", s.get("panel.interpretation_badge")))
        if c.deeper:
            marks.append(("acu-m-deeper", s.get("panel.deeper_badge")))
        badges = "".join(f'<span class="acu-mark {cls}">{escape(text)}</span>' for cls, text in marks)
        note = (f'<details><summary>{escape(s.get("panel.why"))}</summary><small>{escape(c.note)}</small></details>'
                if c.note else "")
        out.append(f'<div class="acu-pcard" data-key="{c.key}"><div class="acu-plabel">{escape(c.label)}</div>'
                   f'<div class="acu-pvalue">{escape(c.value)}</div>{badges}{note}</div>')
    return CARDS_CSS + f'<div class="acu-pgrid">{"".join(out)}</div>'


CARDS_CSS = (
    "<style>.acu-pgrid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:0.4rem}"
    f".acu-pcard{{border:1px solid {PAGE.box_border};border-radius:0.5rem;padding:0.3rem 0.55rem}}"
    f".acu-plabel{{font-size:0.8rem;color:{PAGE.text}}}"
    ".acu-pvalue{font-size:1.2rem;line-height:1.2;font-weight:600;overflow-wrap:anywhere}"
    ".acu-mark{display:inline-block;font-size:0.68rem;line-height:1.3;border-radius:0.3rem;padding:0 0.3rem;"
    "margin:0.1rem 0.2rem 0 0}"
    f".acu-m-differ{{background:{PAGE.differ_fill};color:{PAGE.differ_text}}}"
    f".acu-m-reading{{background:{PAGE.reading_fill};color:{PAGE.reading}}}"
    f".acu-m-deeper{{background:{PAGE.warning_fill};color:{PAGE.warning}}}"
    f".acu-m-changed{{background:{PAGE.changed_fill};color:{PAGE.changed_text}}}"
    f".acu-pcard details{{font-size:0.8rem}}.acu-pcard summary{{cursor:pointer;color:{PAGE.text}}}</style>"
)


def caution_html(s: Strings, items: list[tuple[str, CautionItem]]) -> str:
    """One kind of caution as collapsible HTML entries: the name with its articles, then every
    statement and any statement that says otherwise. One block, not one widget per entry, keeps
    each rerun light."""
    def quote(ev: Evidence) -> str:
        note = f" — <em>{escape(ev.note)}</em>" if ev.note else ""
        return f"<li>{escape(cite(s, ev))}{note}</li>"

    entries = []
    for label, item in items:
        body = [quote(ev) for ev in item.statements]
        body += [f"<li>{escape(s.get('panel.disputed'))}: {escape(cite(s, ev))}</li>" for ev in item.disputed_by]
        body += [f"<li>{escape(s.get('panel.remark'))}: {escape(cite(s, ev))}</li>" for ev in item.remarks]
        note = f"<p><small>{escape(item.note)}</small></p>" if item.note else ""
        entries.append(f"<details><summary>{escape(label)} — {', '.join(item.sources)}</summary>"
                       f"<ul>{''.join(body)}</ul>{note}</details>")
    return "\n".join(entries)
