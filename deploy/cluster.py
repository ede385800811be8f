"""Several acumap servers behind Debian's nginx on this machine, without Docker: `make cluster`, or
`.venv/bin/python deploy/cluster.py [--servers 3] [--port 8080] [--host 127.0.0.1]`.

Starts N `streamlit run app.py` servers on free 127.0.0.1 ports (one shared cookie secret, as
deploy/compose.yaml sets), then nginx with deploy/nginx.conf itself, rendered for a local run: the
upstream lists those ports instead of compose's app1..appN, nginx listens on --host:--port, and its
log, cache and temp paths go to a temp folder. Ctrl-C (or SIGTERM) stops nginx and every server and
removes the folder. tests/test_cluster.py drives the same code (`cluster()`)."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NGINX_CONF = REPO / "deploy" / "nginx.conf"
APP = REPO / "app.py"
START_TIMEOUT = 90.0  # seconds for every server and nginx to answer their health check
MAX_SERVERS = 16
USAGE = "deploy/cluster.py [--servers N] [--port PORT] [--host ADDRESS]"
# The unprivileged user nginx's workers run as when it is started as root (Debian's own nginx.conf uses it).
WORKER_USER = "www-data"
# The access log line deploy/nginx.conf writes (log_format acumap).
LOG_LINE = re.compile(r'"(?P<request>[^"]*)" (?P<status>\d+) \d+ route=(?P<route>\S+) upstream="(?P<upstream>[^"]*)"')


class ClusterError(RuntimeError):
    """Something this machine lacks or refuses (no nginx, a busy port): one line for the user."""


@dataclass
class Backend:
    port: int
    process: subprocess.Popen

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"


@dataclass
class LogLine:
    request: str  # "GET / HTTP/1.1": method, path and protocol; the query is not logged (deploy/nginx.conf)
    status: int
    route: str  # the acumap_route cookie (or, on a browser's first request, the id that becomes it)
    upstreams: list[str]  # the servers nginx tried, in order; the last one answered

    @property
    def path(self) -> str:
        parts = self.request.split(" ")
        return parts[1] if len(parts) > 1 else ""


@dataclass
class Cluster:
    url: str  # http://HOST:PORT, nginx
    folder: Path  # nginx.conf, access.log, error.log, one log per server
    backends: list[Backend]
    nginx: subprocess.Popen

    def access_log(self) -> list[LogLine]:
        """nginx's access log so far (each request is written when it ends; a websocket when it closes)."""
        path = self.folder / "access.log"
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if path.exists() else []
        out = []
        for line in lines:
            m = LOG_LINE.search(line)
            if m:
                ups = [u.strip() for u in m["upstream"].split(",") if u.strip() not in ("", "-")]
                out.append(LogLine(m["request"], int(m["status"]), m["route"], ups))
        return out

    def backend(self, address: str) -> Backend:
        for b in self.backends:
            if b.address == address:
                return b
        raise KeyError(address)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def nginx_path() -> str:
    # Debian installs it in /usr/sbin, which a normal user's PATH may lack.
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)),
                                          None)
    if found is None:
        raise ClusterError("nginx is not installed: `make cluster` installs Debian's package "
                           "(or: sudo apt-get install nginx)")
    return found


def _sub(pattern: str, repl: str, text: str, what: str, flags: int = re.M) -> str:
    new, n = re.subn(pattern, lambda _m: repl, text, flags=flags)
    if n != 1:
        raise ClusterError(f"deploy/nginx.conf: expected one {what}, found {n}")
    return new


def render(conf: str, ports: list[int], listen: str, folder: Path, work: Path | None = None,
           worker_user: str | None = None) -> str:
    """deploy/nginx.conf for a local run: the upstream's servers become 127.0.0.1:PORT (with the
    same max_fails / fail_timeout), nginx listens on `listen` (HOST:PORT), the access and error logs
    go to `folder` and the static cache and temp files to `work` (default: `folder`). Everything
    else (affinity, websockets, gzip, headers) is the file as compose mounts it."""
    work = folder if work is None else work
    if not ports:
        raise ClusterError("at least one app server is needed")
    start = conf.index("upstream acumap {")
    end = conf.index("}", start)
    block = conf[start:end]
    pattern = re.compile(r"^([ \t]*)server [\w.-]+:\d+((?: [^;\n]+)?);\n", re.M)
    first = pattern.search(block)
    if first is None:
        raise ClusterError("deploy/nginx.conf: no `server` line in `upstream acumap`")
    local = "".join(f"{first[1]}server 127.0.0.1:{port}{first[2]};\n" for port in ports)
    # compose's servers out, ours in where the first one was.
    block = block[:first.start()] + local + pattern.sub("", block[first.start():])
    conf = conf[:start] + block + conf[end:]
    conf = _sub(r"^[ \t]*listen 80;", f"        listen {listen};", conf, "`listen 80;`")
    conf = _sub(r"/var/cache/nginx/acumap\b", str(work / "cache"), conf, "static cache path")
    conf = _sub(r"/var/log/nginx/access\.log\b", str(folder / "access.log"), conf, "access log path")
    temp = "".join(f"    {name}_temp_path {work / 'temp' / name};\n"
                   for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = _sub(r"^http \{\n", "http {\n" + temp, conf, "`http {` block")
    top = f"error_log {folder / 'error.log'} warn;\n"
    if worker_user:
        top += f"user {worker_user};\n"
    return top + conf


def _last_error(log: Path) -> str:
    """The log's first line at nginx's [emerg] level (else its last line), without the timestamp."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    line = next((ln for ln in lines if "[emerg]" in ln), lines[-1] if lines else "no message")
    return re.sub(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[\w+\] \d+#\d+: ", "", line)


def _check_port_free(host: str, port: int) -> None:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise ClusterError(f"cannot listen on {host}:{port} ({exc.strerror}): choose another port "
                               "(--port, or make cluster CLUSTER_PORT=...)") from None


def wait_health(url: str, deadline: float, process: subprocess.Popen, exited: Callable[[], str],
                late: str) -> None:
    """Poll `url`'s health check until it says ok. A process that ends first raises with `exited()`
    (its last words), one that is still silent at `deadline` with `late`. The tests' single server
    (tests/support/live.py) waits the same way."""
    while True:
        if process.poll() is not None:
            raise ClusterError(exited())
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ClusterError(late)
        time.sleep(0.2)


def _wait_health(url: str, deadline: float, process: subprocess.Popen, name: str, log: Path) -> None:
    wait_health(url, deadline, process, lambda: f"{name} exited with status {process.returncode}: {_last_error(log)}",
                f"{name} did not answer on {url} within {START_TIMEOUT:.0f} s")


def _stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _start_server(port: int, folder: Path, env: dict[str, str], app: Path) -> Backend:
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    with open(folder / f"server-{port}.log", "wb") as log:  # a file, not a pipe nobody reads
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    return Backend(port, proc)


@contextlib.contextmanager
def cluster(servers: int = 3, port: int | None = None, host: str = "127.0.0.1", folder: Path | None = None,
            app: Path = APP) -> Iterator[Cluster]:
    """N app servers and nginx in front, all stopped on exit. `folder` (kept) holds the config and
    the logs; without it a temp folder is made and removed."""
    if not 1 <= servers <= MAX_SERVERS:
        raise ClusterError(f"--servers must be between 1 and {MAX_SERVERS}, not {servers}")
    nginx = nginx_path()
    if port is not None:
        _check_port_free(host, port)  # before starting anything
    own_folder = folder is None
    folder = Path(tempfile.mkdtemp(prefix="acumap-cluster-")) if folder is None else folder
    folder.mkdir(parents=True, exist_ok=True)
    # The cache and temp files, written by nginx's workers: a folder of their own, which an
    # unprivileged worker can reach even where `folder` sits in a private (0700) tree.
    work = Path(tempfile.mkdtemp(prefix="acumap-nginx-"))
    backends: list[Backend] = []
    proxy: subprocess.Popen | None = None
    try:
        path = os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": path,
               # One secret for all servers, as in compose: it signs Streamlit's XSRF cookie, which a
               # browser keeps when its server dies and nginx sends it to another.
               "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
        deadline = time.monotonic() + START_TIMEOUT
        for _ in range(servers):
            backends.append(_start_server(free_port(), folder, env, app))
        for b in backends:
            _wait_health(b.url, deadline, b.process, f"app server {b.address}", folder / f"server-{b.port}.log")

        worker_user = None
        if os.geteuid() == 0:
            # As root, nginx's workers drop to an unprivileged user, who must write the cache and temp files.
            worker_user = WORKER_USER
            work.chmod(0o755)
        for sub in ("cache", "temp"):
            (work / sub).mkdir()
            if worker_user:
                shutil.chown(work / sub, user=worker_user)
        listen_port = port if port is not None else free_port(host)
        listen = f"{host}:{listen_port}"
        conf = folder / "nginx.conf"
        conf.write_text(render(NGINX_CONF.read_text(encoding="utf-8"), [b.port for b in backends], listen, folder,
                               work, worker_user), encoding="utf-8")
        error_log = folder / "error.log"
        # -e: the error log before the config is read (Debian's default, stderr, would also do; the
        # packaged /var/log/nginx is root's). pid: not the system nginx's /run/nginx.pid.
        cmd = [nginx, "-p", str(folder), "-c", str(conf), "-e", str(error_log),
               "-g", f"daemon off; pid {folder / 'nginx.pid'};"]
        with open(folder / "nginx.out", "wb") as out:
            proxy = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{listen_port}"
        _wait_health(url, deadline, proxy, "nginx", error_log)
        yield Cluster(url, folder, backends, proxy)
    finally:
        if proxy is not None:
            _stop(proxy)
        for b in backends:  # all at once: each takes about 2 s to exit
            if b.process.poll() is None:
                b.process.terminate()
        for b in backends:
            _stop(b.process)
        shutil.rmtree(work, ignore_errors=True)
        if own_folder:
            shutil.rmtree(folder, ignore_errors=True)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage block, no traceback
        print(f"deploy/cluster.py: error: {message} (usage: {USAGE})", file=sys.stderr)
        raise SystemExit(2)


def _terminate(_signum, _frame) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the cluster as Ctrl-C does


def main(argv: list[str]) -> int:
    parser = _Parser(prog="deploy/cluster.py", usage=USAGE, description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=3, help="app servers behind nginx (default 3)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="nginx's address (default 127.0.0.1; 0.0.0.0 to serve a class over the network)")
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535:
        parser.error(f"--port must be between 1 and 65535, not {args.port}")
    signal.signal(signal.SIGTERM, _terminate)
    try:
        with cluster(args.servers, args.port, args.host) as c:
            ports = ", ".join(str(b.port) for b in c.backends)
            print(f"acumap: {len(c.backends)} servers (127.0.0.1 ports {ports}) behind nginx at {c.url}"
                  " - Ctrl-C stops them", flush=True)
            reported: set[int] = set()
            while c.nginx.poll() is None:
                for b in c.backends:
                    if b.process.poll() is not None and b.port not in reported:
                        reported.add(b.port)
                        print(f"acumap: the server on port {b.port} stopped (status {b.process.returncode}); "
                              "nginx sends its browsers to the others", flush=True)
                time.sleep(1.0)
            print(f"acumap: nginx stopped (status {c.nginx.returncode}); stopping the servers", file=sys.stderr)
            return 1
    except ClusterError as exc:
        print(f"deploy/cluster.py: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("acumap: stopped", flush=True)
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
