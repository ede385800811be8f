"""The Russian translation is complete: data/strings/ru.toml mirrors en.toml key for key and
placeholder for placeholder, and every prose text in data/*.toml has a Russian version that the
Russian loading actually reads (and the English loading does not)."""

from __future__ import annotations

import re
import string
import tomllib
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from acumap import load_knowledge
from acumap.data.loading import Knowledge
from acumap.data.models import _in_language
from acumap.data.paths import data_dir
from acumap.data.strings import PLURAL_FORMS

RU_PLURALS = ("one", "few", "many", "other")  # CLDR forms Russian uses for whole and fractional numbers

# Units that need a table of forms in Russian even where English has one text.
RU_PLURAL_UNITS = ("needles", "sessions", "days", "sessions/day", "courses/year")

# Texts in data that read the same in both languages: bibliography with no descriptive words.
SAME_IN_BOTH = {
    "Deadman, Al-Khafaji, Baker: A Manual of Acupuncture",
}

# Labels that are the same in both languages (Roman numerals).
# Labels that are the same in both files: Roman numerals, and each language's own name for itself.
SAME_LABELS = {"stage.I", "stage.II", "stage.III", "stage.IV", "languages.label", "languages.en", "languages.ru"}


def _strings(lang: str) -> dict[str, Any]:
    with (data_dir() / "strings" / f"{lang}.toml").open("rb") as fh:
        return tomllib.load(fh)


def _is_plural(node: Any) -> bool:
    return isinstance(node, dict) and bool(node) and set(node) <= set(PLURAL_FORMS)


def _leaves(node: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted key -> text, or -> plural table (a table of plural forms counts as one leaf)."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and not _is_plural(value):
            out |= _leaves(value, path + ".")
        else:
            out[path] = value
    return out


def _placeholders(value: Any) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name is not None}


EN, RU = _leaves(_strings("en")), _leaves(_strings("ru"))


def test_same_keys() -> None:
    assert sorted(set(EN) - set(RU)) == [], "keys of en.toml missing from ru.toml"
    assert sorted(set(RU) - set(EN)) == [], "keys of ru.toml that en.toml does not have"


@pytest.mark.parametrize("key", sorted(EN))
def test_same_placeholders(key: str) -> None:
    assert _placeholders(RU[key]) == _placeholders(EN[key])


def test_texts_translated() -> None:
    """No label is left in English (Roman numerals aside)."""
    same = [key for key in EN if RU[key] == EN[key] and key not in SAME_LABELS
            and any(ch.isalpha() for ch in _words(EN[key]))]
    assert same == []


def _words(text: str) -> str:
    """A text without its placeholders and HTML tags."""
    return re.sub(r"<[^>]+>|\{[^}]*\}", "", text)


def test_russian_plural_tables() -> None:
    tables = {key: value for key, value in RU.items() if isinstance(value, dict)}
    for unit in RU_PLURAL_UNITS:
        assert f"unit.{unit}" in tables, f"unit '{unit}' needs Russian plural forms"
    for key, table in tables.items():
        assert set(table) == set(RU_PLURALS), f"{key}: Russian needs exactly {RU_PLURALS}"


def test_plural_forms_in_use() -> None:
    s = load_knowledge(lang="ru").strings
    assert [s.plural("unit.needles", n) for n in (1, 2, 5, 21, 1.5)] == ["игла", "иглы", "игл", "игла", "иглы"]
    assert s.plural("unit.courses/year", 3) == "раза в год"
    assert s.get("unit.sessions") == "сеанса"  # get on a table gives the general form


# --- prose in data/*.toml ------------------------------------------------------------------------

def _raw_tables(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _raw_tables(value)
    elif isinstance(node, list):
        for value in node:
            yield from _raw_tables(value)


DATA_FILES = sorted(p.name for p in data_dir().glob("*.toml"))


@pytest.mark.parametrize("name", DATA_FILES)
def test_language_tables_complete(name: str) -> None:
    """Every {en, ru} table has both texts, non-empty; no table gives English without Russian."""
    with (data_dir() / name).open("rb") as fh:
        raw = tomllib.load(fh)
    for table in _raw_tables(raw):
        if "en" in table or "ru" in table:
            assert set(table) == {"en", "ru"}, f"{name}: {table}"
            assert all(isinstance(v, str) and v.strip() for v in table.values()), f"{name}: {table}"


def _is_prose(annotation: Any) -> bool:
    """True for Prose, Prose | None, dict[str, Prose] and the like."""
    for meta in getattr(annotation, "__metadata__", ()):
        if getattr(meta, "func", None) is _in_language:
            return True
    return any(_is_prose(arg) for arg in typing.get_args(annotation))


def _prose_pairs(en: Any, ru: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    """(path, English, Russian) for every prose value, walking both loadings side by side."""
    if isinstance(en, BaseModel):
        for name, field in type(en).model_fields.items():
            a, b = getattr(en, name), getattr(ru, name)
            if _is_prose(field.annotation) or any(getattr(m, "func", None) is _in_language for m in field.metadata):
                if isinstance(a, dict):
                    yield from ((f"{path}.{name}.{key}", a[key], b[key]) for key in a)
                else:
                    yield f"{path}.{name}", a, b
            else:
                yield from _prose_pairs(a, b, f"{path}.{name}")
    elif isinstance(en, dict):
        for key in en:
            yield from _prose_pairs(en[key], ru[key], f"{path}.{key}")
    elif isinstance(en, tuple | list):
        assert len(en) == len(ru), path
        for i, (a, b) in enumerate(zip(en, ru, strict=True)):
            yield from _prose_pairs(a, b, f"{path}[{i}]")


@pytest.fixture(scope="module")
def both() -> tuple[Knowledge, Knowledge]:
    return load_knowledge(lang="en"), load_knowledge(lang="ru")


def _all_prose(both: tuple[Knowledge, Knowledge]) -> list[tuple[str, Any, Any]]:
    en, ru = both
    pairs = []
    for name in ("sources", "stages", "methods", "regions", "facts", "caveats", "cautions", "anatomy", "points",
                 "cun", "safety"):
        pairs += _prose_pairs(getattr(en, name), getattr(ru, name), name)
    # The names of the point references are prose kept outside a model.
    pairs += [(f"point_sources.{key}", en.point_sources[key], ru.point_sources[key]) for key in en.point_sources]
    return pairs


def test_prose_found(both: tuple[Knowledge, Knowledge]) -> None:
    """The walk reaches every kind of prose field (a guard against the test passing vacuously)."""
    paths = {p for p, _, _ in _all_prose(both)}
    for part in ("sources.A.title", "stages.I.summary", "methods.combined.caveat", "regions.cervical.zone_reading",
                 "anatomy.sources.WHO", "anatomy.landmarks.occiput.describe", "points[0].english",
                 "points[0].depth_how", "cun.note", "safety.warnings[0].short", "safety.variability.text",
                 "safety.danger_depths[0].tissue", "point_sources.CN", "facts.needles[5].note",
                 "cautions.contraindications[5].note", "cautions.contraindications[8].statements[2].note"):
        assert part in paths


def test_prose_translated(both: tuple[Knowledge, Knowledge]) -> None:
    """Every prose text reads differently in Russian: none is left as a bare English string."""
    left = [(path, en) for path, en, ru in _all_prose(both)
            if isinstance(en, str) and en and en == ru and en not in SAME_IN_BOTH]
    assert left == []
    missing = [path for path, en, ru in _all_prose(both) if (en is None) != (ru is None)]
    assert missing == []


def test_russian_prose_is_russian(both: tuple[Knowledge, Knowledge]) -> None:
    cyrillic = [path for path, en, ru in _all_prose(both)
                if isinstance(ru, str) and ru not in SAME_IN_BOTH and not any("а" <= ch.lower() <= "я" for ch in ru)]
    assert cyrillic == []


def test_english_untouched(both: tuple[Knowledge, Knowledge]) -> None:
    """The English loading reads the English texts, with no Cyrillic anywhere."""
    found = [path for path, en, _ in _all_prose(both)
             if isinstance(en, str) and any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in en)]
    assert found == []


def test_facts_same_in_both(both: tuple[Knowledge, Knowledge]) -> None:
    """Only prose changes with the language: quotes, lines and numbers are the same."""
    en, ru = both
    assert [(s, e.line, e.quote) for s, e in en.all_evidence()] == [(s, e.line, e.quote) for s, e in ru.all_evidence()]
    for table, claims in en.facts.items():
        assert [(c.min, c.max, c.unit) for c in claims] == [(c.min, c.max, c.unit) for c in ru.facts[table]]
