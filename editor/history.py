"""History of a draft: snapshots, restore, a per-section diff, and pruning like a backup scheme.

Snapshots are whole reports stored as compressed JSON in the ``revisions`` table
(Repository.add_revision). The GUI takes them automatically (on export, on close, and every
:data:`AUTOSNAPSHOT_INTERVAL` while there are unsaved-to-history changes, see
:func:`should_autosnapshot`) and by hand with a note.

Pruning keeps everything from the last hour, then the newest snapshot of each hour for a day,
of each day for a month, of each ISO week after that. Decision: snapshots the user made on
purpose (kind "manual", or any snapshot with a note) and the automatic backup taken before a
restore are never pruned: they are few, and losing one would lose something the user chose to
keep. The newest snapshot of a report is never pruned either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from editor.model import Report

KIND_AUTO = "auto"
KIND_MANUAL = "manual"
KIND_EXPORT = "export"
KIND_CLOSE = "close"
KIND_IMPORT = "import"
KIND_RESTORE = "restore"  # the state just before a restore, so the restore can be undone
KIND_LABELS = {
    KIND_AUTO: "自动保存",
    KIND_MANUAL: "手动保存",
    KIND_EXPORT: "导出时",
    KIND_CLOSE: "关闭时",
    KIND_IMPORT: "导入时",
    KIND_RESTORE: "恢复前备份",
}
KEEP_FOREVER = {KIND_MANUAL, KIND_RESTORE}

AUTOSNAPSHOT_INTERVAL = timedelta(minutes=5)


class HistoryError(Exception):
    """A history operation failed; the message is plain Chinese."""


@dataclass
class Snapshot:
    id: int
    created_at: datetime
    kind: str
    note: str = ""

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def kept_forever(self) -> bool:
        return self.kind in KEEP_FOREVER or bool(self.note.strip())


# ---- taking and listing ---------------------------------------------------------------------
def take_snapshot(repo, report: Report, kind: str = KIND_AUTO, note: str = "",
                  skip_if_unchanged: bool = False) -> int | None:
    """Store the report as it is now; returns the snapshot id. The report must be saved once
    (have an id). With ``skip_if_unchanged`` (for the on-close and on-export snapshots), nothing
    is stored when the newest snapshot already has this content, and None is returned."""
    if report.id is None:
        raise HistoryError("报告还没有保存，无法建立历史版本。请先保存报告。")
    if skip_if_unchanged and not note.strip():
        latest = repo.revisions(report.id)[:1]
        if latest and _content(repo.load_revision(latest[0]["id"])) == _content(report):
            return None
    return repo.add_revision(report, kind=kind, note=note.strip())


def _content(report: Report) -> dict:
    data = report.to_dict()
    for key in ("id", "created_at", "updated_at"):
        data.pop(key, None)
    return data


def list_snapshots(repo, report_id: int) -> list[Snapshot]:
    """Newest first."""
    return [
        Snapshot(id=r["id"], created_at=_parse_time(r["created_at"]), kind=r["kind"] or "",
                 note=r["note"] or "")
        for r in repo.revisions(report_id)
    ]


def load_snapshot(repo, snapshot_id: int) -> Report:
    from db import StorageError

    try:
        return repo.load_revision(snapshot_id)
    except StorageError as exc:  # not found, a damaged snapshot, a damaged file: it says which
        raise HistoryError(str(exc)) from exc


def should_autosnapshot(
    last_snapshot_time: datetime | None, now: datetime, changed: bool,
    interval: timedelta = AUTOSNAPSHOT_INTERVAL,
) -> bool:
    """Take an automatic snapshot now? Every ``interval`` while there are changes."""
    if not changed:
        return False
    return last_snapshot_time is None or now - last_snapshot_time >= interval


def autosnapshot(repo, report: Report, last_snapshot_time: datetime | None, changed: bool,
                 now: datetime | None = None) -> int | None:
    """For the GUI's timer: snapshot if :func:`should_autosnapshot` says so; the new id or None."""
    now = now or datetime.now()
    if should_autosnapshot(last_snapshot_time, now, changed):
        return take_snapshot(repo, report, KIND_AUTO)
    return None


# ---- restore --------------------------------------------------------------------------------
def restore_snapshot(repo, report_id: int, snapshot_id: int) -> Report:
    """Replace the draft's content by the snapshot's, keeping the report id. The current state is
    snapshotted first (kind "restore"), so the restore itself can be undone from the history.
    Returns the restored report as now saved."""
    snap = load_snapshot(repo, snapshot_id)
    info = repo.revision_info(snapshot_id)
    if info is None or info["report_id"] != report_id:
        raise HistoryError("这个历史版本不属于当前报告，无法恢复。")
    current = repo.load(report_id)
    when = list_snapshot_time(repo, snapshot_id)
    take_snapshot(repo, current, KIND_RESTORE,
                  note=f"恢复到 {when:%Y-%m-%d %H:%M} 的版本之前自动保存" if when else "")
    snap.id = report_id
    snap.created_at = current.created_at
    # repo.save writes the difference against what it last loaded: the current rows.
    repo.load(report_id)
    repo.save(snap)
    return repo.load(report_id)


def list_snapshot_time(repo, snapshot_id: int) -> datetime | None:
    info = repo.revision_info(snapshot_id)
    return _parse_time(info["created_at"]) if info else None


# ---- diff -----------------------------------------------------------------------------------
@dataclass
class Change:
    tag: str  # equal / replace / delete / insert
    old: str
    new: str


@dataclass
class SectionDiff:
    """One block of the report in two versions, for a side-by-side view."""

    kind: str  # header / preamble / part / section / closing
    uid: str | None  # section or part uid (None for header, preamble, closing)
    label: str  # where it is, e.g. "一、…（二）…"
    status: str  # same / changed / added / removed
    old: str
    new: str
    changes: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.status != "same"


def char_diff(old: str, new: str) -> list[Change]:
    """Character-level changes (Chinese has no spaces to split words on); ``autojunk`` off so
    long texts with common characters are still compared character by character."""
    import difflib  # only when comparing versions

    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [Change(tag, old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in sm.get_opcodes()]


def _header_text(report: Report) -> str:
    h = report.header
    fields = [("发文机关标志", h.organ_mark), ("发文字号", h.doc_number), ("签发人", h.signer),
              ("标题", h.title), ("主送机关", h.recipients), ("署名", h.signature),
              ("成文日期", h.date), ("附注", h.note), ("抄送", h.cc), ("印发机关", h.printer),
              ("印发日期", h.print_date)]
    return "\n".join(f"{k}：{v}" for k, v in fields if v)


def _blocks(report: Report) -> list[tuple[str, str, str | None, str, str]]:
    """(key, kind, uid, label, text) of every block, in document order."""
    from editor.model import part_number, section_number

    out = [("header", "header", None, "版头和版记", _header_text(report)),
           ("preamble", "preamble", None, "前言", report.preamble)]
    for pi, part in enumerate(report.parts):
        plabel = part_number(pi) + part.heading
        text = part.heading + ("\n" + part.lead if part.lead else "")
        out.append((f"p:{part.uid}", "part", part.uid, plabel, text))
        for si, s in enumerate(part.sections):
            label = f"{plabel} {section_number(si)}{s.title}"
            text = s.title + ("\n" + s.body if s.body else "")
            out.append((f"s:{s.uid}", "section", s.uid, label, text))
    out.append(("closing", "closing", None, "结束语", report.closing))
    return out


def diff_reports(old: Report, new: Report) -> list[SectionDiff]:
    """Every block in either version, in the new version's order with removed blocks placed
    after their old predecessor. Sections and parts are matched by uid, so a moved section is
    compared with itself."""
    old_blocks = {k: (kind, uid, label, text) for k, kind, uid, label, text in _blocks(old)}
    new_list = _blocks(new)
    new_keys = {k for k, *_ in new_list}
    result: list[SectionDiff] = []
    for k, kind, uid, label, text in new_list:
        if k in old_blocks:
            old_text = old_blocks[k][3]
            status = "same" if old_text == text else "changed"
            result.append(SectionDiff(kind, uid, label, status, old_text, text,
                                      char_diff(old_text, text)))
        else:
            result.append(SectionDiff(kind, uid, label, "added", "", text,
                                      [Change("insert", "", text)]))
    # Removed blocks go after the block that preceded them in the old version.
    old_order = [k for k, *_ in _blocks(old)]
    for i, k in enumerate(old_order):
        if k in new_keys:
            continue
        kind, uid, label, text = old_blocks[k]
        item = SectionDiff(kind, uid, label, "removed", text, "", [Change("delete", text, "")])
        anchor = next((old_order[j] for j in range(i - 1, -1, -1) if old_order[j] in new_keys),
                      None)
        pos = 0
        if anchor is not None:
            pos = next(n for n, d in enumerate(result) if _key(d) == anchor) + 1
            while pos < len(result) and result[pos].status == "removed":
                pos += 1
        result.insert(pos, item)
    return result


def _key(d: SectionDiff) -> str:
    if d.kind == "section":
        return f"s:{d.uid}"
    if d.kind == "part":
        return f"p:{d.uid}"
    return d.kind


def diff_snapshots(repo, old_id: int, new_id: int | None = None, report_id: int | None = None
                   ) -> list[SectionDiff]:
    """Diff two snapshots, or a snapshot against the current draft (``new_id`` None)."""
    old = load_snapshot(repo, old_id)
    if new_id is not None:
        new = load_snapshot(repo, new_id)
    else:
        new = repo.load(report_id if report_id is not None else old.id)
    return diff_reports(old, new)


# ---- pruning ----------------------------------------------------------------------------------
def prune_plan(snapshots: Iterable[Snapshot], now: datetime) -> list[int]:
    """Ids to delete: keep all of the last hour, the newest per hour for a day, per day for
    30 days, per ISO week before that; never the kept-forever ones or the newest overall."""
    snaps = sorted(snapshots, key=lambda s: (s.created_at, s.id), reverse=True)
    seen_buckets: set[tuple] = set()
    delete: list[int] = []
    for i, s in enumerate(snaps):
        age = now - s.created_at
        if s.kept_forever or age <= timedelta(hours=1):
            continue
        t = s.created_at
        if age <= timedelta(days=1):
            bucket = ("h", t.year, t.month, t.day, t.hour)
        elif age <= timedelta(days=30):
            bucket = ("d", t.year, t.month, t.day)
        else:
            iso = t.isocalendar()
            bucket = ("w", iso[0], iso[1])
        if bucket in seen_buckets and i > 0:
            delete.append(s.id)
        else:
            seen_buckets.add(bucket)  # newest of its bucket (we go newest first)
    return delete


def prune(repo, report_id: int | None = None, now: datetime | None = None) -> int:
    """Apply :func:`prune_plan` to one report's snapshots (or every report's); returns how many
    were deleted."""
    now = now or datetime.now()
    if report_id is None:
        ids = repo.reports_with_revisions()
    else:
        ids = [report_id]
    doomed: list[int] = []
    for rid in ids:
        doomed += prune_plan(list_snapshots(repo, rid), now)
    delete_snapshots(repo, doomed)
    return len(doomed)


def delete_snapshots(repo, ids: list[int]) -> None:
    repo.delete_revisions(ids)


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


__all__ = [
    "AUTOSNAPSHOT_INTERVAL", "KIND_LABELS", "Change", "HistoryError", "SectionDiff", "Snapshot",
    "autosnapshot", "char_diff", "delete_snapshots", "diff_reports", "diff_snapshots",
    "list_snapshots", "load_snapshot", "prune", "prune_plan", "restore_snapshot",
    "should_autosnapshot", "take_snapshot",
]
