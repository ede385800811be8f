"""What each panel of the page shows, as plain values (no Streamlit here): the app only lays
them out, and the tests read the same values the page is built from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

from acumap.formatting import quantity_text, statement_text
from acumap.loading import Knowledge
from acumap.models import CautionItem, Evidence
from acumap.planner import Plan
from acumap.points import Site, danger_depth, in_zone, sites
from acumap.quantities import QUANTITIES
from acumap.strings import Strings


@dataclass(frozen=True)
class Card:
    """One session parameter: its label, the value shown, and why it may need a second look."""

    key: str
    label: str
    value: str
    conflict: bool
    note: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SourceRow:
    source: str
    line: int
    quote: str
    value: str
    part: str | None
    note: str | None


@dataclass(frozen=True)
class SourceBlock:
    label: str
    value: str
    conflict: bool
    rows: tuple[SourceRow, ...]


def parameter_cards(k: Knowledge, plan: Plan) -> list[Card]:
    s = k.strings
    cards = []
    for spec in QUANTITIES:
        q = plan.quantities[spec.key]
        cards.append(Card(
            key=spec.key,
            label=s.get(f"card.{spec.key}"),
            value=quantity_text(s, q, with_unit=False),
            conflict=bool(q and q.conflict),
            note=" ".join(q.notes) if q and q.notes else None,
            sources=tuple(q.sources) if q else (),
        ))
    return cards


def source_blocks(k: Knowledge, plan: Plan) -> list[SourceBlock]:
    """Per quantity, every article statement behind it, with the value it gives."""
    s = k.strings
    blocks = []
    for spec in QUANTITIES:
        q = plan.quantities[spec.key]
        rows: tuple[SourceRow, ...] = ()
        if q is not None:
            rows = tuple(
                SourceRow(
                    source=st.claim.source, line=st.claim.line, quote=st.claim.quote,
                    value=statement_text(s, q, st),
                    part=s.get("source_row.part", part=s.get(f"method.{st.part}")) if st.part else None,
                    note=st.claim.note,
                )
                for st in q.statements
            )
        blocks.append(SourceBlock(s.get(f"quantity.{spec.key}"), quantity_text(s, q), bool(q and q.conflict), rows))
    return blocks


def cite(ev: Evidence) -> str:
    return f"{ev.source}, line {ev.line}: “{ev.quote}”"


def caution_items(k: Knowledge, kind: str) -> list[tuple[str, CautionItem]]:
    return [(k.strings.get(f"caution.{item.id}"), item) for item in k.cautions[kind]]


def plan_document(plan: Plan) -> str:
    """The plan as JSON text: what the CLI prints and the download button gives."""
    return json.dumps(plan.to_json(), indent=2, ensure_ascii=False) + "\n"


def points_in_zone(k: Knowledge, region: str) -> list[str]:
    """Names of the standard point sites inside a region's zone, in data order."""
    return [site.name for site in sites(k) if in_zone(k, site, region)]


def point_facts(k: Knowledge, site: Site) -> list[tuple[str, str]]:
    """The detail panel of one point: (label, text) rows."""
    s, p = k.strings, site.point
    where = s.get("points.where", level=site.level, offset=f"{site.offset:g}")
    if p.approximate:
        where += f" ({s.get('points.approximate')})"
    rows = [
        (s.get("points.detail_location"), p.location),
        (s.get("points.detail_position"), where),
        (s.get("points.detail_depth"),
         s.get("points.depth_detail", min=f"{p.depth_cun[0]:g}", max=f"{p.depth_cun[1]:g}", how=p.depth_how,
               source=p.depth_source)),
    ]
    if p.caution:
        rows.append((s.get("points.detail_caution"), p.caution))
    danger = danger_depth(k, p.code)
    if danger:
        rows.append((s.get("points.detail_danger"),
                     s.get("points.danger", tissue=danger.tissue, mm=f"{danger.mean_mm:g}", source=danger.source)))
    rows.append((s.get("points.detail_sources"), "; ".join(f"{x}: {k.point_sources[x]}" for x in p.sources)))
    return rows


def sources_html(s: Strings, blocks: list[SourceBlock]) -> str:
    """The "where this comes from" panel as one HTML grid of cards: per quantity, its value and
    every article statement behind it; a quantity the articles disagree on is highlighted."""
    cards = []
    for block in blocks:
        badge = f' <span class="acu-differ">⚠ {escape(s.get("panel.conflict_badge"))}</span>' if block.conflict else ""
        rows = []
        for r in block.rows:
            part = f" ({escape(r.part)})" if r.part else ""
            note = f"<br><small>{escape(r.note)}</small>" if r.note else ""
            said = f"line {r.line}: “{escape(r.quote)}”"
            rows.append(f"<li><b>{r.source}</b>{part} → {escape(r.value)} · {said}{note}</li>")
        body = f"<ul>{''.join(rows)}</ul>" if rows else f"<p><small>{escape(s.get('panel.none_states'))}</small></p>"
        style = "acu-card acu-conflict" if block.conflict else "acu-card"
        cards.append(f'<div class="{style}"><b>{escape(block.label)}: {escape(block.value)}</b>{badge}{body}</div>')
    return SOURCES_CSS + f'<div class="acu-grid">{"".join(cards)}</div>'


SOURCES_CSS = (
    "<style>.acu-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:0.8rem}"
    ".acu-card{border:1px solid rgba(49,51,63,0.2);border-radius:0.5rem;padding:0.7rem 0.9rem}"
    ".acu-card ul{margin:0.4rem 0 0 0;padding-left:1.1rem}.acu-card li{margin-bottom:0.35rem}"
    ".acu-conflict{background:rgba(255,164,33,0.10);border-color:rgba(255,164,33,0.6)}"
    ".acu-differ{color:#b35c00;font-size:0.85rem}</style>"
)


def caution_html(s: Strings, items: list[tuple[str, CautionItem]]) -> str:
    """One kind of caution as collapsible HTML entries: the name with its articles, then every
    statement and any statement that says otherwise. One block, not one widget per entry, keeps
    each rerun light."""
    def quote(ev: Evidence) -> str:
        note = f" — <em>{escape(ev.note)}</em>" if ev.note else ""
        return f"<li>{escape(cite(ev))}{note}</li>"

    entries = []
    for label, item in items:
        body = [quote(ev) for ev in item.statements]
        body += [f"<li>{escape(s.get('panel.disputed'))}: {escape(cite(ev))}</li>" for ev in item.disputed_by]
        note = f"<p><small>{escape(item.note)}</small></p>" if item.note else ""
        entries.append(f"<details><summary>{escape(label)} — {', '.join(item.sources)}</summary>"
                       f"<ul>{''.join(body)}</ul>{note}</details>")
    return "\n".join(entries)
