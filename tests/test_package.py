"""The acumap package stays free of Streamlit (app.py and ui/ are the only Streamlit code), so the CLI, the
benchmark and other front ends can use it as it is."""

from __future__ import annotations

import ast
import os
import pkgutil
import subprocess
import sys

import acumap
from tests.support.paths import REPO

SRC = REPO / "src" / "acumap"
# __main__ runs the command line when imported; what it imports is checked through acumap.cli.
MODULES = sorted(m.name for m in pkgutil.walk_packages([str(SRC)], prefix="acumap.") if m.name != "acumap.__main__")


def test_no_module_of_the_package_imports_streamlit() -> None:
    wanted = {"acumap.teach.links", "acumap.cli", "acumap.classroom.store", "acumap.protocol.types"}
    assert wanted <= set(MODULES), MODULES
    # Written anywhere in a module, even inside a function that runs only now and then.
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(SRC)}:{node.lineno} {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert found == []
    # Nor brought in by what the modules import: every module imported in a fresh interpreter.
    modules = ", ".join(MODULES)
    code = f"import sys; import {modules}; print(sorted(m for m in sys.modules if m.startswith('streamlit')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]", out.stdout[:500]
    assert acumap.__file__ and SRC.samefile(os.path.dirname(acumap.__file__))  # the package checked is this one


def test_no_module_of_the_package_asserts() -> None:
    # An assert vanishes under python -O: what it guarded then fails further on, on a None, with no word of why.
    found = [f"{path.relative_to(SRC).as_posix()}:{node.lineno}" for path in sorted(SRC.rglob("*.py"))
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Assert)]
    assert len(list(SRC.rglob("*.py"))) > 30 and found == []
