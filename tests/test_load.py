"""The class load test (bench/load.py), run for real but small: 2 students and the presenter against a
real `streamlit run` server, then the baseline, for a few seconds each, then a live class of 2; its last
line is the JSON the README and `make load` promise. The live class alone with 5 students, every answer
checked in the store. And its checks can fail: each kind of session refuses a page that does not show
what it asked for, and the live class's store check finds an answer lost or held twice."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from acumap.quiz import CLICK, result_text, score, tally_text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import load  # noqa: E402
from load_live import LiveRun, check_store  # noqa: E402
from wsclient import Run, Session  # noqa: E402

pytestmark = pytest.mark.timeout(180)
FIELDS = ["sessions", "p50_ms", "p95_ms", "errors", "baseline_p95_ms", "replicas"]
LIVE_FIELDS = ["live_students", "live_answers", "live_lost", "live_errors", "live_click_p50_ms", "live_click_p95_ms",
               "live_click_max_ms", "live_last_answer_s", "live_teacher_poll_p50_ms", "live_teacher_poll_p95_ms",
               "live_teacher_poll_max_ms"]


def page(**parts) -> Run:
    run = Run(0.1, 1, 1, {}, [], [])
    for name, value in parts.items():
        setattr(run, name, value)
    return run


@pytest.mark.server
def test_a_small_class_runs_end_to_end_and_ends_with_the_json_line(tmp_path):
    out = tmp_path / "results.md"
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "load.py"), "--sessions", "2", "--duration", "10",
         "--think", "0.2", "0.6", "--warm", "open", "--seed", "3", "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=170)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert list(summary) == FIELDS + LIVE_FIELDS
    assert summary["sessions"] == 2 and summary["replicas"] == 1
    assert summary["live_students"] == summary["live_answers"] == 2 and summary["live_lost"] == 0
    assert summary["errors"] == 0, proc.stdout[-3000:]
    assert 0 < summary["p50_ms"] <= summary["p95_ms"]
    assert summary["baseline_p95_ms"] > 0
    text = out.read_text(encoding="utf-8")
    assert json.dumps(summary) in text
    # Every kind of session acted and was checked: one row each, with at least one change.
    for kind in ("explore", "quiz", "present"):
        row = next((line for line in text.splitlines() if line.startswith(f"| {kind} |")), None)
        assert row is not None, text
        assert int(row.split("|")[2]) >= 1, row


@pytest.mark.server
@pytest.mark.timeout(90)
def test_a_live_class_of_five_answers_one_question_and_loses_nothing(tmp_path):
    """Five students join through the page, the projector asks, all answer within 5 s on their polled
    screens (reruns of that fragment alone); the store holds each answer once, as picked."""
    out = tmp_path / "live.md"
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "load.py"), "--live-only", "--live", "5", "--seed", "4",
         "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=80)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert list(summary) == FIELDS + LIVE_FIELDS
    assert summary["sessions"] is None and summary["p95_ms"] is None  # no class phase was run
    assert summary["live_errors"] == 0, proc.stdout[-3000:]
    assert summary["live_students"] == summary["live_answers"] == 5 and summary["live_lost"] == 0
    assert 0 < summary["live_click_p50_ms"] <= summary["live_click_p95_ms"] <= summary["live_click_max_ms"]
    assert 0 < summary["live_teacher_poll_p50_ms"] <= summary["live_teacher_poll_max_ms"]
    assert summary["live_last_answer_s"] > 0
    text = out.read_text(encoding="utf-8")
    assert "## A live class" in text and json.dumps(summary) in text
    assert "5 answers for 5 students, 0 lost, 0 held twice" in text
    # The projector counted every answer, and each phone polled more than once.
    assert "Question 1: 5 of 5 answered" in text
    polls = next(line for line in text.splitlines() if line.startswith("| student poll"))
    assert int(polls.split("|")[2]) > 5, polls


def test_the_live_store_check_finds_an_answer_lost_changed_or_doubled():
    @dataclass
    class Given:  # what the check reads of acumap.classroom.Answer
        nickname: str
        text: str

    def checked(given: list[Given]) -> LiveRun:
        live = LiveRun(students=3, picked={"a": "15", "b": "3–10", "c": "15"})
        check_store(live, given)
        return live

    ok = checked([Given("a", "15"), Given("b", "3–10"), Given("c", "15")])
    assert (ok.stored, ok.lost, ok.doubled, ok.errors) == (3, [], 0, [])
    lost = checked([Given("a", "15"), Given("c", "15")])
    assert lost.lost == ["b"] and "1 answers lost" in lost.errors[0]
    changed = checked([Given("a", "15"), Given("b", "15"), Given("c", "15")])
    assert changed.lost == ["b"]
    doubled = checked([Given("a", "15"), Given("a", "15"), Given("b", "3–10"), Given("c", "15")])
    assert doubled.doubled == 1 and any("held twice" in e for e in doubled.errors)


@pytest.mark.parametrize(("args", "message"), [(["--sessions", "0"], "--sessions must be between 1 and"),
                                               (["--live", "-1"], "--live must be between 0 and"),
                                               (["--live-only", "--live", "0"], "--live must be between 1 and")])
def test_a_bad_size_is_one_line_and_no_run(args, message):
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "load.py"), *args],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and message in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_an_explorer_refuses_a_view_other_than_asked():
    s = Session("http://127.0.0.1:1")
    s.values["region"] = WidgetState(id="r", string_value="Lumbar")
    s.values["stage"] = WidgetState(id="s")
    s.values["stage"].string_array_value.data.append("III")
    explorer = load.Explorer(None)

    def titled(title: str) -> list[str]:  # the back view's title as the page draws it beside the chart
        return [f'<p class="acu-view-title">{title}</p>']

    shown = titled("Lumbar region · Sedative · stage III")
    assert explorer.check(s, page(texts=shown)) is None
    assert "expected Lumbar" in explorer.check(s, page(texts=titled("Thoracic region · Sedative · stage III")))
    assert explorer.check(s, page()) == "no back-view title in the answer"
    assert explorer.check(s, page(texts=shown, errors=["KeyError: x"])) == "KeyError: x"


def test_a_quiz_taker_expects_the_verdict_and_score_of_its_own_answer(k):
    taker = load.QuizTaker(k, 15)
    q = taker.questions[0]
    answer = (0.0, 0.0) if q.kind == CLICK else q.choices[0].key
    taker._answered(score(q, answer))
    verdict = result_text(k.strings, taker.result)
    tally = f"**{tally_text(k.strings, load._Tally(taker.right, taker.asked))}**"
    fmt = 4 if taker.result.right else 1
    errors = [] if taker.result.right else [verdict]  # a wrong answer is shown with st.error
    ok = page(texts=[tally], alerts=[(fmt, verdict)], errors=errors, keys={load.QUIZ_NEXT})
    assert taker.check(Session("http://127.0.0.1:1"), ok) is None
    flipped = page(texts=[tally], alerts=[(1 if fmt == 4 else 4, verdict)], errors=[], keys={load.QUIZ_NEXT})
    assert "expected the verdict" in taker.check(Session("http://127.0.0.1:1"), flipped)
    no_score = page(texts=[], alerts=[(fmt, verdict)], errors=errors, keys={load.QUIZ_NEXT})
    assert "score" in taker.check(Session("http://127.0.0.1:1"), no_score)
    crashed = page(texts=[tally], alerts=[(fmt, verdict)], errors=[*errors, "ValueError: boom"], keys={load.QUIZ_NEXT})
    assert "ValueError: boom" in taker.check(Session("http://127.0.0.1:1"), crashed)


def test_a_presenter_expects_the_next_step(k):
    presenter = load.Presenter(k)
    count = presenter.count

    def showing(n: int) -> Run:
        step = k.strings.get("present.step", n=n, count=count)
        return page(texts=[f'<p class="acu-step">{step}</p>'], charts={load.PRESENT_VIEW: {}})

    s = Session("http://127.0.0.1:1")
    assert presenter.opened(s, showing(count - 1)) is None
    assert presenter.change(None, s, showing(count - 1)) == {load.PRESENT_NEXT: True}
    assert presenter.check(s, showing(count)) is None
    assert presenter.change(None, s, showing(count)) == {load.PRESENT_PREVIOUS: True}  # the end: back
    assert "expected" in presenter.check(s, showing(count))
    assert presenter.check(s, showing(count - 1)) is None
