"""Throughput (issue 15), the last phase of `bench/load.py --replicas N`: the class's sessions with no think
time, one server then N behind nginx.

A class with think time never fills a server, so this phase measures what it cannot: the class's sessions
(the students, half exploring, half taking the shared quiz, and the presenter) each send their next change
as soon as their last rerun's answer is in and checked (a closed loop), for a window of seconds, first on
one fresh server, then on N, both behind the same nginx, same seed and sessions; nginx's route cookies are
fetched until each server holds an equal block of the class. Reported: checked reruns a second on each and
their ratio (target: ≥ SCALING_TARGET× with 2), p50 / p95, errors, the servers' CPU (each), nginx's, the
load generator's own (this process: whether it was the limit) and the rest of the machine's.
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import time
from dataclasses import dataclass, field

import psutil
from common import APP, cpu_seconds, process_tree
from load_class import GRACE, machine_busy, ms, route_cookie, stats, warm_up
from load_roles import make_class
from wsclient import Session

from acumap.data.loading import Knowledge

SCALING_TARGET = 1.7  # issue 15: throughput with 2 servers at least this many times one
CPU_BOUND = 0.9  # share of one core from which the load generator is taken as the limit
BUSY_ELSEWHERE = 0.1  # share of one core other work may take in a throughput window before the report warns


@dataclass
class SaturationRun:
    """The class's sessions sending their next change as soon as the last one's answer is in and checked
    (closed loop), against `servers` servers behind nginx, for `seconds`."""

    servers: int
    sessions: int  # student sessions (the presenter not counted)
    seconds: float = 0.0  # the measured window
    done: int = 0  # reruns that finished inside the window and passed their check
    latencies: list[float] = field(default_factory=list)  # of those reruns
    errors: list[str] = field(default_factory=list)
    server_cpu: list[float] = field(default_factory=list)  # CPU seconds over the window, one per server
    nginx_cpu: float = 0.0
    own_cpu: float = 0.0  # the load generator's (this process's) CPU seconds over the window
    machine_busy: float = float("nan")  # share of all the machine's cores busy over the window
    split: list[int] = field(default_factory=list)  # sessions each server held (nginx's access log)
    done_by_server: list[int] = field(default_factory=list)  # of `done`, each server's

    @property
    def others(self) -> float:
        """CPU seconds the rest of the machine used over the window (all cores' busy time less the servers',
        nginx's and the generator's): what other work took from the servers."""
        busy = self.machine_busy * (os.cpu_count() or 1) * self.seconds
        return max(0.0, busy - sum(self.server_cpu) - self.nginx_cpu - self.own_cpu) if busy == busy else float("nan")

    @property
    def rate(self) -> float:
        """Checked reruns a second."""
        return self.done / self.seconds if self.seconds > 0 else float("nan")

    def share(self, cpu: float) -> float:
        """CPU seconds over the window as a share of one core."""
        return cpu / self.seconds if self.seconds > 0 else float("nan")

    def cpu_per_rerun(self) -> float:
        return sum(self.server_cpu) / self.done if self.done else float("nan")


def ratio(many: SaturationRun, one: SaturationRun) -> float:
    """Throughput with N servers over throughput with one (nan where one did nothing)."""
    return many.rate / one.rate if one.rate > 0 else float("nan")


def floor2(r: float) -> float:
    """A ratio to 2 decimals, rounded down, so that 1.697 is not shown as the 1.70 it fails to reach."""
    return math.floor(r * 100 + 1e-9) / 100


def server_of(i: int, sessions: int, servers: int) -> int:
    """The server session i of `sessions` is sent to in the throughput phase: consecutive blocks, so each server
    gets as many as can be and the same mix of explorers and quiz takers (they alternate)."""
    return i * servers // sessions


def balanced_routes(c, sessions: int, tries: int = 20) -> list[dict[str, str]]:
    """Route cookies for the sessions, session i's sending it to server_of(i). nginx hashes a fresh browser's
    random cookie, so a class of 25 may land 19 / 6 or worse; the throughput phase measures the servers, not
    that draw: fresh cookies are fetched, each one's server read from nginx's access log (the route of the
    request that set it), and kept until every server has its share."""
    servers = [b.address for b in c.backends]
    need = [sum(server_of(i, sessions, len(servers)) == j for i in range(sessions)) for j in range(len(servers))]
    got: dict[str, list[str]] = {a: [] for a in servers}
    for _ in range(tries):
        batch = [route_cookie(c.url)["Cookie"] for _ in range(sessions)]
        answered = {line.route: line.upstreams[-1] for line in c.access_log() if line.upstreams}
        for cookie in batch:
            server = answered.get(cookie.split("=", 1)[1])
            if server in got and len(got[server]) < need[servers.index(server)]:
                got[server].append(cookie)
        if all(len(got[a]) == n for a, n in zip(servers, need, strict=True)):
            return [{"Cookie": got[servers[server_of(i, sessions, len(servers))]].pop()} for i in range(sessions)]
    raise RuntimeError(f"nginx gave no even split of {sessions} sessions over {len(servers)} servers in {tries} tries")


async def saturate(role, url: str, headers: dict[str, str], server: int, seed: int, start: asyncio.Event,
                   end: list[float], ready: list[int], out: SaturationRun) -> None:
    rnd = random.Random(seed)
    opened = False
    try:
        async with Session(url, query=role.query, headers=headers) as s:
            last = await s.run()
            problem = role.opened(s, last)
            ready.append(1)
            opened = True
            if problem:
                out.errors.append(f"{role.kind} open: {problem}")
                return
            await start.wait()
            while time.perf_counter() < end[0]:
                last = await s.run(**role.change(rnd, s, last))
                inside = time.perf_counter() <= end[0]
                problem = role.check(s, last)
                if problem:
                    out.errors.append(f"{role.kind}: {problem}")
                elif inside:  # a rerun still running when the window closed is not counted
                    out.done += 1
                    out.done_by_server[server] += 1
                    out.latencies.append(last.seconds)
    except Exception as exc:  # a dropped connection, a timeout: counted, never fatal to the run
        out.errors.append(f"{role.kind}: {type(exc).__name__}: {exc}")
        if not opened:
            ready.append(0)


async def measure_saturation(c, sessions: int, seconds: float, seed: int, k: Knowledge) -> SaturationRun:
    """One window on cluster `c` (deploy.cluster.Cluster)."""
    out = SaturationRun(len(c.backends), sessions)
    out.done_by_server = [0] * len(c.backends)
    servers = [process_tree(b.process.pid) for b in c.backends]
    nginx = process_tree(c.nginx.pid)
    me = psutil.Process()
    start = asyncio.Event()
    end = [float("inf")]
    ready: list[int] = []
    roles = make_class("acumap", sessions, k)  # the same sessions, the same seeds, on every target
    routes = await asyncio.to_thread(balanced_routes, c, len(roles))
    tasks = [asyncio.create_task(saturate(role, c.url, routes[i], server_of(i, len(roles), len(c.backends)),
                                          seed * 10_000 + i, start, end, ready, out))
             for i, role in enumerate(roles)]
    opening = time.perf_counter() + GRACE
    while len(ready) < len(tasks) and time.perf_counter() < opening:  # every page open before the window
        await asyncio.sleep(0.1)
    cpu0 = [cpu_seconds(procs, reaped=True) for procs in servers]
    nginx0, own0, machine0 = cpu_seconds(nginx), cpu_seconds([me]), psutil.cpu_times()
    began = time.perf_counter()
    end[0] = began + seconds
    start.set()
    await asyncio.sleep(seconds)
    out.server_cpu = [cpu_seconds(procs, reaped=True) - c0 for procs, c0 in zip(servers, cpu0, strict=True)]
    out.nginx_cpu, out.own_cpu = cpu_seconds(nginx) - nginx0, cpu_seconds([me]) - own0
    out.machine_busy, out.seconds = machine_busy(machine0, psutil.cpu_times()), time.perf_counter() - began
    _, pending = await asyncio.wait(tasks, timeout=GRACE)  # the reruns in flight end (not counted)
    for task in pending:
        task.cancel()
        out.errors.append("session cut off after the throughput window")
    await asyncio.gather(*tasks, return_exceptions=True)
    return out


def sessions_per_server(c) -> list[int]:
    """How many websocket sessions nginx sent to each server, from its access log (a websocket's line is
    written when it closes)."""
    routes: dict[str, set[str]] = {b.address: set() for b in c.backends}
    deadline = time.monotonic() + 5
    while True:
        for line in c.access_log():
            if line.path.startswith("/_stcore/stream") and line.upstreams and line.upstreams[-1] in routes:
                routes[line.upstreams[-1]].add(line.route)
        if sum(map(len, routes.values())) or time.monotonic() > deadline:
            return [len(r) for r in routes.values()]
        time.sleep(0.2)


def run_saturation(servers: int, sessions: int, seconds: float, seed: int, k: Knowledge,
                   warm: str = "all") -> SaturationRun:
    """One throughput window against `servers` fresh servers behind nginx, each warmed first as the class's are."""
    from deploy.cluster import cluster

    with cluster(servers, app=APP) as c:
        for b in c.backends:
            asyncio.run(warm_up(b.url, "acumap", warm == "all"))
        out = asyncio.run(measure_saturation(c, sessions, seconds, seed, k))
        out.split = sessions_per_server(c)
    med, high, _ = stats(out.latencies)
    print(f"  {servers} server(s): {out.done} checked reruns in {out.seconds:.0f} s = {out.rate:.1f}/s, p50 {ms(med)}, "
          f"p95 {ms(high)}, errors {len(out.errors)}; server CPU {out.share(sum(out.server_cpu)):.0%} of one core, "
          f"load generator {out.share(out.own_cpu):.0%}, nginx {out.share(out.nginx_cpu):.0%}, other processes "
          f"{out.share(out.others):.0%}; all cores busy {out.machine_busy:.0%}", flush=True)
    return out


def run_throughput(replicas: int, sessions: int, seconds: float, seed: int, k: Knowledge,
                   warm: str = "all") -> tuple[SaturationRun, SaturationRun]:
    print(f"load: throughput, {sessions} students + 1 presenter with no think time for {seconds:g} s, on one server, "
          f"then on {replicas} behind nginx; seed {seed}", flush=True)
    one = run_saturation(1, sessions, seconds, seed, k, warm)
    many = run_saturation(replicas, sessions, seconds, seed, k, warm)
    print(f"  throughput ratio {replicas} servers / 1: {floor2(ratio(many, one)):.2f}", flush=True)
    return one, many


def throughput_verdict(one: SaturationRun, many: SaturationRun) -> tuple[bool, str]:
    r = ratio(many, one)
    errors = len(one.errors) + len(many.errors)
    met = r >= SCALING_TARGET and errors == 0
    return met, (f"throughput: target {'met' if met else 'NOT met'}: {many.servers} servers {floor2(r):.2f}× one "
                 f"(target ≥ {SCALING_TARGET:g}×); {errors} errors (target 0)")


def generator_limit(one: SaturationRun, many: SaturationRun) -> str:
    """What the shared machine allowed: whether the load generator was the limit, and the ratio the cores left
    to the servers could show at most."""
    cores = os.cpu_count() or 1
    own = many.share(many.own_cpu)
    bound = own >= CPU_BOUND
    # Cores the servers could have had in the N-server window: the rest went to the generator, nginx and others.
    left = cores - own - many.share(many.nginx_cpu) - many.share(many.others)
    per_server = one.share(sum(one.server_cpu))  # what one server used when it was alone
    ceiling = min(many.servers, left / per_server) if per_server > 0 else float("nan")
    pace = (f"it was CPU-bound (≥ {CPU_BOUND:.0%}), so the figures with {many.servers} servers are a floor: the "
            "generator, not the servers, set the pace" if bound else "it was not CPU-bound")
    return (f"The load generator (one Python process, one event loop) used {one.share(one.own_cpu):.0%} of one core "
            f"against one server and {own:.0%} against {many.servers}: {pace}. This machine has {cores} cores, shared "
            f"by the servers, nginx ({many.share(many.nginx_cpu):.0%} of one core with {many.servers} servers), the "
            f"generator and any other process ({one.share(one.others):.0%} / {many.share(many.others):.0%} of one core "
            f"in the two windows; all cores busy {one.machine_busy:.0%} / {many.machine_busy:.0%}). One "
            f"server alone used {per_server:.0%} of one core (one Python process); with {many.servers} servers about "
            f"{max(left, 0):.1f} cores were left to them, so the ratio this machine could show is at most about "
            f"{ceiling:.2f}×: a ratio measured here says what {many.servers} servers give on {cores} shared cores, not "
            "what they would give with a core each and the load generated elsewhere."
            + beyond_ceiling(one, many, ceiling)
            + (f" Other work used more than {BUSY_ELSEWHERE:.0%} of a core in a window (the kernel's share of the "
               "loopback traffic counts there too): the machine was not idle, and these figures are not the servers' "
               "own." if max(one.share(one.others), many.share(many.others)) > BUSY_ELSEWHERE else ""))


def beyond_ceiling(one: SaturationRun, many: SaturationRun, ceiling: float) -> str:
    """Why a measured ratio can pass that ceiling: it is worked out at one server's CPU a rerun, and a rerun
    may take less CPU when the sessions are shared by more servers."""
    r = ratio(many, one)
    if not (r > ceiling):
        return ""
    return (f" The measured {floor2(r):.2f}× is above it because a rerun took less server CPU with "
            f"{many.servers} servers ({ms(many.cpu_per_rerun())} against {ms(one.cpu_per_rerun())}): the ceiling, "
            "worked out at one server's CPU a rerun, is not a bound then.")


def throughput_lines(thru: tuple[SaturationRun, SaturationRun] | None) -> list[str]:
    if thru is None:
        return []
    one, many = thru
    lines = [
        "",
        f"## Throughput: 1 server and {many.servers}",
        "",
        f"The class's sessions ({one.sessions} students, half exploring, half taking the shared quiz, and the "
        "presenter) with no think time: each sends its next change as soon as its last rerun's answer is in and "
        f"checked (closed loop, saturation), for {one.seconds:.0f} s, first against one server, then against "
        f"{many.servers} servers, both behind the same nginx (deploy/cluster.py: fresh servers, each warmed first; "
        "each session with a route cookie of its own, fetched from nginx until each server holds an equal block of "
        "the class, so the same mix of sessions; a random draw may put 19 of 25 on one server), the same seed and "
        "sessions. Sessions per server: read back from nginx's access log (their websockets). Counted: reruns that "
        "finished inside the window and passed the class's checks (an error is counted apart); a rerun's latency is "
        "from sending the change to its last message. CPU: psutil, over the window.",
        "",
        "| servers | sessions per server | checked reruns | reruns / s | p50 | p95 | max | errors | server CPU "
        "(per server) | CPU a rerun | nginx CPU | load generator CPU | other processes' CPU | all cores busy |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in (one, many):
        med, high, top = stats(run.latencies)
        each = " + ".join(f"{c:.1f}" for c in run.server_cpu)
        done_each = f" ({' + '.join(map(str, run.done_by_server))})" if len(run.done_by_server) > 1 else ""
        lines.append(
            f"| {run.servers} | {' / '.join(map(str, run.split)) or '—'} | {run.done}{done_each} | {run.rate:.1f} | "
            f"{ms(med)} | "
            f"{ms(high)} | {ms(top)} | {len(run.errors)} | {sum(run.server_cpu):.1f} s ({each}; "
            f"{run.share(sum(run.server_cpu)):.0%} of one core) | {ms(run.cpu_per_rerun())} | "
            f"{run.share(run.nginx_cpu):.0%} | {run.share(run.own_cpu):.0%} of one core | "
            f"{run.share(run.others):.0%} | {run.machine_busy:.0%} |")
    lines += ["", f"**Throughput with {many.servers} servers: {floor2(ratio(many, one)):.2f}× one** ({many.rate:.1f} "
              f"against {one.rate:.1f} checked reruns a second). **{throughput_verdict(one, many)[1]}**",
              "", generator_limit(one, many)]
    shown = [e for run in thru for e in run.errors][:5]
    if shown:
        lines += ["", "First throughput errors:", *[f"- `{e[:200]}`" for e in shown]]
    return lines

