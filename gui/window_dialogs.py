"""The window's dialogs and notice-level entry points: 导出台账 (then 打开文件/文件夹), 删除通报,
发现重复的通报 after an import (keep one), the find bar (Ctrl+F), 在全部通报中搜索 and opening a
hit, 首选项 and the help dialogs. Works on ``window`` (a MainWindow): its store, shown notice,
notice list and status bar."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox

from core.errors import ExpectedError
from gui import help_dialogs, labels
from gui.find_bar import FindBar
from gui.messages import show_error, show_exported
from gui.preferences_dialog import PreferencesDialog, login_name
from gui.search_dialog import SearchDialog

REPORT_MS = 8000   # the export's path in the status bar
DUPLICATES_LISTED = 10   # pairs named in the duplicates dialog; the rest are counted


class WindowDialogs(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.w = window
        self.find_bar: FindBar | None = None          # built on first use (Ctrl+F)
        self.search_dialog: SearchDialog | None = None
        self._untitled_names: dict[int, str] = {}     # search hits' notices without a title

    def export_ledger(self) -> None:
        from gui.export_dialog import run_export_dialog   # loads the ledger writer (openpyxl)

        chosen = self.w.notice_panel.selected_ids(self.w.notice["id"] if self.w.notice else None)
        list_ids = [row["id"] for row in self.w.store.list_notices(self.w.notice_panel.filter_text())]
        path = run_export_dialog(self.w, self.w.store.path, chosen, list_ids)
        if path:
            self.w.statusBar().showMessage(f"已导出：{path}", REPORT_MS)
            show_exported(self.w, path)

    def delete_notice(self) -> None:
        if not self.w.notice:
            return
        answer = QMessageBox.question(
            self.w, "删除通报",
            f"确定删除“{labels.notice_name(self.w.notice)}”及其全部问题、措施和修改记录？\n\n删除后不能撤销。",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer == QMessageBox.Yes:
            self.w.store.delete_notice(self.w.notice["id"])
            self.w.notice = None
            self.w.refresh_notices()
            ids = self.w.notice_model.ids()
            self.w.show_notice(ids[0] if ids else None)

    # --- the same notice imported twice ---------------------------------------------------------
    def offer_duplicates(self, notice_ids) -> QMessageBox | None:
        """After an import: notices just imported that hold a notice already there (another file
        of it, or pasted: ``Store.similar_notices``) — offer to keep one. Non-blocking; returns
        the dialog (None when there is no duplicate)."""
        pairs = [(nid, found[0]) for nid in dict.fromkeys(notice_ids)
                 if (found := self.w.store.similar_notices(nid))]
        pairs = [(new, old) for new, old in pairs if new not in {o["id"] for _, o in pairs}]
        if not pairs:
            return None
        box = QMessageBox(QMessageBox.Question, "发现重复的通报", "", QMessageBox.NoButton, self.w)
        box.setObjectName("duplicatesBox")
        keep_old = box.addButton("保留原有的", QMessageBox.ButtonRole.AcceptRole)
        keep_old.setObjectName("keepOld")
        keep_new = None
        if len(pairs) == 1:
            new_id, old = pairs[0]
            new = self.w.store.notice_summary(new_id) or {}
            text = (f"刚导入的“{_name(new)}”（{_source(new)}）与已有的“{_name(old)}”"
                    f"（{_source(old)}，{_day(old)}导入）是同一份通报"
                    f"{'' if old['exact'] else '（正文几乎相同）'}。\n\n只保留一份吗？")
            if old["edits"]:
                text += f"\n原有的一份有 {old['edits']} 处人工修改；保留刚导入的会删除它们，不能撤销。"
            box.setText(text)
            keep_new = box.addButton("保留刚导入的", QMessageBox.ButtonRole.DestructiveRole)
            keep_new.setObjectName("keepNew")
        else:
            lines = [f"“{_name(self.w.store.notice_summary(new_id) or {})}”与已有的“{_name(old)}”（{_source(old)}）"
                     for new_id, old in pairs[:DUPLICATES_LISTED]]
            if len(pairs) > DUPLICATES_LISTED:
                lines.append(f"……另有 {len(pairs) - DUPLICATES_LISTED} 份")
            box.setText(f"刚导入的 {len(pairs)} 份通报与已有的通报是同一份：\n" + "\n".join(lines)
                        + "\n\n删除刚导入的重复通报、只保留原有的吗？")
        keep_both = box.addButton("两份都保留" if len(pairs) == 1 else "全部保留", QMessageBox.ButtonRole.RejectRole)
        keep_both.setObjectName("keepBoth")
        box.setDefaultButton(keep_old)

        def chosen(button) -> None:
            if button is keep_old:
                self._drop_notices([new for new, _ in pairs], show=pairs[-1][1]["id"])
            elif button is keep_new:
                self._drop_notices([pairs[0][1]["id"]], show=pairs[0][0])

        box.buttonClicked.connect(chosen)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.open()
        return box

    def _drop_notices(self, notice_ids: list[int], *, show: int) -> None:
        try:
            for notice_id in notice_ids:
                if self.w.notice and self.w.notice["id"] == notice_id:
                    self.w.notice = None
                self.w.store.delete_notice(notice_id)
        except ExpectedError as exc:   # busy, read-only, disk full: said, the list re-read
            show_error(self.w, "无法删除重复的通报", exc)
            self.w.refresh_notices()
            return
        self.w.refresh_notices()
        self.w.show_notice(show)
        self.w.statusBar().showMessage(f"已删除 {len(notice_ids)} 份重复的通报", REPORT_MS)

    def start_find(self) -> None:
        """Ctrl+F: the find bar under the original text, built the first time it is asked for."""
        if self.find_bar is None:
            self.find_bar = FindBar(self.w.source_view)
            self.w._source_box.addWidget(self.find_bar)
        self.find_bar.start()

    def search_all(self) -> None:
        dialog = SearchDialog(self.w.store.search, self.w, notice_name=self._hit_notice_name)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.open_requested.connect(self.open_hit)
        dialog.show()
        self.search_dialog = dialog

    def _hit_notice_name(self, hit: dict) -> str:
        """A search hit's notice as the list names it (发布单位 and date when it has no title)."""
        if hit.get("notice_title"):
            return hit["notice_title"]
        if hit["notice_id"] not in self._untitled_names:
            # its list row holds what the name needs (发布单位, date); the whole notice is not read
            row = self.w.store.notice_summary(hit["notice_id"]) or {"id": hit["notice_id"]}
            self._untitled_names[hit["notice_id"]] = labels.notice_name(row)
        return self._untitled_names[hit["notice_id"]]

    def open_hit(self, notice_id: int, entity: str, row_id) -> None:
        if not self.w.notice or self.w.notice["id"] != notice_id:
            self.w.show_notice(notice_id)
        if entity in ("problem", "measure") and row_id is not None:
            self.w.select_item(entity, int(row_id))

    def show_preferences(self) -> None:
        dialog = PreferencesDialog(self.w, self.w.settings, self.w.store.path if self.w.store else None)
        if dialog.exec() == PreferencesDialog.DialogCode.Accepted and self.w.store is not None:
            self.w.store.reviewer = self.w.settings.reviewer or login_name() or None
        dialog.deleteLater()

    def show_help(self, name: str) -> None:
        getattr(help_dialogs, name)(self.w)


def _name(row: dict) -> str:
    return labels.notice_name(row) if row else "（已删除）"


def _source(row: dict) -> str:
    name = row.get("source_name")
    return f"来源：{name}" if name and name != "剪贴板" else "从剪贴板粘贴"


def _day(row: dict) -> str:
    return (row.get("imported_at") or "")[:10].replace("-", "/") + " " if row.get("imported_at") else ""
