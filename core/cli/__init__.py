"""The command-line verbs. Each verb lives in its own module with ``add_parser`` and ``run``.

Exit codes: 0 done, 1 done with problems (e.g. some files skipped), 2 bad input or usage.
Expected errors print one Chinese line on stderr; logs go to stderr, results to stdout.
A reader that stops early (``main.py search … | head -1``) ends the output quietly.
"""
from __future__ import annotations

import sys

# verb -> module under core.cli; imported only when that verb runs, to keep start-up fast.
VERBS = {
    "extract": "core.cli.extract_cmd",
    "import": "core.cli.store_cmds",
    "list": "core.cli.store_cmds",
    "search": "core.cli.store_cmds",
    "backup": "core.cli.store_cmds",
    "export": "core.cli.export_cmd",
    "merge-ledger": "core.cli.merge_cmd",
}


def build_parser(verb: str | None = None):
    """The parser for ``verb`` only (fast start), or for every verb (``--help``)."""
    import argparse
    import importlib

    parser = argparse.ArgumentParser(prog="main.py", description="整改台账助手 命令行")
    sub = parser.add_subparsers(dest="verb", required=True)
    modules = [VERBS[verb]] if verb in VERBS else list(dict.fromkeys(VERBS.values()))
    for module_name in modules:
        importlib.import_module(module_name).add_parser(sub)
    return parser


def main(argv: list[str]) -> int:
    from core.errors import ExpectedError

    _configure_stdio()
    parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    try:
        code = int(args.run(args) or 0)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _stdout_to_devnull()
        return 0
    except ExpectedError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130


def _stdout_to_devnull() -> None:
    """The reader of stdout went away: later writes (and the flush at exit) go nowhere."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _configure_stdio() -> None:
    # Windows consoles default to a legacy code page; JSON and outlines are UTF-8.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure:
            try:
                reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass
