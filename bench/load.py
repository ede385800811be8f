"""A class of students, measured: `make load` (60 sessions, 5 minutes) or `make load-quick` (30, 60 s).

The script runs, each on fresh servers of its own and stopping by itself:
1. the class: SESSIONS student sessions (half exploring, half on the shared quiz) and a presenter open the
   link at once against acumap, then act every 3–7 s; then the baseline app (bench/baseline_app.py: one
   slider, one small chart) takes the same class. The class's time is split evenly between the two apps;
2. the live class of issue 16 (bench/load_live.py): as many students as the class (`--live N` to change, 0
   to skip) join a class made through the store and all answer the projector's question within 5 s
   (`--live-only`: this phase alone);
3. with `--replicas N` (N > 1), the throughput phase: the class with no think time, one server then N behind
   nginx (`--throughput`: this phase alone; `--throughput-seconds`, `--throughput-sessions`).
Then it writes the report (bench/load_results*.md: only the standard runs, unless `--out` names a file) and
prints it, the verdicts, and last one line of JSON.

`--sessions`, `--duration`, `--think` and `--warm open` (a short warm-up) make a smaller, quicker class (a
smoke run, tests/test_load.py). `--replicas N` runs each app as N servers behind Debian's nginx
(deploy/cluster.py).

The parts: bench/load_roles.py (what each session does and checks; the UI's widget keys),
bench/load_class.py (a class run against a server or cluster, timed and measured), bench/load_live.py (the
live class), bench/load_throughput.py (the throughput phase), bench/load_report.py (verdicts, the report
and the JSON line). This file: the command line and the run sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT / "src", ROOT, ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from load_class import MAX_REPLICAS, THINK, run_app, run_live  # noqa: E402
from load_report import live_verdict, report, summary, verdict  # noqa: E402
from load_throughput import run_throughput, throughput_verdict  # noqa: E402

from acumap import load_knowledge  # noqa: E402

SIZES = {"full": (60, 300.0), "quick": (30, 60.0)}  # student sessions, seconds of class time (both apps)
MAX_SESSIONS = 200
RESULTS = ROOT / "bench" / "load_results.md"
USAGE = ("bench/load.py [--quick] [--sessions N] [--duration S] [--think LOW HIGH] [--warm all|open] [--replicas N] "
         "[--live N] [--live-only] [--throughput] [--throughput-seconds S] [--throughput-sessions N] [--seed N] "
         "[--out FILE]")
THROUGHPUT_SESSIONS = 24  # students (+ the presenter) in the throughput phase: enough to keep 2 servers busy
THROUGHPUT_SECONDS = 60.0  # the throughput window, on each target


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block, no traceback
        print(f"bench/load.py: error: {message} (usage: {USAGE})", file=sys.stderr)
        raise SystemExit(2)


def main(argv: list[str]) -> int:
    parser = _Parser(prog="bench/load.py", usage=USAGE, description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 sessions for 60 s (make load-quick)")
    parser.add_argument("--sessions", type=int, help="student sessions (default 60, --quick 30)")
    parser.add_argument("--duration", type=float, help="seconds of class time, split between the two apps "
                        "(default 300, --quick 60)")
    parser.add_argument("--think", type=float, nargs=2, default=THINK, metavar=("LOW", "HIGH"),
                        help=f"seconds between two actions of a session (default {THINK[0]:g} {THINK[1]:g})")
    parser.add_argument("--warm", choices=("all", "open"), default="all",
                        help="warm-up before the class: every view once (all, default) or each link opened once")
    parser.add_argument("--replicas", type=int, default=1, help="servers behind nginx (default 1: one server alone)")
    parser.add_argument("--live", type=int, help="students in the live class phase (default: as many as --sessions; "
                        "0: no live class)")
    parser.add_argument("--live-only", action="store_true", help="only the live class phase")
    parser.add_argument("--throughput", action="store_true", help="only the throughput phase: one server, then "
                        "--replicas N behind nginx, the class with no think time")
    parser.add_argument("--throughput-seconds", type=float, help=f"seconds of the throughput window on each target "
                        f"(default {THROUGHPUT_SECONDS:g}; 0: no throughput phase)")
    parser.add_argument("--throughput-sessions", type=int, help="student sessions in the throughput phase "
                        f"(default {THROUGHPUT_SESSIONS}; the presenter comes on top)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the think times and answers (default 1)")
    parser.add_argument("--out", type=Path, help="results file (default: bench/load_results*.md, standard sizes only)")
    args = parser.parse_args(argv)
    sessions, duration = SIZES["quick" if args.quick else "full"]
    think = tuple(args.think)
    standard = (args.sessions is None and args.duration is None and think == THINK and args.warm == "all"
                and args.live is None and not args.live_only and not args.throughput
                and args.throughput_seconds is None and args.throughput_sessions is None)
    sessions = sessions if args.sessions is None else args.sessions
    live_students = sessions if args.live is None else args.live
    duration = duration if args.duration is None else args.duration
    if not 1 <= args.replicas <= MAX_REPLICAS:
        parser.error(f"--replicas must be between 1 and {MAX_REPLICAS}, not {args.replicas}")
    if not 1 <= sessions <= MAX_SESSIONS:
        parser.error(f"--sessions must be between 1 and {MAX_SESSIONS}, not {sessions}")
    if not (1 if args.live_only else 0) <= live_students <= MAX_SESSIONS:
        parser.error(f"--live must be between {1 if args.live_only else 0} and {MAX_SESSIONS}, not {live_students}")
    if args.live_only and args.throughput:
        parser.error("--live-only and --throughput each run one phase alone: give one of them")
    thru_seconds = THROUGHPUT_SECONDS if args.throughput_seconds is None else args.throughput_seconds
    thru_sessions = THROUGHPUT_SESSIONS if args.throughput_sessions is None else args.throughput_sessions
    if args.throughput and args.replicas < 2:
        parser.error("--throughput compares one server with N behind nginx: give --replicas N (2 to "
                     f"{MAX_REPLICAS})")
    if not (thru_seconds == 0 and not args.throughput or 4 <= thru_seconds <= 600):
        parser.error(f"--throughput-seconds must be between 4 and 600 (or 0: no throughput phase), not "
                     f"{thru_seconds:g}")
    if not 1 <= thru_sessions <= MAX_SESSIONS:
        parser.error(f"--throughput-sessions must be between 1 and {MAX_SESSIONS}, not {thru_sessions}")
    if not 4 <= duration <= 1800:
        parser.error(f"--duration must be between 4 and 1800 seconds, not {duration:g}")
    if not 0.05 <= think[0] <= think[1] <= 600:
        parser.error(f"--think needs 0.05 <= LOW <= HIGH <= 600, not {think[0]:g} {think[1]:g}")
    out = args.out
    if out is None and standard:
        name = "load_results" + ("_quick" if args.quick else "") + (
            f"_replicas{args.replicas}" if args.replicas > 1 else "")
        out = RESULTS.with_name(name + ".md")
    k = load_knowledge(lang="en")
    started = time.monotonic()
    load_before = " ".join(f"{v:.1f}" for v in os.getloadavg())
    warm = args.warm
    ours = base = live = thru = None
    extra: dict = {}
    if args.throughput:
        live_students = 0
    if not args.live_only and not args.throughput:
        print(f"load: {sessions} students + 1 presenter for {duration / 2:g} s on acumap, then the baseline for "
              f"{duration / 2:g} s; {args.replicas} server(s); seed {args.seed}", flush=True)
        ours, extra = run_app("acumap", sessions, duration / 2, args.seed, args.replicas, k, standard, think, warm)
        base, _ = run_app("baseline", sessions, duration / 2, args.seed, args.replicas, k, False, think, warm)
    if live_students:
        print(f"load: a live class of {live_students} students and the projector; {args.replicas} server(s)",
              flush=True)
        live = run_live(live_students, args.seed, args.replicas, k)
    if args.replicas > 1 and thru_seconds > 0 and not args.live_only:
        thru = run_throughput(args.replicas, thru_sessions, thru_seconds, args.seed, k, warm)
    extra["load_before"] = load_before
    text = report(ours, base, time.monotonic() - started, args.seed, extra, args.replicas, think, warm, live, thru)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    print(text)
    if ours is not None and base is not None:
        print(verdict(ours, base)[1])
    if live is not None:
        print(live_verdict(live)[1])
    if thru is not None:
        print(throughput_verdict(*thru)[1])
    print(json.dumps(summary(ours, base, args.replicas, live, thru)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
