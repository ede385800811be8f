"""A private PostgreSQL server from Debian's `postgresql` package, for the class store's tests.

One server per test run, in a temporary folder on a free 127.0.0.1 port, started on first use and
stopped when the run ends; each test gets a fresh database on it. initdb refuses to run as root, so as
root the server tools run as the `postgres` user the package creates. Where PostgreSQL is missing the
tests skip with the reason, except under CI=true, where they fail: a CI run must not pass without it.
"""

from __future__ import annotations

import atexit
import functools
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.support.live import free_port


@dataclass
class Server:
    folder: Path
    port: int
    prefix: list[str]  # runs a server tool as the right user
    bin: Path

    def url(self, db: str) -> str:
        return f"postgresql+psycopg://acumap@127.0.0.1:{self.port}/{db}"

    def tool(self, name: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.prefix, str(self.bin / name), *args], capture_output=True, text=True,
                              timeout=120)

    def start(self) -> None:
        out = self.tool("pg_ctl", "-D", str(self.folder / "data"), "-o",
                        f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
                        "-l", str(self.folder / "log"), "-w", "start")
        if out.returncode != 0:
            log = (self.folder / "log").read_text(errors="replace") if (self.folder / "log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {out.stderr.strip()} {log[-500:]}")

    def stop(self) -> None:
        self.tool("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def sql(self, statement: str, db: str = "postgres") -> None:
        """One statement outside a transaction, on database `db` (the server's own `postgres` by default)."""
        with psycopg.connect(host="127.0.0.1", port=self.port, user="acumap", dbname=db,
                             autocommit=True) as conn:
            conn.execute(statement)

    def createdb(self) -> str:
        name = "t" + uuid.uuid4().hex[:12]
        self.sql(f"CREATE DATABASE {name}")
        return name

    def dropdb(self, name: str) -> None:
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    @functools.cached_property
    def shared(self) -> str:
        """One database for the run's store tests, each in a schema of its own (see fresh_schema)."""
        return self.createdb()

    def fresh_schema(self) -> tuple[str, str]:
        """A new empty schema in the shared database and a URL whose connections find only it (their
        search_path): as empty as a new database for the store, in a few ms instead of CREATE DATABASE's
        quarter of a second (40-odd store tests a run). The schema's name and the URL."""
        name = "s" + uuid.uuid4().hex[:12]
        self.sql(f"CREATE SCHEMA {name}", self.shared)
        return name, f"{self.url(self.shared)}?options=-csearch_path%3D{name}"

    def drop_schema(self, name: str) -> None:
        self.sql(f"DROP SCHEMA IF EXISTS {name} CASCADE", self.shared)


def bin_dir() -> Path | None:
    """Debian's newest server tools; ACUMAP_PG_BIN names another folder (a test of the missing case
    points it at nothing)."""
    override = os.environ.get("ACUMAP_PG_BIN")
    if override:
        return Path(override) if (Path(override) / "initdb").is_file() else None
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@functools.cache
def server() -> Server:
    """The run's server, started on first call; raises RuntimeError with the reason it cannot be."""
    bindir = bin_dir()
    if bindir is None:
        raise RuntimeError("Debian's postgresql package is not installed (apt-get install postgresql; "
                           "`make install-test` does it)")
    folder = Path(tempfile.mkdtemp(prefix="acumap-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    srv = Server(folder, free_port(), prefix, bindir)
    out = srv.tool("initdb", "-D", str(folder / "data"), "-A", "trust", "-U", "acumap", "--no-sync")
    if out.returncode != 0:
        raise RuntimeError(f"initdb failed: {out.stderr.strip()[:300]}")
    srv.start()

    def stop() -> None:
        srv.stop()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    return srv


def require() -> Server:
    try:
        return server()
    except RuntimeError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL is needed under CI: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL not available: {exc}")
