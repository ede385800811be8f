"""`python -m acumap plan` prints the same document as the app's download, and refuses bad input
with one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from acumap import make_plan
from acumap.data.loading import Knowledge
from acumap.plan.presenting import plan_document
from tests.support.paths import REPO


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "acumap", *args], capture_output=True, text=True,
                          env=full_env, cwd=REPO, timeout=60)


@pytest.mark.parametrize(("region", "method", "stage"),
                         [("cervical", "sedative", "I"), ("thoracic", "combined", "III"), ("lumbar", "exciting", "IV")])
def test_plan_prints_the_download_document(k: Knowledge, region: str, method: str, stage: str) -> None:
    out = run("plan", "--region", region, "--method", method, "--stage", stage)
    assert out.returncode == 0, out.stderr
    assert out.stdout == plan_document(k, make_plan(k, region, method, stage))
    assert json.loads(out.stdout)["region"] == region


def test_both_is_the_combined_method(k: Knowledge) -> None:
    out = run("plan", "--region", "thoracic", "--method", "both", "--stage", "II")
    assert out.returncode == 0, out.stderr
    assert out.stdout == plan_document(k, make_plan(k, "thoracic", "combined", "II"))
    assert json.loads(out.stdout)["method"] == "combined"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["plan", "--region", "neck", "--method", "sedative", "--stage", "I"],
         "invalid choice: 'neck' (choose from 'cervical', 'thoracic', 'lumbar')"),
        (["plan", "--region", "lumbar", "--method", "relaxing", "--stage", "I"],
         "invalid choice: 'relaxing' (choose from 'exciting', 'combined', 'sedative')"),
        (["plan", "--region", "lumbar", "--method", "Both", "--stage", "I"],
         "invalid choice: 'Both' (choose from 'exciting', 'combined', 'sedative')"),
        (["plan", "--region", "lumbar", "--method", "sedative", "--stage", "5"],
         "invalid choice: '5' (choose from 'I', 'II', 'III', 'IV')"),
        (["plan", "--region", "lumbar"], "the following arguments are required: --method, --stage"),
        (["draw"], "invalid choice: 'draw' (choose from 'plan', 'class')"),
        ([], "the following arguments are required: {plan,class}"),
    ],
)
def test_bad_arguments_give_one_line_and_status_2(args: list[str], expected: str) -> None:
    out = run(*args)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr
    assert expected in lines[0]


def test_broken_data_gives_one_line_and_status_1(data_copy: Path) -> None:
    (data_copy / "regions.toml").write_text("[cervical\n", encoding="utf-8")
    out = run("plan", "--region", "lumbar", "--method", "sedative", "--stage", "I",
              env={"ACUMAP_DATA_DIR": str(data_copy)})
    assert out.returncode == 1
    assert out.stderr.startswith("acumap: data error: data/regions.toml: not valid TOML")
    assert len(out.stderr.strip().splitlines()) == 1


def test_a_missing_data_folder_gives_one_line_naming_the_folder(tmp_path: Path) -> None:
    out = run("plan", "--region", "lumbar", "--method", "sedative", "--stage", "I",
              env={"ACUMAP_DATA_DIR": str(tmp_path / "nowhere")})
    assert out.returncode == 1
    assert out.stderr.strip() == (f"acumap: data error: {tmp_path / 'nowhere'}: the data folder does not exist "
                                  "(set by ACUMAP_DATA_DIR)")
