"""Word 97 .doc, WPS .wps and RTF through LibreOffice headless: converted to .docx in a temporary
folder, then read like any .docx.

Each call gets its own LibreOffice profile (``-env:UserInstallation``), so a running LibreOffice
or a second import never blocks it, and a time limit: a conversion still running then (a
password prompt, a damaged file) is killed with its whole process group.
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from core.errors import UnreadableFileError

log = logging.getLogger(__name__)

TIMEOUT = 60  # seconds; a notice converts in 2-5 s on a busy 2-core machine
INSTALL_HINT = ("读取.doc/.wps文件需要LibreOffice：请安装LibreOffice（Debian/Ubuntu：sudo apt install "
                "libreoffice-writer-nogui；Windows/macOS：到LibreOffice官网下载安装），或在Word/WPS中另存为.docx后再导入")


def soffice() -> str | None:
    """The LibreOffice program, from PATH or its usual install places."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = []
    if sys.platform == "win32":
        for base in (os.environ.get("ProgramFiles", ""), os.environ.get("ProgramFiles(x86)", "")):
            if base:
                candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    elif sys.platform == "darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return next((str(c) for c in candidates if c.is_file()), None)


def convert_to_docx(path: Path, timeout: float = TIMEOUT) -> Path:
    """The .docx LibreOffice makes of ``path``, in a new temporary folder (``discard`` removes it)."""
    program = soffice()
    if program is None:
        raise UnreadableFileError(INSTALL_HINT)
    folder = Path(tempfile.mkdtemp(prefix="zgtz-office-"))
    source = folder / ("source" + path.suffix.lower())  # an ASCII name: no quoting trouble anywhere
    shutil.copyfile(path, source)
    out = folder / "out"
    command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
               "--norestore", "--nologo", "--nodefault", "--nolockcheck",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)]
    kwargs = {"start_new_session": True} if os.name == "posix" else {
        "creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | getattr(subprocess, "CREATE_NO_WINDOW", 0)}
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, **kwargs)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        discard(folder)
        raise UnreadableFileError(f"LibreOffice转换超过{timeout:.0f}秒仍未完成，已停止（文件可能加密或已损坏）") from None
    result = out / "source.docx"
    if process.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
        log.info("soffice failed on %s (exit %s): %s", path, process.returncode,
                 output.decode("utf-8", "replace")[-500:])
        discard(folder)
        raise UnreadableFileError("LibreOffice无法转换这个文件（可能设有密码或已损坏）")
    return result


def discard(converted: Path) -> None:
    """Remove the temporary folder of a conversion."""
    folder = converted if converted.name.startswith("zgtz-office-") else converted.parent.parent
    if folder.name.startswith("zgtz-office-"):
        shutil.rmtree(folder, ignore_errors=True)


def _kill(process: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.communicate(timeout=10)  # reaps it and closes the pipe
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    finally:
        if process.stdout:
            process.stdout.close()
