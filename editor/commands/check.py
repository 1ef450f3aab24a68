"""check ID|FILE [--json]: proofread a draft and show its checklist.

Exit 0: no errors; 1: errors found; 2: bad input (unknown id, unreadable file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SEVERITY_LABELS = {"error": "错误", "warning": "提示", "info": "信息"}
AUTO_LABELS = {"met": "已写", "missing": "未写"}
REVIEW_LABELS = {"ticked": "已确认", "unticked": "未确认", "stale": "已确认但内容已改"}
SEVERITY_ITEM = {"required": "必备", "recommended": "建议", "optional": "可选"}


def register(sub) -> None:
    p = sub.add_parser("check", help="检查一份报告：校对问题和检查清单")
    p.add_argument("target", metavar="ID|FILE", help="报告编号（见 list），或一个 .txt 文件")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_check)


class InputError(Exception):
    """Bad input, said in plain Chinese."""


def load_target(target: str, service):
    """(report, store) for an id in the database or a file on disk (no stored review data)."""
    from editor.check.review import MemoryReviewStore

    if target.strip().isdigit():
        report = service.load(int(target))
        from db.review import ReviewStore

        return report, ReviewStore(service.repo)
    path = Path(target)
    if not path.exists():
        raise InputError(f"“{target}”既不是报告编号，也不是存在的文件。请用“list”查看报告编号。")
    if path.suffix.lower() != ".txt":
        raise InputError(f"暂时只能检查 .txt 文件，“{path.name}”请先用“import”导入后按编号检查。")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"文件“{path.name}”不是 UTF-8 编码的文本，请另存为 UTF-8 后重试。") from exc
    except OSError as exc:
        raise InputError(f"无法读取文件“{path}”：{exc.strerror or exc}。") from exc
    from editor.ingest import parse_text

    return parse_text(text, service.profile), MemoryReviewStore()


def cmd_check(args, service) -> int:
    from editor.check.review import ReviewSession

    try:
        report, store = load_target(args.target, service)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    result = ReviewSession(report, store).check()
    try:
        if args.json:
            print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        else:
            print_text(report, result)
    except BrokenPipeError:  # output piped into `head`: not an error of the check
        sys.stderr.close()
    return 1 if result.errors else 0


def where(report, loc) -> str:
    from editor.model import chinese_number

    names = {"header.title": "标题", "header.doc_number": "发文字号", "header.doc_serial": "发文字号序号",
             "header.doc_year": "发文字号年份", "header.signer": "签发人",
             "header.recipients": "主送机关", "header.date": "成文日期", "header.note": "附注",
             "header.signature": "发文机关署名", "header.cc": "抄送机关",
             "header.printer": "印发机关", "header.print_date": "印发日期",
             "header.organ_mark": "发文机关标志", "preamble": "前言", "closing": "结束语"}
    if loc.part is None:
        text = names.get(loc.field, loc.field)
        return f"{text}第{loc.paragraph + 1}段" if loc.field == "preamble" else text
    text = f"第{chinese_number(loc.part)}部分"
    if loc.section is None:
        return text + ("标题" if loc.paragraph == 0 else f"导语第{loc.paragraph}段")
    text += f"（{chinese_number(loc.section)}）"
    return text + ("标题" if loc.paragraph == 0 else f"第{loc.paragraph}段")


def print_text(report, result) -> None:
    title = report.header.title or "（无标题）"
    print(f"检查：{title}")
    print()
    if result.findings:
        print(f"校对问题（{len(result.findings)} 处）：")
        for f in result.findings:
            fix = f"  建议改为“{f.suggestion}”" if f.suggestion else ""
            shown = f"“{f.text}”" if f.text else ""
            print(f"  [{SEVERITY_LABELS.get(f.severity, f.severity)}] {where(report, f.location)}"
                  f" {shown}：{f.message}{fix}")
    else:
        print("校对问题：没有发现。")
    if result.ignored:
        print(f"（另有 {len(result.ignored)} 处已忽略）")
    print()
    print("检查清单：")
    group = None
    for r in result.checklist:
        if r.group_label != group:
            group = r.group_label
            print(f"  {group}")
        mark = "✔" if r.auto == "met" else "✘"
        review = "" if r.review == "unticked" else f"（{REVIEW_LABELS[r.review]}：{r.reviewer}）"
        print(f"    {mark} {r.id} [{SEVERITY_ITEM.get(r.severity, r.severity)}] {r.label}"
              f" — {AUTO_LABELS[r.auto]}{review}")
    print()
    print(result.status_text())
