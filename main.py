"""整改台账助手: double-click to open the window; ``main.py VERB …`` for the command line.

    python main.py                     open the window (first run imports the sample notice)
    python main.py FILE…               open the window and import these files
    python main.py extract FILE [--json]
    python main.py import FILE|DIR [--db PATH]
    python main.py list [--db PATH]
    python main.py search WORDS… [--db PATH]
    python main.py export [--all | IDS…] -o FILE.xlsx [--layout problem|measure] [--db PATH]
"""
import sys


def main(argv: list[str]) -> int:
    from core.cli import VERBS

    if argv and (argv[0] in VERBS or argv[0] in ("-h", "--help")):
        from core.cli import main as cli_main

        return cli_main(argv)
    from gui.app import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
