"""The review window (PySide6). Holds no SQL and no parsing: it calls core services."""
