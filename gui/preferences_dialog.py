"""首选项: 审核人 (the name the edit log records), the folder of the ledger database (used from
the next start), the default export profile (上报版/工作版). Kept by ``gui/settings.py``."""
from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QVBoxLayout, QWidget,
)

from gui.settings import EXPORT_PROFILES

PROFILE_HINTS = {"上报版": "领导阅看的列，A4 横向", "工作版": "全部列，A3 横向"}


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):   # no user name in the environment or the password database
        return ""


class PreferencesDialog(QDialog):
    """``db_path`` is the database the window has open (shown, and the folder's default)."""

    def __init__(self, parent, settings, db_path):
        super().__init__(parent)
        self.settings = settings
        self.db_path = Path(db_path) if db_path else None
        self.setWindowTitle("首选项")
        self.setMinimumWidth(560)
        self._build()

    def _build(self) -> None:
        self.reviewer = QLineEdit(self.settings.reviewer or "")
        self.reviewer.setPlaceholderText(f"未填时记为登录名（{login_name() or '未知'}）")
        self.reviewer.setToolTip("修改记录中“审核人”一栏记下的名字")

        current = str(self.db_path.parent) if self.db_path else ""
        self.folder = QLineEdit(self.settings.data_folder or current)
        self.folder.setReadOnly(True)
        self.folder.setToolTip(str(self.db_path) if self.db_path else "")
        choose = QPushButton("选择…")
        choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        folder_box = QWidget()
        folder_box.setLayout(folder_row)
        self.folder_note = QLabel("更改后下次启动时生效；新文件夹中没有台账数据库时会新建一个（原数据库保留在原处）。")
        self.folder_note.setWordWrap(True)
        self.folder_note.setStyleSheet("color: #5f6368")

        self.profile = QComboBox()
        for name in EXPORT_PROFILES:
            self.profile.addItem(f"{name}（{PROFILE_HINTS[name]}）", name)
        self.profile.setCurrentIndex(EXPORT_PROFILES.index(self.settings.export_profile))

        form = QFormLayout()
        form.addRow("审核人", self.reviewer)
        form.addRow("台账数据库文件夹", folder_box)
        form.addRow("", self.folder_note)
        form.addRow("默认导出版式", self.profile)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _choose_folder(self) -> None:
        dialog = QFileDialog(self, "选择台账数据库所在的文件夹", self.folder.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, "选择")
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.selectedFiles():
            self.folder.setText(dialog.selectedFiles()[0])
        dialog.deleteLater()

    def accept(self) -> None:
        self.settings.reviewer = self.reviewer.text().strip() or None
        folder = self.folder.text().strip()
        shown = self.settings.data_folder or (str(self.db_path.parent) if self.db_path else "")
        if folder and folder != shown:
            self.settings.data_folder = folder
        self.settings.export_profile = self.profile.currentData()
        super().accept()
