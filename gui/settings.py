"""The window's own settings, kept in an ini file in the (default) data folder so tests and
portable installs stay isolated: window state (geometry, splitters, column widths, last notice,
last folder) and the preferences (审核人, the database's folder, the default export profile).
Notices and corrections live in the store."""
from __future__ import annotations

from PySide6.QtCore import QSettings

EXPORT_PROFILE_KEY = "export/profile"       # read by the export dialog too
EXPORT_PROFILES = ("上报版", "工作版")        # the first is the default


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
    def user_sized_columns(self) -> list[int]:
        """The problem tree's columns the reviewer resized by hand (they keep their width)."""
        value = self._qs.value("header/tree_user_sized") or []
        value = value if isinstance(value, list) else [value]
        return [int(v) for v in value if str(v).isdigit()]

    @user_sized_columns.setter
    def user_sized_columns(self, columns) -> None:
        self._qs.setValue("header/tree_user_sized", [str(c) for c in sorted(columns)])

    @property
    def last_notice(self) -> int | None:
        value = self._qs.value("notice/last")
        return int(value) if value not in (None, "") else None

    @last_notice.setter
    def last_notice(self, notice_id: int | None) -> None:
        self._qs.setValue("notice/last", "" if notice_id is None else notice_id)

    @property
    def last_folder(self) -> str | None:
        """The folder of the last opened notice file or chosen folder."""
        return self._qs.value("files/last_folder") or None

    @last_folder.setter
    def last_folder(self, folder: str | None) -> None:
        self._qs.setValue("files/last_folder", folder or "")

    # --- preferences (首选项) ---------------------------------------------------------------
    @property
    def reviewer(self) -> str | None:
        """The name the edit log records for the reviewer (None: the login name)."""
        return self._qs.value("review/reviewer") or None

    @reviewer.setter
    def reviewer(self, name: str | None) -> None:
        self._qs.setValue("review/reviewer", (name or "").strip())
        self._qs.sync()

    @property
    def data_folder(self) -> str | None:
        """The folder of the ledger database chosen in 首选项 (None: the default data folder)."""
        return self._qs.value("data/folder") or None

    @data_folder.setter
    def data_folder(self, folder: str | None) -> None:
        self._qs.setValue("data/folder", folder or "")
        self._qs.sync()

    @property
    def export_profile(self) -> str:
        """The export dialog's default profile: 上报版 or 工作版 (key ``export/profile``)."""
        value = self._qs.value(EXPORT_PROFILE_KEY)
        return value if value in EXPORT_PROFILES else EXPORT_PROFILES[0]

    @export_profile.setter
    def export_profile(self, profile: str) -> None:
        if profile not in EXPORT_PROFILES:
            raise ValueError(f"unknown export profile {profile!r}")
        self._qs.setValue(EXPORT_PROFILE_KEY, profile)
        self._qs.sync()

    def value(self, key: str, default=None, type=None):
        """Any other remembered choice (export/profile, export/folder …)."""
        if type is None:
            return self._qs.value(key, default)
        return self._qs.value(key, default, type=type)

    def set_value(self, key: str, value) -> None:
        self._qs.setValue(key, value)
        self._qs.sync()
