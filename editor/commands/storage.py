"""backups, restore, salvage: the automatic backups and a damaged database, from the command line.

The window offers the same through its 从备份恢复… dialog; these work when the window cannot
start, and in scripts. Restore and salvage take the one-window lock first: replacing the file
under an open window would lose its edits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("backups", help="列出数据库的自动备份（时间、报告数、大小、是否完好）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_backups, needs_service=False)

    p = sub.add_parser("restore", help="用一个自动备份替换数据库（原文件改名保留）")
    p.add_argument("backup", metavar="BACKUP|latest",
                   help="备份文件（见 backups），或 latest 表示最近的完好备份")
    p.set_defaults(func=cmd_restore, needs_service=False)

    p = sub.add_parser("salvage", help="从损坏的数据库抢救还能读出的内容（损坏的文件改名保留）")
    p.set_defaults(func=cmd_salvage, needs_service=False)


def _db_path(args) -> Path:
    from db import default_db_path

    return Path(args.db) if args.db else default_db_path()


def cmd_backups(args) -> int:
    from db.backup import backup_dir, list_backups

    path = _db_path(args)
    infos = list_backups(path, verify=True)
    if args.json:
        print(json.dumps([{"path": str(i.path), "created": i.created.isoformat(),
                           "reports": i.reports, "size": i.size, "sound": i.sound}
                          for i in infos], ensure_ascii=False, indent=2))
        return 0
    if not infos:
        print(f"还没有备份（备份保存在“{backup_dir(path)}”，图形界面每次打开和关闭时自动备份）。")
        return 0
    for i in infos:
        print(f"{i.path.name}  {i.label}")
    return 0


def _locked(path: Path):
    """The one-window lock, or None after printing why it cannot be had."""
    from db.lock import DbLock, LockBusy

    lock = DbLock(path)
    try:
        lock.acquire()
    except LockBusy as exc:
        if not exc.state.can_take_over:
            print(f"{exc}请先关闭那个窗口。", file=sys.stderr)
            return None
        lock.take_over()  # a stale lock file: nobody is using the database
    return lock


def cmd_restore(args) -> int:
    from db.backup import newest_sound_backup, restore_backup

    path = _db_path(args)
    if args.backup in ("latest", "newest"):
        info = newest_sound_backup(path)
        if info is None:
            print("没有找到完好的备份。可以用 python main.py salvage 抢救还能读出的内容。",
                  file=sys.stderr)
            return 2
        backup = info.path
    else:
        backup = Path(args.backup)
        if not backup.is_file():
            print(f"找不到备份文件“{backup}”。请用 python main.py backups 查看现有备份。",
                  file=sys.stderr)
            return 2
    lock = _locked(path)
    if lock is None:
        return 2
    try:
        aside = restore_backup(path, backup)
    finally:
        lock.release()
    print(f"已从备份“{backup.name}”恢复数据库“{path}”。")
    if aside:
        print(f"原来的文件没有删除，改名保留为“{aside}”。")
    return 0


def cmd_salvage(args) -> int:
    from db.salvage import salvage_in_place

    path = _db_path(args)
    if not path.is_file():
        print(f"找不到数据库文件“{path}”。", file=sys.stderr)
        return 2
    lock = _locked(path)
    if lock is None:
        return 2
    try:
        result = salvage_in_place(path)
    finally:
        lock.release()
    print(result.summary())
    print(f"抢救出的数据库已放在“{path}”，可以直接打开。")
    return 0
