"""The exports' font (issue 29): make installs the page's Source Sans for the server's Chromium
(deploy/install_fonts.py), and the files ask for it first. The card PDF's embedded fonts are checked in
tests/browser/test_exports.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from acumap.style import FILE_FONT
from tests.support.paths import REPO

sys.path.insert(0, str(REPO / "deploy"))
import install_fonts  # noqa: E402


@pytest.fixture(scope="module")
def faces() -> list[Path]:
    """The faces make installed on this machine (making them takes half a minute: not done again here)."""
    paths = [install_fonts.default_target() / f"{stem}.ttf" for stem in install_fonts.FACES]
    assert all(p.exists() for p in paths), "make did not install the page's font (deploy/install_fonts.py)"
    return paths


def test_the_faces_are_named_as_the_pages_font(faces: list[Path]) -> None:
    assert [p.name for p in faces] == ["SourceSans-Regular.ttf", "SourceSans-Bold.ttf", "SourceSans-Italic.ttf",
                                       "SourceSans-BoldItalic.ttf"]
    found = []
    for path in faces:
        font = TTFont(path)
        assert "fvar" not in font  # a static face: fontconfig and Chromium take its weight as it is
        found.append((font["name"].getDebugName(1), font["name"].getDebugName(2), font["OS/2"].usWeightClass,
                      bool(font["head"].macStyle & 2)))
    assert found == [("Source Sans", "Regular", 400, False), ("Source Sans", "Bold", 700, False),
                     ("Source Sans", "Italic", 400, True), ("Source Sans", "Bold Italic", 700, True)]
    # the family the page's CSS names (Streamlit: font-family "Source Sans"), first in the files' font
    assert FILE_FONT.startswith("'Source Sans',")


def test_a_second_install_from_the_same_source_writes_nothing(faces: list[Path]) -> None:
    times = [p.stat().st_mtime_ns for p in faces]
    assert install_fonts.install(faces[0].parent) == faces
    assert [p.stat().st_mtime_ns for p in faces] == times


def test_fontconfig_finds_the_installed_face_by_the_pages_name() -> None:
    # What make installed on this machine: the exports' Chromium asks fontconfig for "Source Sans".
    fc_match = shutil.which("fc-match")
    assert fc_match, "fontconfig missing: make installs Debian's chromium, which brings it"
    for pattern, stem in (("Source Sans", "SourceSans-Regular"), ("Source Sans:bold", "SourceSans-Bold")):
        out = subprocess.run([fc_match, "--format=%{file}", pattern], capture_output=True, text=True, timeout=30)
        assert Path(out.stdout).parent == install_fonts.default_target() and Path(out.stdout).stem == stem, out.stdout


def test_a_wrong_argument_is_one_line_and_status_2() -> None:
    out = subprocess.run([sys.executable, str(REPO / "deploy" / "install_fonts.py"), "--nope"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 2 and "unrecognized arguments: --nope" in out.stderr.strip().splitlines()[-1]


def test_a_missing_source_is_one_line_and_status_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    def none() -> dict:
        raise FileNotFoundError("no Source Sans (upright, italic) in /nowhere: is streamlit installed?")

    monkeypatch.setattr(install_fonts, "streamlit_fonts", none)
    assert install_fonts.main(["--target", str(tmp_path)]) == 1
    assert capsys.readouterr().err.strip() == ("install_fonts: no Source Sans (upright, italic) in /nowhere: "
                                                "is streamlit installed?")
