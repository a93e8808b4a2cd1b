"""Progress lines on stderr for the command-line verbs.

On a terminal one line is redrawn in place (``\\r``); when stderr is a file or a pipe each
report is a line of its own (at most one every ``interval`` seconds, and always the first and
the last), so logs read ``导出 0/1`` and ``导出 1/1`` on separate lines, never run together.
"""
from __future__ import annotations

import sys
import time


class ProgressLine:
    def __init__(self, label: str, *, stream=None, interval: float = 0.5):
        self.label = label
        self.stream = stream
        self.interval = interval
        self._last = None
        self._open = False  # a redrawn line is on screen without its newline

    def _out(self):
        return self.stream or sys.stderr

    def _tty(self) -> bool:
        isatty = getattr(self._out(), "isatty", None)
        try:
            return bool(isatty and isatty())
        except (ValueError, OSError):
            return False

    def __call__(self, done: int, total: int) -> None:
        self.show(f"{self.label} {done}/{total}", final=done >= total)

    def show(self, text: str, *, final: bool = False) -> None:
        out = self._out()
        if self._tty():
            out.write(f"\r{text}\033[K" + ("\n" if final else ""))
            self._open = not final
        else:
            now = time.monotonic()
            if not final and self._last is not None and now - self._last < self.interval:
                return
            self._last = now
            out.write(text + "\n")
        out.flush()

    def end(self) -> None:
        """Finish a redrawn line early (before an error message, or when work stops)."""
        if self._open:
            self._out().write("\n")
            self._out().flush()
            self._open = False
