"""The county's summary table of a bulk check (editor.check.batch): one row per submitted report
with its errors, its coverage of the required items and what is missing, as CSV (Excel, WPS)
or as an HTML page with each report's findings. Files are written whole or not at all, and a
file that cannot be written says why in Chinese.
"""

from __future__ import annotations

import csv
import html
import io
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from ..model import Report
from .batch import BatchRow
from .findings import Finding

MISSING_SEPARATOR = "；"
CSV_COVERAGE_SLASH = "／"
SUMMARY_SUFFIXES = {".csv": "csv", ".html": "html", ".htm": "html"}
CSV_HEADER = ("序号", "文件/编号", "报告单位", "年度", "标题", "错误数", "提示数", "必查项覆盖",
              "覆盖率", "缺少的必查项", "读取问题")
SEVERITY_LABELS = {"error": "错误", "warning": "提示", "info": "信息"}


class SummaryWriteError(Exception):
    """The summary file could not be written; ``str()`` says why and what to do, in Chinese."""


def summary_kind(path: str | os.PathLike[str]) -> str | None:
    """"csv" or "html" by the file name's ending; None for any other ending."""
    return SUMMARY_SUFFIXES.get(Path(path).suffix.lower())


def table_row(row: BatchRow) -> list[str]:
    """The summary table's cells for one row, as text (CSV_HEADER order)."""
    if not row.ok:
        return [str(row.index), row.name, row.organ, str(row.year or ""), row.title,
                "", "", "", "", "", row.error]
    return [str(row.index), row.name, row.organ, str(row.year or ""), row.title,
            str(row.errors), str(row.warnings), row.coverage, row.coverage_percent,
            MISSING_SEPARATOR.join(row.missing_labels), ""]


def _csv_text_cell(value: str) -> str:
    # A submitted title that starts with = or + would run as a formula in Excel/WPS.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_bytes(rows: list[BatchRow]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    numeric = {0, 3, 5, 6}
    for row in rows:
        cells = table_row(row)
        # Excel reads “3/36” as the date March 1936 (only a poor report has so few items met,
        # which is the row that matters); a full-width slash is never taken for a date.
        cells[7] = cells[7].replace("/", CSV_COVERAGE_SLASH)
        writer.writerow([c if i in numeric else _csv_text_cell(c) for i, c in enumerate(cells)])
    # The BOM is what makes Excel and WPS read the file as UTF-8 rather than GBK.
    return buf.getvalue().encode("utf-8-sig")


def write_csv(rows: list[BatchRow], path: str | os.PathLike[str]) -> None:
    write_atomic(path, csv_bytes(rows))


_CSS = """
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei",
       SimSun, sans-serif; margin: 24px; color: #222; line-height: 1.5; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; }
h3 { font-size: 16px; border-top: 1px solid #ccc; padding-top: 16px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #bbb; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
td.num { text-align: right; white-space: nowrap; }
tr.has-errors td.errors { color: #b00000; font-weight: bold; }
tr.unreadable td { background: #fff4e0; }
.missing { color: #8a4b00; }
.problem { color: #b00000; }
.muted { color: #666; }
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def html_text(rows: list[BatchRow], generated: datetime | None = None) -> str:
    generated = generated or datetime.now()
    bad = sum(1 for r in rows if not r.ok)
    with_errors = sum(1 for r in rows if r.ok and r.errors)
    out = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
           "<title>法治政府建设年度报告检查汇总</title>", f"<style>{_CSS}</style>", "</head>",
           "<body>", "<h1>法治政府建设年度报告检查汇总</h1>",
           (f'<p class="muted">共 {len(rows)} 份：{len(rows) - bad} 份已检查'
            f"（其中 {with_errors} 份有错误），{bad} 份无法读取。"
            f"生成时间：{_e(generated.strftime('%Y-%m-%d %H:%M'))}。</p>"),
           "<table>", "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in CSV_HEADER)
           + "</tr></thead>", "<tbody>"]
    numeric = {0, 3, 5, 6, 7, 8}
    for row in rows:
        cells = table_row(row)
        cls = "unreadable" if not row.ok else ("has-errors" if row.errors else "")
        tds = []
        for i, cell in enumerate(cells):
            classes = []
            if i in numeric:
                classes.append("num")
            if i == 5:
                classes.append("errors")
            if i == 9:
                classes.append("missing")
            if i == 10:
                classes.append("problem")
            text = f'<a href="#r{row.index}">{_e(cell)}</a>' if i == 1 else _e(cell)
            attr = f' class="{" ".join(classes)}"' if classes else ""
            tds.append(f"<td{attr}>{text}</td>")
        attr = f' class="{cls}"' if cls else ""
        out.append(f"<tr{attr}>" + "".join(tds) + "</tr>")
    out += ["</tbody>", "</table>", "<h2>各报告详情</h2>"]
    for row in rows:
        out += _html_details(row)
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _html_details(row: BatchRow) -> list[str]:
    heading = " · ".join(x for x in (row.name, row.organ, f"{row.year}年度" if row.year else "")
                         if x)
    out = [f'<section id="r{row.index}">', f"<h3>{row.index}. {_e(heading)}</h3>"]
    if not row.ok:
        out += [f'<p class="problem">无法读取：{_e(row.error)}</p>', "</section>"]
        return out
    out.append(f"<p>标题：{_e(row.title) or '（无标题）'}<br>"
               f"{row.errors} 处错误 · {row.warnings} 处提示 · 必查项 {_e(row.coverage)}"
               f"（{_e(row.coverage_percent) or '—'}）</p>")
    missing = row.missing_required
    if missing:
        out.append(f"<h4>缺少的必查项（{len(missing)} 项）</h4>")
        out.append('<ul class="missing">' + "".join(
            f"<li>{_e(r.id)} {_e(r.label)}</li>" for r in missing) + "</ul>")
    else:
        out.append("<p>必查项齐全。</p>")
    findings = row.result.findings if row.result else []
    if findings:
        out += [f"<h4>校对问题（{len(findings)} 处）</h4>", "<table>",
                "<thead><tr><th>级别</th><th>位置</th><th>原文</th><th>问题</th><th>建议</th></tr></thead>",
                "<tbody>"]
        for f in findings:
            out.append(_finding_tr(row.report, f))
        out += ["</tbody>", "</table>"]
    else:
        out.append("<p>没有发现校对问题。</p>")
    out.append("</section>")
    return out


def _finding_tr(report: Report, f: Finding) -> str:
    # 位置 in words (第一部分（二）第3段) rather than the JSON's 0-based numbers: this page is
    # read by people; scripts use --json.
    cells = [SEVERITY_LABELS.get(f.severity, f.severity), f.place.describe(report),
             f.text, f.message, f.suggestion or ""]
    cls = ' class="has-errors"' if f.severity == "error" else ""
    return f"<tr{cls}>" + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>"


def write_html(rows: list[BatchRow], path: str | os.PathLike[str]) -> None:
    write_atomic(path, html_text(rows).encode("utf-8"))


def write_summary(rows: list[BatchRow], path: str | os.PathLike[str],
                  kind: str | None = None) -> None:
    kind = kind or summary_kind(path)
    if kind == "csv":
        write_csv(rows, path)
    elif kind == "html":
        write_html(rows, path)
    else:
        raise SummaryWriteError(f"汇总表“{path}”的文件名应以 .csv 或 .html 结尾。")


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write through a temporary file in the same folder, so a reader (or a crash) never sees
    half a table and an existing file is only replaced once the new one is complete."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise SummaryWriteError(f"“{path}”是一个文件夹。请给出汇总表的文件名，例如“汇总.csv”。")
    if not folder.is_dir():
        raise SummaryWriteError(f"无法写入汇总表“{path}”：文件夹“{folder}”不存在。"
                                "请先建好这个文件夹，或换一个位置。")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise SummaryWriteError(f"无法写入汇总表“{path}”：不能在文件夹“{folder}”中写文件"
                                f"（{exc.strerror or exc}）。请换一个有写入权限的文件夹。") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); a summary is meant to be shared.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        hint = ("如果这个文件正在 Excel 或 WPS 中打开，请先关闭它再试。"
                if isinstance(exc, PermissionError) else "请检查磁盘空间和文件夹权限后再试。")
        raise SummaryWriteError(f"无法写入汇总表“{path}”（{exc.strerror or exc}）。{hint}") from exc


__all__ = [
    "CSV_HEADER",
    "SummaryWriteError",
    "csv_bytes",
    "html_text",
    "summary_kind",
    "table_row",
    "write_atomic",
    "write_csv",
    "write_html",
    "write_summary",
]
