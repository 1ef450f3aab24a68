"""The disk-full rescue: when the database cannot be written, the report is written
as 未保存的报告-….json, whole or not at all, and 导入 (``main.py import``) reads it back with every
field. The disk is really filled: a small tmpfs (root) — else the write is made to fail with
ENOSPC by a stand-in, which the test then says."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from db import StorageError
from editor.ingest import propose_file
from editor.service import ReportService

ROOT = Path(__file__).resolve().parent.parent


def comparable(data: dict) -> dict:
    """A report's dict without what a new draft gets anew (id, times, uids)."""
    data = json.loads(json.dumps(data))
    for key in ("id", "created_at", "updated_at", "saved_by", "database", "schema"):
        data.pop(key, None)
    for part in data["parts"]:
        part.pop("uid")
        for s in part["sections"]:
            s.pop("uid")
    return data


@pytest.fixture
def full_disk(tmp_path):
    """A folder on a 1 MB tmpfs (None if it cannot be mounted)."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)],
            check=False, capture_output=True).returncode != 0:
        yield None
        return
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def fill_up(folder: Path) -> None:
    fd = os.open(folder / "filler.bin", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


def test_a_full_disk_rescue_is_imported_back_whole(tmp_path, full_disk, monkeypatch):
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    db = (full_disk or tmp_path) / "reports.db"
    svc = ReportService(db)
    svc.ensure_example()
    report = svc.open_for_editing(1)
    # Every kind of field carries something the plain-text import could not have guessed.
    report.parts[0].sections[0].body += "\n（新增）一段只在窗口里的文字。" * 200
    report.parts[0].sections[1].status = "approved"
    report.parts[0].sections[1].reviewer = "李审核"
    report.parts[1].lead_status = "outdated"
    report.preamble_status = "outdated"
    report.header.signer = "王某某"
    report.header.publicity = "依申请公开"
    if full_disk is not None:
        fill_up(full_disk)
        with pytest.raises(StorageError, match="磁盘空间已满") as info:
            svc.save(report)
        assert info.value.kind == "full"
    else:  # pragma: no cover - only where no tmpfs can be mounted
        real_open = open

        def enospc_open(path, *args, **kwargs):
            if str(path).startswith(str(db.parent)) and "w" in (args[0] if args else ""):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr("builtins.open", enospc_open)
        print("no tmpfs: ENOSPC simulated")
    rescued = svc.write_rescue_file(report, folders=[db.parent, elsewhere])
    monkeypatch.undo()
    assert rescued is not None and rescued.parent == elsewhere
    assert rescued.name.startswith("未保存的报告-1-") and rescued.suffix == ".json"
    # nothing half-written was left on the full disk
    assert not [p for p in db.parent.iterdir() if p.name.startswith((".未保存", "未保存"))]
    svc.close()

    target = tmp_path / "recovered.db"
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "import", str(rescued),
                          "--db", str(target)], check=False, capture_output=True, text=True, cwd=ROOT,
                         encoding="utf-8")
    assert out.returncode == 0, out.stderr
    new_id = int(out.stdout)
    back = ReportService(target)
    again = back.load(new_id)
    assert comparable(again.to_dict()) == comparable(report.to_dict())
    assert {s.uid for p in again.parts for s in p.sections}.isdisjoint(
        {s.uid for p in report.parts for s in p.sections})
    back.close()


def test_a_rescue_file_read_by_the_import_dialog_gives_the_whole_report(tmp_path, service):
    service.ensure_example()
    report = service.load(1)
    report.parts[2].sections[0].status = "approved"
    path = service.write_rescue_file(report, folders=[tmp_path])
    proposal = propose_file(path)
    assert any("另存的报告" in m for m in proposal.messages)
    assert proposal.blocks  # the dialog's preview
    assert comparable(proposal.to_report().to_dict()) == comparable(report.to_dict())
    proposal.set_role(len(proposal.blocks) - 1, "unknown")  # the user changed a role:
    assert proposal.to_report().parts  # then the blocks are what counts


def test_an_old_style_rescue_file_is_read_too(tmp_path, service):
    """Rescue files written before this change: the bare report JSON."""
    service.ensure_example()
    report = service.load(1)
    path = tmp_path / "未保存的报告-1-20260101-120000.json"
    path.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    assert comparable(propose_file(path).to_report().to_dict()) == comparable(report.to_dict())


def test_a_half_written_rescue_file_is_refused_with_a_message(tmp_path, service):
    service.ensure_example()
    path = service.write_rescue_file(service.load(1), folders=[tmp_path])
    path.write_bytes(path.read_bytes()[:2000])
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "import", str(path), "--db",
                          str(tmp_path / "x.db")], check=False, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 2
    assert "内容不完整" in out.stderr and "Traceback" not in out.stderr
