"""The expected errors: bad input a user can fix, shown as a message, never as a crash.

Anything that is not one of these is a bug: it goes to the log and the crash dialog.
Messages are Chinese because the command line and the window both show them as they are;
``code`` lets callers branch without reading the text.
"""
from __future__ import annotations


class ExpectedError(Exception):
    code = "error"

    def __init__(self, message: str, *, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:  # one line, Chinese, names the file when there is one
        return f"{self.path}: {self.message}" if self.path else self.message


class UnreadableFileError(ExpectedError):
    """The file cannot be turned into notice text (missing, empty, wrong format, damaged)."""

    code = "unreadable"


class UnsupportedFormatError(UnreadableFileError):
    code = "unsupported_format"


class ScannedPdfError(UnreadableFileError):
    """A PDF without a text layer: it needs OCR, which this program does not do."""

    code = "scanned_pdf"


class StoreError(ExpectedError):
    code = "store"


class DatabaseLockedError(StoreError):
    """Another instance of the program holds the database."""

    code = "locked"


class NewerSchemaError(StoreError):
    """The database was written by a newer version of the program; it is left untouched."""

    code = "newer_schema"


class DatabaseBusyError(StoreError):
    """Another program kept the database locked (a long write) for longer than we waited."""

    code = "busy"


class DatabaseCorruptError(StoreError):
    code = "corrupt"


class NotOurDatabaseError(StoreError):
    """The file is not a database of this program (another application's, or not SQLite at all);
    it is refused without writing to it."""

    code = "foreign"


class ReadOnlyDatabaseError(StoreError):
    """The database (or its folder) cannot be written: reading works, changes are refused."""

    code = "read_only"


class DiskFullError(StoreError):
    """The disk holding the database (or a backup) is full; nothing half-written was kept."""

    code = "disk_full"


class DataFolderError(ExpectedError):
    """The program's data, cache, log or backup folder cannot be created or used."""

    code = "data_folder"


class InvalidEditError(ExpectedError, ValueError):
    """The store refuses a correction that does not fit the item (a field that cannot be edited,
    nothing to merge with, a split point outside the text). Also a ``ValueError``, which is
    what the store raised before."""

    code = "invalid_edit"


class ExportError(ExpectedError):
    code = "export"


class TargetInUseError(ExportError):
    """The export target is open in another program (Excel locks it on Windows)."""

    code = "target_in_use"


class Cancelled(Exception):
    """Raised inside long work when the user pressed 取消; callers keep what was finished."""

