"""Storage: SQLite through sqlite-utils. Knows nothing of Qt."""

from .repository import ReportSummary, Repository, StorageError, default_db_path

__all__ = ["ReportSummary", "Repository", "StorageError", "default_db_path"]
