"""The class load test (bench/load.py), run for real but small: 2 students and the presenter against a
real `streamlit run` server, then the baseline, for a few seconds each; its last line is the JSON the
README and `make load` promise. And its checks can fail: each kind of session refuses a page that
does not show what it asked for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from acumap.quiz import CLICK, result_text, score, tally_text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import load  # noqa: E402
from wsclient import Run, Session  # noqa: E402

pytestmark = pytest.mark.timeout(180)
FIELDS = ["sessions", "p50_ms", "p95_ms", "errors", "baseline_p95_ms", "replicas"]


def page(**parts) -> Run:
    run = Run(0.1, 1, 1, {}, [], [])
    for name, value in parts.items():
        setattr(run, name, value)
    return run


def test_a_small_class_runs_end_to_end_and_ends_with_the_json_line(tmp_path):
    out = tmp_path / "results.md"
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "load.py"), "--sessions", "2", "--duration", "10",
         "--think", "0.2", "0.6", "--warm", "open", "--seed", "3", "--out", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=170)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert list(summary) == FIELDS
    assert summary["sessions"] == 2 and summary["replicas"] == 1
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


def test_a_bad_size_is_one_line_and_no_run():
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "load.py"), "--sessions", "0"],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "--sessions must be between 1 and" in proc.stderr
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
