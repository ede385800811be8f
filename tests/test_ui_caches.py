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
