"""Before the window: will Qt's xcb platform plugin load? On a minimal Linux it fails with an
English message that names the wrong library; this finds every missing system library the
plugin needs and names the Debian/Ubuntu packages to install, in one Chinese line."""
from __future__ import annotations

import ctypes
import os
import sys

# the shared libraries Qt's xcb platform plugin (and Qt GUI under it) loads, and the package of
# each on Debian/Ubuntu (checked with ldd on PySide6's libqxcb.so and libQt6XcbQpa.so.6); the
# README lists the same packages
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}


def _uses_xcb(env) -> bool:
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform:
        return platform.split(":")[0] == "xcb"
    # Qt prefers Wayland in a Wayland session; xcb otherwise
    return not (env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland")


def missing_packages(load=ctypes.CDLL) -> list[str]:
    """The packages whose libraries cannot be loaded, in the table's order."""
    missing = []
    for soname, package in XCB_LIBRARIES.items():
        try:
            load(soname)
        except OSError:
            missing.append(package)
    return missing


def platform_problem(env=None, platform: str = sys.platform, load=ctypes.CDLL) -> str | None:
    """One Chinese line saying why the window cannot open here, or None."""
    env = os.environ if env is None else env
    if not platform.startswith("linux") or not _uses_xcb(env):
        return None
    if not env.get("DISPLAY"):
        return ("无法打开窗口：没有图形界面（未设置 DISPLAY）。请在桌面环境中运行；"
                "命令行功能见 python main.py --help。")
    missing = missing_packages(load)
    if missing:
        return ("无法打开窗口：系统缺少图形界面所需的库。请先安装："
                f"sudo apt-get install {' '.join(missing)}（Debian/Ubuntu 的软件包名）。")
    return None
