"""The window on a Linux without the xcb libraries: one Chinese line naming what to install."""
import subprocess
import sys

from gui.platform_check import XCB_LIBRARIES, missing_packages, platform_problem
from tests.conftest import ROOT


def _load_without(*absent):
    def load(soname):
        if soname in absent:
            raise OSError(f"{soname}: cannot open shared object file: No such file or directory")
        return object()
    return load


def test_the_missing_libraries_are_named_by_their_packages():
    load = _load_without("libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    assert missing_packages(load) == ["libxcb-icccm4", "libxcb-keysyms1"]
    line = platform_problem({"DISPLAY": ":0"}, "linux", load)
    assert line.startswith("无法打开窗口") and "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in line
    assert "\n" not in line


def test_no_display_and_other_platforms():
    assert "DISPLAY" in platform_problem({}, "linux", _load_without())
    assert platform_problem({"DISPLAY": ":0"}, "linux", _load_without()) is None
    assert platform_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", _load_without("libxcb.so.1")) is None
    assert platform_problem({}, "win32", _load_without("libxcb.so.1")) is None
    assert platform_problem({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux",
                            _load_without("libxcb.so.1")) is None


def test_this_machine_has_every_library_the_table_names():
    """The table is what ldd reports for PySide6's xcb plugin; here (CI) all of it is installed."""
    if not sys.platform.startswith("linux"):
        return
    assert missing_packages() == [], "install the packages the README lists"
    assert len(XCB_LIBRARIES) == len(set(XCB_LIBRARIES.values()))


def test_main_prints_one_chinese_line_without_a_display(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "ZGTZ_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 3
    assert result.stderr.strip().count("\n") == 0 and "无法打开窗口" in result.stderr
    assert "qt.qpa" not in result.stderr and "xcb" not in result.stderr
