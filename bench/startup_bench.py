"""Start-up benchmark: time to first paint of the program vs a bare Qt window.

    .venv/bin/python bench/startup_bench.py [--runs 5] [--exe dist/zhenggai-taizhang/zhenggai-taizhang]

Each run starts a fresh process and measures from just before the process starts to the first
paint event of its window. The program reports that moment itself when ZGTZ_STARTUP_PROBE=1
(gui/app.py prints "first-paint <time.monotonic()>" on stdout, then quits); the baseline is a
bare QApplication showing an empty QMainWindow with the same probe. time.monotonic() is the
system-wide monotonic clock on Linux and Windows, so the two processes' readings compare.

"cold" is the first start on an empty data folder (creates the database; the sample notice is
imported after the first paint), "warm" the starts after it, each followed by a bare start so
that load from other processes hits both alike. Target: warm ratio ≤ 2.

Compiled modules are cached as in a user's install (a frozen build ships .pyc files): the
bench drops PYTHONDONTWRITEBYTECODE and keeps the cache in its temporary folder, so the cold
start compiles and the warm ones do not.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE_PREFIX = "first-paint "

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(f"first-paint {time.monotonic():.6f}", flush=True)
            app.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False

app = QApplication(sys.argv)
probe = Probe()
app.installEventFilter(probe)
window = QMainWindow()
window.resize(1200, 800)
window.show()
sys.exit(app.exec())
"""


def first_paint(command: list[str], home: Path) -> float:
    """Seconds from starting ``command`` to the first paint it reports."""
    # compiled modules are cached (in the temporary folder) as in a user's install
    env = dict(os.environ, ZGTZ_STARTUP_PROBE="1", ZGTZ_HOME=str(home),
               PYTHONPYCACHEPREFIX=str(home / "pycache"))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("ZGTZ_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.monotonic()
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        sys.exit(f"{command[-1]} 60 秒内没有退出：它支持 ZGTZ_STARTUP_PROBE 吗？")
    painted = [line for line in result.stdout.splitlines() if line.startswith(PROBE_PREFIX)]
    if result.returncode != 0 or not painted:
        sys.exit(f"{command[-1]} 没有报告首次绘制（退出码 {result.returncode}）：\n"
                 f"{result.stderr[-2000:]}")
    return float(painted[0][len(PROBE_PREFIX):]) - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm starts per program (default 5)")
    parser.add_argument("--exe", help="a built executable to time instead of main.py")
    args = parser.parse_args()

    program = [args.exe] if args.exe else [sys.executable, str(ROOT / "main.py")]
    bare = [sys.executable, "-c", BARE_WINDOW]
    with tempfile.TemporaryDirectory(prefix="zgtz-startup-") as tmp:
        home = Path(tmp)
        cold = first_paint(program, home)
        first_paint(bare, home)  # warm the OS file cache for the baseline too
        warm, base = [], []
        for _ in range(args.runs):   # interleaved, so a busy moment slows both alike
            warm.append(first_paint(program, home))
            base.append(first_paint(bare, home))

    print(f"program: {' '.join(program[-1:])}  (QT_QPA_PLATFORM="
          f"{os.environ.get('QT_QPA_PLATFORM', 'offscreen')}, {args.runs} runs)")
    print(f"  cold start (new data folder)   {cold * 1000:7.0f} ms")
    print(f"  warm start, median (min)       {statistics.median(warm) * 1000:7.0f} ms"
          f"  ({min(warm) * 1000:.0f})")
    print(f"bare QMainWindow, median (min)   {statistics.median(base) * 1000:7.0f} ms"
          f"  ({min(base) * 1000:.0f})")
    ratio = statistics.median(warm) / statistics.median(base)
    print(f"ratio warm / bare                {ratio:7.2f}   (target ≤ 2)")
    pairs = statistics.median(w / b for w, b in zip(warm, base))
    print(f"ratio per run pair, median       {pairs:7.2f}")
    print(f"ratio cold / bare                {cold / statistics.median(base):7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
