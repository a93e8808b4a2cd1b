"""Import notices into the store: files, folders, pasted text and the first-run sample.

Each file is read, extracted and written with one ``Store.add_extraction`` call, which is one
transaction: an import that is killed or cancelled leaves only whole notices behind.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import Cancelled, ExpectedError
from core.extract import extract_ingested
from core.ingest import SUFFIXES, from_text, read_file
from core.paths import sample_notice_path
from core.store_schema import SAMPLE_SETTING

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    imported: list[tuple[Path, int]] = field(default_factory=list)
    duplicates: list[tuple[Path, int]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    cancelled: bool = False


def collect_files(paths) -> list[Path]:
    """Files named directly, plus the notice files found (recursively, sorted) in folders.

    A file named directly is kept whatever its suffix, so that a wrong one is reported.
    Word's lock files (``~$…``) in folders are skipped.
    """
    files = []
    for item in map(Path, paths):
        if item.is_dir():
            files.extend(
                p for p in sorted(item.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith("~$")
            )
        else:
            files.append(item)
    return files


def _add(store, ingested) -> tuple[int, bool]:
    extraction = extract_ingested(ingested)
    return store.add_extraction(extraction, source_path=ingested.source.get("path"))


def import_paths(store, paths, *, progress=None, cancelled=None, page_progress=None) -> ImportReport:
    """Import files and folders; a bad file is reported and skipped, the rest goes on.

    ``progress(done, total)`` is called before the first file and after each one;
    ``cancelled()`` is checked between files and between the pages of a file read by OCR: the
    finished files stay, ``report.cancelled`` is set. ``page_progress(path, page, pages)`` reports
    the pages of a file read by OCR.
    """
    files = collect_files(paths)
    report = ImportReport()
    if progress:
        progress(0, len(files))
    for done, path in enumerate(files, 1):
        if cancelled and cancelled():
            report.cancelled = True
            break
        pages = (lambda page, total, path=path: page_progress(path, page, total)) if page_progress else None
        try:
            ingested = _read(path, pages, cancelled)
            notice_id, duplicate = _add(store, ingested)
        except Cancelled:
            report.cancelled = True
            break
        except ExpectedError as exc:
            log.info("skipped %s: %s", path, exc.message)
            report.failed.append((path, exc.message))
        else:
            (report.duplicates if duplicate else report.imported).append((path, notice_id))
        if progress:
            progress(done, len(files))
    return report


def _read(path, pages, cancelled):
    """read_file, where a bug in a reader fails this one file, not the batch."""
    try:
        return read_file(path, progress=pages, cancelled=cancelled)
    except (ExpectedError, Cancelled):
        raise
    except Exception as exc:  # MemoryError included
        log.exception("reading %s failed", path)
        raise ExpectedError(f"无法读取这个文件（{type(exc).__name__}，详见日志）", path=str(path)) from exc


def import_text(store, text: str, name: str = "剪贴板") -> tuple[int, bool]:
    """Import pasted text; returns ``(notice_id, is_duplicate)``."""
    return _add(store, from_text(text, name))


def ensure_sample(store) -> int | None:
    """First run: import the sample notice into an empty database, once per database (the
    database remembers it, so a ledger the user emptied stays empty). None when not imported."""
    if store.get_setting(SAMPLE_SETTING):
        return None
    notice_id = None if store.notice_ids() else _add(store, read_file(sample_notice_path()))[0]
    store.set_setting(SAMPLE_SETTING, True)
    return notice_id
