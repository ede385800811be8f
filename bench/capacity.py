"""How many students one server holds: `make capacity` (issue 29), or
`.venv/bin/python bench/capacity.py [--steps 60,120,200,300,400] [--seconds 60] [--replicas N] [--profile]`.

Ramps bench/load.py's class (bench/load_roles.py: the students half exploring, half on the shared quiz, and the
presenter; each session acting every 3–7 s; all opening the link at the same moment; every answer checked as the
load checks it) through STEPS sessions, SECONDS of class time each. Each step runs on a FRESH server (`--replicas
N`: a fresh cluster of N servers behind nginx, deploy/cluster.py, each session with a route cookie of its own),
warmed first as the load's are, so one step's sessions and caches do not pile onto the next; then the baseline
app (bench/baseline_app.py, the bare page) takes the same class on a fresh server of its own, and the ratio of
the two p95s is reported beside. A step over the stop limit (p95 above STOP_P95, more than STOP_ERROR_SHARE of
its opens and changes failed, or no change measured) ends the ramp: the larger steps are reported as not run.

Per step: sessions, changes, rerun p50 / p95 / max, page-open p95, errors (count and the first kinds), server
CPU (share of one core, and CPU-ms per change, page opens counted as changes as bench/load.py counts them),
server RSS idle / peak, the load generator's own CPU (this process: on a shared machine it may be the limit)
and all cores' busy share, the servers' process ids (printed as each step starts, for py-spy). The knee: the
largest step with p95 ≤ 1 s and 0 errors; the aim: AIM students on one server.

`--profile` records each acumap step's servers with py-spy (`py-spy record --nonblocking --pid PID
--duration S -o bench/.work/capacity-STEP[-serverI].svg`) when py-spy is installed; without it, one line says so.

Writes a markdown report (the standard ramp: bench/capacity_results.md, or bench/capacity_results_replicasN.md;
any other ramp only where `--out` says) and prints it; the last line printed is one line of JSON:
{"knee": …, "steps": [{…}, …], "replicas": …, "seconds": …, "aim": …, "aim_met": …}.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT / "src", ROOT, ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import psutil  # noqa: E402
from common import p95  # noqa: E402
from load_class import MAX_REPLICAS, THINK, ClassRun, ms, run_app  # noqa: E402
from load_report import P95_LIMIT  # noqa: E402
from load_roles import CLASS_SEED  # noqa: E402

from acumap import load_knowledge  # noqa: E402
from acumap.data.loading import Knowledge  # noqa: E402

STEPS = (60, 120, 200, 300, 400)  # student sessions (the presenter comes on top)
SECONDS = 60.0  # class time of each step (each app)
AIM = 300  # issue 29: students one server should hold
STOP_P95 = 5.0  # seconds: a step whose p95 is above this ends the ramp
STOP_ERROR_SHARE = 0.2  # a step with more than this share of its opens and changes failed ends the ramp
MAX_STEP = 1000
MAX_STEPS = 20
CPU_BOUND = 0.9  # share of one core from which the load generator is taken as the limit
RESULTS = ROOT / "bench" / "capacity_results.md"
WORK = ROOT / "bench" / ".work"  # py-spy's flame graphs (ignored by git)
PY_SPY_PIN = "py-spy==0.4.3"
USAGE = ("bench/capacity.py [--steps N,N,...] [--seconds S] [--replicas N] [--think LOW HIGH] [--warm all|open] "
         "[--seed N] [--profile] [--out FILE]")


@dataclass
class Step:
    sessions: int  # student sessions (the presenter not counted)
    ours: ClassRun | None = None
    base: ClassRun | None = None  # the baseline app under the same class
    note: str = ""  # why the step was not run
    profiles: list[str] = field(default_factory=list)  # py-spy's flame graphs of the acumap servers


# --- The rules: which step held, which ends the ramp, the knee.
def error_share(c: ClassRun) -> float:
    """Errors over the chances of one: each session's page open (the presenter's included) and each change."""
    return len(c.errors) / (c.sessions + 1 + len(c.reruns))


def held(c: ClassRun) -> bool:
    """The class was served: p95 ≤ P95_LIMIT and no error (no change measured: not held)."""
    return c.stats()[1] <= P95_LIMIT and not c.errors


def over(c: ClassRun) -> bool:
    """So far past holding that a larger class is not worth running (no change measured counts as over)."""
    return not c.stats()[1] <= STOP_P95 or error_share(c) > STOP_ERROR_SHARE


def status(step: Step) -> str:
    if step.ours is None:
        return "not run"
    return "held" if held(step.ours) else "over" if over(step.ours) else "not held"


def knee(steps: list[Step]) -> int | None:
    """The largest class held (p95 ≤ 1 s and 0 errors); None when none was."""
    return max((s.sessions for s in steps if s.ours is not None and held(s.ours)), default=None)


def ramp(sizes: list[int], measure: Callable[[int], Step]) -> list[Step]:
    """Each size measured in turn until one is over; the sizes after it are not run."""
    steps: list[Step] = []
    stopped: int | None = None
    for n in sizes:
        if stopped is not None:
            steps.append(Step(n, note=f"not run: step {stopped} already over"))
            continue
        step = measure(n)
        steps.append(step)
        if step.ours is None or over(step.ours):
            stopped = n
    return steps


def error_kinds(errors: list[str], most: int = 3) -> list[str]:
    """The commonest kinds of error, counted: quoted values and numbers folded, so one kind is one line."""
    kinds = Counter(re.sub(r"'[^']*'|\"[^\"]*\"|\d+(\.\d+)?", "…", e)[:90] for e in errors)
    return [f"{n}× {kind}" for kind, n in kinds.most_common(most)]


# --- One step.
def py_spy() -> str | None:
    """py-spy's path: beside this interpreter (the venv) or on PATH."""
    here = Path(sys.executable).parent / "py-spy"
    return str(here) if here.exists() else shutil.which("py-spy")


@contextlib.contextmanager
def watched(pids: list[int], step: Step, app: str, seconds: float, profile: bool) -> Iterator[None]:
    """load_class.run_app's `around`: prints the servers' pids once they are warm, and with `profile` records each
    acumap server with py-spy over the class (its connecting, its window and its end; `--duration` only bounds it)."""
    print(f"  {app:8} step {step.sessions}: server pid {', '.join(map(str, pids))}", flush=True)
    spies: list[tuple[subprocess.Popen, Path]] = []
    spy = py_spy() if profile and app == "acumap" else None
    if spy:
        WORK.mkdir(parents=True, exist_ok=True)
        duration = math.ceil(0.5 + 0.02 * (step.sessions + 1) + seconds + 5)  # measure_class's connecting too
        for i, pid in enumerate(pids):
            svg = WORK / f"capacity-{step.sessions}{f'-server{i + 1}' if len(pids) > 1 else ''}.svg"
            cmd = [spy, "record", "--nonblocking", "--pid", str(pid), "--duration", str(duration), "-o", str(svg)]
            spies.append((subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True), svg))
            print(f"  py-spy on pid {pid} for {duration} s -> {svg.relative_to(ROOT)}", flush=True)
    try:
        yield
    finally:
        for proc, svg in spies:  # the class is over: py-spy stops (as on Ctrl-C) and writes its flame graph
            proc.send_signal(signal.SIGINT)
            try:
                _, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
            if svg.exists():
                step.profiles.append(str(svg.relative_to(ROOT)))
            else:
                print(f"  py-spy wrote no {svg.name}: {(err or '').strip()[-300:]}", flush=True)


def run_step(sessions: int, seconds: float, seed: int, replicas: int, k: Knowledge, think: tuple[float, float],
             warm: str, profile: bool) -> Step:
    """acumap then the baseline, each on fresh servers, under the same class."""
    step = Step(sessions)
    print(f"capacity: step {sessions} students + 1 presenter for {seconds:g} s; {replicas} server(s)", flush=True)
    for app in ("acumap", "baseline"):
        run, _ = run_app(app, sessions, seconds, seed, replicas, k, False, think, warm,
                         around=lambda pids, app=app: watched(pids, step, app, seconds, profile))
        if app == "acumap":
            step.ours = run
        else:
            step.base = run
    print(f"  step {sessions}: {status(step)}", flush=True)
    return step


# --- The report.
def rounded(v: float, scale: float = 1000, places: int = 1) -> float | None:
    return round(v * scale, places) if v == v else None


def p95_ratio(step: Step) -> float:
    if step.ours is None or step.base is None:
        return float("nan")
    ours, base = step.ours.stats()[1], step.base.stats()[1]
    return ours / base if base == base and base > 0 else float("nan")


def changes_of(c: ClassRun) -> int:
    """What the server answered: the page opens and the changes (as bench/load.py's CPU a rerun counts them)."""
    return len(c.reruns) + len(c.opens)


def step_summary(step: Step) -> dict:
    c, b = step.ours, step.base
    nan = float("nan")
    med, high, top = c.stats() if c else (nan, nan, nan)
    window = c.window if c else 0.0
    return {
        "sessions": step.sessions, "status": status(step), "note": step.note or None,
        "changes": len(c.reruns) if c else None,
        "p50_ms": rounded(med), "p95_ms": rounded(high), "max_ms": rounded(top),
        "open_p95_ms": rounded(p95(c.opens)) if c and c.opens else None,
        "errors": len(c.errors) if c else None, "error_kinds": error_kinds(c.errors) if c else [],
        "error_share": round(error_share(c), 3) if c else None,
        "server_cpu_share": round(c.cpu / window, 2) if c and window else None,
        "server_cpu_ms_per_change": rounded(c.cpu / changes_of(c)) if c and changes_of(c) else None,
        "rss_idle_mb": round(c.rss_idle / 1e6) if c else None, "rss_peak_mb": round(c.rss_peak / 1e6) if c else None,
        "generator_cpu_share": round(c.own_cpu / window, 2) if c and window else None,
        "machine_busy": round(c.busy, 2) if c and c.busy == c.busy else None,
        "baseline_p95_ms": rounded(b.stats()[1]) if b else None, "baseline_errors": len(b.errors) if b else None,
        "p95_ratio": rounded(p95_ratio(step), 1, 2),
        "server_pids": c.pids if c else [], "profiles": step.profiles,
    }


def summary(steps: list[Step], replicas: int, seconds: float) -> dict:
    best = knee(steps)
    return {"knee": best, "steps": [step_summary(s) for s in steps], "replicas": replicas, "seconds": seconds,
            "aim": AIM, "aim_met": (best is not None and best >= AIM) if replicas == 1 else None}


def verdict(steps: list[Step], replicas: int) -> str:
    best = knee(steps)
    run = [s for s in steps if s.ours is not None]
    where = "one server" if replicas == 1 else f"{replicas} servers behind nginx"
    if best is None:
        head = f"knee: none — no step held (p95 ≤ {P95_LIMIT:g} s and 0 errors) on {where}"
    else:
        head = f"knee: {best} students on {where} (the largest step with p95 ≤ {P95_LIMIT:g} s and 0 errors)"
        if run and best == run[-1].sessions and len(run) == len(steps):
            head += "; every step held, so the limit is above it"
        failed = [s.sessions for s in run if s.sessions < best and not held(s.ours)]
        if failed:
            head += f"; yet step{'s' if len(failed) > 1 else ''} {', '.join(map(str, failed))} below it did not hold"
    if replicas == 1:
        aim = f"aim ({AIM} students on one server) {'met' if best is not None and best >= AIM else 'NOT met'}"
    else:
        aim = f"aim ({AIM} students on one server): see the one-server run"
    return f"{head}; {aim}"


def generator_notes(steps: list[Step]) -> list[str]:
    bound = [s.sessions for s in steps if s.ours and s.ours.window and s.ours.own_cpu / s.ours.window >= CPU_BOUND]
    cores = os.cpu_count() or 1
    text = (f"The load generator (this process: one Python event loop holding every session) shares the machine's "
            f"{cores} cores with the servers; its CPU is shown beside theirs. ")
    if bound:
        text += (f"At step{'s' if len(bound) > 1 else ''} {', '.join(map(str, bound))} it used ≥ {CPU_BOUND:.0%} of "
                 "a core: there the generator, not the server, may have set the pace, and those figures are a floor "
                 "on what the server would do with the load generated elsewhere.")
    else:
        text += f"It stayed under {CPU_BOUND:.0%} of a core at every step run: it was not the limit."
    return ["", text]


def table_row(step: Step) -> str:
    s = step_summary(step)
    if step.ours is None:
        return f"| {step.sessions} | {step.note or 'not run'} |" + " |" * 13

    def share(v: float | None) -> str:
        return "—" if v is None else f"{v:.0%}"

    c = step.ours
    med, high, top = c.stats()
    opens = ms(p95(c.opens)) if c.opens else "—"
    per = s["server_cpu_ms_per_change"]
    cpu = f"{share(s['server_cpu_share'])} of one core; " + ("—" if per is None else f"{per:.0f} ms")
    base = f"{ms(step.base.stats()[1])} ({len(step.base.errors)} errors)" if step.base else "—"
    ratio = "—" if s["p95_ratio"] is None else f"{s['p95_ratio']:.2f}×"
    return (f"| {step.sessions} | {s['status']} | {len(c.reruns)} | {ms(med)} | {ms(high)} | {ms(top)} | {opens} | "
            f"{len(c.errors)} | {cpu} | {c.rss_idle / 1e6:.0f} / {c.rss_peak / 1e6:.0f} MB | "
            f"{share(s['generator_cpu_share'])} | {share(s['machine_busy'])} | {base} | {ratio} | "
            f"{', '.join(map(str, c.pids))} |")


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + (" (with uncommitted changes in the tree)" if dirty else "")


def report(steps: list[Step], replicas: int, seconds: float, think: tuple[float, float], warm: str, seed: int,
           command: str, load_before: str, runtime: float, commit: str) -> str:
    against = ("one `streamlit run` server on 127.0.0.1" if replicas == 1 else
               f"{replicas} `streamlit run` servers behind Debian's nginx (deploy/cluster.py), each session with a "
               "route cookie of its own; server CPU and RSS summed over the servers")
    lines = [
        f"# acumap — how many students {'one server holds' if replicas == 1 else f'{replicas} servers hold'}",
        "",
        f"Written by `{command}` (bench/capacity.py, issue 29) on "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M UTC}; git commit {commit}; run took {runtime:.0f} s.",
        f"Machine: {os.cpu_count()} logical cores, {psutil.virtual_memory().total / 2**30:.1f} GiB, "
        f"Python {platform.python_version()}, Streamlit {metadata.version('streamlit')}; load average before the run "
        f"{load_before}. The load generator shares the machine (and its cores) with the server.",
        "",
        f"bench/load.py's class, ramped: at each step, that many student sessions (half exploring, half on the shared "
        f"quiz `?mode=quiz&seed={CLASS_SEED}`) and one presenter open the link at the same moment, then each acts "
        f"every {think[0]:g}–{think[1]:g} s (seeded, seed {seed}) for {seconds:g} s, every answer checked (no error; "
        "the back view names the region and stage; the quiz's question, verdict and score; the presenter's step). "
        f"Against {against}: a fresh server for each step"
        + (", warmed first (every view once)" if warm == "all" else ", each link opened once first (--warm open)")
        + ". The baseline (bench/baseline_app.py, the bare page: one slider, one small chart) then takes the same "
        "class on a fresh server of its own at every step run; the p95 ratio is acumap's over the baseline's. "
        "Latency: from sending a change to that rerun's last message. Server CPU: psutil over the class's window, "
        "per change counting page opens too. A step whose p95 is above "
        f"{STOP_P95:g} s, or with more than {STOP_ERROR_SHARE:.0%} of its opens and changes failed, ends the ramp.",
        "",
        "| students (+ presenter) | status | changes | rerun p50 | rerun p95 | rerun max | page open p95 | errors | "
        "server CPU (share of one core; per change) | server RSS idle / peak | load generator CPU | all cores busy | "
        "baseline p95 (errors) | p95 ratio | server pid |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |",
        *[table_row(s) for s in steps],
        "",
        f"**{verdict(steps, replicas)}**",
        *generator_notes(steps),
    ]
    failing = [(s.sessions, kinds) for s in steps if s.ours and (kinds := error_kinds(s.ours.errors))]
    if failing:
        lines += ["", "First kinds of error:", *[f"- step {n}: " + "; ".join(f"`{k}`" for k in kinds)
                                                  for n, kinds in failing]]
    profiles = [p for s in steps for p in s.profiles]
    if profiles:
        lines += ["", "py-spy flame graphs (`--profile`, sampling with --nonblocking over each acumap step): "
                  + ", ".join(f"`{p}`" for p in profiles) + "."]
    lines += ["", "```json", json.dumps(summary(steps, replicas, seconds)), "```"]
    return "\n".join(lines) + "\n"


# --- The command line.
class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block, no traceback
        print(f"bench/capacity.py: error: {message} (usage: {USAGE})", file=sys.stderr)
        raise SystemExit(2)


def parse_steps(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--steps takes whole numbers separated by commas, not {text!r}") from None
    if not 1 <= len(sizes) <= MAX_STEPS or not all(1 <= n <= MAX_STEP for n in sizes):
        raise argparse.ArgumentTypeError(f"--steps takes 1 to {MAX_STEPS} sizes from 1 to {MAX_STEP}, not {text!r}")
    if sizes != sorted(set(sizes)):
        raise argparse.ArgumentTypeError(f"--steps must grow from one step to the next, not {text!r}")
    return sizes


def main(argv: list[str]) -> int:
    parser = _Parser(prog="bench/capacity.py", usage=USAGE, description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=parse_steps, default=list(STEPS),
                        help=f"student sessions at each step (default {','.join(map(str, STEPS))})")
    parser.add_argument("--seconds", type=float, default=SECONDS,
                        help=f"seconds of class time at each step (default {SECONDS:g})")
    parser.add_argument("--replicas", type=int, default=1, help="servers behind nginx (default 1: one server alone)")
    parser.add_argument("--think", type=float, nargs=2, default=THINK, metavar=("LOW", "HIGH"),
                        help=f"seconds between two actions of a session (default {THINK[0]:g} {THINK[1]:g})")
    parser.add_argument("--warm", choices=("all", "open"), default="all",
                        help="warm-up of each fresh server: every view once (all, default) or each link opened once")
    parser.add_argument("--seed", type=int, default=1, help="seed of the think times and answers (default 1)")
    parser.add_argument("--profile", action="store_true", help="record each acumap step's servers with py-spy "
                        f"(bench/.work/capacity-STEP.svg; needs {PY_SPY_PIN})")
    parser.add_argument("--out", type=Path, help="report file (default: bench/capacity_results*.md, standard ramp "
                        "only)")
    args = parser.parse_args(argv)
    think = tuple(args.think)
    if not 1 <= args.replicas <= MAX_REPLICAS:
        parser.error(f"--replicas must be between 1 and {MAX_REPLICAS}, not {args.replicas}")
    if not 4 <= args.seconds <= 1800:
        parser.error(f"--seconds must be between 4 and 1800, not {args.seconds:g}")
    if not 0.05 <= think[0] <= think[1] <= 600:
        parser.error(f"--think needs 0.05 <= LOW <= HIGH <= 600, not {think[0]:g} {think[1]:g}")
    standard = args.steps == list(STEPS) and args.seconds == SECONDS and think == THINK and args.warm == "all"
    out = args.out
    if out is None and standard:
        out = RESULTS.with_name(RESULTS.stem + (f"_replicas{args.replicas}" if args.replicas > 1 else "") + ".md")
    if args.profile and py_spy() is None:
        print(f"capacity: --profile: py-spy is not installed (`{sys.executable} -m pip install {PY_SPY_PIN}`); "
              "running without it", flush=True)
    command = "bench/capacity.py " + " ".join(argv) if argv else "bench/capacity.py"
    load_before = " ".join(f"{v:.1f}" for v in os.getloadavg())
    commit = git_commit()
    k = load_knowledge(lang="en")
    started = time.monotonic()
    print(f"capacity: steps {', '.join(map(str, args.steps))} for {args.seconds:g} s each, acumap then the baseline, "
          f"each on fresh servers; {args.replicas} server(s); seed {args.seed}; load average {load_before}", flush=True)
    steps = ramp(args.steps, lambda n: run_step(n, args.seconds, args.seed, args.replicas, k, think, args.warm,
                                                args.profile))
    text = report(steps, args.replicas, args.seconds, think, args.warm, args.seed, command, load_before,
                  time.monotonic() - started, commit)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    print(text)
    print(verdict(steps, args.replicas) if out is not None else
          f"{verdict(steps, args.replicas)} (report not written: a ramp other than the standard one; --out FILE "
          "keeps it)")
    print(json.dumps(summary(steps, args.replicas, args.seconds)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
