"""README.md, docs/*.md (and bench/history.md) hold together: their links lead somewhere, the commands they show exist.

No network and no browser. Each check is parametrized per Markdown file, so a failure names the file:

- a relative link `[text](path)` or `![alt](path)` (or a reference definition `[ref]: path`) names a file
  that exists, relative to the file holding the link; with `#anchor` (in the same file or in another .md)
  the anchor is a heading there, by GitHub's rule. http(s) and mailto links are skipped, and so is
  anything inside a fenced code block or a code span.
- every `make TARGET` in a code span or a code block is a rule of the Makefile;
- every `python -m acumap SUBCOMMAND` (`.venv/bin/python -m acumap …` too) in a code span or a code block
  names a subcommand of the command line, read from its own argparse parser; `class ACTION` too.
- README.md is at most 250 lines and shows `make run` and `make test` in its first 40 lines.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
HISTORY = ROOT / "bench" / "history.md"  # the dated measurements the README points to
PAGES = [README, *DOCS, *([HISTORY] if HISTORY.exists() else [])]
IDS = [str(p.relative_to(ROOT)) for p in PAGES]

README_MAX_LINES = 250
FIRST_SCREEN = 40

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REFERENCE_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.M)
# `make` as a command: at the start of a span or line, after env assignments, or after ; && || | ( $
MAKE = re.compile(r"(?:^|[;&|(]\s*|\$\s+)(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*make((?:\s+\S+)*)", re.M)
ACUMAP = re.compile(r"python[\w.]*\s+-m\s+acumap\b((?:[ \t]+\S+)*)")
PLACEHOLDER = re.compile(r"^(?:\.\.\.|…|<.*>|\[.*\]|\{.*\})$")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def split_fences(text: str) -> tuple[list[str], list[str]]:
    """The lines outside fenced code blocks (those inside left blank, so numbering holds) and the blocks' lines."""
    outside: list[str] = []
    inside: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        m = FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)
            outside.append("")
        elif fence is not None and m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                and not line.strip()[len(m.group(1)):].strip():
            fence = None
            outside.append("")
        elif fence is not None:
            inside.append(line)
            outside.append("")
        else:
            outside.append(line)
    return outside, inside


def code_spans(prose: str) -> list[str]:
    return [m.group(2).strip() for m in CODE_SPAN.finditer(prose)]


def without_code_spans(prose: str) -> str:
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), prose)


def github_anchor(heading: str) -> str:
    """GitHub's anchor for a heading's text (before numbering duplicates)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link or image: its text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML tags
    text = text.replace("`", "").lower()
    kept = "".join(ch for ch in text
                   if ch in " -_" or unicodedata.category(ch)[0] in "LMN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    outside, _ = split_fences(_text(path))
    seen: dict[str, int] = {}
    found: set[str] = set()
    for line in outside:
        m = HEADING.match(line)
        if not m:
            continue
        base = github_anchor(m.group(2).strip())
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def links(path: Path) -> Iterator[tuple[int, str]]:
    outside, _ = split_fences(_text(path))
    prose = without_code_spans("\n".join(outside))
    for pattern in (INLINE_LINK, REFERENCE_DEF):
        for m in pattern.finditer(prose):
            target = m.group(1).strip("<>")
            yield prose.count("\n", 0, m.start()) + 1, target


def code_texts(path: Path) -> list[str]:
    """Every code span's text and every code block's line."""
    outside, inside = split_fences(_text(path))
    return code_spans("\n".join(outside)) + inside


def makefile_targets() -> set[str]:
    targets: set[str] = set()
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith(".PHONY:"):
            targets.update(line.split(":", 1)[1].split())
            continue
        m = re.match(r"^([A-Za-z0-9_][A-Za-z0-9_./-]*(?:[ \t]+[A-Za-z0-9_][A-Za-z0-9_./-]*)*)[ \t]*:(?![=:])", line)
        if m:
            targets.update(m.group(1).split())
    return targets


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


@pytest.fixture(scope="module")
def cli_commands() -> dict[str, set[str]]:
    """The command line's subcommands and, for each, its own subcommands: read from the parser main() builds."""
    import acumap.cli

    captured: list[argparse.ArgumentParser] = []
    original = argparse.ArgumentParser.parse_known_args

    def capture(self: argparse.ArgumentParser, *args: object, **kwargs: object) -> object:
        if not captured:
            captured.append(self)
            raise SystemExit(0)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(argparse.ArgumentParser, "parse_known_args", capture)
        acumap.cli.main(["--help"])
    assert captured, "acumap.cli.main() built no argparse parser to read the subcommands from"
    top = _subcommands(captured[0])
    assert top, "the command line's parser has no subcommands"
    return {name: set(_subcommands(sub)) for name, sub in top.items()}


def test_the_pages_are_found() -> None:
    assert README.is_file()
    assert DOCS, "docs/ holds no Markdown page"


@pytest.mark.parametrize("doc", PAGES, ids=IDS)
def test_relative_links_lead_to_a_file_and_a_heading(doc: Path) -> None:
    broken: list[str] = []
    for line, target in links(doc):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto: … not ours to check
            continue
        path_part, _, anchor = target.partition("#")
        dest = (doc.parent / unquote(path_part)).resolve() if path_part else doc
        if not dest.exists():
            shown = dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest
            broken.append(f"line {line}: {target}: no file {shown}")
            continue
        if anchor:
            if dest.suffix != ".md" or not dest.is_file():
                broken.append(f"line {line}: {target}: an anchor into a file that is not a Markdown page")
            elif unquote(anchor).lower() not in anchors(dest):
                broken.append(f"line {line}: {target}: no heading '#{anchor}' in {dest.relative_to(ROOT)}")
    assert not broken, f"{doc.relative_to(ROOT)}:\n" + "\n".join(broken)


@pytest.mark.parametrize("doc", PAGES, ids=IDS)
def test_make_targets_shown_exist(doc: Path) -> None:
    targets = makefile_targets()
    unknown = []
    for code in code_texts(doc):
        for m in MAKE.finditer(code):
            words = [w for w in m.group(1).split() if "=" not in w and not w.startswith("-")]
            if words and words[0] not in targets and re.fullmatch(r"[\w.-]+", words[0]):
                unknown.append(f"make {words[0]} (in: {code.strip()})")
    assert not unknown, f"{doc.relative_to(ROOT)} shows Makefile targets that do not exist: {unknown}"


@pytest.mark.parametrize("doc", PAGES, ids=IDS)
def test_acumap_subcommands_shown_exist(doc: Path, cli_commands: dict[str, set[str]]) -> None:
    unknown = []
    for code in code_texts(doc):
        for m in ACUMAP.finditer(code):
            words = m.group(1).split()
            if not words or words[0].startswith("-") or words[0].startswith("#") or PLACEHOLDER.match(words[0]):
                continue
            if words[0] not in cli_commands:
                unknown.append(f"python -m acumap {words[0]} (in: {code.strip()})")
                continue
            nested = cli_commands[words[0]]
            action = words[1] if len(words) > 1 else ""
            if nested and action and not action.startswith(("-", "#")) and not PLACEHOLDER.match(action) \
                    and action not in nested:
                unknown.append(f"python -m acumap {words[0]} {words[1]} (in: {code.strip()})")
    assert not unknown, f"{doc.relative_to(ROOT)} shows subcommands the command line does not have: {unknown}"


def test_readme_is_short_and_opens_with_the_two_commands() -> None:
    lines = _text(README).splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines (at most {README_MAX_LINES})"
    first = "\n".join(lines[:FIRST_SCREEN])
    for command in ("make run", "make test"):
        assert re.search(rf"\b{command}(?![\w-])", first), f"README.md's first {FIRST_SCREEN} lines lack `{command}`"


def test_readme_keeps_the_two_commands_in_a_bash_block() -> None:
    """CI (.ci/run) and a hook read `make run` and `make test` from a ```bash block."""
    text = _text(README)
    blocks = re.findall(r"^```bash\n(.*?)^```", text, re.S | re.M)
    commands = {line.split("#")[0].strip() for block in blocks for line in block.splitlines()}
    assert {"make run", "make test"} <= commands, "README.md has no ```bash block with `make run` and `make test`"


def test_readme_points_to_every_docs_page() -> None:
    linked = {(README.parent / unquote(t.partition("#")[0])).resolve() for _, t in links(README) if t.partition("#")[0]}
    missing = [str(p.relative_to(ROOT)) for p in DOCS if p.resolve() not in linked]
    assert not missing, f"README.md links to no {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=[str(p.relative_to(ROOT)) for p in DOCS])
def test_each_docs_page_says_who_it_is_for(doc: Path) -> None:
    lines = [line for line in _text(doc).splitlines() if line.strip()]
    assert lines and lines[0].startswith("# "), f"{doc.relative_to(ROOT)} does not start with a title"
    assert len(lines) > 1 and re.search(r"\bfor\b", lines[1], re.I), \
        f"{doc.relative_to(ROOT)}: the line under the title does not say who the page is for"


# The checker's own rules, on made-up text: a checker that finds nothing would pass every page above.

def test_github_anchor_rule() -> None:
    assert github_anchor("Teaching a live class — the store and the command line") == \
        "teaching-a-live-class--the-store-and-the-command-line"
    assert github_anchor("`make test` and its tiers") == "make-test-and-its-tiers"
    assert github_anchor("Что на странице?") == "что-на-странице"
    assert github_anchor("Step 1: A_b (c)") == "step-1-a_b-c"


def test_the_checker_finds_links_anchors_and_commands(tmp_path: Path) -> None:
    sample = tmp_path / "page.md"
    sample.write_text("# Title\n\n## Same\n\n## Same\n\n[a](other.md#x) ![b](pic.png \"t\") `[c](no.md)`\n"
                      "```bash\n[d](no.md)\nmake run  # x\n.venv/bin/python -m acumap plan --region cervical\n```\n"
                      "See `make test-fast` and `python -m acumap class end CODE` or [e](https://example.org).\n",
                      encoding="utf-8")
    assert anchors(sample) == {"title", "same", "same-1"}
    assert [t for _, t in links(sample)] == ["other.md#x", "pic.png", "https://example.org"]
    codes = code_texts(sample)
    assert [m.group(1).split()[0] for c in codes for m in MAKE.finditer(c)] == ["test-fast", "run"]
    found = [m.group(1).split()[:2] for c in codes for m in ACUMAP.finditer(c)]
    assert found == [["class", "end"], ["plan", "--region"]]


def test_makefile_targets_read() -> None:
    targets = makefile_targets()
    assert {"run", "test", "test-fast", "bench", "load", "load-quick", "cluster", "lint"} <= targets
    assert "PYTHON" not in targets and "VENV" not in targets


def test_cli_commands_read(cli_commands: dict[str, set[str]]) -> None:
    assert "plan" in cli_commands
    assert "create" in cli_commands.get("class", set())
