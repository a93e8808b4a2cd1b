"""The window's screenshots in docs/screenshots/, under a real X server (Xvfb + xcb, CJK fonts).

    Xvfb :99 -screen 0 1600x1000x24 &
    DISPLAY=:99 python tools/screenshots.py

A fresh data folder with the sample notice and three notices of the genre fixtures; no
QT_QPA_PLATFORM override. Each picture is taken with QWidget.grab().
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
FIXTURES = ROOT / "tests" / "fixtures" / "genre"


def settle(app, rounds: int = 30) -> None:
    for _ in range(rounds):
        app.processEvents()


def save(widget, name: str, app) -> None:
    settle(app)
    path = OUT / name
    widget.grab().save(str(path))
    print(path)


def main() -> int:
    os.environ["ZGTZ_HOME"] = tempfile.mkdtemp(prefix="zgtz-shots-")
    from PySide6.QtGui import QTextCursor

    from core.importer import ensure_sample, import_paths
    from core.paths import default_db_path
    from core.store import Store
    from gui import app as gui_app
    from gui.file_dialogs import make_dialog
    from gui.main_window import MainWindow
    from gui.preferences_dialog import PreferencesDialog

    app = gui_app._application([])
    app.qt_translator = gui_app.install_qt_translations(app)
    db = default_db_path()
    with Store.open(db) as store:
        ensure_sample(store)
        import_paths(store, [FIXTURES / n for n in ("04_xunshi_diyi_dou.txt", "09_sanji_fangmian.txt",
                                                     "16_xian_hangnei.txt")])
    window = MainWindow(Store.open(db, exclusive=True))
    window.settings.reviewer = "王审核"
    window.store.reviewer = "王审核"
    window.resize(1600, 1000)
    window.show()
    window.load()
    settle(app)
    ids = window.notice_model.ids()

    # 1. a notice switched after a selection: no highlight left at the old positions
    window.show_notice(ids[0])
    measure = window.notice["problems"][1]["measures"][0]
    window.select_item("measure", measure["id"])
    cursor = window.source_view.textCursor()
    cursor.setPosition(measure["span"][0])
    cursor.setPosition(measure["span"][0] + 12, QTextCursor.KeepAnchor)
    window.source_view.setTextCursor(cursor)
    settle(app)
    window.notice_panel.table.selectRow(window.notice_model.row_of(ids[1]))
    save(window, "notice-switched.png", app)

    # 2. the editor after redo of a ledger field edit
    problem = window.notice["problems"][0]
    window.select_item("problem", problem["id"])
    window.corrections.field_edited("problem", problem["id"], "units", "区委办公室")
    window.corrections.field_edited("problem", problem["id"], "deadline", "2025-06-30")
    window.actions["undo"].trigger()
    window.actions["redo"].trigger()
    window.tabs.setCurrentIndex(0)
    save(window, "editor-after-redo.png", app)

    # 3. the file dialog, in the fixtures' folder
    window.settings.last_folder = str(FIXTURES)
    dialog = make_dialog(window, window.settings, "打开通报文件")
    dialog.show()
    save(dialog, "file-dialog.png", app)
    dialog.close()

    # 4. search results with the words marked
    window.search_all()
    search = window.search_dialog
    search.query.setText("民主生活会")
    search.run_search()
    save(search, "search.png", app)
    search.close()

    # 5. 首选项
    preferences = PreferencesDialog(window, window.settings, window.store.path)
    preferences.show()
    save(preferences, "preferences.png", app)
    preferences.close()

    # the README's picture: the window at work
    window.show_notice(ids[0])
    window.select_item("problem", window.notice["problems"][0]["id"])
    save(window, "window.png", app)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
