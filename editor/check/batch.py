"""County review in bulk: check many reports at once (the summary table: editor.check.summary).

    rows = check_sources(["a.docx", "b.txt", "3"], service)   # never raises for a bad input
    write_summary(rows, "汇总.csv")

A source is a report id (from the database, with its reviewer ticks) or a .docx/.txt file
(read through editor.ingest, never stored). A source that cannot be read becomes a row that
carries the Chinese reason, so one broken submission does not stop the other nineteen.

Loading needs editor.ingest and the database, which this package otherwise does not import;
they are imported lazily so the checking engine itself stays free of them.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Report
from .checker import Checker, CheckResult
from .checklist import ItemResult

SQLITE_MAX_ID = 2**63 - 1
class SourceError(Exception):
    """A source that cannot be checked; ``str()`` is the Chinese reason for the user."""


@dataclass
class BatchRow:
    index: int  # 序号, from 1, in the order the sources were given
    source: str  # the argument as given
    name: str = ""  # what the table shows: the file name, or 编号 N
    report_id: int | None = None
    report: Report | None = None
    result: CheckResult | None = None
    error: str = ""  # why the source could not be checked; empty when it was

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.error

    @property
    def title(self) -> str:
        return self.report.header.title if self.report else ""

    @property
    def organ(self) -> str:
        return self.report.organ if self.report else ""

    @property
    def year(self) -> int | None:
        return self.report.year if self.report else None

    @property
    def errors(self) -> int:
        return len(self.result.errors) if self.result else 0

    @property
    def warnings(self) -> int:
        return len(self.result.warnings) if self.result else 0

    @property
    def required(self) -> list[ItemResult]:
        """The required items that apply to this report's body type."""
        return [r for r in self.result.checklist if r.severity == "required"] if self.result else []

    @property
    def missing_required(self) -> list[ItemResult]:
        return self.result.unmet_required if self.result else []

    @property
    def required_met(self) -> int:
        return len(self.required) - len(self.missing_required)

    @property
    def coverage(self) -> str:
        return f"{self.required_met}/{len(self.required)}" if self.ok else ""

    @property
    def coverage_percent(self) -> str:
        if not self.ok or not self.required:
            return ""
        return f"{100 * self.required_met / len(self.required):.1f}%"

    @property
    def missing_labels(self) -> list[str]:
        return [r.label for r in self.missing_required]

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"source": self.source, "id": self.report_id,
                                "title": self.title if self.report else None,
                                "organ": self.organ if self.report else None,
                                "year": self.year, "error": self.error or None}
        if self.result is not None:
            data.update(self.result.to_json(self.report))
        else:
            data.update({"findings": [], "checklist": [], "summary": None})
        return data


# ---- reading sources -------------------------------------------------------------------------------
def is_report_id(source: str) -> bool:
    return source.strip().isdigit()


def expand_sources(sources: Iterable[str]) -> list[str]:
    """Wildcards the shell left alone (Windows' cmd never expands ``*.docx``) → the matching
    files, sorted; anything else as given."""
    out: list[str] = []
    for s in sources:
        if any(c in s for c in "*?[") and not os.path.exists(s):
            matches = sorted(m for m in glob.glob(s) if os.path.isfile(m))
            out.extend(matches or [s])  # no match: reported as a missing file
        else:
            out.append(s)
    return out


def load_source(source: str, service=None, profile=None):
    """(report, review store, report id or None) for one source; raises :class:`SourceError`."""
    from .review import MemoryReviewStore

    if is_report_id(source):
        report_id = int(source.strip())
        if service is None:
            raise SourceError(f"“{source}”是报告编号，但没有打开数据库，无法按编号检查。")
        if report_id > SQLITE_MAX_ID:
            raise SourceError(f"找不到编号为 {source.strip()} 的报告。请用“list”命令查看现有报告。")
        from db import StorageError
        from db.review import ReviewStore
        from editor.service import ServiceError

        try:
            report = service.load(report_id)
        except (ServiceError, StorageError) as exc:
            raise SourceError(str(exc)) from exc
        return report, ReviewStore(service.repo), report_id
    path = Path(source)
    if not path.exists():
        raise SourceError(f"“{source}”既不是报告编号，也不是存在的文件。请用“list”查看报告编号，"
                          "或检查文件名和位置。")
    from editor.ingest import ImportError_, UnsupportedFormatError, import_file

    try:
        report = import_file(path, profile if profile is not None else _profile(service))
    except UnsupportedFormatError as exc:
        raise SourceError(f"{exc}（“check”可以检查 .docx 和 .txt 文件。）") from exc
    except ImportError_ as exc:
        raise SourceError(str(exc)) from exc
    return report, MemoryReviewStore(), None


def _profile(service):
    if service is not None:
        return service.profile
    from ..profile import load_profile

    return load_profile()


def display_names(sources: list[str]) -> list[str]:
    """File names where they are unique in the batch, the path as given where two collide."""
    names = [f"编号 {s.strip()}" if is_report_id(s) else (Path(s).name or s) for s in sources]
    return [n if names.count(n) == 1 or is_report_id(s) else s for n, s in zip(names, sources)]


def check_sources(sources: Iterable[str], service=None) -> list[BatchRow]:
    """One row per source, in order. Never raises for a bad source: the row carries the reason."""
    from .review import ReviewSession

    sources = list(sources)
    profile = _profile(service) if any(not is_report_id(s) for s in sources) else None
    checkers: dict[str, Checker] = {}  # one per profile: its caches serve every report
    rows = []
    for i, (source, name) in enumerate(zip(sources, display_names(sources)), start=1):
        row = BatchRow(index=i, source=source, name=name)
        try:
            row.report, store, row.report_id = load_source(source, service, profile)
        except SourceError as exc:
            row.error = str(exc)
            rows.append(row)
            continue
        checker = checkers.get(row.report.profile)
        if checker is None:
            checker = checkers[row.report.profile] = Checker(profile=row.report.profile)
        row.result = ReviewSession(row.report, store, checker).check()
        rows.append(row)
    return rows


def exit_code(rows: list[BatchRow]) -> int:
    """2 if any source could not be checked, else 1 if any report has errors, else 0."""
    if any(not r.ok for r in rows):
        return 2
    return 1 if any(r.errors for r in rows) else 0


__all__ = [
    "BatchRow",
    "SourceError",
    "check_sources",
    "display_names",
    "exit_code",
    "expand_sources",
    "is_report_id",
    "load_source",
]
