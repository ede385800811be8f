"""Command line over the same planner as the app.

    python -m acumap plan --region cervical --method sedative --stage II

`--method both` is the same as `--method combined` (the page labels that method "Both").

prints the session plan as JSON (the app's "download plan" document). A wrong argument prints one
line naming the valid choices and exits with status 2; a broken data file, one line and status 1.

    python -m acumap class create [--lang ru]          {"code", "teacher_key", "join_url"}
    python -m acumap class status CODE --key KEY       students, current step and question, answers (JSON)
    python -m acumap class results CODE --key KEY [--csv]
    python -m acumap class end CODE --key KEY          (delete: the class and its answers at once)

run a live class's store (acumap.classroom; its settings come from ACUMAP_CLASS_* variables). The key
may also come from ACUMAP_CLASS_KEY, so it need not show in the process list. A wrong or unknown code
or key prints one line and exits with status 2; the database unavailable or a bad setting, status 1.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Mapping

from acumap.data.errors import DataError
from acumap.data.loading import load_knowledge
from acumap.plan.planner import choices, make_plan
from acumap.plan.presenting import plan_document
from acumap.teach.links import ALIASES, LANGS


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line, no usage block: the message already names the valid choices.
        self.exit(2, f"acumap: error: {message}\n")


def _unalias(aliases: Mapping[str, str], value: str) -> str:
    return aliases.get(value, value)


def _parser(valid: dict[str, list[str]]) -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m acumap", description="Acupuncture session plans traced to their sources.")
    commands = parser.add_subparsers(dest="command", metavar="{plan,class}", required=True, parser_class=_Parser)
    plan = commands.add_parser("plan", help="print the session plan for one region, method and stage as JSON")
    for name in ("region", "method", "stage"):
        aliases = ALIASES.get(name, {})
        # An alias (--method both) becomes its value before the choices are checked.
        plan.add_argument(f"--{name}", required=True, choices=valid[name], type=functools.partial(_unalias, aliases))
    # The plan's numbers, keys and quotes are the same in every language; --lang sets its notes.
    plan.add_argument("--lang", default="en", choices=list(LANGS), help="language of the plan's notes")
    _class_parser(commands)
    return parser


def _class_parser(commands: argparse._SubParsersAction) -> None:
    live = commands.add_parser("class", help="start, watch and end a live class (see docs/serving.md)")
    actions = live.add_subparsers(dest="action", metavar="{create,status,results,end,delete}", required=True,
                                  parser_class=_Parser)
    create = actions.add_parser("create", help="start a class; prints its code, teacher key and join link as JSON")
    create.add_argument("--lang", default="en", choices=list(LANGS), help="the class's language")
    create.add_argument("--seed", type=int, default=None, help="the quiz round (default: a random one)")
    for name, text in (("status", "students, current step and question, and the answers so far, as JSON"),
                       ("results", "the scores and answers as JSON, or with --csv one row per answer"),
                       ("end", "close the class to students"),
                       ("delete", "delete the class and everything in it now")):
        action = actions.add_parser(name, help=text)
        action.add_argument("code", help="the class's join code")
        action.add_argument("--key", default=os.environ.get("ACUMAP_CLASS_KEY"), required=False,
                            help="the teacher key (or ACUMAP_CLASS_KEY)")
        if name == "results":
            action.add_argument("--csv", action="store_true", help="CSV: student, nickname, number, question, "
                                "answer, correct")


def _class_command(args: argparse.Namespace) -> int:
    # Imported here: `plan` needs no database driver.
    from acumap.classroom import ClassError, Classroom

    if args.action != "create" and not args.key:
        print("acumap: error: the teacher key is needed: --key KEY (or ACUMAP_CLASS_KEY)", file=sys.stderr)
        return 2
    try:
        store = Classroom()
        try:
            if args.action == "create":
                new = store.create_class(lang=args.lang, seed=args.seed)
                out: object = {"code": new.code, "teacher_key": new.teacher_key, "join_url": new.join_url}
            elif args.action == "status":
                out = store.status(args.code, args.key).to_json()
            elif args.action == "results" and args.csv:
                sys.stdout.write(store.results_csv(args.code, args.key))
                return 0
            elif args.action == "results":
                out = {"code": args.code.strip().upper(),
                       "scores": [vars(sc) for sc in store.scores(args.code, args.key)],
                       "answers": store.status(args.code, args.key).to_json()["answers"]}
            elif args.action == "end":
                store.end(args.code, args.key)
                out = {"code": args.code.strip().upper(), "state": "ended"}
            else:
                store.delete_class(args.code, args.key)
                out = {"code": args.code.strip().upper(), "deleted": True}
        finally:
            store.close()
    except ClassError as exc:
        print(f"acumap: error: {exc}", file=sys.stderr)
        return exc.status
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    return 0


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
    if args.command == "class":
        return _class_command(args)
    if args.lang != k.strings.lang:
        k = load_knowledge(lang=args.lang)
    sys.stdout.write(plan_document(k, make_plan(k, args.region, args.method, args.stage)))
    return 0
