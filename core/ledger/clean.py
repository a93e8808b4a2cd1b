"""Text every writer can take: no character XML 1.0 forbids (controls, U+FFFE/U+FFFF, lone
surrogates), no NUL in a CSV; dates typed where a cell holds a whole date."""
from __future__ import annotations

import datetime as dt
import re

# XML 1.0 allows \t \n \r among the controls; U+FFFE, U+FFFF and unpaired surrogates never.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DATE = re.compile(r"^\s*(\d{4})(?:-|/|\.|年)(\d{1,2})(?:-|/|\.|月)(\d{1,2})日?\s*$")


def clean(value):
    """``value`` with the characters no spreadsheet or XML file may hold removed (strings only)."""
    if isinstance(value, str) and _ILLEGAL.search(value):
        return _ILLEGAL.sub("", value)
    return value


def as_date(value):
    """A ``datetime.date`` for a text holding exactly one whole date (2024-12-31, 2024年12月31日),
    else None: 2024年底 or 长期坚持 stay text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(value) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None
