"""Window state only (geometry, splitters, column widths, last notice), kept in an ini file in
the data folder so tests and portable installs stay isolated; everything else lives in the store."""
from __future__ import annotations

from PySide6.QtCore import QSettings


class Settings:
    def __init__(self, path=None):
        if path is None:
            from core.paths import data_dir

            path = data_dir() / "window.ini"
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def save_window(self, window, splitters: dict, headers: dict) -> None:
        self._qs.setValue("window/geometry", window.saveGeometry())
        self._qs.setValue("window/state", window.saveState())
        for name, splitter in splitters.items():
            self._qs.setValue(f"splitter/{name}", splitter.saveState())
        for name, header in headers.items():
            self._qs.setValue(f"header/{name}", header.saveState())
        self._qs.sync()

    def restore_window(self, window, splitters: dict, headers: dict) -> bool:
        geometry = self._qs.value("window/geometry")
        if geometry is None:
            return False
        window.restoreGeometry(geometry)
        window.restoreState(self._qs.value("window/state"))
        for name, splitter in splitters.items():
            state = self._qs.value(f"splitter/{name}")
            if state is not None:
                splitter.restoreState(state)
        for name, header in headers.items():
            state = self._qs.value(f"header/{name}")
            if state is not None:
                header.restoreState(state)
        return True

    @property
    def last_notice(self) -> int | None:
        value = self._qs.value("notice/last")
        return int(value) if value not in (None, "") else None

    @last_notice.setter
    def last_notice(self, notice_id: int | None) -> None:
        self._qs.setValue("notice/last", "" if notice_id is None else notice_id)

    def value(self, key: str, default=None, type=None):
        """Any other remembered choice (export/profile, export/folder …)."""
        if type is None:
            return self._qs.value(key, default)
        return self._qs.value(key, default, type=type)

    def set_value(self, key: str, value) -> None:
        self._qs.setValue(key, value)
        self._qs.sync()
