"""The class bench/load.py runs: what each session does on the page and what it must see.

SESSIONS students and one presenter: half of the students explore (change region, method and/or stage),
half take the quiz the teacher shared (`?mode=quiz&seed=CLASS_SEED`: pick an answer, check it, go to the
next question, restart after the last); the presenter (`?mode=present`) steps through the lesson, back and
forth. Every answer is checked against what was asked: no error on the page; the back view names the region
and stage; the quiz shows the question, the verdict (worked out here with acumap.teach.quiz for the same
seed) and the score; the presenter's step is the next one. The baseline app's class (bench/baseline_app.py)
has as many sessions, the presenter's place included, each moving its one slider.

The UI's widget keys the sessions touch live here only (the block below). How a class is run against a
server and timed: bench/load_class.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from html import escape

from wsclient import Click, Run, Session

from acumap.data.loading import Knowledge
from acumap.teach.lesson import steps as lesson_steps
from acumap.teach.quiz import CLICK, make_quiz, result_text, score, tally_text

# --- What the sessions touch on the page. The UI's widget keys live here only: when a screen renames
# one (ui/explore.py, ui/quiz.py, ui/present.py, bench/baseline_app.py), change it here.
EXPLORE_CONTROLS = ("region", "method", "stage")  # ui/explore.py's controls a student changes
BACK_VIEW = "back_view"  # ui/explore.py's chart
QUIZ_CHOICE = "quiz_choice_{tag}"  # ui/quiz.py; tag = "{seed}_{round}_{question index}"
QUIZ_CLICK = "quiz_click_{tag}"  # the back view a "click where" question is answered on
QUIZ_CLICK_TRACE = "click_grid"  # its trace of clickable spots (acumap.charts.figures.click_canvas)
QUIZ_SUBMIT = "quiz_submit"
QUIZ_NEXT = "quiz_next"
QUIZ_RESTART = "quiz_restart"
QUIZ_QUESTIONS = 10  # ui/quiz.py QUESTIONS: questions in one round
PRESENT_NEXT = "present_next"
PRESENT_PREVIOUS = "present_previous"
PRESENT_VIEW = "present_view"
BASELINE_SLIDER = "n"
BASELINE_CHART = "chart"

QUIZ_SHARE = 2  # every 2nd student takes the quiz, the others explore
CLASS_SEED = 15  # the quiz link's seed: one link for the whole class


# --- The sessions: one object per session, which knows what it will do next and what it must see.
class Explorer:
    kind = "explore"
    query = ""

    def __init__(self, k: Knowledge):
        self.k = k

    def opened(self, s: Session, run: Run) -> str | None:
        return "; ".join(run.errors) or (None if BACK_VIEW in run.charts else "no back view on the page")

    def change(self, rnd: random.Random, s: Session, last: Run) -> dict:
        keys = rnd.sample(EXPLORE_CONTROLS, rnd.randint(1, len(EXPLORE_CONTROLS)))
        self.wanted = {key: rnd.choice(s.widgets[key].options) for key in keys}
        return self.wanted

    def check(self, s: Session, run: Run) -> str | None:
        if run.errors:
            return "; ".join(run.errors)
        title = run.view_title  # the back view's title, page text beside it
        region = s.values["region"].string_value if "region" in s.values else None
        stage = s.values["stage"].string_array_value.data[0] if "stage" in s.values else None
        if not title:
            return "no back-view title in the answer"
        if region and region not in title or stage and f"stage {stage}" not in title:
            return f"back view's title says {title!r}, expected {region} / stage {stage}"
        return None


class QuizTaker:
    """Answers the shared quiz at random: the verdict each answer must get is worked out here, with the
    same questions (acumap.teach.quiz.make_quiz for the link's seed)."""

    kind = "quiz"

    def __init__(self, k: Knowledge, seed: int, questions: list | None = None):
        self.k, self.seed = k, seed
        self.query = f"mode=quiz&seed={seed}"
        self.questions = questions if questions is not None else make_quiz(k, seed, QUIZ_QUESTIONS)
        self.round = self.at = self.right = self.asked = 0
        self.phase = "ask"  # ask -> (chosen ->) answered -> ask ... -> finished -> ask
        self.choice: str | None = None
        self.result = None

    @property
    def tag(self) -> str:
        return f"{self.seed}_{self.round}_{self.at}"

    def opened(self, s: Session, run: Run) -> str | None:
        return self.check(s, run)

    def change(self, rnd: random.Random, s: Session, last: Run) -> dict:
        q = self.questions[self.at] if self.phase != "finished" else None
        if self.phase == "ask" and q.kind == CLICK:
            key = QUIZ_CLICK.format(tag=self.tag)
            traces = last.charts.get(key, {}).get("data", [])
            curve = next((i for i, tr in enumerate(traces) if tr.get("name") == QUIZ_CLICK_TRACE), None)
            if curve is None or not isinstance(traces[curve].get("x"), list):
                raise RuntimeError(f"no {QUIZ_CLICK_TRACE} spots on the quiz's back view")
            index = rnd.randrange(len(traces[curve]["x"]))
            spot = Click(curve, index, traces[curve]["x"][index], traces[curve]["y"][index])
            self._answered(score(q, (spot.x, spot.y)))
            return {key: spot}
        if self.phase == "ask":
            choice = rnd.choice(q.choices)
            self.choice, self.phase = choice.key, "chosen"
            return {QUIZ_CHOICE.format(tag=self.tag): choice.text}
        if self.phase == "chosen":
            self._answered(score(q, self.choice))
            return {QUIZ_SUBMIT: True}
        if self.phase == "answered":
            self.at += 1
            self.phase = "finished" if self.at >= len(self.questions) else "ask"
            return {QUIZ_NEXT: True}
        self.round, self.at, self.right, self.asked, self.phase = self.round + 1, 0, 0, 0, "ask"
        return {QUIZ_RESTART: True}

    def _answered(self, result) -> None:
        self.result, self.phase = result, "answered"
        self.asked += 1
        self.right += result.right

    def check(self, s: Session, run: Run) -> str | None:
        st = self.k.strings
        verdict = result_text(st, self.result) if self.phase == "answered" else None
        errors = [e for e in run.errors if not (verdict and not self.result.right and e == verdict)]
        if errors:
            return "; ".join(errors)
        tally = f"**{tally_text(st, _Tally(self.right, self.asked))}**"
        if tally not in run.texts:
            return f"quiz: the score {tally!r} is not shown"
        if self.phase == "finished":
            return None if QUIZ_RESTART in run.keys else "quiz: no restart button after the last question"
        q = self.questions[self.at]
        if self.phase == "answered":
            wanted = (4 if self.result.right else 1, verdict)  # Alert.Format SUCCESS / ERROR
            if wanted not in run.alerts:
                return f"quiz: expected the verdict {verdict!r}, the page shows {run.alerts}"
            return None if QUIZ_NEXT in run.keys else "quiz: no next button after an answer"
        shown = st.get("quiz.question_of", n=self.at + 1, count=len(self.questions))
        if not any(f">{escape(shown)}<" in t for t in run.texts):  # ui/quiz.py's focusable first line
            return f"quiz: {shown!r} is not shown"
        if q.kind == CLICK:
            key = QUIZ_CLICK.format(tag=self.tag)
            ok = key in run.keys and f"**{q.prompt}**" in run.texts
            return None if ok else f"quiz: click question {q.id} not shown"
        radio = s.widgets.get(QUIZ_CHOICE.format(tag=self.tag))
        if radio is None or radio.id.rsplit("-", 1)[-1] not in run.keys or radio.label != q.prompt:
            return f"quiz: question {q.id} not shown"
        submit = s.widgets.get(QUIZ_SUBMIT)
        if submit is None or QUIZ_SUBMIT not in run.keys or submit.disabled != (self.phase == "ask"):
            return f"quiz: the check button is not {'disabled' if self.phase == 'ask' else 'enabled'} as it should be"
        return None


@dataclass(frozen=True)
class _Tally:  # what tally_text reads
    right: int
    asked: int


class Presenter:
    """Steps through the lesson (one step per region and method), forward to the end, then back."""

    kind = "present"
    query = "mode=present"

    def __init__(self, k: Knowledge):
        self.k = k
        self.count = len(lesson_steps(k))
        self.step = 0  # 1-based once the page is open
        self.forward = True

    def _shown(self, run: Run) -> int:
        for n in range(1, self.count + 1):
            text = self.k.strings.get("present.step", n=n, count=self.count)
            if any(f">{text}<" in t for t in run.texts):
                return n
        return 0

    def opened(self, s: Session, run: Run) -> str | None:
        self.step = self._shown(run)
        return "; ".join(run.errors) or (None if self.step else "presenter: no step shown")

    def change(self, rnd: random.Random, s: Session, last: Run) -> dict:
        if self.step == self.count or self.step == 1 and not self.forward:
            self.forward = not self.forward
        self.step += 1 if self.forward else -1
        return {PRESENT_NEXT if self.forward else PRESENT_PREVIOUS: True}

    def check(self, s: Session, run: Run) -> str | None:
        if run.errors:
            return "; ".join(run.errors)
        shown = self._shown(run)
        if shown != self.step:
            return f"presenter: step {shown} shown, expected {self.step}"
        return None if PRESENT_VIEW in run.charts else "presenter: no back view"


class BaselineStudent:
    kind = "baseline"
    query = ""

    def opened(self, s: Session, run: Run) -> str | None:
        return "; ".join(run.errors) or None

    def change(self, rnd: random.Random, s: Session, last: Run) -> dict:
        self.n = rnd.randint(1, 9)
        return {BASELINE_SLIDER: float(self.n)}

    def check(self, s: Session, run: Run) -> str | None:
        if run.errors:
            return "; ".join(run.errors)
        title = run.charts.get(BASELINE_CHART, {}).get("layout", {}).get("title", {}).get("text", "")
        return None if title == f"Baseline n = {self.n}" else f"baseline chart shows {title!r}"


def make_class(app: str, sessions: int, k: Knowledge) -> list:
    if app == "baseline":
        return [BaselineStudent() for _ in range(sessions + 1)]  # the presenter's place too
    questions = make_quiz(k, CLASS_SEED, QUIZ_QUESTIONS)  # one link: the same questions for all
    students = [QuizTaker(k, CLASS_SEED, questions) if i % QUIZ_SHARE else Explorer(k) for i in range(sessions)]
    return [*students, Presenter(k)]
