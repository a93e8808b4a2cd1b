"""The editor panel on its own: layout regressions found walking the window."""
from gui.editor_panel import EditorPanel


def test_spare_height_goes_below_the_form_not_around_the_heading(qtbot):
    """A measure (no ledger form) in a tall panel showed its heading floating mid-way above a gap."""
    panel = EditorPanel()
    qtbot.addWidget(panel)
    panel.resize(800, 700)
    panel.show()
    panel.set_item("measure", {"id": 1, "seq": 2, "text": "召开专题会议。", "status": None,
                               "edited_fields": [], "extracted": {}})
    qtbot.waitExposed(panel)
    heading, text = panel.heading.geometry(), panel.text_edit.geometry()
    assert heading.height() <= panel.heading.sizeHint().height() + 2
    assert text.top() - heading.bottom() < 20
    assert panel.status_combo.geometry().bottom() < 400
