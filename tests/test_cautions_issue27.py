"""Issue 27, item 5, the parts in cautions.toml and methods.toml: the "thin needles cannot injure the
skin" claims (A 87, D 595) are shown as disputing the bruising and bleeding side effects, the rule to
see a doctor first lists every article line that asks for it, and five Russian renderings say what
their English quote says.

A word in square brackets in a quote_ru is one we added for the Russian to read; it is not in the
English quote (data/ had no such convention before; cautions.toml's header now states it)."""

from __future__ import annotations

from functools import cache
from html import escape

import pytest

from acumap import load_knowledge
from acumap.data.loading import Knowledge
from acumap.data.models import CautionItem, Evidence
from acumap.plan.formatting import cite
from acumap.plan.presenting import caution_html, caution_items
from acumap.teach.quiz import question_pool

KNOWLEDGE = {lang: load_knowledge(lang=lang) for lang in ("en", "ru")}

THIN_NEEDLES = {
    ("A", 87): "During the procedure, the specialist uses the finest needles, so it is impossible to injure "
               "the skin.",
    ("D", 595): "The procedure is carried out using thin needles, which excludes the possibility of trauma "
                "to the skin.",
}


@cache
def ru_quiz() -> tuple:
    return tuple(question_pool(KNOWLEDGE["ru"]))


def item(k: Knowledge, kind: str, item_id: str) -> CautionItem:
    return next(i for i in k.cautions[kind] if i.id == item_id)


def panel_entry(k: Knowledge, kind: str, item_id: str) -> str:
    """The caution panel's collapsible entry for one item, as the page shows it."""
    html = caution_html(k.strings, caution_items(k, kind))
    start = html.index(f"<summary>{escape(k.strings.get(f'caution.{item_id}'))} — ")
    return html[start:html.index("</details>", start)]


def find(evidence: tuple[Evidence, ...], source: str, line: int) -> Evidence:
    return next(ev for ev in evidence if (ev.source, ev.line) == (source, line))


# 1 -- "impossible to injure the skin" against the bruising and bleeding the same articles list ------
@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("effect", ["bruising", "bleeding"])
def test_thin_needle_claims_dispute_bruising_and_bleeding(lang: str, effect: str) -> None:
    k = KNOWLEDGE[lang]
    s = k.strings
    entry = item(k, "side_effects", effect)
    assert {(ev.source, ev.line): ev.quote for ev in entry.disputed_by} == THIN_NEEDLES
    # The lines the claims contradict stay the item's own statements.
    own = {"bruising": {("A", 118), ("C", 545), ("D", 624)}, "bleeding": {("A", 119), ("D", 623)}}[effect]
    assert {(ev.source, ev.line) for ev in entry.statements} == own
    # The page's side-effect panel marks each claim as said otherwise, with its line (and, in Russian,
    # our rendering marked as ours).
    shown = panel_entry(k, "side_effects", effect)
    for source, line in THIN_NEEDLES:
        ev = find(entry.disputed_by, source, line)
        assert f"{escape(s.get('panel.disputed'))}: {escape(cite(s, ev))}" in shown
        if lang == "ru":
            assert escape(ev.quote_ru) in shown
            assert escape(s.get("value.rendering", rendering=ev.quote_ru)) in shown
        else:
            assert "перевод" not in shown
    # A remark is something else: these are disputes, not remarks.
    assert entry.remarks == ()


def test_thin_needle_renderings_are_faithful() -> None:
    ru = {(ev.source, ev.line): ev.quote_ru for ev in item(KNOWLEDGE["ru"], "side_effects", "bruising").disputed_by}
    assert ru == {
        ("A", 87): "Во время процедуры специалист использует тончайшие иглы, поэтому повредить кожу невозможно.",
        ("D", 595): "Процедура проводится с использованием тонких игл, что исключает возможность травмирования кожи.",
    }
    bleeding = {(ev.source, ev.line): ev.quote_ru
                for ev in item(KNOWLEDGE["ru"], "side_effects", "bleeding").disputed_by}
    assert bleeding == ru


# 2 -- "see a doctor first" lists every line that asks for it --------------------------------------
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_see_a_doctor_first_lists_every_article_line(lang: str) -> None:
    k = KNOWLEDGE[lang]
    s = k.strings
    entry = item(k, "preparation", "see_doctor_first")
    assert [(ev.source, ev.line) for ev in entry.statements] == \
        [("A", 109), ("A", 225), ("C", 513), ("C", 521), ("D", 614), ("D", 678)]
    assert entry.sources == ("A", "C", "D")
    quotes = {(ev.source, ev.line): (ev.quote, ev.quote_ru) for ev in entry.statements}
    assert quotes[("A", 109)] == (
        "before you go to such a session, you need to discuss this issue with your doctor.",
        "прежде чем идти на такой сеанс, нужно обсудить этот вопрос со своим врачом.")
    assert quotes[("C", 513)] == (
        "before the course of acupuncture it is necessary to undergo a full examination from a therapist and "
        "neurologist",
        "перед курсом иглоукалывания необходимо пройти полное обследование у терапевта и невролога")
    assert quotes[("D", 614)] == (
        "the procedure should be done after consulting a doctor.",
        "процедуру следует проводить после консультации с врачом.")
    shown = panel_entry(k, "preparation", "see_doctor_first")
    assert "<summary>" + escape(s.get("caution.see_doctor_first")) + " — A, C, D</summary>" in shown
    for ev in entry.statements:
        assert escape(cite(s, ev)) in shown
    assert s.get("panel.disputed") not in shown


# 3 -- Russian renderings that say what the English says ------------------------------------------
RENDERINGS = [
    ("methods.toml", "D", 674, "The stimulant tones the body and stimulates certain areas.",
     "Стимулирующий вариант тонизирует организм и стимулирует определённые области."),
    ("methods.toml", "D", 673, "The sedative covers the affected area, relieving pain.",
     "Седативный вариант охватывает поражённую область, снимая боль."),
    ("cautions.toml", "D", 632, "Period of gestation;", "Период вынашивания ребёнка;"),
    ("cautions.toml", "D", 626, "This is a sign that the points of influence are not accurately defined.",
     "Это признак того, что точки воздействия определены неточно."),
    ("cautions.toml", "C", 521,
     "each the patient must be examined by a doctor and receive an opinion as to whether treatment is acupuncture",
     "каждый пациент должен пройти осмотр у врача и получить заключение о том, [показано] ли лечение "
     "иглоукалыванием"),
]


@pytest.mark.parametrize(("file", "source", "line", "quote", "wanted"), RENDERINGS,
                         ids=[f"{r[1]}{r[2]}" for r in RENDERINGS])
def test_russian_rendering_reads_as_the_english_says(file: str, source: str, line: int, quote: str,
                                                     wanted: str) -> None:
    ru, en = KNOWLEDGE["ru"], KNOWLEDGE["en"]
    def uses(k: Knowledge) -> list[Evidence]:
        return [ev for f, ev in k.all_evidence() if (f, ev.source, ev.line, ev.quote) == (file, source, line, quote)]

    for k in (en, ru):  # every place the quote is used carries the same rendering
        assert uses(k) and {ev.quote_ru for ev in uses(k)} == {wanted}
    ev = uses(ru)[0]
    # The Russian page cites the English words first, then our rendering marked as ours; English shows none.
    assert cite(ru.strings, ev) == ru.strings.get("value.cite", source=source, line=line, quote=quote) + \
        ru.strings.get("value.rendering", rendering=wanted)
    assert wanted not in cite(en.strings, ev)
    # Where the quiz asks which article says the quote, the Russian prompt carries the rendering.
    for q in ru_quiz():
        if q.kind == "source" and q.evidence == (ev,):
            assert ru.strings.get("value.rendering", rendering=wanted) in q.prompt


def test_d626_says_not_accurately_and_nothing_stronger() -> None:
    ev = find(item(KNOWLEDGE["ru"], "side_effects", "pain_during_session").statements, "D", 626)
    assert "неточно" in ev.quote_ru
    assert "неправильно" not in ev.quote_ru and "неверно" not in ev.quote_ru
