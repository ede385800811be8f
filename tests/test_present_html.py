"""acumap.html.present: presenter mode's lesson panel, built without Streamlit — every key number with
its badges and article lines, the notes after them, every word escaped, set on the panel's line grid."""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape

from acumap import make_plan
from acumap.data.loading import Knowledge
from acumap.html import present as H
from acumap.teach.lesson import key_numbers

HOSTILE = "<script>alert(1)</script>"


def test_the_panel_holds_each_key_number_its_lines_and_the_notes_in_order(k: Knowledge) -> None:
    s = k.strings
    plan = make_plan(k, "cervical", "combined", "IV")
    numbers = key_numbers(k, plan)
    html = H.numbers_html(s, numbers, "Step 3 of 9", "Cervical, combined", ("first note", "second note"))
    assert html.startswith('<div class="acu-present" tabindex="0" role="group" aria-label="Cervical, combined">')
    assert html.endswith("</div>")
    assert html.index('<p class="acu-step">Step 3 of 9</p>') < html.index('<p class="acu-head">Cervical, combined</p>')
    at = 0
    for n in numbers:
        at = html.index(f'<dt data-key="{n.key}">{escape(n.label)}', at)
        at = html.index(f'<dd class="acu-val">{escape(n.value)}</dd>', at)
        for cite in n.cites or (s.get("panel.none_states"),):
            at = html.index(f'<dd class="acu-cite">{escape(cite)}</dd>', at)
    assert html.index("</dl>") < html.index('<p class="acu-note">first note</p>') \
        < html.index('<p class="acu-note">second note</p>')


def test_badges_mark_a_conflict_and_a_reading_and_every_text_is_escaped(k: Knowledge) -> None:
    s = k.strings
    number = replace(key_numbers(k, make_plan(k, "lumbar", "sedative", "II"))[0], label=HOSTILE, value=HOSTILE,
                     cites=(HOSTILE,), conflict=True, reading=True)
    html = H.numbers_html(s, [number], HOSTILE, HOSTILE, (HOSTILE,))
    assert HOSTILE not in html and html.count(escape(HOSTILE)) == 7  # label, value, cite, step, head (twice) and note
    badges = re.findall(r'<span class="acu-mark">([^<]*)</span>', html)
    assert badges == [escape(s.get("panel.conflict_badge")), escape(s.get("panel.interpretation_badge"))]
    plain = H.numbers_html(s, [replace(number, conflict=False, reading=False, cites=())], "", "")
    assert "acu-mark" not in plain and f'<dd class="acu-cite">{escape(s.get("panel.none_states"))}</dd>' in plain


def test_the_css_sets_every_line_of_the_panel_on_one_grid() -> None:
    assert H.CSS.startswith("<style>") and H.CSS.endswith("</style>")
    assert f"line-height:{H.LINE}px" in H.CSS and f"margin-top:{H.LINE}px" in H.CSS
