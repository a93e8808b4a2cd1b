"""The 发布日期 as a reviewer reads it (issue 10 item 17).

The extraction contract's ``published`` is the date under the signature, else the page's date
(../shared/docs/extract-json.md), and the seeds' gold follows it: a signature that says only
2025年4月 gives ``"2025-04"`` even where the web page's header says 时间:2025-04-29. That field
stays as the contract has it; ``page_day`` finds the page's fuller date so the window can show
it beside the field, said to come from the page.
"""
from __future__ import annotations

import re

# the reading of the notice head is the extractor's own (one place decides what the header is)
from core.extract.meta import _lines, _page_date, _split_head

_MONTH = re.compile(r"\d{4}-\d{2}")


def page_day(text: str, published: str | None, title: str | None = None) -> str | None:
    """The page header's date (``2025-04-29``) when ``published`` stops at its month
    (``2025-04``) and the header gives a day of that month; else None."""
    if not text or not published or not _MONTH.fullmatch(published):
        return None
    header, _opening = _split_head(_lines(text[:4000]))   # the head is at the top
    day = _page_date(header, title)
    return day if day and len(day) == 10 and day.startswith(published + "-") else None
