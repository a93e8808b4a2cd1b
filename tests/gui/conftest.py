import pytest
from PySide6.QtWidgets import QWidget


@pytest.fixture
def parent(qtbot):
    """A shown top-level widget to parent dialogs on."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget
