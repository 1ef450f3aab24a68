"""The one error boundary of storage: every failure leaves db/ as a :class:`StorageError` whose
``str()`` is one Chinese sentence saying what happened and what to do.

SQLite's own texts are English ("database disk image is malformed", "attempt to write a
readonly database"), so the classification reads the result code (``sqlite_errorcode``,
Python ≥ 3.11), never the text, and never passes the text on.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

from editor.os_errors import is_disk_full, os_reason

# SQLite primary result codes (https://sqlite.org/rescode.html).
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_READONLY = 3, 5, 6, 7, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN = 10, 11, 13, 14
SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_NOTADB, SQLITE_AUTH = 18, 19, 26, 23

# What the user can do about a damaged file, said once for every message that needs it.
DAMAGED_ADVICE = ("请在窗口中选择“从备份恢复…”找回最近的备份，或选择“抢救数据…”把还能读出的内容"
                  "存到新文件；损坏的文件会原样保留。")


class StorageError(Exception):
    """A storage problem, with a message in plain Chinese that says what to do."""

    #: why, for callers that choose what to offer: "" (other), "damaged", "foreign", "newer",
    #: "read_only", "busy", "full", "missing"
    kind = ""


class DamagedDatabaseError(StorageError):
    """The file is an SQLite database of ours, but pages or rows cannot be read."""

    kind = "damaged"

    def __init__(self, message: str, path: Path | None = None,
                 problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.problems = problems or []


class ForeignDatabaseError(StorageError):
    """Not a database of this program (another program's SQLite file, or not SQLite at all)."""

    kind = "foreign"


class NewerDatabaseError(StorageError):
    kind = "newer"


class ReadOnlyError(StorageError):
    """The database is open for reading only (damaged, or a read-only file or folder)."""

    kind = "read_only"


def _q(path: Path | str | None) -> str:
    """“path”, or nothing when the caller had only a connection."""
    return f"“{path}”" if path else ""


def damaged_message(path: Path | str) -> str:
    return f"数据库{_q(path)}已损坏，有些内容读不出来；程序没有再写入它。{DAMAGED_ADVICE}"


def storage_error(exc: BaseException, path: Path | str, doing: str = "读写") -> StorageError:
    """The :class:`StorageError` for an ``sqlite3.Error`` (or ``OSError``/``OverflowError``)
    that happened while ``doing`` (保存, 读取, 打开 …) the database at ``path``."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, OverflowError):
        return StorageError("编号太大，超出了数据库能保存的范围；请检查输入的编号。")
    if isinstance(exc, OSError):
        if is_disk_full(exc):
            return _full(path)
        return StorageError(f"{doing}数据库{_q(path)}时出错：{os_reason(exc)}。请检查文件和文件夹后重试。")
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DamagedDatabaseError(damaged_message(path), Path(path))
    if primary == SQLITE_FULL:
        return _full(path)
    if primary == SQLITE_READONLY:
        err = ReadOnlyError(f"数据库{_q(path)}现在不能写入（文件或所在文件夹是只读的），修改没有保存。"
                            "请检查文件属性和文件夹权限，或把数据库复制到可以写入的位置（例如“我的文档”）。")
        return err
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        err = StorageError(f"数据库{_q(path)}正被另一个程序或窗口使用，暂时无法{doing}。"
                           "请稍后重试；如果一直如此，请关闭其他打开这个数据库的窗口。")
        err.kind = "busy"
        return err
    if primary == SQLITE_IOERR:
        return StorageError(f"{doing}数据库{_q(path)}时磁盘出错（磁盘可能有故障，或U盘、网络盘已断开）。"
                            "请检查磁盘连接后重试；已输入的内容仍在窗口中。")
    if primary in (SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH):
        return StorageError(f"无法打开数据库{_q(path)}（文件不存在、没有权限，或所在文件夹不允许写入）。"
                            "请检查文件和文件夹的权限，或换一个位置的数据库。")
    if primary == SQLITE_NOMEM:
        return StorageError(f"{doing}数据库时内存不足。请关闭一些程序后重试。")
    if primary == SQLITE_TOOBIG:
        return StorageError("内容太大，数据库无法保存。请把过长的文字分成几段后重试。")
    if primary == SQLITE_CONSTRAINT:
        return StorageError(f"{doing}数据库{_q(path)}时数据前后不一致，没有写入。请重新打开这份报告后再试。")
    if isinstance(exc, sqlite3.ProgrammingError):
        return StorageError(f"数据库{_q(path)}已经关闭，无法{doing}。请重新启动程序。")
    number = f"（错误代码 {code}）" if code is not None else ""
    return StorageError(f"{doing}数据库{_q(path)}时出错{number}。请重新启动程序后再试；"
                        "如果一再出现，请联系维护人员。")


def _full(path: Path | str) -> StorageError:
    err = StorageError(f"磁盘空间已满，无法保存到{_q(path)}。请清理磁盘后继续，已输入的内容仍在窗口中。")
    err.kind = "full"
    return err


def guard(doing: str):
    """Decorator for a public method of an object with ``path`` (and optionally
    ``_storage_failed(err)``): sqlite3 and OS errors leave it as :class:`StorageError`."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(self, *args, **kwargs):
            try:
                return fn(self, *args, **kwargs)
            except StorageError as err:
                _failed(self, err)
                raise
            except (sqlite3.Error, OSError, OverflowError) as exc:
                err = storage_error(exc, getattr(self, "path", ""), doing)
                _failed(self, err)
                raise err from exc

        return inner

    return wrap


def _failed(owner, err: StorageError) -> None:
    failed = getattr(owner, "_storage_failed", None)
    if failed is not None:
        failed(err)
