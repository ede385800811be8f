"""The class load test (bench/load.py), run for real but small: 2 students and the presenter against a
real `streamlit run` server, then the baseline, for a few seconds each, then a live class of 2; its last
line is the JSON the README and `make load` promise. The live class alone with 5 students, every answer
checked in the store. And its checks can fail: each kind of session refuses a page that does not show
what it asked for, and the live class's store check finds an answer lost or held twice."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from acumap.teach.quiz import CLICK, result_text, score, tally_text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import load  # noqa: E402
import load_report  # noqa: E402
from load_class import machine_busy  # noqa: E402
from load_live import LiveRun, check_store  # noqa: E402
from load_roles import (  # noqa: E402
    PRESENT_NEXT,
    PRESENT_PREVIOUS,
    PRESENT_VIEW,
    QUIZ_NEXT,
    QUIZ_SHARE,
    Explorer,
    Presenter,
    QuizTaker,
    _Tally,
)
from load_throughput import (  # noqa: E402
    SaturationRun,
    balanced_routes,
    floor2,
    generator_limit,
    ratio,
    server_of,
    throughput_lines,
    throughput_verdict,
)
from wsclient import Run, Session  # noqa: E402

pytestmark = pytest.mark.timeout(180)
FIELDS = ["sessions", "p50_ms", "p95_ms", "errors", "baseline_p95_ms", "replicas"]
LIVE_FIELDS = ["live_students", "live_answers", "live_lost", "live_errors", "live_click_p50_ms", "live_click_p95_ms",
               "live_click_max_ms", "live_last_answer_s", "live_teacher_poll_p50_ms", "live_teacher_poll_p95_ms",
               "live_teacher_poll_max_ms"]
THRU_FIELDS = ["throughput_sessions", "throughput_1_per_s", "throughput_n_per_s", "throughput_ratio",
               "throughput_1_p50_ms", "throughput_1_p95_ms", "throughput_n_p50_ms", "throughput_n_p95_ms",
               "throughput_errors", "throughput_generator_cpu"]


def page(**parts) -> Run:
    run = Run(0.1, 1, 1, {}, [], [])
    for name, value in parts.items():
        setattr(run, name, value)
    return run


def load_summary(out: Path, *args: str, timeout: float) -> tuple[dict, str]:
    """bench/load.py run with `args`, its report written to `out`: it must succeed and end with the JSON
    line of every field in order. That line, and all it printed."""
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "load.py"), *args, "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert list(summary) == FIELDS + LIVE_FIELDS + THRU_FIELDS
    return summary, proc.stdout


@pytest.mark.server
def test_a_small_class_runs_end_to_end_and_ends_with_the_json_line(tmp_path):
    out = tmp_path / "results.md"
    summary, stdout = load_summary(out, "--sessions", "2", "--duration", "10", "--think", "0.2", "0.6", "--warm",
                                   "open", "--seed", "3", timeout=170)
    assert summary["sessions"] == 2 and summary["replicas"] == 1
    assert summary["live_students"] == summary["live_answers"] == 2 and summary["live_lost"] == 0
    assert summary["errors"] == 0, stdout[-3000:]
    assert 0 < summary["p50_ms"] <= summary["p95_ms"]
    assert summary["baseline_p95_ms"] > 0
    assert summary["throughput_ratio"] is None  # one server: no throughput phase
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
    summary, stdout = load_summary(out, "--live-only", "--live", "5", "--seed", "4", timeout=80)
    assert summary["sessions"] is None and summary["p95_ms"] is None  # no class phase was run
    assert summary["live_errors"] == 0, stdout[-3000:]
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
                                               (["--live-only", "--live", "0"], "--live must be between 1 and"),
                                               (["--throughput"], "--throughput compares one server with N"),
                                               (["--throughput", "--replicas", "1"], "give --replicas N"),
                                               (["--throughput", "--live-only", "--replicas", "2"],
                                                "give one of them"),
                                               (["--replicas", "2", "--throughput-seconds", "3"],
                                                "--throughput-seconds must be between 4 and 600"),
                                               (["--throughput", "--replicas", "2", "--throughput-seconds", "0"],
                                                "--throughput-seconds must be between 4 and 600"),
                                               (["--replicas", "2", "--throughput-sessions", "0"],
                                                "--throughput-sessions must be between 1 and")])
def test_a_bad_size_is_one_line_and_no_run(args, message, monkeypatch, capsys):
    # In-process (a new interpreter took 1.5 s a case); a run that started anyway fails at once here.
    for phase in ("run_app", "run_live", "run_throughput"):
        monkeypatch.setattr(load, phase, lambda *a, phase=phase, **kw: pytest.fail(f"{args} started {phase}"))
    with pytest.raises(SystemExit) as stopped:
        load.main(args)
    assert stopped.value.code == 2
    out, err = capsys.readouterr()
    assert err.strip().count("\n") == 0 and message in err
    assert "Traceback" not in err and out == ""


def test_the_script_itself_stops_a_bad_size_in_one_line():
    """As a user runs it: its own interpreter, exit status 2, one line and no traceback."""
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
    explorer = Explorer(None)

    def titled(title: str) -> list[str]:  # the back view's title as the page draws it beside the chart
        return [f'<p class="acu-view-title">{title}</p>']

    shown = titled("Lumbar region · Sedative · stage III")
    assert explorer.check(s, page(texts=shown)) is None
    assert "expected Lumbar" in explorer.check(s, page(texts=titled("Thoracic region · Sedative · stage III")))
    assert explorer.check(s, page()) == "no back-view title in the answer"
    assert explorer.check(s, page(texts=shown, errors=["KeyError: x"])) == "KeyError: x"


def test_a_quiz_taker_expects_the_verdict_and_score_of_its_own_answer(k):
    taker = QuizTaker(k, 15)
    q = taker.questions[0]
    answer = (0.0, 0.0) if q.kind == CLICK else q.choices[0].key
    taker._answered(score(q, answer))
    verdict = result_text(k.strings, taker.result)
    tally = f"**{tally_text(k.strings, _Tally(taker.right, taker.asked))}**"
    fmt = 4 if taker.result.right else 1
    errors = [] if taker.result.right else [verdict]  # a wrong answer is shown with st.error
    ok = page(texts=[tally], alerts=[(fmt, verdict)], errors=errors, keys={QUIZ_NEXT})
    assert taker.check(Session("http://127.0.0.1:1"), ok) is None
    flipped = page(texts=[tally], alerts=[(1 if fmt == 4 else 4, verdict)], errors=[], keys={QUIZ_NEXT})
    assert "expected the verdict" in taker.check(Session("http://127.0.0.1:1"), flipped)
    no_score = page(texts=[], alerts=[(fmt, verdict)], errors=errors, keys={QUIZ_NEXT})
    assert "score" in taker.check(Session("http://127.0.0.1:1"), no_score)
    crashed = page(texts=[tally], alerts=[(fmt, verdict)], errors=[*errors, "ValueError: boom"], keys={QUIZ_NEXT})
    assert "ValueError: boom" in taker.check(Session("http://127.0.0.1:1"), crashed)


def test_a_presenter_expects_the_next_step(k):
    presenter = Presenter(k)
    count = presenter.count

    def showing(n: int) -> Run:
        step = k.strings.get("present.step", n=n, count=count)
        return page(texts=[f'<p class="acu-step">{step}</p>'], charts={PRESENT_VIEW: {}})

    s = Session("http://127.0.0.1:1")
    assert presenter.opened(s, showing(count - 1)) is None
    assert presenter.change(None, s, showing(count - 1)) == {PRESENT_NEXT: True}
    assert presenter.check(s, showing(count)) is None
    assert presenter.change(None, s, showing(count)) == {PRESENT_PREVIOUS: True}  # the end: back
    assert "expected" in presenter.check(s, showing(count))
    assert presenter.check(s, showing(count - 1)) is None


@pytest.mark.server
@pytest.mark.cluster
@pytest.mark.timeout(150)
def test_the_throughput_phase_counts_checked_reruns_on_one_server_and_on_two(tmp_path):
    """4 students and the presenter with no think time for 5 s, on one server then on two behind nginx: reruns
    counted and checked on both targets, none failed, and the JSON line holds the ratio of the two rates."""
    out = tmp_path / "throughput.md"
    summary, stdout = load_summary(out, "--throughput", "--replicas", "2", "--throughput-sessions", "4",
                                   "--throughput-seconds", "5", "--warm", "open", "--seed", "5", timeout=140)
    assert summary["sessions"] is None and summary["live_students"] is None  # that phase alone
    assert summary["replicas"] == 2 and summary["throughput_sessions"] == 4
    assert summary["throughput_errors"] == 0, stdout[-3000:]
    assert summary["throughput_1_per_s"] > 0 and summary["throughput_n_per_s"] > 0
    # The rates are printed to 0.1/s and the ratio is worked out before rounding, so at a few reruns a second
    # it lies between the ratios of the rates' rounding bounds (less 0.01 for its floor to 2 places).
    n, one = summary["throughput_n_per_s"], summary["throughput_1_per_s"]
    assert (n - 0.05) / (one + 0.05) - 0.01 <= summary["throughput_ratio"] <= (n + 0.05) / max(one - 0.05, 1e-9)
    assert 0 < summary["throughput_1_p50_ms"] <= summary["throughput_1_p95_ms"]
    assert 0 < summary["throughput_n_p50_ms"] <= summary["throughput_n_p95_ms"]
    assert 0 <= summary["throughput_generator_cpu"] < 2
    text = out.read_text(encoding="utf-8")
    assert "## Throughput: 1 server and 2" in text and json.dumps(summary) in text
    rows = {line.split("|")[1].strip(): line.split("|") for line in text.splitlines()
            if line.startswith("| 1 |") or line.startswith("| 2 |")}
    # Checked reruns on each target, and on each of the two servers, which held 3 and 2 of the 5 sessions
    # (presenter included; read from nginx's access log).
    assert rows["1"][2].strip() == "5" and rows["2"][2].strip() == "3 / 2", text
    assert int(rows["1"][3]) > 0, text
    split = re.fullmatch(r" (\d+) \((\d+) \+ (\d+)\) ", rows["2"][3])
    assert split, rows["2"]
    total, first, second = map(int, split.groups())
    assert first > 0 and second > 0 and first + second == total, text
    assert f"Throughput with 2 servers: {summary['throughput_ratio']:.2f}× one" in text


def saturated(servers: int, done: int, seconds: float = 10.0, cpu: tuple = (9.0,), own: float = 1.0,
              nginx: float = 0.5, busy: float = 0.6, errors: int = 0) -> SaturationRun:
    run = SaturationRun(servers, 4, seconds, done, [0.1] * done, ["x"] * errors, list(cpu), nginx, own, busy)
    run.done_by_server = [done] if servers == 1 else [done - done // 2, done // 2]
    run.split = [5] if servers == 1 else [3, 2]
    return run


def test_throughput_rates_ratio_and_cpu_are_worked_out_from_the_counts(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    one = saturated(1, 200, cpu=(9.0,), busy=0.6)
    many = saturated(2, 350, cpu=(8.0, 7.0), busy=0.95)
    assert one.rate == 20.0 and many.rate == 35.0
    assert ratio(many, one) == 1.75
    assert one.cpu_per_rerun() == pytest.approx(0.045) and many.cpu_per_rerun() == pytest.approx(15.0 / 350)
    assert one.share(one.own_cpu) == pytest.approx(0.1)
    # All cores busy 95% of 2 cores for 10 s = 19 CPU s; servers 15, nginx 0.5, the generator 1: others 2.5.
    assert many.others == pytest.approx(2.5)
    assert one.others == pytest.approx(1.5)  # 12 - 9 - 0.5 - 1
    assert throughput_verdict(one, many)[0]
    assert not throughput_verdict(one, saturated(2, 300))[0]  # 1.5×
    assert not throughput_verdict(one, saturated(2, 400, errors=1))[0]  # fast, but an answer was wrong
    assert "target met: 2 servers 1.75× one" in throughput_verdict(one, many)[1]
    # Shown rounded down: 1.697 fails 1.7 and says 1.69, not the 1.70 it did not reach.
    short = saturated(2, 339)  # 33.9 / 20
    assert "NOT met: 2 servers 1.69× one" in throughput_verdict(saturated(1, 200), short)[1]
    assert load_report.summary(None, None, 2, None, (saturated(1, 200), short))["throughput_ratio"] == 1.69
    assert floor2(0.29) == 0.29 and floor2(1.7) == 1.7
    nothing = saturated(1, 0)
    assert ratio(many, nothing) != ratio(many, nothing)  # nan: no ratio to a server that did nothing
    assert load_report.summary(None, None, 2, None, (nothing, many))["throughput_ratio"] is None
    s = load_report.summary(None, None, 2, None, (one, many))
    assert (s["throughput_1_per_s"], s["throughput_n_per_s"], s["throughput_ratio"]) == (20.0, 35.0, 1.75)
    assert s["throughput_errors"] == 0 and s["throughput_generator_cpu"] == 0.1
    assert s["throughput_n_p95_ms"] == 100.0
    assert list(load_report.summary(None, None, 1)) == FIELDS + LIVE_FIELDS + THRU_FIELDS
    assert load_report.summary(None, None, 1)["throughput_ratio"] is None


def test_the_report_says_whether_the_load_generator_was_the_limit(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    one = saturated(1, 200, cpu=(9.0,), own=1.0)
    free = generator_limit(one, saturated(2, 350, cpu=(8.0, 7.0), own=1.0, busy=0.95))
    assert "it was not CPU-bound" in free
    # 2 cores less the generator (10%), nginx (5%) and others (25%): 1.6 cores; one server used 0.9: 1.78× at most.
    assert "at most about 1.78×" in free
    assert "is above it" not in free  # 35 reruns a second against 20: 1.75×, under the ceiling
    # 400 reruns on 15 CPU s with two servers (38 ms each against one server's 45 ms): 2.0×, above 1.78×.
    cheaper = generator_limit(one, saturated(2, 400, cpu=(8.0, 7.0), own=1.0, busy=0.95))
    assert "The measured 2.00× is above it because a rerun took less server CPU with 2 servers (38 ms against " \
           "45 ms)" in cheaper
    assert "the machine was not idle" in free  # others took 25% of a core with two servers
    idle_one = saturated(1, 200, cpu=(9.0,), own=1.0, busy=0.525)  # 10.5 of 20 CPU s: nothing else ran
    idle_many = saturated(2, 350, cpu=(8.0, 7.0), own=1.0, busy=0.825)  # 16.5 of 20
    assert idle_one.others == pytest.approx(0) and idle_many.others == pytest.approx(0)
    assert "not idle" not in generator_limit(idle_one, idle_many)
    bound = generator_limit(one, saturated(2, 350, cpu=(5.0, 4.0), own=9.5, busy=1.0))
    assert "it was CPU-bound" in bound and "are a floor" in bound
    lines = "\n".join(throughput_lines((one, saturated(2, 350, cpu=(8.0, 7.0), busy=0.95))))
    assert "| 2 | 3 / 2 | 350 (175 + 175) | 35.0 |" in lines and "8.0 + 7.0" in lines
    assert throughput_lines(None) == []


def test_machine_busy_is_the_share_of_all_cores_not_idle():
    import psutil

    before = psutil.cpu_times()
    zero = before._replace(**{f: 0.0 for f in before._fields})
    after = zero._replace(user=6.0, system=2.0, idle=10.0, **({"iowait": 2.0} if "iowait" in before._fields else {}))
    total = sum(after)
    assert machine_busy(zero, after) == pytest.approx(8.0 / total)
    assert machine_busy(zero, zero) != machine_busy(zero, zero)  # no time passed: nan


def test_the_throughput_sessions_are_split_in_even_blocks():
    for sessions, servers in ((25, 2), (5, 2), (7, 3), (3, 1)):
        order = [server_of(i, sessions, servers) for i in range(sessions)]
        assert order == sorted(order) and set(order) == set(range(servers))  # blocks, every server used
        counts = [order.count(j) for j in range(servers)]
        assert max(counts) - min(counts) <= 1, counts
    # Explorers and quiz takers alternate, so each block holds both.
    first = [i % QUIZ_SHARE for i in range(25) if server_of(i, 25, 2) == 0]
    assert 0 in first and 1 in first


@pytest.mark.cluster
@pytest.mark.timeout(120)
def test_balanced_routes_send_each_session_to_its_block_s_server():
    """Through real nginx: each cookie balanced_routes hands out sends that session's next request to
    server_of(i), read back from nginx's access log."""
    import urllib.request

    from deploy.cluster import cluster

    with cluster(2) as c:
        routes = balanced_routes(c, 9)
        assert len(routes) == 9 and len({r["Cookie"] for r in routes}) == 9
        for r in routes:
            req = urllib.request.Request(c.url + "/_stcore/health?check", headers=r)
            with urllib.request.urlopen(req, timeout=30) as resp:
                assert resp.read().strip() == b"ok"
        servers = [b.address for b in c.backends]
        wanted = {r["Cookie"].split("=", 1)[1] for r in routes}
        deadline = time.monotonic() + 30  # a busy machine (a CI run) took longer than 5 s to show all nine
        while True:
            seen = {line.route: line.upstreams[-1] for line in c.access_log()
                    if line.path == "/_stcore/health" and line.upstreams}
            if wanted <= seen.keys() or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert wanted <= seen.keys(), (wanted - seen.keys(), seen)
        got = [servers.index(seen[r["Cookie"].split("=", 1)[1]]) for r in routes]
        assert got == [server_of(i, 9, 2) for i in range(9)] == [0] * 5 + [1] * 4
