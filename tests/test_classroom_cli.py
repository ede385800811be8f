"""`python -m acumap class ...`: a teacher's or a script's way into the live class store, on SQLite and
PostgreSQL. Students are played by the store itself on the same database, as another server would."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from acumap.classroom import ClassError, Classroom, Settings
from acumap.classroom.store import round_questions
from acumap.cli import main
from acumap.teach.quiz import CLICK
from tests.support.classdb import db_url_fixture  # noqa: F401 (fixture)
from tests.support.live import free_port

REPO = Path(__file__).resolve().parents[1]
BASE = "http://class.test:8501"


def run(*args: str, env: dict[str, str], real: bool = False) -> subprocess.CompletedProcess[str]:
    """`python -m acumap class ARGS` with `env` in place of the ACUMAP_CLASS_* settings. In this process
    (the same `main` the module runs, about a second less per call) unless `real`: a process of its own,
    for the tests that hold the exit status and the streams as a shell sees them."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("ACUMAP_CLASS_")}
    full = {**inherited, "PYTHONPATH": str(REPO / "src"), **env}
    if real:
        return subprocess.run([sys.executable, "-m", "acumap", "class", *args], capture_output=True, text=True,
                              env=full, cwd=REPO, timeout=120)
    out, err, saved = io.StringIO(), io.StringIO(), dict(os.environ)
    os.environ.clear()
    os.environ.update(full)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["class", *args])
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(list(args), status, out.getvalue(), err.getvalue())


def one_line_error(out: subprocess.CompletedProcess[str], status: int) -> str:
    assert out.returncode == status, out.stderr
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    return lines[0]


@pytest.fixture
def env(db_url: str) -> dict[str, str]:
    return {"ACUMAP_CLASS_DB_URL": db_url, "ACUMAP_PUBLIC_URL": BASE}


def test_create_status_results_end(env: dict[str, str], db_url: str) -> None:
    out = run("create", "--lang", "ru", "--seed", "7", env=env)
    assert out.returncode == 0, out.stderr
    made = json.loads(out.stdout)
    assert set(made) == {"code", "teacher_key", "join_url"}
    code, key = made["code"], made["teacher_key"]
    assert made["join_url"] == f"{BASE}/?class={code}"

    store = Classroom(Settings(db_url=db_url))  # the students' side
    ann, bob = store.join(code, "Аня <b>"), store.join(code, "")
    store.set_step(code, key, 2, "lumbar", "sedative", "III", "ru")
    qs = round_questions("ru", 7, 10)
    idx = next(i for i, q in enumerate(qs) if q.kind != CLICK)
    store.ask(code, key, idx)
    store.answer(code, ann.student_key, 1, qs[idx].correct)
    wrong = next(c for c in qs[idx].choices if c.key != qs[idx].correct)
    store.answer(code, bob.student_key, 1, wrong.key)

    out = run("status", code, "--key", key, env=env)
    assert out.returncode == 0, out.stderr
    status = json.loads(out.stdout)
    assert status["state"] == "open" and status["lang"] == "ru"
    assert [(s["number"], s["nickname"]) for s in status["students"]] == [(1, "Аня <b>"), (2, "")]
    assert {k: status["step"][k] for k in ("step", "region", "method", "stage", "lang")} == \
        {"step": 2, "region": "lumbar", "method": "sedative", "stage": "III", "lang": "ru"}
    assert status["question"]["number"] == 1 and status["question"]["answered"] == 2
    assert status["question"]["prompt"] == qs[idx].prompt and status["question"]["revealed"] is False
    assert [(a["student"], a["correct"]) for a in status["answers"]] == [(1, True), (2, False)]

    out = run("results", code, "--key", key, "--csv", env=env)
    assert out.returncode == 0, out.stderr
    table = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["nickname"], r["question"], r["answer"], r["correct"]) for r in table] == [
        ("Аня <b>", qs[idx].prompt, next(c.text for c in qs[idx].choices if c.key == qs[idx].correct), "yes"),
        ("", qs[idx].prompt, wrong.text, "no"),
    ]
    out = run("results", code, "--key", key, env=env)
    assert [(s["nickname"], s["right"]) for s in json.loads(out.stdout)["scores"]] == [("Аня <b>", 1), ("", 0)]

    out = run("end", code, "--key", key, env=env)
    assert out.returncode == 0, out.stderr
    with pytest.raises(ClassError) as exc:
        store.view(code)
    assert exc.value.reason == "class.ended"
    assert json.loads(run("status", code, "--key", key, env=env).stdout)["state"] == "ended"

    out = run("delete", code, "--key", key, env=env)
    assert out.returncode == 0, out.stderr
    assert one_line_error(run("status", code, "--key", key, env=env), 2) == f"acumap: error: there is no class {code}"
    store.close()


def test_the_key_may_come_from_the_environment(env: dict[str, str]) -> None:
    made = json.loads(run("create", env=env).stdout)
    out = run("status", made["code"], env={**env, "ACUMAP_CLASS_KEY": made["teacher_key"]})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["code"] == made["code"]


def test_a_wrong_code_or_key_is_one_line_and_status_2(env: dict[str, str]) -> None:
    made = json.loads(run("create", env=env).stdout)
    code, key = made["code"], made["teacher_key"]
    # Once as a shell sees it: status 2 and one line on stderr from a process of its own.
    assert "wrong teacher key" in one_line_error(run("status", code, "--key", key + "x", env=env, real=True), 2)
    for action in (["status"], ["results"], ["results", "--csv"], ["end"], ["delete"]):
        line = one_line_error(run(action[0], code, "--key", key + "x", *action[1:], env=env), 2)
        assert line == f"acumap: error: wrong teacher key for class {code}"
    other = "ACEFHJ" if code != "ACEFHJ" else "KMNPRT"
    for action in ("status", "end"):
        assert f"there is no class {other}" in one_line_error(run(action, other, "--key", key, env=env), 2)
        assert "is not a class code" in one_line_error(run(action, "0O1IL", "--key", key, env=env), 2)
        assert "teacher key is needed" in one_line_error(run(action, code, env=env), 2)
    # The wrong keys changed nothing: the class is still open.
    assert json.loads(run("status", code, "--key", key, env=env).stdout)["state"] == "open"


def test_the_database_unavailable_is_one_line_and_status_1() -> None:
    env = {"ACUMAP_CLASS_DB_URL": f"postgresql://acumap:s3cret@127.0.0.1:{free_port()}/none",
           "ACUMAP_CLASS_DB_TIMEOUT": "2"}
    line = one_line_error(run("create", env=env, real=True), 1)
    assert "class database" in line and "unavailable" in line and "s3cret" not in line


def test_a_bad_setting_is_one_line_and_status_1(tmp_path: Path) -> None:
    line = one_line_error(run("create", env={"ACUMAP_STATE_DIR": str(tmp_path),
                                             "ACUMAP_CLASS_RETENTION_DAYS": "soon"}), 1)
    assert "ACUMAP_CLASS_RETENTION_DAYS" in line


def test_sqlite_is_made_on_first_use_in_the_state_folder(tmp_path: Path) -> None:
    state = tmp_path / "new" / "state"
    out = run("create", env={"ACUMAP_STATE_DIR": str(state)}, real=True)
    assert out.returncode == 0, out.stderr
    assert (state / "classes.sqlite3").is_file()
    assert json.loads(out.stdout)["join_url"].startswith("http://localhost:8501/?class=")
