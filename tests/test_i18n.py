"""English and Russian: every label from a translation file, plural forms and numbers through Babel,
prose kept per language beside its fact, and no English left on the Russian page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from html import unescape

import pytest

from acumap import load_knowledge, make_plan
from acumap.data.loading import Knowledge
from acumap.data.paths import data_dir
from acumap.plan.formatting import span_text
from acumap.plan.presenting import plan_json
from tests.support.apptest import blocks, opened
from tests.support.paths import REPO
from ui.explore import PANELS


@pytest.fixture(scope="module")
def ru() -> Knowledge:
    return load_knowledge(lang="ru")


def test_plural_forms_and_numbers_are_russian(ru: Knowledge, k: Knowledge) -> None:
    s = ru.strings
    shown = [span_text(s, n, n, "needles", "needles") for n in (1, 2, 5, 21)]
    assert shown == ["1 игла", "2 иглы", "5 игл", "21 игла"]
    assert span_text(s, 6, 7, "needles", "needles") == "6–7 игл"
    assert s.number(1.5) == "1,5" and k.strings.number(1.5) == "1.5"
    assert span_text(k.strings, 1, 1, "needles", "needles") == "1 needle"
    assert span_text(k.strings, 5, 5, "needles", "needles") == "5 needles"


def test_facts_are_the_same_in_both_languages(ru: Knowledge, k: Knowledge) -> None:
    for region in k.regions:
        en_doc = plan_json(k, make_plan(k, region, "combined", "II"))
        ru_doc = plan_json(ru, make_plan(ru, region, "combined", "II"))
        for key in ("needles", "depth_mm", "retention_s", "session_min", "course_sessions", "break_days"):
            a, b = en_doc[key], ru_doc[key]
            if a is None:
                assert b is None
                continue
            assert {f: a[f] for f in ("min", "max", "unit", "sources", "evidence", "parts")} == \
                   {f: b[f] for f in ("min", "max", "unit", "sources", "evidence", "parts")}
            if a["note"]:
                assert a["note"] != b["note"]  # the words are translated, the facts are not


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)}


def _strings_text(node) -> str:
    if isinstance(node, dict):
        return " ".join(_strings_text(v) for v in node.values())
    return node if isinstance(node, str) else ""


def _prose(k: Knowledge) -> str:
    """Every prose text the loading resolved, as one string (for the English word list below)."""
    parts = [src.title for src in k.sources.values()]
    for stage in k.stages.values():
        parts += [stage.summary, stage.interpretation]
    for method in k.methods.values():
        parts += [method.summary, method.also_called, method.caveat or ""]
    parts += [r.zone_reading for r in k.regions.values()]
    for claims in k.facts.values():
        parts += [c.note or "" for c in claims]
    for items in k.cautions.values():
        parts += [i.note or "" for i in items] + [e.note or "" for i in items for e in i.statements + i.disputed_by]
    parts += [p.location + " " + p.depth_how + " " + (p.caution or "") + " " + p.english for p in k.points]
    parts += [w.text + " " + w.short for w in k.safety.warnings] + [k.safety.variability.text]
    parts += list(k.point_sources.values()) + list(k.safety.sources.values())
    return " ".join(parts)


def _pairs(node, path: str = "") -> list[tuple[str, str]]:
    """(English, Russian) of every text given in both: the strings files key by key, and the prose
    tables ({ en, ru }) of the data files."""
    if isinstance(node, dict) and set(node) == {"en", "ru"} and all(isinstance(v, str) for v in node.values()):
        return [(node["en"], node["ru"])]
    if isinstance(node, dict):
        return [pair for key, value in node.items() for pair in _pairs(value, f"{path}.{key}")]
    if isinstance(node, list):
        return [pair for value in node for pair in _pairs(value, path)]
    return []


def _shared_words() -> set[str]:
    """Words a text keeps in both languages (names, codes, titles): not English labels."""
    folder = data_dir()
    en_table = tomllib.loads((folder / "strings" / "en.toml").read_text(encoding="utf-8"))
    ru_table = tomllib.loads((folder / "strings" / "ru.toml").read_text(encoding="utf-8"))
    flat_en, flat_ru = _flatten(en_table), _flatten(ru_table)
    pairs = [(flat_en[key], flat_ru[key]) for key in flat_en.keys() & flat_ru.keys()]
    for path in folder.glob("*.toml"):
        pairs += _pairs(tomllib.loads(path.read_text(encoding="utf-8")))
    return {w for en, ru in pairs for w in _words(en) & _words(ru)}


def _flatten(node, prefix: str = "") -> dict[str, str]:
    if isinstance(node, dict) and not set(node) <= {"zero", "one", "two", "few", "many", "other"}:
        return {k: v for key, value in node.items() for k, v in _flatten(value, f"{prefix}{key}.").items()}
    return {prefix.rstrip("."): _strings_text(node)}


def test_no_english_label_is_left_on_the_russian_page(ru: Knowledge, k: Knowledge) -> None:
    en_table = tomllib.loads((data_dir() / "strings" / "en.toml").read_text(encoding="utf-8"))
    english = _words(_strings_text(en_table) + " " + _prose(k)) - _shared_words()
    english -= _words(" ".join(e.quote for _, e in ru.all_evidence()))  # the articles' words, verbatim
    english -= _words(" ".join([*ru.safety.sources, *ru.point_sources, *ru.anatomy.sources]))  # source keys
    views = [({"lang": "ru"}, None),
             ({"lang": "ru", "region": "lumbar", "method": "combined", "show_points": "true"}, None),
             ({"lang": "ru", "mode": "present"}, None), ({"lang": "ru", "mode": "quiz", "seed": "3"}, None)]
    views += [({"lang": "ru", "region": "thoracic", "method": "combined", "stage": "III"}, p) for p in PANELS]
    for query, panel in views:
        at = opened(query)
        if panel:
            at.button_group(key="panel").set_value(panel).run()
        assert not at.exception, at.exception
        texts = [m.value for m in blocks(at)] + [c.value for c in at.caption] + [i.value for i in at.info]
        for kind in ("radio", "select_slider", "selectbox", "button_group", "toggle", "button"):
            for w in at.get(kind):
                texts.append(str(getattr(w, "label", "")))
                texts += [str(o) for o in getattr(w, "options", [])]
        for chart in at.get("plotly_chart"):
            fig = json.loads(chart.proto.spec)
            texts.append(json.dumps(fig["layout"].get("title", {}), ensure_ascii=False))
            texts += [json.dumps(a.get("text", ""), ensure_ascii=False) for a in fig["layout"].get("annotations", [])]
            # What a reader sees of a trace: its legend entry, its labels and its hover text.
            texts += [(str(t.get("name", "")) if t.get("showlegend") else "") + " "
                      + json.dumps([t.get("text", ""), t.get("hovertext", "")], ensure_ascii=False)
                      for t in fig["data"]]
        page = re.sub(r"<style>.*?</style>", " ", " ".join(texts), flags=re.S)
        page = unescape(re.sub(r"<[^>]+>", " ", page))
        page = re.sub(r"“[^”]*”", " ", page)  # the articles' own words stay verbatim, in English
        left = sorted(_words(page) & english)
        assert left == [], f"English on the Russian page {query} {panel or ''}: {left[:20]}"


def test_cli_gives_the_plans_notes_in_russian() -> None:
    out = subprocess.run([sys.executable, "-m", "acumap", "plan", "--region", "lumbar", "--method", "both",
                          "--stage", "II", "--lang", "ru"], capture_output=True, text=True, cwd=REPO, timeout=60,
                         env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["depth_mm"]["not_stated_for"] == ["sedative"]  # keys and values stay language-neutral
    assert re.search("[а-яА-Я]", doc["depth_mm"]["note"])
