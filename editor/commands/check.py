"""check ID|FILE … [--json] [--summary OUT.csv|OUT.html]: proofread drafts and show their checklist.

One source: the full report (text or --json). Several: one line per report, or a JSON list.
Exit 0: no errors; 1: errors found; 2: bad input (unknown id, unreadable file, unwritable summary).
The batch logic lives in editor.check.batch; this module only parses arguments and prints.
"""

from __future__ import annotations

import argparse
import json
import sys

SEVERITY_LABELS = {"error": "错误", "warning": "提示", "info": "信息"}
AUTO_LABELS = {"met": "已写", "missing": "未写"}
REVIEW_LABELS = {"ticked": "已确认", "unticked": "未确认", "stale": "已确认但内容已改"}
SEVERITY_ITEM = {"required": "必备", "recommended": "建议", "optional": "可选"}

DESCRIPTION = """\
检查一份或多份报告：校对问题和检查清单。

每个参数是报告编号（见 list），或一个 .docx / .txt 文件（UTF-8、GBK/GB18030、UTF-16 均可）。
文件只检查，不会存入数据库。

只给一个参数：显示这份报告的全部问题和检查清单（--json 输出一个对象）。
给多个参数（县里一次审几十份报送材料）：每份报告一行——文件名、报告单位、年度、
错误数、提示数、必查项已写/应写、缺少的必查项；--json 输出一个列表，每份报告一个对象
{"source", "id", "title", "organ", "year", "error", "findings", "checklist", "summary"}。
读不了的文件（不是 Word 文档、旧版 .doc、有密码、空文件……）不会中断检查，
在结果中单列一行并写明原因。

--summary 汇总.csv   写汇总表（UTF-8 带 BOM，Excel / WPS 可直接打开）
--summary 汇总.html  写网页版汇总（表格加每份报告的问题明细）；--summary 可以给多次
--html 汇总.html     同上，写网页版汇总

退出码：0 没有错误；1 有报告存在错误；2 有输入无法检查（编号不存在、文件读不了）
或汇总表写不了。"""

EPILOG = """\
例：python main.py check 送审/*.docx 临江镇.txt 3 --summary 汇总.csv --summary 汇总.html"""


def register(sub) -> None:
    p = sub.add_parser("check", help="检查一份或多份报告：校对问题和检查清单，可写汇总表",
                       description=DESCRIPTION, epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("targets", nargs="+", metavar="ID|FILE",
                   help="报告编号（见 list），或 .docx / .txt 文件；可以给多个")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--summary", action="append", default=[], metavar="OUT.csv|OUT.html",
                   help="把每份报告的结果写成汇总表：.csv 或 .html（可给多次）")
    p.add_argument("--html", action="append", default=[], metavar="OUT.html",
                   help="把汇总写成网页（.html），含每份报告的问题明细")
    p.add_argument("--annotate", metavar="OUT.docx",
                   help="写一份审阅版：报告（网站公开版）的副本，每处问题和每个未写的必查项"
                        "都是一条 Word 批注（只能给一份报告）")
    p.set_defaults(func=cmd_check)


class InputError(Exception):
    """Bad input, said in plain Chinese."""


def load_target(target: str, service):
    """(report, store) for an id in the database or a .docx/.txt file (no stored review data)."""
    from editor.check.batch import SourceError, load_source

    try:
        report, store, _id = load_source(target, service)
    except SourceError as exc:
        raise InputError(str(exc)) from exc
    return report, store


def summary_targets(args) -> list[tuple[str, str]]:
    """[(path, "csv"|"html")]; raises InputError for a --summary name with another ending."""
    from editor.check.summary import summary_kind

    out = []
    for path in args.summary:
        kind = summary_kind(path)
        if kind is None:
            raise InputError(f"汇总表的文件名应以 .csv 或 .html 结尾（“{path}”）。"
                             "例如：--summary 汇总.csv")
        out.append((path, kind))
    return out + [(path, "html") for path in args.html]


def cmd_check(args, service) -> int:
    from editor.check.batch import check_sources, exit_code, expand_sources
    from editor.check.summary import SummaryWriteError, write_summary

    try:
        outputs = summary_targets(args)
    except InputError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    sources = expand_sources(args.targets)
    rows = check_sources(sources, service)
    code = exit_code(rows)
    try:
        if len(rows) == 1:
            print_single(rows[0], args.json)
        else:
            print_batch(rows, args.json)
    except BrokenPipeError:  # output piped into `head`: not an error of the check
        sys.stderr.close()
    for path, kind in outputs:
        try:
            write_summary(rows, path, kind)
        except SummaryWriteError as exc:
            print(str(exc), file=sys.stderr)
            code = 2
    if getattr(args, "annotate", None):
        code = max(code, write_annotated(rows, args.annotate))
    return code


def write_annotated(rows, path: str) -> int:
    """--annotate OUT.docx: the 审阅版 of the one report checked; 0 when written, else 2."""
    from editor.export import ExportError
    from editor.export.annotate import annotate_report

    if len(rows) != 1:
        print("--annotate 只能用于一份报告。", file=sys.stderr)
        return 2
    row = rows[0]
    if not row.ok:
        return 2
    if not str(path).lower().endswith(".docx"):
        print(f"审阅版的文件名应以 .docx 结尾（“{path}”）。", file=sys.stderr)
        return 2
    try:
        done = annotate_report(row.report, row.result, path)
    except ExportError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"已写审阅版：{done.path}（{done.comments} 条批注：{done.findings} 处问题，"
          f"{done.missing_items} 个未写的必查项）", file=sys.stderr)
    return 0


def print_single(row, as_json: bool) -> None:
    if not row.ok:
        print(row.error, file=sys.stderr)
        return
    if as_json:
        print(json.dumps(row.result.to_json(row.report), ensure_ascii=False, indent=2))
    else:
        print_text(row.report, row.result)


def print_batch(rows, as_json: bool) -> None:
    bad = [r for r in rows if not r.ok]
    if as_json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
    else:
        for r in rows:
            print(batch_line(r))
        print()
        with_errors = sum(1 for r in rows if r.ok and r.errors)
        print(f"共 {len(rows)} 份：{len(rows) - len(bad)} 份已检查（其中 {with_errors} 份有错误），"
              f"{len(bad)} 份无法读取。")
    if bad:
        names = "、".join(r.name for r in bad)
        print(f"有 {len(bad)} 份无法检查：{names}。原因见上。", file=sys.stderr)


def batch_line(row) -> str:
    head = f"{row.index}. {row.name}"
    if not row.ok:
        return f"{head}｜无法读取：{row.error}"
    year = f"{row.year}年度" if row.year else "年度未填"
    line = (f"{head}｜{row.organ or '（未填报告单位）'}｜{year}｜{row.errors} 处错误 · "
            f"{row.warnings} 处提示｜必查项 {row.coverage}")
    missing = row.missing_labels
    return line + (f"｜缺少：{'；'.join(missing)}" if missing else "｜必查项齐全")


def print_text(report, result) -> None:
    title = report.header.title or "（无标题）"
    print(f"检查：{title}")
    print()
    if result.findings:
        print(f"校对问题（{len(result.findings)} 处）：")
        for f in result.findings:
            fix = f"  建议改为“{f.suggestion}”" if f.suggestion else ""
            shown = f"“{f.text}”" if f.text else ""
            print(f"  [{SEVERITY_LABELS.get(f.severity, f.severity)}] {f.place.describe(report)}"
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
