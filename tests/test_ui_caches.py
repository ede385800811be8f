"""The cached builders of ui/ work only from their arguments: the language they are given is the
language of what they build, whatever the session holds (before, most read it from the session, so a
cache key and its entry could disagree)."""

from __future__ import annotations

import pytest
import streamlit as st

from ui import alternatives, quiz, state, teach


@pytest.fixture(autouse=True)
def english_session(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the session says (here: English, the default outside a session), "ru" must build Russian.
    monkeypatch.setattr(state, "current_lang", lambda: "en")
    st.cache_resource.clear()


def test_every_cached_builder_uses_the_language_it_is_given() -> None:
    ru = state.knowledge_in("ru").strings
    title = ru.get("figure.title", region=ru.get("region.cervical"), method=ru.get("method.sedative"), stage="I")
    assert state.knowledge_in("ru").strings.get("app.title") != state.knowledge_in("en").strings.get("app.title")
    assert state.back_figure_in("ru", "cervical", "sedative", "I", True, False, None, "average", "explore",
                                True).layout.title.text == title
    alt, _ = alternatives._back_view("ru", "cervical", "sedative", "I")
    assert ru.get("region_part.cervical") in alt
    assert quiz.questions("ru", 1) != quiz.questions("en", 1)
    ru_canvas = quiz.canvas("ru", "average").layout.title.text
    assert ru_canvas == ru.get("quiz.canvas_title")
    axis = [teach.timeline_figure(lang, "cervical", "sedative", "I").layout.xaxis.title.text for lang in ("ru", "en")]
    assert axis[0] != axis[1] and all(ord(c) > 127 for c in axis[0] if c.isalpha())  # Cyrillic


def test_an_answered_click_shares_the_cached_canvas_and_draws_the_same_as_one_built_for_it() -> None:
    # Issue 29 (make capacity): every answered click built a whole canvas anew, about 30 ms each, and every
    # click was a cache key of its own; now one canvas a region, the spot added to its dict.
    from acumap.charts.figures import click_canvas

    k = state.knowledge_in("en")
    shown = quiz.answer_canvas("en", "average", "lumbar", (1.5, -18.0))
    base = quiz.canvas("en", "average", "lumbar")
    assert quiz.answer_canvas("en", "average", "lumbar", (-2.0, -20.0)).to_dict()["layout"] is base.to_dict()["layout"]
    built = click_canvas(k, title=k.strings.get("quiz.canvas_answer"), build="average", style=quiz.CANVAS,
                         reveal="lumbar", clicked=(1.5, -18.0)).to_dict()
    assert shown.to_dict()["data"] == built["data"] and shown.to_dict()["layout"] == built["layout"]
    assert len(base.to_dict()["data"]) == len(built["data"]) - 1  # the cached canvas itself stays unmarked
    assert quiz.answer_canvas("en", "average", "lumbar", None) is base
