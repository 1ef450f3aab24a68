"""The report as JSON, as the command-line contract (architecture.md) describes it: what
``show --json`` and ``import --json`` print."""

from __future__ import annotations

from typing import Any

from editor.model import Report


def report_json(report: Report) -> dict[str, Any]:
    """The draft as the command-line contract (architecture.md) describes it."""
    h = report.header
    return {
        "id": report.id,
        "year": report.year,
        "preamble": report.preamble,
        "header": {
            "organ_mark": h.organ_mark,
            "doc_number": h.doc_number,
            "signer": h.signer,
            "title": h.title,
            "recipients": h.recipients,
            "signature": h.signature,
            "date": h.date,
            "note": h.note,
            "cc": h.cc,
            "printer": h.printer,
            "print_date": h.print_date,
            # the 发文字号's parts, and the number as imported when it was written otherwise
            "doc_code": h.doc_code,
            "doc_year": h.doc_year,
            "doc_serial": h.doc_serial,
            "source_doc_number": h.source_doc_number,
        },
        "parts": [
            {
                "heading": p.heading,
                "lead": p.lead,
                "sections": [{"title": s.title, "body": s.body} for s in p.sections],
            }
            for p in report.enabled_parts
        ],
        "closing": report.closing,
    }
