"""`make capacity` (bench/capacity.py), run for real but small: steps of 2 and 3 students and the presenter, 5 s
each, on fresh real `streamlit run` servers, the baseline beside each; its report and last line (JSON) hold each
step's figures and the knee. And its rules, without servers: the knee is the largest step held (p95 ≤ 1 s and
0 errors), and a step over the stop limit (p95 > 5 s, or more than 20 % of its opens and changes failed, or no
change measured) ends the ramp, the larger steps reported as not run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
import capacity  # noqa: E402
from capacity import Step, error_kinds, error_share, held, knee, over, ramp, report, status, summary  # noqa: E402
from load_class import ClassRun  # noqa: E402

STEP_FIELDS = ["sessions", "status", "note", "changes", "p50_ms", "p95_ms", "max_ms", "open_p95_ms", "errors",
               "error_kinds", "error_share", "server_cpu_share", "server_cpu_ms_per_change", "rss_idle_mb",
               "rss_peak_mb", "generator_cpu_share", "machine_busy", "baseline_p95_ms", "baseline_errors",
               "p95_ratio", "server_pids", "profiles"]


def measured(sessions: int, p95_s: float, errors: int = 0, changes: int = 100, app: str = "acumap") -> ClassRun:
    """A class whose every change took `p95_s` (so its p50, p95 and max), with `errors` errors."""
    return ClassRun(app, sessions, opens=[0.05] * (sessions + 1), reruns=[p95_s] * changes,
                    errors=[f"explore: TimeoutError: no answer in {60 + i} s" for i in range(errors)],
                    rss_idle=200e6, rss_peak=250e6, cpu=30.0, window=60.0, own_cpu=12.0, busy=0.8, pids=[4321])


def step(sessions: int, p95_s: float, errors: int = 0, changes: int = 100) -> Step:
    return Step(sessions, measured(sessions, p95_s, errors, changes), measured(sessions, 0.02, app="baseline"))


def test_the_knee_is_the_largest_step_held():
    assert held(measured(60, 1.0)) and not held(measured(60, 1.0, errors=1)) and not held(measured(60, 1.01))
    assert knee([step(60, 0.2), step(120, 0.9), step(200, 1.0)]) == 200  # p95 of exactly 1 s holds
    assert knee([step(60, 0.2), step(120, 0.9), step(200, 1.001)]) == 120
    assert knee([step(60, 0.2), step(120, 0.3, errors=1)]) == 60  # fast, but one answer wrong or lost
    assert knee([step(60, 0.2), step(120, 0.3, changes=0)]) == 60  # no change measured: not held
    assert knee([step(60, 1.5), step(120, 2.0)]) is None
    assert knee([]) is None
    assert knee([step(60, 0.2), Step(120, note="not run: step 60 already over")]) == 60
    # The largest step held, even with one below it that was not: the verdict says so.
    steps = [step(60, 0.2), step(120, 0.4, errors=2), step(200, 0.6)]
    assert knee(steps) == 200
    assert "yet step 120 below it did not hold" in capacity.verdict(steps, 1)


def test_a_step_is_over_past_5_s_or_a_fifth_of_its_chances_failed():
    assert not over(measured(60, 5.0)) and over(measured(60, 5.01))
    # 60 students and the presenter open (61 chances) and make 100 changes: 161 chances; 32 errors are 19.9 %.
    assert error_share(measured(60, 0.5, errors=32)) == pytest.approx(32 / 161)
    assert not over(measured(60, 0.5, errors=32)) and over(measured(60, 0.5, errors=33))
    # 4 students and the presenter open, 5 changes: 10 chances; 2 errors are exactly 20 %, not over it.
    assert error_share(measured(4, 0.5, errors=2, changes=5)) == 0.2
    assert not over(measured(4, 0.5, errors=2, changes=5)) and over(measured(4, 0.5, errors=3, changes=5))
    assert over(measured(60, 0.1, changes=0))  # nothing measured
    assert [status(s) for s in (step(60, 0.5), step(60, 2.0), step(60, 6.0), Step(60))] == [
        "held", "not held", "over", "not run"]


def test_a_step_over_the_limit_ends_the_ramp():
    latency = {60: 0.2, 120: 0.8, 200: 6.0, 300: 0.1, 400: 0.1}  # 300 and 400 would pass: they must not be run
    asked: list[int] = []

    def measure(n: int) -> Step:
        asked.append(n)
        return step(n, latency[n])

    steps = ramp([60, 120, 200, 300, 400], measure)
    assert asked == [60, 120, 200]
    assert [s.sessions for s in steps] == [60, 120, 200, 300, 400]
    assert [status(s) for s in steps] == ["held", "held", "over", "not run", "not run"]
    assert steps[3].note == steps[4].note == "not run: step 200 already over"
    assert knee(steps) == 120
    # Slow but under the stop limit: the ramp goes on.
    asked.clear()
    latency.update({200: 4.0})
    assert [status(s) for s in ramp([60, 120, 200, 300, 400], measure)] == [
        "held", "held", "not held", "held", "held"]
    assert asked == [60, 120, 200, 300, 400]
    # Too many errors end it too.
    asked.clear()
    assert [status(s) for s in ramp([60, 120], lambda n: asked.append(n) or step(n, 0.3, errors=50))] == [
        "over", "not run"]
    assert asked == [60]


def test_the_report_and_the_json_hold_every_step_the_knee_and_the_aim():
    steps = ramp([60, 120, 200, 300, 400], lambda n: step(n, {60: 0.1, 120: 0.3, 200: 9.0}[n], errors=n // 100))
    text = report(steps, 1, 60.0, (3.0, 7.0), "all", 1, "bench/capacity.py", "0.5 0.4 0.3", 600.0, "abc1234")
    assert "| 60 | held | 100 | 100 ms | 100 ms | 100 ms | 50 ms | 0 | 50% of one core; 186 ms | 200 / 250 MB | " \
           "20% | 80% | 20 ms (0 errors) | 5.00× | 4321 |" in text
    assert "| 120 | not held |" in text and "| 200 | over |" in text
    assert "| 300 | not run: step 200 already over |" in text and "| 400 | not run: step 200 already over |" in text
    assert "knee: 60 students on one server" in text and "aim (300 students on one server) NOT met" in text
    assert "git commit abc1234" in text and "`bench/capacity.py`" in text and "load average before the run 0.5" in text
    assert "- step 120: `1× explore: TimeoutError: no answer in … s`" in text
    data = summary(steps, 1, 60.0)
    assert json.dumps(data) in text
    assert data["knee"] == 60 and data["replicas"] == 1 and data["aim_met"] is False
    assert [list(s) for s in data["steps"]] == [STEP_FIELDS] * 5
    first = data["steps"][0]
    assert (first["p95_ms"], first["open_p95_ms"], first["baseline_p95_ms"], first["p95_ratio"]) == (
        100.0, 50.0, 20.0, 5.0)
    assert (first["server_cpu_share"], first["generator_cpu_share"], first["server_pids"]) == (0.5, 0.2, [4321])
    assert data["steps"][3]["status"] == "not run" and data["steps"][3]["p95_ms"] is None
    # 300 held: the aim is met; with 2 servers it is not this run's to judge.
    assert summary([step(60, 0.1), step(300, 0.9)], 1, 60.0)["aim_met"] is True
    assert summary([step(60, 0.1), step(300, 0.9)], 2, 60.0)["aim_met"] is None
    every = report([step(60, 0.1), step(120, 0.2)], 2, 60.0, (3.0, 7.0), "all", 1, "x", "0", 1.0, "abc")
    assert "knee: 120 students on 2 servers behind nginx" in every and "every step held" in every


def test_the_report_says_when_the_load_generator_was_the_limit():
    busy = step(200, 0.9)
    busy.ours.own_cpu = 0.95 * busy.ours.window
    text = report([step(60, 0.1), busy], 1, 60.0, (3.0, 7.0), "all", 1, "x", "0", 1.0, "abc")
    assert "At step 200 it used ≥ 90% of a core" in text
    assert "it was not the limit" in report([step(60, 0.1)], 1, 60.0, (3.0, 7.0), "all", 1, "x", "0", 1.0, "abc")


def test_error_kinds_fold_values_so_one_kind_is_one_line():
    errors = ["quiz: quiz: the score '**3 of 4**' is not shown", "quiz: quiz: the score '**1 of 1**' is not shown",
              "explore: TimeoutError: no script_finished in 60.0 s", "session cut off at the class's deadline"]
    assert error_kinds(errors) == ["2× quiz: quiz: the score … is not shown",
                                   "1× explore: TimeoutError: no script_finished in … s",
                                   "1× session cut off at the class's deadline"]
    assert error_kinds([]) == []


@pytest.mark.parametrize(("args", "message"), [(["--steps", "60,abc"], "whole numbers separated by commas"),
                                               (["--steps", "120,60"], "must grow from one step to the next"),
                                               (["--steps", "60,60"], "must grow from one step to the next"),
                                               (["--steps", "0,60"], "sizes from 1 to 1000"),
                                               (["--seconds", "2"], "--seconds must be between 4 and 1800"),
                                               (["--replicas", "9"], "--replicas must be between 1 and 8"),
                                               (["--think", "2", "1"], "--think needs")])
def test_a_bad_ramp_is_one_line_and_no_run(args, message, monkeypatch, capsys):
    monkeypatch.setattr(capacity, "run_step", lambda *a, **kw: pytest.fail(f"{args} started a step"))
    with pytest.raises(SystemExit) as stopped:
        capacity.main(args)
    assert stopped.value.code == 2
    out, err = capsys.readouterr()
    assert err.strip().count("\n") == 0 and message in err and out == ""


def test_the_script_runs_the_ramp_and_says_when_py_spy_is_missing(monkeypatch, capsys, tmp_path):
    """In-process, each step faked: the sizes asked for in order, stopping at the first over the limit; --profile
    without py-spy is one line, not a failure; the report written where --out says; the JSON line last."""
    asked: list[int] = []

    def fake(sessions, seconds, seed, replicas, k, think, warm, profile):
        asked.append(sessions)
        assert (seconds, replicas, think, warm, profile) == (5.0, 2, (0.2, 0.6), "open", True)
        return step(sessions, 0.4 if sessions < 30 else 7.0)

    monkeypatch.setattr(capacity, "run_step", fake)
    monkeypatch.setattr(capacity, "py_spy", lambda: None)
    monkeypatch.setattr(capacity, "load_knowledge", lambda lang: None)  # the faked steps need none
    out = tmp_path / "capacity.md"
    assert capacity.main(["--steps", "10,20,30,40", "--seconds", "5", "--replicas", "2", "--think", "0.2", "0.6",
                          "--warm", "open", "--profile", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert asked == [10, 20, 30]
    assert any(line.startswith("capacity: --profile: py-spy is not installed") and "py-spy==" in line
               for line in printed)
    data = json.loads(printed[-1])
    assert data["knee"] == 20 and data["replicas"] == 2
    assert [s["status"] for s in data["steps"]] == ["held", "held", "over", "not run"]
    assert json.dumps(data) in out.read_text(encoding="utf-8")


@pytest.mark.server
@pytest.mark.timeout(240)
def test_a_small_ramp_runs_on_real_servers_and_reports_each_step_and_the_knee(tmp_path):
    out = tmp_path / "capacity.md"
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "capacity.py"), "--steps", "2,3", "--seconds", "5",
                           "--think", "0.2", "0.6", "--seed", "3", "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=230)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert list(data) == ["knee", "steps", "replicas", "seconds", "aim", "aim_met"]
    assert data["replicas"] == 1 and data["seconds"] == 5.0 and data["aim_met"] is False
    assert [s["sessions"] for s in data["steps"]] == [2, 3]
    for s in data["steps"]:
        assert s["errors"] == 0, proc.stdout[-3000:]
        assert s["status"] == ("held" if s["p95_ms"] <= 1000 else "not held")
        assert s["changes"] > 0 and 0 < s["p50_ms"] <= s["p95_ms"] <= s["max_ms"]
        assert s["open_p95_ms"] > 0 and s["baseline_p95_ms"] > 0 and s["p95_ratio"] > 0
        assert s["server_cpu_share"] > 0 and s["server_cpu_ms_per_change"] > 0
        assert 0 < s["rss_idle_mb"] <= s["rss_peak_mb"] and 0 <= s["generator_cpu_share"] < 2
        assert len(s["server_pids"]) == 1 and f"acumap   step {s['sessions']}: server pid {s['server_pids'][0]}" \
            in proc.stdout
    # Two or three students on a warm server: at least the first step holds (p95 ≤ 1 s), whatever else runs here.
    held_sizes = [s["sessions"] for s in data["steps"] if s["status"] == "held"]
    assert held_sizes and data["knee"] == max(held_sizes), proc.stdout[-3000:]
    text = out.read_text(encoding="utf-8")
    assert json.dumps(data) in text and f"knee: {data['knee']} students on one server" in text
    for s in data["steps"]:
        row = f"| {s['sessions']} | {s['status']} | {s['changes']} |"
        assert any(line.startswith(row) for line in text.splitlines()), text
