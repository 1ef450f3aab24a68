"""The window on a damaged or read-only report file, and 从备份恢复…"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtWidgets import QLabel, QPushButton
from test_backup import fill, table_pages, zero_page
from ui_helpers import type_text

from db import backup as backups
from editor.ui import autosave


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_damaged_file_opens_to_be_looked_at_not_changed(open_window, db_path, linjiang):
    fill(db_path, linjiang, 3)
    zero_page(db_path, table_pages(db_path, "sections")[-1])
    before = digest(db_path)
    w = open_window(db_path)
    storage = w.storage
    assert storage.read_only and storage.banner is not None and storage.banner.isVisible()
    buttons = [b.text() for b in storage.banner.findChildren(QPushButton)]
    assert buttons == ["恢复最近的备份", "抢救数据…"]
    assert "损坏" in storage.banner.findChild(QLabel).text()
    # the open page cannot be typed into, nothing is saved, and the file is never written
    if w.current_report is not None:
        page = w.stack.currentWidget()
        for box in page.text_boxes().values():
            if hasattr(box, "isReadOnly"):
                assert box.isReadOnly()
        body = next((b for b in page.text_boxes().values() if hasattr(b, "toPlainText")), None)
        if body is not None:
            old = body.toPlainText()
            body.setFocus()
            type_text(body, "不应写入")
            assert body.toPlainText() == old
    assert w.autosaver.state in (autosave.SAVED, autosave.READ_ONLY)
    assert w.save_now()
    w.close()
    assert digest(db_path) == before


def test_restore_from_a_backup_lists_them_and_reopens(open_window, db_path, linjiang,
                                                     monkeypatch):
    fill(db_path, linjiang, 2)
    backups.make_backup(db_path)
    w = open_window(db_path)
    from editor.ui import storage_feature

    reopened = []
    monkeypatch.setattr(storage_feature.StorageFeature, "reopen", lambda self: reopened.append(1))
    chosen = []

    def fake_exec(dialog):
        chosen.append([dialog.list.item(i).text() for i in range(dialog.list.count())])
        return storage_feature.QDialog.DialogCode.Accepted

    monkeypatch.setattr(storage_feature.BackupDialog, "exec", fake_exec)
    assert w.storage.restore_from_backup()
    assert chosen and chosen[0] and "份报告" in chosen[0][0] and "完好" in chosen[0][0]
    assert reopened == [1]
    # the file before the restore is kept beside it
    assert any("恢复前" in p.name for p in db_path.parent.iterdir())
