"""The package's folders are layers: a module imports only from its own subpackage and the layers below
it (the order is in each subpackage's __init__ and docs/development.md), so the data and the planner
never come to depend on a chart, a screen's HTML or the class store."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import REPO

SRC = REPO / "src" / "acumap"
# The rank of each part; a part may import parts of a lower rank, never one of its own rank beside it.
RANK = {
    "data": 0, "style": 0,
    "plan": 1,
    "protocol": 2,
    "charts": 3, "teach": 3,
    "html": 4, "output": 4, "classroom": 4,
    "cli": 5, "__init__": 5,
    "__main__": 6,
}


def part_of(module: str) -> str:
    """acumap.plan.points -> plan; acumap.style -> style; acumap (the package's own __init__) -> __init__."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    names = list(rel.parts)
    return ".".join(names[:-1] if names[-1] == "__init__" and len(names) > 2 else names)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every acumap module a file imports, wherever in the file (a function's own import counts)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "acumap"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "acumap":
            if node.module == "acumap":  # from acumap import planner-level names or a subpackage
                found += [(node.lineno, f"acumap.{a.name}" if a.name in RANK else "acumap") for a in node.names]
            else:
                found.append((node.lineno, node.module or ""))
    return found


def breaches(path: Path, as_if: Path | None = None) -> list[str]:
    """The imports of `path` that reach a layer above or beside it, judged as if the file stood at `as_if`."""
    where = as_if or path
    mine = part_of(module_name(where))
    out = []
    for line, target in imports_of(path):
        theirs = part_of(target)
        if theirs == mine:
            continue
        if theirs not in RANK:
            out.append(f"{where.relative_to(REPO)}:{line} imports {target}: a part with no rank")
        elif RANK[theirs] >= RANK[mine]:
            out.append(f"{where.relative_to(REPO)}:{line} ({mine}) imports {target} ({theirs})")
    return out


def test_every_part_of_the_package_has_a_rank() -> None:
    parts = {p.stem if p.is_file() else p.name for p in SRC.iterdir()
             if (p.suffix == ".py" or (p / "__init__.py").exists())}
    assert parts == set(RANK), parts ^ set(RANK)


def test_no_module_imports_from_a_layer_above_or_beside_it() -> None:
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 50
    assert [b for path in files for b in breaches(path)] == []


@pytest.mark.parametrize(("where", "line", "rank_word"), [
    ("data/loading.py", "from acumap.plan.planner import make_plan", "(data) imports acumap.plan.planner (plan)"),
    ("charts/figures.py", "from acumap.teach import quiz", "(charts) imports acumap.teach (teach)"),
    ("plan/points.py", "import acumap.output.card", "(plan) imports acumap.output.card (output)"),
    ("html/explore.py", "from acumap.classroom import Classroom", "(html) imports acumap.classroom (classroom)"),
])
def test_a_breach_is_found(tmp_path: Path, where: str, line: str, rank_word: str) -> None:
    # A copy of one module with one import added upwards (or sideways) is caught, with its line.
    copy = SRC / where
    text = copy.read_text(encoding="utf-8") + f"\n\ndef _late() -> None:\n    {line}\n"
    fake = tmp_path / "probe.py"
    fake.write_text(text, encoding="utf-8")
    found = breaches(fake, as_if=copy)
    assert len(found) == 1 and rank_word in found[0], found

