"""The command line (architecture.md): ``python main.py [gui|list|show|import|export|check]``."""

from __future__ import annotations

import importlib
import sys
from types import SimpleNamespace

# Each module registers its subcommands; a module that is not there yet is skipped.
COMMAND_MODULES = (
    "editor.commands.core",
    "editor.commands.export",
    "editor.commands.check",
    "editor.commands.ingest",
    "editor.commands.storage",
)

# argparse's English usage errors → Chinese (the usage line itself stays argparse's).
_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", "缺少参数：{0}"),
    (r"unrecognized arguments: (.*)", "不认识的参数：{0}"),
    (r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.*)\)",
     "参数 {0} 的值“{1}”不在可选范围内（可选：{2}）"),
    (r"argument (\S+): expected one argument", "参数 {0} 后面缺少值"),
    (r"argument (\S+): invalid (\w+) value: '?([^']*)'?", "参数 {0} 的值“{2}”格式不对"),
    (r"argument (\S+): (.*)", "参数 {0} 有误"),
)


def _chinese(message: str) -> str:
    import re

    for pattern, text in _ARGPARSE_MESSAGES:
        m = re.fullmatch(pattern, message.strip())
        if m:
            return text.format(*m.groups())
    return message


def _parser_class():
    import argparse  # not on the everyday start (see _everyday_gui_start)

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str):  # argparse's English usage errors, said in Chinese
            self.print_usage(sys.stderr)
            print(f"命令行参数有误：{_chinese(message)}。用 --help 查看用法。", file=sys.stderr)
            raise SystemExit(2)

    return _Parser


def build_parser():
    """The full ``argparse.ArgumentParser`` with every command module's subcommands."""
    import argparse

    _Parser = _parser_class()
    parser = _Parser(prog="main.py", description="法治政府建设年度报告编辑器")
    parser.add_argument("--db", metavar="PATH", help="数据库文件（默认在用户数据文件夹中）")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    # --db is accepted after the subcommand too: `main.py list --db x.db`.
    for action in sub.choices.values():
        action.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                            help="数据库文件（默认在用户数据文件夹中）")
    return parser


def _everyday_gui_start(argv: list[str]) -> tuple[bool, str | None]:
    """``main.py [gui] [--db PATH]`` (in any order, ``--db=PATH`` too): (True, PATH or None).

    The window is what users start every day; it needs neither argparse nor the command
    modules (~10 ms before the window). Anything else goes through the full parser.
    """
    db = None
    rest = list(argv)
    if rest.count("gui") > 1:
        return False, None
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg == "gui":
            i += 1
        elif arg == "--db" and i + 1 < len(rest) and not rest[i + 1].startswith("-") \
                and rest[i + 1] != "gui":
            db = rest[i + 1]
            i += 2
        elif arg.startswith("--db=") and not arg[5:].startswith("-"):
            db = arg[5:]
            i += 1
        else:
            return False, None
    return True, db


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure is one Chinese sentence on stderr and exit code 2."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 (the last line of the error boundary: no traceback)
        print(_last_resort(exc), file=sys.stderr)
        return 2


def _last_resort(exc: BaseException) -> str:
    """Errors that got past the commands' own handling, said in Chinese."""
    import sqlite3

    from db.errors import StorageError
    from editor.commands import BadId

    if isinstance(exc, BadId):
        return str(exc)
    if isinstance(exc, StorageError):
        return storage_message(exc)
    if isinstance(exc, (sqlite3.Error, OSError, OverflowError)):
        from db.errors import storage_error

        if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
            from editor.os_errors import os_reason

            name = f"“{exc.filename}”" if getattr(exc, "filename", None) else ""
            return f"无法读写文件{name}：{os_reason(exc)}。请检查文件名、位置和权限后重试。"
        return str(storage_error(exc, "", "读写"))
    return (f"程序内部出错（{type(exc).__name__}），命令没有完成。"
            "请把这条消息和所用的命令告诉维护人员。")


def _main(argv: list[str] | None) -> int:
    from editor.version import print_version_if_asked

    if print_version_if_asked(sys.argv[1:] if argv is None else argv):
        return 0
    everyday, db = _everyday_gui_start(sys.argv[1:] if argv is None else argv)
    if everyday:
        from editor.commands.core import cmd_gui

        return cmd_gui(SimpleNamespace(db=db))
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *(argv or sys.argv[1:])])
    if not getattr(args, "needs_service", True):
        return args.func(args)

    from editor.service import ReportService, ServiceError, StorageError

    try:
        service = ReportService(args.db)
    except StorageError as exc:
        print(storage_message(exc), file=sys.stderr)
        return 2
    try:
        return args.func(args, service)
    except (ServiceError, StorageError) as exc:
        print(storage_message(exc), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `main.py show 1 --json | head`: the reader went away; that is not an error of ours.
        sys.stderr.close()
        return 0
    finally:
        service.close()


def storage_message(exc: Exception) -> str:
    """The error's sentence; for a damaged database also how to recover from the command line."""
    text = str(exc)
    if getattr(exc, "kind", "") == "damaged":
        text += "（命令行：python main.py restore latest 从最近的完好备份恢复，" \
                "或 python main.py salvage 抢救还能读出的内容。）"
    return text


if __name__ == "__main__":
    sys.exit(main())
