"""Notice records -> the print-ready ledger (整改台账): an Excel workbook, CSV or JSON.

Records have the shape ``Store.get_notice()`` returns (docs/architecture.md). One notice gives
one sheet; several give 汇总, 全部问题, one sheet per notice and 统计 (and 修改记录 when edit
logs are passed). Workbooks are written in openpyxl's write-only mode, so a thousand notices
stream through in bounded memory; every file goes to a temporary name in the target folder and
is moved into place only when it is complete.

The package, by job: ``columns`` (columns, record -> display values), ``records`` (a record from
an extraction), ``styles`` (fonts, heights), ``sheet`` (the write-only sheet, sheet names),
``notice_sheet`` (a notice's sheet: continued rows, dropdowns, 预警), ``workbook`` (the sheets
of a ledger), ``editlog`` (修改记录), ``flat`` (CSV, JSON, ``export``), ``files`` (writing into
place), ``identity`` (row identity for the way back), ``units`` (one workbook per 责任单位),
``readback`` and ``merge`` (a returned workbook -> a preview of changes -> store edits).
"""
from core.ledger.columns import (  # noqa: F401
    ASKED_ONLY,
    COLUMN_KEYS,
    DEFAULT_PROFILE,
    PROFILE_NAMES,
    PROFILES,
    REPORT,
    WORK,
    Profile,
    profile_of,
    COLUMNS,
    LAYOUTS,
    MEASURE_KEYS,
    NO_STATUS,
    NOTICE_COLUMN,
    STATUSES,
    Column,
    notice_name,
    problem_blocks,
    visible_columns,
)
from core.ledger.flat import FORMATS, export, export_csv, export_json, format_of  # noqa: F401
from core.ledger.records import record_from_extraction  # noqa: F401
from core.ledger.sheet import _SheetNames  # noqa: F401
from core.ledger.styles import LINE_HEIGHT  # noqa: F401
from core.ledger.units import export_per_unit  # noqa: F401
from core.ledger.workbook import export_workbook  # noqa: F401
