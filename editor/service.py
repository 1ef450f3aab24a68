"""Use cases shared by the GUI and the command line. No Qt here."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from db import ReportSummary, Repository, StorageError
from editor.model import Report
from editor.paths import resource
from editor.profile import Profile, load_profile

EXAMPLE_FILE = ("examples", "linjiang-2025.txt")
EXAMPLE_STATE = "example_installed"


class ServiceError(Exception):
    """A failed use case, with a message in plain Chinese."""


class ReportService:
    def __init__(self, db_path: str | Path | None = None, profile: Profile | None = None):
        self.repo = Repository(db_path)
        self.profile = profile or load_profile()

    @property
    def db_path(self) -> Path:
        return self.repo.path

    def close(self) -> None:
        self.repo.close()

    # ---- first run -----------------------------------------------------------------------------
    def ensure_example(self) -> int | None:
        """On a brand-new database, add the example report once (never again once deleted)."""
        if self.repo.get_state(EXAMPLE_STATE) or self.repo.count():
            return None
        from editor.ingest import parse_text

        text = resource(*EXAMPLE_FILE).read_text(encoding="utf-8")
        report = parse_text(text, self.profile)
        # The plain-text sample has no field for 公开属性; the example is a complete report.
        report.header.publicity = report.header.publicity or "主动公开"
        report_id = self.repo.create(report)
        self.repo.set_state(EXAMPLE_STATE, True)
        return report_id

    # ---- reports -------------------------------------------------------------------------------
    def list_reports(self, deleted: bool = False) -> list[ReportSummary]:
        return self.repo.list_reports(deleted=deleted)

    def default_year(self) -> int:
        return datetime.date.today().year + self.profile.default_year_offset

    def new_report(self, year: int, organ: str, body_type: str) -> Report:
        organ = organ.strip()
        if not organ:
            raise ServiceError("请填写报告单位名称，例如“清河县临江镇人民政府”。")
        if not 1990 <= int(year) <= 2100:
            raise ServiceError("年度应为四位数字，例如 2025。")
        report = self.profile.new_report(int(year), organ, body_type)
        self.repo.create(report)
        return report

    def load(self, report_id: int) -> Report:
        if not self.repo.exists(report_id):
            raise ServiceError(f"找不到编号为 {report_id} 的报告。请用“list”命令查看现有报告。")
        return self.repo.load(report_id)

    def open_for_editing(self, report_id: int) -> Report:
        """Load a report for the editor, with every part its profile knows.

        An imported report may lack the optional parts (其他需要报告的情况); the editor adds
        them switched off, so the user can switch them on. Nothing is written until a save.
        """
        report = self.load(report_id)
        self.complete_parts(report)
        return report

    def complete_parts(self, report: Report) -> bool:
        """Add the profile's missing parts (disabled, empty) in profile order; True if any."""
        from editor.model import Part

        have = {p.key for p in report.parts}
        missing = [spec for spec in self.profile.parts if spec.key not in have]
        if not missing:
            return False
        order = {spec.key: i for i, spec in enumerate(self.profile.parts)}
        for spec in missing:
            # After the last part that comes before it in the profile; other parts keep
            # their places.
            at = 0
            for i, p in enumerate(report.parts):
                if order.get(p.key, -1) < order[spec.key]:
                    at = i + 1
            report.parts.insert(
                at,
                Part(key=spec.key, enabled=False,
                     heading=self.profile.fill(spec.heading, report.year, report.organ)),
            )
        return True

    def save(self, report: Report) -> int:
        report.clean()
        return self.repo.save(report)

    def rename(self, report_id: int, title: str) -> None:
        title = title.strip()
        if not title:
            raise ServiceError("标题不能为空。")
        self.repo.rename(report_id, title)

    def duplicate(self, report_id: int) -> int:
        return self.repo.duplicate(report_id)

    def delete(self, report_id: int) -> None:
        self.repo.delete(report_id)

    def restore(self, report_id: int) -> None:
        self.repo.restore(report_id)

    def purge(self, report_id: int) -> None:
        self.repo.purge(report_id)

    def empty_bin(self) -> int:
        return self.repo.empty_bin()

    # ---- where the user left off ---------------------------------------------------------------
    def last_position(self) -> dict[str, Any]:
        return self.repo.get_state("last_position", {}) or {}

    def remember_position(self, **position: Any) -> None:
        self.repo.set_state("last_position", position)


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


__all__ = ["ReportService", "ServiceError", "StorageError", "report_json"]
