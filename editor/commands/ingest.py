"""import FILE [--json]: a .docx or .txt report (or "-" for text on stdin) → a new draft."""

from __future__ import annotations

import json
import sys


def register(sub) -> None:
    p = sub.add_parser("import", help="导入 .docx 或 .txt 报告，新建草稿")
    p.add_argument("file", metavar="FILE", help="报告文件（.docx 或 .txt；“-”表示从标准输入读取文本）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出新草稿（同 show --json）")
    p.set_defaults(func=cmd_import)


def cmd_import(args, service) -> int:
    from editor.history import KIND_IMPORT, take_snapshot
    from editor.ingest import ImportError_, import_text, propose_file

    from .contract import report_json

    try:
        if args.file == "-":
            from editor.ingest import FileTooLargeError, decode_bytes
            from editor.ingest.files import MAX_TEXT_BYTES

            data = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1)
            if len(data) > MAX_TEXT_BYTES:
                raise FileTooLargeError(
                    f"输入的文本太长（超过 {MAX_TEXT_BYTES >> 20} MB），不像是一份报告。")
            report = import_text(decode_bytes(data), service.profile)
            messages: list[str] = []
        else:
            proposal = propose_file(args.file)
            report = proposal.to_report(service.profile)
            messages = proposal.messages
    except ImportError_ as exc:
        print(str(exc), file=sys.stderr)
        return 2
    # Only a fully parsed report reaches the database, in one transaction.
    service.repo.create(report)
    take_snapshot(service.repo, report, KIND_IMPORT, note="")
    for m in messages:
        print(m, file=sys.stderr)
    if args.json:
        print(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    else:
        print(report.id)
    return 0
