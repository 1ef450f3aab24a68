"""export: the report as a GB/T 9704 公文 DOCX (and optionally PDF)."""

from __future__ import annotations

import sys

from . import report_id


def register(sub) -> None:
    p = sub.add_parser("export", help="导出为符合 GB/T 9704-2012 的公文 DOCX（可同时生成 PDF）")
    p.add_argument("id", type=report_id, help="报告编号（见 list）")
    p.add_argument("-o", "--output", required=True, metavar="OUT.docx", help="保存的 DOCX 文件")
    p.add_argument("--variant", choices=("redhead", "preprinted", "plain"), default="redhead",
                   help="redhead 红头文件（默认）；preprinted 套打预印红头纸；plain 网站公开版")
    p.add_argument("--pdf", metavar="OUT.pdf", help="同时用 LibreOffice 生成 PDF")
    p.add_argument("--house-style", metavar="NAME",
                   help="单位版式（resources/layout/house-styles 中的名称或 TOML 文件路径）")
    p.add_argument("--confirm", action="store_true",
                   help="用 LibreOffice 排版后核对版记位置（只检查，不改动 DOCX；--pdf 时自动核对 PDF）")
    p.set_defaults(func=cmd_export)


def cmd_export(args, service) -> int:
    from editor.export import ExportError, export_docx
    from editor.export.pdf import NOT_FOUND, PdfError, convert_to_pdf, find_soffice

    service.ensure_example()
    report = service.load(args.id)
    want_pdf = bool(args.pdf)
    has_lo = find_soffice() is not None
    try:
        result = export_docx(report, args.output, variant=args.variant,
                             layout=args.house_style,
                             confirm=args.confirm and not want_pdf and has_lo)
    except ExportError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"已导出：{result.path}（共 {result.pages} 页）")
    for w in result.warnings:
        print(f"提示：{w}", file=sys.stderr)
    if result.blank_page:
        print(f"提示：正文结束于偶数页且无空间，已加一页空白页，版记在第 {result.banji_page} 页"
              "（这两页不编页码）。", file=sys.stderr)
    if not want_pdf:
        return 0
    if not has_lo:
        print(NOT_FOUND, file=sys.stderr)
        return 1
    from editor.export.confirm import check_render
    from editor.export.measure import MeasureUnavailable, available, read_pdf

    try:
        pdf = convert_to_pdf(result.path, args.pdf)
    except (PdfError, ExportError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"已生成 PDF：{pdf.pdf}")
    for line in pdf.substitution_lines():
        print(f"字体：{line}", file=sys.stderr)
    if available():
        from editor.export import _layout

        try:
            problems = check_render(read_pdf(pdf.pdf), result, _layout(args.house_style))
        except (MeasureUnavailable, OSError):
            problems = []
        for p in problems:
            print(f"注意：{p}", file=sys.stderr)
    return 0
