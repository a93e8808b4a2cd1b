"""Runs correction steps on a database and says ``ok N`` after each one returned (committed).

    python -m tests.drills.edit_worker DB NOTICE_ID EVIDENCE_FILE < steps.json

The kill drill (test_drills_kill.py) reads these lines and kills this process with SIGKILL at
a random point; every step acknowledged by a line must have survived.
"""
import json
import sys
from pathlib import Path

from core.store import Store
from tests.core.test_store_property import _run


def main(argv) -> int:
    db, nid, evidence = Path(argv[0]), int(argv[1]), Path(argv[2])
    steps = json.load(sys.stdin)
    with Store.open(db) as store:
        print("ready", flush=True)
        for i, (op, a, b) in enumerate(steps, 1):
            _run(store, nid, op, a, b, evidence)
            print(f"ok {i}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
