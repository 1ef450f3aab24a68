"""gui, list, show."""

from __future__ import annotations

import json

from . import report_id


def register(sub) -> None:
    p = sub.add_parser("gui", help="打开图形界面（默认）")
    p.set_defaults(func=cmd_gui, needs_service=False)

    p = sub.add_parser("list", help="列出所有报告")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="显示一份报告")
    p.add_argument("id", type=report_id, help="报告编号（见 list）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_show)


def cmd_gui(args, service=None) -> int:
    from editor.ui.app import run_gui

    return run_gui(args.db)


def cmd_list(args, service) -> int:
    service.ensure_example()
    reports = service.list_reports()
    if args.json:
        print(json.dumps(
            [{"id": r.id, "title": r.title, "year": r.year, "organ": r.organ,
              "updated_at": r.updated_at} for r in reports],
            ensure_ascii=False, indent=2,
        ))
        return 0
    if not reports:
        print("（还没有报告）")
    for r in reports:
        print(f"{r.id:>4}  {r.year}  {r.organ}  {r.title}  （最后修改 {r.updated_at}）")
    return 0


def cmd_show(args, service) -> int:
    from editor.model import part_number, section_number

    from .contract import report_json

    service.ensure_example()
    report = service.load(args.id)
    if args.json:
        print(json.dumps(report_json(report), ensure_ascii=False, indent=2))
        return 0
    h = report.header
    print(h.title)
    print(h.recipients)
    print(report.preamble)
    for pi, part in enumerate(report.enabled_parts):
        print(part_number(pi) + part.heading)
        if part.lead:
            print(part.lead)
        for si, s in enumerate(part.sections):
            print(section_number(si) + s.title + ("。" if s.run_in else "\n") + s.body)
    print(report.closing)
    return 0
