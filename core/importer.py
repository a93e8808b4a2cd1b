"""Import notices into the store: files, folders, pasted text and the first-run sample.

Each file is read, extracted and written with one ``Store.add_extraction`` call, which is one
transaction: an import that is killed or cancelled leaves only whole notices behind.

One bad file never stops a batch: whatever goes wrong while reading or extracting it (an
expected refusal, or a failure nobody foresaw, which is logged) lands in ``report.failed``.
Only the database itself stops it (``StoreError``: locked, disk full, read-only): the error is
raised with the report of what was finished attached as ``exc.report``.
"""
from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import Cancelled, ExpectedError, StoreError
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


UNREADABLE_FOLDER = "文件夹无法读取（没有权限或已被移走），其中的文件未导入"
UNEXPECTED_FAILURE = "读取或提取这个文件时出现意外错误，已跳过（详情见日志）"
OUT_OF_MEMORY = "文件太大，内存不足，已跳过"


def collect_files(paths, unreadable: list | None = None) -> list[Path]:
    """Files named directly, plus the notice files found (recursively, sorted) in folders.

    A file named directly is kept whatever its suffix, so that a wrong one is reported.
    Word's lock files (``~$…``) in folders are skipped. Folders that cannot be listed are
    appended to ``unreadable`` as ``(path, message)``."""
    files = []
    for item in map(Path, paths):
        if not item.is_dir():
            files.append(item)
            continue
        found = []

        def skipped(err: OSError) -> None:
            log.info("cannot list %s: %s", err.filename, err)
            if unreadable is not None:
                unreadable.append((Path(err.filename or item), UNREADABLE_FOLDER))

        for folder, dirs, names in os.walk(item, onerror=skipped):
            dirs.sort()
            found.extend(
                Path(folder, name) for name in names
                if Path(name).suffix.lower() in SUFFIXES and not name.startswith("~$")
                and os.path.isfile(os.path.join(folder, name))
            )
        files.extend(sorted(found))
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
    report = ImportReport()
    files = collect_files(paths, unreadable=report.failed)
    if progress:
        progress(0, len(files))
    for done, path in enumerate(files, 1):
        if cancelled and cancelled():
            report.cancelled = True
            break
        pages = (lambda page, total, path=path: page_progress(path, page, total)) if page_progress else None
        try:
            ingested = _read(path, pages, cancelled)
            extraction = _extract(path, ingested)
            notice_id, duplicate = store.add_extraction(extraction, source_path=ingested.source.get("path"))
        except Cancelled:
            report.cancelled = True
            break
        except (StoreError, sqlite3.Error) as exc:  # the database, not the file: stop here
            exc.report = report
            raise
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


def _extract(path, ingested) -> dict:
    """extract_ingested, where a failure nobody foresaw fails this one file, not the batch."""
    try:
        return extract_ingested(ingested)
    except ExpectedError:
        raise
    except MemoryError as exc:
        log.exception("out of memory extracting %s", path)
        raise ExpectedError(OUT_OF_MEMORY, path=str(path)) from exc
    except Exception as exc:
        log.exception("extracting %s failed", path)
        raise ExpectedError(UNEXPECTED_FAILURE, path=str(path)) from exc


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
