"""Storage: SQLite through sqlite-utils. Knows nothing of Qt.

Every failure leaves this package as :class:`StorageError` (see db/errors.py)."""

from .connect import StorageState
from .errors import (
    DamagedDatabaseError,
    ForeignDatabaseError,
    NewerDatabaseError,
    ReadOnlyError,
    StorageError,
)
from .repository import ReportSummary, Repository, default_db_path

__all__ = [
    "DamagedDatabaseError",
    "ForeignDatabaseError",
    "NewerDatabaseError",
    "ReadOnlyError",
    "ReportSummary",
    "Repository",
    "StorageError",
    "StorageState",
    "default_db_path",
]
