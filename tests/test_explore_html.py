"""acumap.html.explore: the explore screen's HTML, built without Streamlit — the words of the strings
file and the data escaped, the view's numbers and warnings in it."""

from __future__ import annotations

from html import escape
from pathlib import Path

from acumap import load_knowledge, make_plan
from acumap.data.loading import Knowledge
from acumap.html import explore as H
from acumap.plan.presenting import parameter_cards
from tests.conftest import edit_data

HOSTILE = "<script>alert(1)</script>"


def test_the_heading_escapes_the_strings_and_keeps_the_safety_html(data_copy: Path) -> None:
    edit_data(data_copy, "strings/en.toml", r'(?m)^title = "acumap — acupuncture', f'title = "{HOSTILE} acupuncture')
    k = load_knowledge(data_copy)
    html = H.heading_html(k.strings, "<b>safety</b>")
    assert html.startswith(H.HEADER_CSS)
    assert HOSTILE not in html and escape(HOSTILE) in html
    assert '<p class="acu-safety"><b>safety</b></p>' in html  # already HTML (the page's Texts): kept
    assert escape(k.strings.get("app.disclaimer")) in html


def test_the_parameters_block_holds_the_view_its_key_numbers_and_cards(k: Knowledge) -> None:
    plan = make_plan(k, "thoracic", "combined", "III")
    cards = parameter_cards(k, plan)
    html = H.parameters_html(k, plan, cards, {cards[0].key})
    title = k.strings.get("figure.title", region=k.strings.get("region.thoracic"),
                          method=k.strings.get("method.combined"), stage="III")
    assert f'<p class="acu-view-title"><b>{escape(title)}</b></p>' in html
    assert plan.method_caveat and f'<p class="acu-caveat">{escape(plan.method_caveat)}</p>' in html
    for c in cards:
        assert escape(c.value) in html, c.key
    assert html.index("acu-view-title") < html.index("acu-keys") < html.index(escape(cards[0].value))


def test_the_depth_panel_names_each_warning_and_safety_source(k: Knowledge) -> None:
    plan = make_plan(k, "cervical", "sedative", "II")
    assert plan.warnings
    head = H.depth_heading_html(k.strings, plan)
    for w in plan.warnings:
        assert f'<p class="acu-warn">⚠️ {escape(w.text)} [{escape(", ".join(w.sources))}]</p>' in head
    notes = H.depth_notes_html(k, "<table></table>", "")
    assert notes.startswith("<table></table>")
    assert notes.count("<li>") == len(k.safety.sources)
    assert f"[{k.safety.variability.source}]" in notes
    assert H.depth_notes_html(k, "", "a gap").startswith('<p class="acu-note">a gap ')


def test_the_sources_panel_and_the_articles(k: Knowledge) -> None:
    html = H.sources_html(k.strings, "<ul></ul>")
    assert html.startswith(f'<h2 class="acu-h">{escape(k.strings.get("panel.tab_sources"))}</h2>')
    assert html.endswith("<ul></ul>")
    listed = H.articles_markdown(k).splitlines()
    assert [line[2] for line in listed] == list(k.sources) and all(line.startswith("- ") for line in listed)


def test_the_zone_block_and_a_section(k: Knowledge) -> None:
    s = k.strings
    assert H.zone_html(s, "<table/>", "<p>stage</p>", "<p>zone</p>") == (
        f'<p class="acu-note">{escape(s.get("panel.diagram_caption"))}</p><table/><p>stage</p><p>zone</p>')
    assert H.section_html("<a>", "b & c") == '<h2 class="acu-h">&lt;a&gt;</h2><p class="acu-note">b &amp; c</p>'


def test_a_note_and_a_section_heading_are_escaped_the_same_way() -> None:
    assert H.note_html(HOSTILE) == f'<p class="acu-note">{escape(HOSTILE)}</p>'
    assert H.section_html("A & B", HOSTILE) == f'<h2 class="acu-h">A &amp; B</h2>{H.note_html(HOSTILE)}'
