"""The command line (architecture.md): ``python main.py [gui|list|show|import|export|check]``."""

from __future__ import annotations

import argparse
import importlib
import sys

# Each module registers its subcommands; a module that is not there yet is skipped.
COMMAND_MODULES = (
    "editor.commands.core",
    "editor.commands.export",
    "editor.commands.check",
    "editor.commands.ingest",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's English usage errors, said in Chinese
        self.print_usage(sys.stderr)
        print(f"命令行参数有误：{message}。用 --help 查看用法。", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
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


def main(argv: list[str] | None = None) -> int:
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
        print(str(exc), file=sys.stderr)
        return 2
    try:
        return args.func(args, service)
    except (ServiceError, StorageError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `main.py show 1 --json | head`: the reader went away; that is not an error of ours.
        sys.stderr.close()
        return 0
    finally:
        service.close()


if __name__ == "__main__":
    sys.exit(main())
