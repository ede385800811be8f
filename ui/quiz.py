"""Quiz mode: the questions of acumap.teach.quiz for the link's seed (the same seed, the same questions
in the same order for every student), one at a time. A value or source question is answered by
choosing and checking; "click where the needles go" by a click on the back view, which carries a
grid of invisible clickable spots (Plotly reports clicks on markers only). After each answer:
right or wrong, the right value and the lines it stands on, and the running score."""

from __future__ import annotations

import functools
from dataclasses import replace
from html import escape

import plotly.graph_objects as go
import streamlit as st

from acumap.charts.figures import click_canvas, click_grid, clicked_marker
from acumap.data.loading import Knowledge
from acumap.style import EXPLORE, PAGE
from acumap.teach import links
from acumap.teach.quiz import CLICK, Question, Result, Round, make_quiz, result_text, score, skipped, tally_text
from ui import explore, modes, session, state

QUESTIONS = 10  # questions in one round
# The quiz's back view is the whole back: taller than the explore view, so a click can be placed.
CANVAS = replace(EXPLORE, back_max_height=640)
# The explore view, kept for its return.
KEPT = (session.REGION, session.METHOD, session.STAGE, session.BUILD, session.POINT)


@state.remembered
@st.cache_resource(show_spinner=False, max_entries=64)
def questions(lang: str, seed: int) -> list[Question]:
    return make_quiz(state.knowledge_in(lang), seed, QUESTIONS)


@state.remembered
@st.cache_resource(show_spinner=False, max_entries=64)
def canvas(lang: str, build: str, reveal: str | None = None) -> go.Figure:
    k = state.knowledge_in(lang)
    title = k.strings.get("quiz.canvas_title" if reveal is None else "quiz.canvas_answer")
    return state.finished(click_canvas(k, title=title, build=build, style=CANVAS, reveal=reveal))


def answer_canvas(lang: str, build: str, reveal: str, clicked: tuple[float, float] | None) -> go.Figure:
    """The revealed zone (one cached figure a region) with the spot this student clicked marked on it."""
    base = canvas(lang, build, reveal)
    return base if clicked is None else state.with_traces(base, [clicked_marker(clicked, CANVAS)])


FIT_MIN = 280  # px: the least height a canvas is given, however narrow the screen


def fitted(fig: go.Figure, key: str, **chart: object) -> object:
    """st.plotly_chart of a canvas whose height follows the width it gets. The canvas keeps equal aspect, so
    at a fixed height a phone's narrow chart left a band empty above and below the back (a fifth of the chart
    at 390 px); here a box as tall as the width needs (the plot's width times the drawing's proportions, plus
    the margins), never taller than the figure asks for, holds the chart at its full height."""
    lay = fig.layout
    (x0, x1), (y0, y1), m = lay.xaxis.range, lay.yaxis.range, lay.margin
    height = f"calc((100cqw - {m.l + m.r}px) * {(y1 - y0) / (x1 - x0):.4f} + {m.t + m.b}px)"
    # The outer box gives the width (a size container, 100cqw); the inner one takes the height from it.
    st.html(f"<style>.st-key-{key}_fit{{container-type:inline-size}}.st-key-{key}_box{{flex:none!important;"
            f"min-height:0;height:clamp({FIT_MIN}px,{height},{lay.height}px)}}</style>")
    with st.container(key=f"{key}_fit"), st.container(key=f"{key}_box"):
        return st.plotly_chart(fig, key=key, height="stretch", **chart)


def current(seed: int) -> Round:
    """This session's round: the seed, the question shown, the results so far. A new seed (a new
    link) starts a new round."""
    ss = session.get()
    run = ss.quiz
    if not isinstance(run, Round) or run.seed != seed:
        run = Round(seed)
        ss.quiz = run
    return run


def answer_choice(run: Round, q: Question, key: str) -> None:
    given = session.value(key, None)
    if given is not None:
        run.record(score(q, given))


def answer_click(run: Round, q: Question, key: str) -> None:
    points = session.selected_points(key)
    spots = [(p["x"], p["y"]) for p in points if "x" in p and "y" in p]
    if spots:
        run.record(score(q, spots[0]))


def answer_spot(run: Round, q: Question, level_key: str, side_key: str) -> None:
    """The keyboard's answer to "click where the needles go": a level of the spine and a distance
    from the midline make the spot a click would have given."""
    level, side = session.value(level_key, None), session.value(side_key, None)
    if level is not None and side is not None:
        run.record(score(q, (side, level)))
    session.get().quiz_focus = True


def skip(run: Round, q: Question) -> None:
    run.record(skipped(q))
    session.get().quiz_focus = True


def checked(run: Round, q: Question, key: str) -> None:
    answer_choice(run, q, key)
    session.get().quiz_focus = True


def next_question(run: Round) -> None:
    run.next_question()
    session.get().quiz_focus = True


@state.remembered
@st.cache_resource(show_spinner=False, max_entries=8)
def spots(lang: str, build: str) -> tuple[dict[float, str], list[float]]:
    """The keyboard's choice of spots: each level of the spine on the back view (its drawing y and
    name), and each distance from the midline the clickable grid offers (B-cun)."""
    k = state.knowledge_in(lang)
    xs, ys = click_grid(k, build)
    top, bottom = min(ys), max(ys)
    levels = {-v.drop: v.name for v in k.anatomy.vertebrae if top <= -v.drop <= bottom}
    return levels, sorted({abs(x) for x in xs})


# Puts the keyboard's focus back on the question after an answer or "next" (the button pressed is
# gone from the page, and the focus with it). The question's tag makes each script new to the page.
FOCUS = """<script>/* {tag} */
(() => {{ const q = document.querySelector(".st-key-quiz_question .acu-qnum"); if (q) q.focus(); }})();
</script>"""


def render(k: Knowledge, opened: links.View, ch: links.Choices) -> None:
    s = k.strings
    modes.keep(*KEPT)
    seed = opened.seed if opened.seed is not None else links.DEFAULT_SEED
    d = ch.default
    value = session.value
    view = links.View(value(session.REGION, opened.region), value(session.METHOD, opened.method),
                      value(session.STAGE, opened.stage), value(session.BUILD, opened.build),
                      whole_back=value(session.WHOLE_BACK, opened.whole_back),
                      show_points=value(session.SHOW_POINTS, opened.show_points),
                      point=value(session.POINT, opened.point), lang=opened.lang, mode=opened.mode, seed=seed)
    if view.point is not None and not view.show_points:
        view = replace(view, point=None)
    st.markdown(explore.HEADER_CSS, unsafe_allow_html=True)
    st.title(s.get("quiz.heading"))
    st.caption(f"**{s.get('app.disclaimer')}**")
    notice = st.empty()
    modes.link_and_notice(k, view, ch, notice)
    st.caption(s.get("quiz.intro"))
    with st.container(key="quiz_seed"):
        st.caption(s.get("quiz.seed", seed=seed))
        # The class's link: the round's questions in the language shown, and nothing else of this view.
        shared = replace(d, mode="quiz", seed=seed, lang=opened.lang)
        st.code(links.link(st.context.url or "", shared, d), language=None, wrap_lines=True)

    round_part(k, seed, view.build)


@explore.part("acu_quiz")
def round_part(k: Knowledge, seed: int, build: str) -> None:
    """The score and the question shown: an answer or "next" reruns this part alone, not the page."""
    s = k.strings
    qs = questions(state.current_lang(), seed)
    run = current(seed)
    st.markdown(f"**{tally_text(s, run.tally)}**")
    if run.at >= len(qs):
        st.success(s.get("quiz.finished", tally=tally_text(s, run.tally)))
        st.button(s.get("quiz.restart"), key="quiz_restart", on_click=run.restart)
        return
    q = qs[run.at]
    tag = f"{seed}_{run.number}_{run.at}"
    result = run.result(q.id)
    with st.container(border=True, key="quiz_question"):
        # Where the focus goes after an answer or "next": the question's first line (tabindex -1:
        # a script may focus it, Tab does not stop on it).
        st.markdown(f'<p class="acu-qnum" tabindex="-1" style="font-size:0.875rem;color:{PAGE.muted};margin:0">'
                    f'{escape(s.get("quiz.question_of", n=run.at + 1, count=len(qs)))}</p>',
                    unsafe_allow_html=True)
        if q.kind == CLICK:
            st.markdown(f"**{q.prompt}**")
            if result is None:
                st.caption(s.get("quiz.click_hint"))
                key = f"quiz_click_{tag}"
                fitted(canvas(state.current_lang(), build), key, selection_mode="points",
                       on_select=functools.partial(answer_click, run, q, key),
                       config={"displaylogo": False, "scrollZoom": False, "displayModeBar": False},
                       alt=s.get("alt.quiz_canvas"))
                spot_choice(k, run, q, tag, build)
            else:
                clicked = tuple(result.given) if isinstance(result.given, tuple) else None
                fitted(answer_canvas(state.current_lang(), build, q.region, clicked), f"quiz_answer_{tag}",
                       config={"displaylogo": False, "staticPlot": True}, alt=s.get("alt.quiz_answer"))
        else:
            texts = {c.key: c.text for c in q.choices}
            key = f"quiz_choice_{tag}"
            choice = st.radio(q.prompt, list(texts), index=None, key=key, format_func=texts.__getitem__,
                              disabled=result is not None)
            if result is None:
                st.button(s.get("quiz.submit"), key="quiz_submit", disabled=choice is None, type="primary",
                          on_click=checked, args=(run, q, key))
    if result is not None:
        feedback(k, result)
        st.button(s.get("quiz.next"), key="quiz_next", on_click=next_question, args=(run,), type="primary")
    ss = session.get()
    focus, ss.quiz_focus = ss.quiz_focus, False
    if focus:
        st.html(FOCUS.format(tag=f"{tag}_{result is not None}"), unsafe_allow_javascript=True)


def spot_choice(k: Knowledge, run: Round, q: Question, tag: str, build: str) -> None:
    """The click question by keyboard: a level and a distance from the midline, or a skip."""
    s = k.strings
    levels, sides = spots(state.current_lang(), build)
    level_key, side_key = f"quiz_level_{tag}", f"quiz_side_{tag}"
    with st.container(key="quiz_spot", horizontal=True):
        level = st.selectbox(s.get("quiz.spot_level"), list(levels), index=None, key=level_key,
                             format_func=levels.__getitem__, placeholder=s.get("quiz.spot_choose"))
        side = st.selectbox(s.get("quiz.spot_side"), sides, index=None, key=side_key,
                            format_func=lambda x: s.get("quiz.spot_cun", n=s.number(x)),
                            placeholder=s.get("quiz.spot_choose"))
    with st.container(horizontal=True):
        st.button(s.get("quiz.submit"), key="quiz_submit", disabled=level is None or side is None, type="primary",
                  on_click=answer_spot, args=(run, q, level_key, side_key))
        st.button(s.get("quiz.skip"), key="quiz_skip", on_click=skip, args=(run, q))


def feedback(k: Knowledge, result: Result) -> None:
    s = k.strings
    (st.success if result.right else st.error)(result_text(s, result))
    with st.container(key="quiz_sources"):
        if result.cites:
            st.markdown(s.get("quiz.sources") + "\n" + "\n".join(f"- {c}" for c in result.cites))
        else:
            st.markdown(s.get("quiz.none_states"))
        for note in result.notes:
            st.caption(note)
