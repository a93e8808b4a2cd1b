"""The deadline rule: the 红/黄/绿 warning of a problem from its 整改时限, status and 销号.

Kept apart from the store so the ledger can colour rows without importing the store.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

from core.vocab import STATUS_DONE, WARNING_GREEN, WARNING_RED, WARNING_YELLOW

WARNING_DAYS = 10

_DATE = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})(?:\s*[-月./]\s*(\d{1,2}))?")


def parse_deadline(deadline) -> dt.date | None:
    """The date in a 整改时限 such as "2024-12-31", "2024年12月底" or "2024年6月" (end of month)."""
    match = _DATE.search(str(deadline or ""))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    day = int(match.group(3)) if match.group(3) else last
    return dt.date(year, month, min(max(day, 1), last))


def deadline_warning(deadline, status, closed, today=None) -> str | None:
    """红 overdue, 黄 due within 10 days, 绿 later; None once done/closed or without a date."""
    if closed or status == STATUS_DONE:
        return None
    due = parse_deadline(deadline)
    if due is None:
        return None
    days = (due - (today or dt.date.today())).days
    if days < 0:
        return WARNING_RED
    return WARNING_YELLOW if days <= WARNING_DAYS else WARNING_GREEN
