"""Chinese words for the data the store returns: the core vocabulary and labels, plus the
window's own marks. Everything here comes from ``core/vocab.py`` and ``core/labels.py``."""
from __future__ import annotations

from core import vocab
from core.labels import WARNING_TEXT, field_label, notice_name, value_text

__all__ = ["WARNING_TEXT", "field_label", "notice_name", "value_text", "STATUSES",
           "RECTIFY_TYPES", "warning_mark"]

# lists, for the combo boxes
STATUSES = list(vocab.STATUSES)
RECTIFY_TYPES = list(vocab.RECTIFY_TYPES)


def warning_mark(warning: str | None) -> str:
    return f"● {warning}" if warning else ""
