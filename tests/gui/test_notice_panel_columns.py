"""The notice list's short columns are fixed at the width of their widest possible text: no
row is measured after a filter or a fetched page, no text is cut, and a header state remembered
by an older version (sized to contents) does not come back."""
from PySide6.QtWidgets import QHeaderView

from core.store import Store
from gui.notice_list_model import COL_PROBLEMS, COL_PROGRESS, COL_STATUS, COL_TITLE
from tests.gui.notices import add_notice, make_extraction, open_window

SHORT = (COL_PROBLEMS, COL_PROGRESS, COL_STATUS)


def _db(tmp_path):
    path = tmp_path / "t.sqlite3"
    with Store.open(path) as store:
        add_notice(store, tag="甲")
        nid, _ = store.add_extraction(make_extraction(problems=120, measures=1, tag="乙"))
        store.set_checked("problem", store.get_notice(nid)["problems"][0]["id"], True)   # 审核中, 1/120
    return path


def test_the_short_columns_fit_their_texts_and_the_title_takes_the_rest(qtbot, tmp_path):
    window = open_window(qtbot, _db(tmp_path))
    table = window.notice_panel.table
    header = table.horizontalHeader()
    for column in SHORT:
        assert header.sectionResizeMode(column) == QHeaderView.ResizeMode.Fixed
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), column   # nothing cut
    assert header.sectionResizeMode(COL_TITLE) == QHeaderView.ResizeMode.Stretch


def test_an_older_remembered_header_state_is_laid_out_again(qtbot, tmp_path):
    path = _db(tmp_path)
    window = open_window(qtbot, path)
    header = window.notice_panel.table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)   # as saved before
    window.close()
    again = open_window(qtbot, path)
    header = again.notice_panel.table.horizontalHeader()
    assert [header.sectionResizeMode(c) for c in SHORT] == [QHeaderView.ResizeMode.Fixed] * 3
    assert header.sectionResizeMode(COL_TITLE) == QHeaderView.ResizeMode.Stretch
