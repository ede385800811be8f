"""Command line over the same planner as the app.

    python -m acumap plan --region cervical --method sedative --stage II

`--method both` is the same as `--method combined` (the page labels that method "Both").

prints the session plan as JSON (the app's "download plan" document). A wrong argument prints one
line naming the valid choices and exits with status 2; a broken data file, one line and status 1.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Mapping

from acumap.errors import DataError
from acumap.links import ALIASES, LANGS
from acumap.loading import load_knowledge
from acumap.planner import choices, make_plan
from acumap.presenting import plan_document


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, no usage block: the message already names the valid choices.
        self.exit(2, f"acumap: error: {message}\n")


def _unalias(aliases: Mapping[str, str], value: str) -> str:
    return aliases.get(value, value)


def _parser(valid: dict[str, list[str]]) -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m acumap", description="Acupuncture session plans traced to their sources.")
    commands = parser.add_subparsers(dest="command", metavar="{plan}", required=True, parser_class=_Parser)
    plan = commands.add_parser("plan", help="print the session plan for one region, method and stage as JSON")
    for name in ("region", "method", "stage"):
        aliases = ALIASES.get(name, {})
        # An alias (--method both) becomes its value before the choices are checked.
        plan.add_argument(f"--{name}", required=True, choices=valid[name], type=functools.partial(_unalias, aliases))
    # The plan's numbers, keys and quotes are the same in every language; --lang sets its notes.
    plan.add_argument("--lang", default="en", choices=list(LANGS), help="language of the plan's notes")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        k = load_knowledge()
    except DataError as exc:
        print(f"acumap: data error: {exc}", file=sys.stderr)
        return 1
    try:
        args = _parser(choices(k)).parse_args(argv)
    except SystemExit as exc:  # a bad argument (one line already written) or --help: the status, no exit
        return exc.code if isinstance(exc.code, int) else 2
    if args.lang != k.strings.lang:
        k = load_knowledge(lang=args.lang)
    sys.stdout.write(plan_document(k, make_plan(k, args.region, args.method, args.stage)))
    return 0
