"""A batch import killed with SIGKILL leaves a sound database holding only whole notices."""
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from core import paths
from core.extract import extract
from core.store import Store

ROOT = Path(__file__).resolve().parents[2]
COPIES = 150


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_import_leaves_only_whole_notices(tmp_path, _isolated_home):
    sample = paths.sample_notice_path().read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(COPIES):
        (folder / f"n{i:02d}.txt").write_text(sample + f"\n副本编号：{i}\n", encoding="utf-8")
    db = tmp_path / "kill.sqlite3"

    proc = subprocess.Popen(
        [sys.executable, "main.py", "import", str(folder), "--db", str(db)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "ZGTZ_HOME": str(_isolated_home)},
    )
    done = threading.Event()
    stderr = bytearray()

    def watch():  # the CLI prints "进度 k/n" once file k is committed
        while chunk := os.read(proc.stderr.fileno(), 4096):
            stderr.extend(chunk)
            counts = re.findall(rb"(\d+)/\d+", stderr)
            if counts and int(counts[-1]) >= 3:
                done.set()
        done.set()

    threading.Thread(target=watch, daemon=True).start()
    assert done.wait(timeout=300), "the import never got going"
    time.sleep(0.05)  # let it get into the next file
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, stderr.decode("utf-8", "replace")

    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone() == ("ok",)
    con.close()

    store = Store.open(db)
    try:
        ids = store.notice_ids()
        assert 3 <= len(ids) < COPIES
        for notice_id in ids:
            notice = store.get_notice(notice_id)
            fresh = extract(notice["text"])
            assert [len(p["measures"]) for p in notice["problems"]] == [
                len(p["measures"]) for p in fresh["problems"]
            ]
    finally:
        store.close()
