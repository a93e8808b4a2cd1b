"""The words the data itself uses: 整改状态, 整改类型, 审核状态, 预警 and the edit-log actions.

These are stored values (what the extractor writes, the store keeps and the ledger counts),
defined once here; ``core/labels.py`` holds the Chinese words shown *about* the data.
"""
from __future__ import annotations

# 整改状态 of a measure or problem
STATUS_DONE, STATUS_ONGOING, STATUS_LONG_TERM = "已完成", "推进中", "长期坚持"
STATUSES = (STATUS_DONE, STATUS_ONGOING, STATUS_LONG_TERM)

# 整改类型 of a problem
RECTIFY_IMMEDIATE, RECTIFY_DEADLINE, RECTIFY_LONG_TERM = "立行立改", "限期整改", "长期坚持"
RECTIFY_TYPES = (RECTIFY_IMMEDIATE, RECTIFY_DEADLINE, RECTIFY_LONG_TERM)

# 审核状态 of a notice
REVIEW_PENDING, REVIEW_IN_PROGRESS, REVIEW_DONE = "待审核", "审核中", "已审核"
REVIEW_STATUSES = (REVIEW_PENDING, REVIEW_IN_PROGRESS, REVIEW_DONE)

# 预警 of a problem (core.deadline.deadline_warning)
WARNING_RED, WARNING_YELLOW, WARNING_GREEN = "红", "黄", "绿"
WARNINGS = (WARNING_RED, WARNING_YELLOW, WARNING_GREEN)

# The actions the store writes to the edit log (one per correction service), and the two
# a Change from undo()/redo() carries.
LOGGED_ACTIONS = (
    "update_field", "revert_field", "revert_item", "set_checked", "finish_review",
    "add_problem", "add_measure", "delete", "move", "reanchor", "split_measure",
    "merge_with_next", "split_problem", "reextract", "add_evidence", "remove_evidence",
    # structural corrections (core/store_structure.py)
    "set_category", "split_measure_runs", "make_heading", "restore_heading", "drop_problems",
    "relevel",  # core/store_relevel.py
)
ACTIONS = LOGGED_ACTIONS + ("undo", "redo")
