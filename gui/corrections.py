"""The reviewer's corrections from the window's actions: each one is one store service call whose
Change the window applies (``MainWindow.apply_change``); undo/redo, 已核对 and the next
unchecked item, structural edits, re-anchoring, reverting, 完成审核 and re-extraction."""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMessageBox

from core.errors import ExpectedError
from gui import labels
from gui.messages import REFUSALS, failure_title, show_error, show_info
from gui.problem_model import COL_MEASURE, COL_TITLE, ENTITY_ROLE

log = logging.getLogger(__name__)

STATUS_MS = 5000   # how long a status-bar note stays


REEXTRACT_LISTED = 15   # conflicts named one by one in the summary; the rest are counted


def reextract_summary(summary: dict) -> str:
    """What a re-extraction did, for the reviewer: the counts, then each kept correction the new
    extraction disagrees with, by item (问题 3“…”：类别提取为“…”，措施有变化), and what could not
    be kept."""
    text = (f"更新 {summary['updated']} 个问题，保留人工修改过的 {summary['kept']} 个，"
            f"新增 {summary['added']} 个，移除 {summary['removed']} 个。人工调整的顺序已保留。")
    details = summary.get("details") or []
    lost = [d for d in details if d.get("kept") is False]
    differ = [d for d in details if d.get("kept") is not False]
    if differ:
        text += f"\n\n以下 {len(differ)} 处人工修改与新的提取结果不同，已保留人工修改，请核对："
        text += "".join(f"\n· {conflict_text(d)}" for d in differ[:REEXTRACT_LISTED])
        if len(differ) > REEXTRACT_LISTED:
            text += f"\n……另有 {len(differ) - REEXTRACT_LISTED} 处"
    if lost:
        text += "\n\n未能保留：" + "".join(f"\n· {conflict_text(d)}" for d in lost)
    return text + "\n\n此操作不能撤销。"


def conflict_text(conflict: dict) -> str:
    """One kept correction the new extraction disagrees with (``Store.reextract`` details)."""
    if conflict["entity"] == "notice" and conflict["field"] == "layout":
        return "本通报的“调整层级”：找不到所选的读法，已按默认层级重新识别，请在“结构 → 调整层级”中重新选择"
    if conflict["entity"] == "notice":
        field = conflict["field"]
        return (f"通报的“{labels.field_label(field)}”：保留“{labels.value_text(conflict['mine'], field)}”，"
                f"新的提取结果为“{labels.value_text(conflict['extracted'], field)}”")
    title = conflict.get("title") or ""
    title = title if len(title) <= 20 else title[:20] + "…"
    if conflict.get("deleted") or conflict.get("place") is None:
        item = f"已删除的问题“{title}”"
    else:
        item = f"问题 {conflict['place']}“{title}”"
    if conflict.get("gone"):
        return f"{item}：新的提取结果中已没有这一项"
    changes = [f"{labels.field_label(f)}提取为“{labels.value_text(conflict['extracted'].get(f), f)}”"
               for f in conflict.get("fields") or ()]
    if conflict.get("measures_changed"):
        changes.append("措施有变化")
    return f"{item}：" + ("，".join(changes) or "提取结果有变化")


def review_order(problem: dict) -> tuple:
    """Sort key of the Ctrl+Enter round: the least certain extraction first; a problem made by
    hand (confidence None) has been read by the reviewer already and comes last."""
    confidence = problem.get("confidence")
    return (confidence is None, confidence or 0.0, problem["seq"])


class Corrections(QObject):
    """Works on ``window``'s shown notice, problem panel, original text and editor."""

    def __init__(self, window):
        super().__init__(window)
        self.w = window

    # --- plumbing -------------------------------------------------------------------------
    @property
    def notice(self) -> dict | None:
        return self.w.notice

    def _status(self, text: str) -> None:
        self.w.statusBar().showMessage(text, STATUS_MS)

    def call(self, service, *args, select: bool = False, **kwargs):
        """Run one store service; expected errors become a message. Returns the Change."""
        try:
            change = service(*args, **kwargs)
        except REFUSALS as exc:  # e.g. merging the last item: the store says why
            log.info("store refused %s%r: %s", service.__name__, args, exc)
            show_error(self.w, failure_title(service.__name__), exc)
            return None
        self.w.apply_change(change, select=select)
        return change

    def field_edited(self, entity: str, row_id: int, field: str, value) -> None:
        self.call(self.w.store.update_field, entity, row_id, field, value)

    # --- editing and review ---------------------------------------------------------------
    def edit_current_cell(self) -> None:
        tree = self.w.problem_panel.tree
        index = tree.currentIndex()
        if index.isValid():
            if not index.flags() & Qt.ItemIsEditable:
                entity = index.data(ENTITY_ROLE)
                index = index.siblingAtColumn(COL_TITLE if entity == "problem" else COL_MEASURE)
                tree.setCurrentIndex(index)
            tree.edit(index)

    def undo(self) -> None:
        if self.notice:
            self.call(self.w.store.undo, self.notice["id"], select=True)

    def redo(self) -> None:
        if self.notice:
            self.call(self.w.store.redo, self.notice["id"], select=True)

    def check_and_next(self) -> None:
        found = self.w.current_item()
        if found and not found.row.get("checked"):
            self.call(self.w.store.set_checked, found.entity, found.row["id"], True)
        target = self.next_unchecked()
        if target:
            self.w.select_item(*target)
        else:
            self._status("本通报的问题和措施都已核对")

    def next_unchecked(self) -> tuple[str, int] | None:
        """The next unchecked item: problems by rising confidence, each followed by its measures.
        Problems the reviewer added (no confidence) come after every extracted one, in order."""
        if not self.notice:
            return None
        for problem in sorted(self.notice["problems"], key=review_order):
            if not problem.get("checked"):
                return "problem", problem["id"]
            for measure in problem["measures"]:
                if not measure.get("checked"):
                    return "measure", measure["id"]
        return None

    def finish_review(self) -> None:
        if self.notice:
            unchecked = self.next_unchecked()
            self.call(self.w.store.finish_review, self.notice["id"])
            if unchecked:
                self._status("已完成审核（仍有未核对的项）")

    # --- structure --------------------------------------------------------------------------
    def add_problem(self) -> None:
        if not self.notice:
            return
        problem = self.w.problem_panel.current_problem()
        index = self.notice["problems"].index(problem) + 1 if problem else len(self.notice["problems"])
        change = self.call(self.w.store.add_problem, self.notice["id"], title="新问题", index=index,
                           category=problem.get("category") if problem else None)
        if change:
            self.edit_current_cell()

    def add_measure(self) -> None:
        found = self.w.current_item()
        problem = self.w.problem_panel.current_problem()
        if not problem:
            return
        index = len(problem["measures"])
        if found.entity == "measure":
            index = [m["id"] for m in problem["measures"]].index(found.row["id"]) + 1
        if self.call(self.w.store.add_measure, problem["id"], text="新措施", index=index):
            self.edit_current_cell()

    def delete_item(self) -> None:
        found = self.w.current_item()
        if found:
            self.call(self.w.store.delete, found.entity, found.row["id"])

    def split_at_cursor(self) -> None:
        """Split the current measure where the cursor is: in the original text or the editor."""
        found = self.w.current_item()
        if not found or found.entity != "measure":
            return
        span = found.row.get("span")
        source_view = self.w.source_view
        if source_view.hasFocus() and span:
            offset = source_view.cursor_offset() - span[0]
            if 0 < offset < span[1] - span[0]:
                self.call(self.w.store.split_measure, found.row["id"], offset)
                return
        if not self.w.editor_panel.split_at_cursor():
            self._status("请先把光标放在要拆开的位置（措施文字中间）")

    def split_problem(self) -> None:
        found = self.w.current_item()
        if found and found.entity == "measure":
            problem = self.w.problem_panel.current_problem()
            index = [m["id"] for m in problem["measures"]].index(found.row["id"])
            self.call(self.w.store.split_problem, problem["id"], index)

    def merge_with_next(self) -> None:
        found = self.w.current_item()
        if found:
            self.call(self.w.store.merge_with_next, found.entity, found.row["id"], select=True)

    def move_item(self, delta: int) -> None:
        found = self.w.current_item()
        if found:
            self.call(self.w.store.move, found.entity, found.row["id"], delta, select=True)

    # --- the original text's selection ------------------------------------------------------
    def selection_as_problem(self) -> None:
        source_view = self.w.source_view
        span = source_view.selected_span()
        if not self.notice or not span:
            return
        index = sum(1 for p in self.notice["problems"] if p.get("span") and p["span"][0] < span[0])
        self.call(self.w.store.add_problem, self.notice["id"], title=source_view.selected_text().strip(),
                  span=list(span), index=index)

    def selection_as_measure(self) -> None:
        source_view = self.w.source_view
        span = source_view.selected_span()
        if not self.notice or not span:
            return
        holder = source_view.item_at(span[0])   # (entity, id) of the item under the selection
        problem = None
        if holder:
            entity, row_id = holder
            problem = next((p for p in self.notice["problems"]
                            if (entity == "problem" and p["id"] == row_id)
                            or (entity == "measure" and any(m["id"] == row_id for m in p["measures"]))), None)
        problem = problem or self.w.problem_panel.current_problem()
        if not problem:
            return
        index = sum(1 for m in problem["measures"] if m.get("span") and m["span"][0] < span[0])
        self.call(self.w.store.add_measure, problem["id"], text=source_view.selected_text().strip(),
                  span=list(span), index=index)

    def reanchor_to_selection(self) -> None:
        span = self.w.source_view.selected_span()
        found = self.w.current_item()
        if span and found:
            self.call(self.w.store.reanchor, found.entity, found.row["id"], list(span))

    # --- reverting and re-extracting --------------------------------------------------------
    def revert_field(self) -> None:
        found = self.w.current_item()
        field = self.w.problem_panel.current_field()
        if found and field and field in found.row.get("edited_fields", ()):
            self.call(self.w.store.revert_field, found.entity, found.row["id"], field)
        else:
            self._status("当前单元格没有修改过")

    def revert_item(self) -> None:
        found = self.w.current_item()
        if found:
            self.call(self.w.store.revert_item, found.entity, found.row["id"])

    def reextract(self) -> None:
        if not self.notice:
            return
        answer = QMessageBox.question(
            self.w, "重新提取",
            f"用当前的提取程序重新识别“{labels.notice_name(self.notice)}”？\n\n"
            "人工修改、新增、删除、调整过的顺序和已核对的项会保留。重新提取不能撤销，此前的修改也不能再撤销。",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            return
        try:
            summary = self.w.store.reextract(self.notice["id"])
        except ExpectedError as exc:
            show_error(self.w, "无法重新提取", exc)
            return
        self.w.show_notice(self.notice["id"])
        show_info(self.w, "重新提取完成", reextract_summary(summary))
