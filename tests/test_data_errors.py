"""A broken data file stops start-up with one line naming the file, the entry and the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from acumap import DataError, load_knowledge


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _message(folder: Path) -> str:
    with pytest.raises(DataError) as caught:
        load_knowledge(folder)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_invalid_toml_names_the_file_and_the_line(data_copy: Path) -> None:
    _edit(data_copy / "session.toml", 'unit = "needles"', 'unit = "needles')
    message = _message(data_copy)
    assert message.startswith("data/session.toml: not valid TOML")
    assert re.search(r"line \d+", message)


def test_a_wrong_type_names_entry_and_field(data_copy: Path) -> None:
    _edit(data_copy / "session.toml", "min = 6\nmax = 7", 'min = 6\nmax = "seven"')
    message = _message(data_copy)
    assert message.startswith("data/session.toml: needles[3] (A, line 204): field 'max':")


def test_min_above_max_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "session.toml", "min = 20\nmax = 30", "min = 40\nmax = 30")
    assert _message(data_copy) == (
        "data/session.toml: retention[1] (A, line 217): min 40 is greater than max 30"
    )


def test_unknown_article_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "cautions.toml", '{ source = "A", line = 128', '{ source = "E", line = 128')
    message = _message(data_copy)
    assert message.startswith("data/cautions.toml: contraindications[2] ('fever'): field 'source': unknown article 'E'")


def test_line_outside_its_article_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "stages.toml", "line = 240", "line = 40")
    message = _message(data_copy)
    assert message == "data/stages.toml: I: field 'line': line 40 is outside article B (lines 229-434)"


def test_a_quote_over_twenty_words_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "methods.toml", 'quote = "In special cases, the specialist uses two options at once."',
          'quote = "' + "word " * 21 + '"')
    message = _message(data_copy)
    assert message.startswith("data/methods.toml: combined: field 'evidence.1':")
    assert "21 words" in message


def test_unknown_region_in_a_fact_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "session.toml", 'regions = ["cervical"]', 'regions = ["neck"]')
    assert "field 'regions': unknown region 'neck'" in _message(data_copy)


def test_a_marker_outside_its_zone_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "regions.toml", '{ level = "below L3", x = 0.0 }', '{ level = "below T3", x = 0.0 }')
    assert _message(data_copy) == (
        "data/regions.toml: lumbar: field 'markers.0': marker at below T3, x=0 lies outside the zone"
    )


def test_an_unknown_level_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "points.toml", 'level = "below T1"\noffset = 3.0', 'level = "below T13"\noffset = 3.0')
    message = _message(data_copy)
    assert message.startswith("data/points.toml: points[7] ('SI14'): field 'level': unknown level 'below T13'")


def test_a_missing_label_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "strings" / "en.toml", 'fever = "Raised body temperature"\n', "")
    assert _message(data_copy) == (
        "data/cautions.toml: contraindications[2] ('fever'): no label 'caution.fever' in data/strings/en.toml"
    )


def test_a_missing_file_is_named(data_copy: Path) -> None:
    (data_copy / "safety.toml").unlink()
    assert _message(data_copy) == "data/safety.toml: file is missing"


def test_a_danger_depth_for_an_unknown_point_is_refused(data_copy: Path) -> None:
    _edit(data_copy / "safety.toml", 'point = "SI14"', 'point = "SI99"')
    assert _message(data_copy) == (
        "data/safety.toml: danger_depths[1] ('SI99'): field 'point': 'SI99' is not in data/points.toml"
    )


def test_a_missing_data_folder_is_named_as_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 17: ACUMAP_DATA_DIR pointing nowhere said "data/strings/ru.toml: file is missing".
    nowhere = tmp_path / "nowhere"
    monkeypatch.setenv("ACUMAP_DATA_DIR", str(nowhere))
    with pytest.raises(DataError) as caught:
        load_knowledge()
    assert str(caught.value) == f"{nowhere}: the data folder does not exist (set by ACUMAP_DATA_DIR)"
    afile = tmp_path / "a-file"
    afile.write_text("x", encoding="utf-8")
    assert _message(afile) == f"{afile}: the data folder is not a folder"
