"""History: snapshots, restore (undoable), per-section diff, pruning, autosnapshot policy."""

from datetime import datetime, timedelta

import pytest

from db import Repository
from editor import history as h
from editor.model import Section


@pytest.fixture
def repo(db_path):
    r = Repository(db_path)
    yield r
    r.close()


def test_snapshot_list_and_load(repo, linjiang):
    repo.create(linjiang)
    first = h.take_snapshot(repo, linjiang, h.KIND_MANUAL, "  初稿  ")
    linjiang.parts[0].sections[0].body += "补充一句。"
    repo.save(linjiang)
    second = h.take_snapshot(repo, linjiang, h.KIND_EXPORT)
    snaps = h.list_snapshots(repo, linjiang.id)
    assert [s.id for s in snaps] == [second, first]
    assert (snaps[1].kind, snaps[1].note, snaps[1].label) == ("manual", "初稿", "手动保存")
    assert h.load_snapshot(repo, first).parts[0].sections[0].body.endswith("补充一句。") is False


def test_snapshot_of_unsaved_report_is_refused(repo, linjiang):
    with pytest.raises(h.HistoryError, match="先保存"):
        h.take_snapshot(repo, linjiang, h.KIND_AUTO)


def test_restore_replaces_content_keeps_id_and_can_be_undone(repo, linjiang, db_path):
    rid = repo.create(linjiang)
    snap = h.take_snapshot(repo, linjiang, h.KIND_MANUAL, "提交前")
    original = linjiang.copy()
    linjiang.parts[0].sections[0].body = "全部改写。"
    del linjiang.parts[1].sections[0]
    linjiang.parts[2].sections.append(Section(title="新增一节", body="内容。"))
    linjiang.header.title = "改过的标题"
    repo.save(linjiang)

    restored = h.restore_snapshot(repo, rid, snap)
    assert restored.id == rid
    fresh = Repository(db_path).load(rid)
    assert fresh.to_dict() | {"updated_at": ""} == original.to_dict() | {"updated_at": ""}
    assert [p.uid for p in fresh.parts] == [p.uid for p in original.parts]

    backup = h.list_snapshots(repo, rid)[0]
    assert backup.kind == h.KIND_RESTORE and backup.kept_forever
    # Undo the restore: restore the automatic backup.
    h.restore_snapshot(repo, rid, backup.id)
    again = repo.load(rid)
    assert again.header.title == "改过的标题"
    assert again.parts[0].sections[0].body == "全部改写。"
    assert again.parts[2].sections[-1].title == "新增一节"


def test_restore_refuses_a_snapshot_of_another_report(repo, linjiang, sifaju):
    repo.create(linjiang)
    repo.create(sifaju)
    snap = h.take_snapshot(repo, sifaju, h.KIND_AUTO)
    with pytest.raises(h.HistoryError, match="不属于"):
        h.restore_snapshot(repo, linjiang.id, snap)
    with pytest.raises(h.HistoryError, match="找不到"):
        h.restore_snapshot(repo, linjiang.id, 9999)


def test_diff_per_section(repo, linjiang):
    repo.create(linjiang)
    snap = h.take_snapshot(repo, linjiang, h.KIND_AUTO)
    s0 = linjiang.parts[0].sections[0]
    s0.body = s0.body.replace("镇党委、镇政府", "镇党委和镇政府", 1)
    removed = linjiang.parts[1].sections.pop(1)
    linjiang.parts[3].sections.append(Section(title="加强督察", body="每季度督察一次。"))
    repo.save(linjiang)

    diff = h.diff_snapshots(repo, snap, report_id=linjiang.id)
    changed = {d.uid: d for d in diff if d.changed}
    assert set(changed) == {s0.uid, removed.uid, linjiang.parts[3].sections[-1].uid}
    d = changed[s0.uid]
    assert d.status == "changed" and d.label.startswith("一、")
    edits = [(c.tag, c.old, c.new) for c in d.changes if c.tag != "equal"]
    assert edits == [("replace", "、", "和")]
    assert "".join(c.old for c in d.changes) == d.old
    assert "".join(c.new for c in d.changes) == d.new
    assert changed[removed.uid].status == "removed"
    # The removed section is shown where it was: after its old predecessor.
    order = [x.uid for x in diff]
    assert order.index(removed.uid) == order.index(linjiang.parts[1].sections[0].uid) + 1
    assert changed[linjiang.parts[3].sections[-1].uid].status == "added"
    assert all(x.status == "same" for x in diff if x.kind in ("header", "preamble"))


def test_char_diff_on_chinese():
    changes = h.char_diff("依法行政水平提升", "依法行政能力明显提升")
    assert [(c.tag, c.old, c.new) for c in changes if c.tag != "equal"] == [
        ("replace", "水平", "能力明显")]


def _snap(i, minutes_ago, now, kind="auto", note=""):
    return h.Snapshot(id=i, created_at=now - timedelta(minutes=minutes_ago), kind=kind, note=note)


def test_prune_plan_keeps_hour_then_hourly_daily_weekly():
    now = datetime(2026, 3, 10, 12, 0)
    snaps = [_snap(i, m, now) for i, m in enumerate(
        [1, 10, 50,  # last hour: all kept
         70, 80, 130,  # 10:50 and 10:40 share an hour, 09:50 another
         60 * 30, 60 * 31,  # 2 days ago: same day
         60 * 24 * 40, 60 * 24 * 41,  # 40/41 days ago: same ISO week?
         ])]
    doomed = set(h.prune_plan(snaps, now))
    assert {0, 1, 2} & doomed == set()
    assert 4 in doomed and 3 not in doomed and 5 not in doomed
    assert 7 in doomed and 6 not in doomed
    same_week = snaps[8].created_at.isocalendar()[:2] == snaps[9].created_at.isocalendar()[:2]
    assert (9 in doomed) == same_week and 8 not in doomed


def test_prune_never_deletes_manual_noted_or_newest():
    now = datetime(2026, 3, 10, 12, 0)
    snaps = [
        _snap(1, 60 * 24 * 90, now),  # the newest? no: see 2
        _snap(2, 60 * 24 * 89, now, kind="manual"),
        _snap(3, 60 * 24 * 89 + 1, now, note="送审稿"),
        _snap(4, 60 * 24 * 89 + 2, now),
    ]
    doomed = h.prune_plan(snaps, now)
    assert 2 not in doomed and 3 not in doomed
    assert h.prune_plan([_snap(9, 60 * 24 * 400, now)], now) == []


def test_prune_through_the_repository(repo, linjiang):
    repo.create(linjiang)
    ids = [h.take_snapshot(repo, linjiang, h.KIND_AUTO) for _ in range(6)]
    keep = h.take_snapshot(repo, linjiang, h.KIND_MANUAL, "定稿")
    now = datetime(2026, 3, 10, 12, 0)
    # Spread them over one day two weeks ago: one survives per day, plus the manual one.
    for n, rid in enumerate(ids + [keep]):
        stamp = (now - timedelta(days=14, minutes=n)).isoformat(timespec="seconds")
        repo.db.execute("UPDATE revisions SET created_at = ? WHERE id = ?", [stamp, rid])
    repo.db.conn.commit()
    deleted = h.prune(repo, now=now)
    left = {s.id for s in h.list_snapshots(repo, linjiang.id)}
    assert keep in left
    assert deleted == len(ids) + 1 - len(left)
    assert len(left) == 2


def test_should_autosnapshot_every_five_minutes_while_changed():
    t = datetime(2026, 3, 10, 12, 0)
    assert not h.should_autosnapshot(None, t, changed=False)
    assert h.should_autosnapshot(None, t, changed=True)
    assert not h.should_autosnapshot(t, t + timedelta(minutes=4, seconds=59), changed=True)
    assert h.should_autosnapshot(t, t + timedelta(minutes=5), changed=True)
    assert not h.should_autosnapshot(t, t + timedelta(hours=1), changed=False)


def test_autosnapshot_helper(repo, linjiang):
    repo.create(linjiang)
    t = datetime(2026, 3, 10, 12, 0)
    assert h.autosnapshot(repo, linjiang, t, changed=True, now=t + timedelta(minutes=1)) is None
    sid = h.autosnapshot(repo, linjiang, t, changed=True, now=t + timedelta(minutes=6))
    assert h.list_snapshots(repo, linjiang.id)[0].id == sid


def test_close_snapshot_is_skipped_when_nothing_changed(repo, linjiang):
    repo.create(linjiang)
    first = h.take_snapshot(repo, linjiang, h.KIND_CLOSE, skip_if_unchanged=True)
    assert first is not None
    assert h.take_snapshot(repo, linjiang, h.KIND_CLOSE, skip_if_unchanged=True) is None
    linjiang.preamble += "补充。"
    repo.save(linjiang)
    assert h.take_snapshot(repo, linjiang, h.KIND_EXPORT, skip_if_unchanged=True) is not None
    assert len(h.list_snapshots(repo, linjiang.id)) == 2


def test_history_storage_failures_are_chinese_storage_errors(repo, linjiang):
    """The history goes through the repository's guarded methods: a failing file gives an
    error that says in Chinese what failed, never a raw sqlite3 error."""
    from db import StorageError

    repo.create(linjiang)
    snap = h.take_snapshot(repo, linjiang, h.KIND_MANUAL, "定稿")
    repo.db.execute("DROP TABLE revisions")  # what a damaged page would look like to SQLite
    repo.db.conn.commit()
    for call in (lambda: h.prune(repo), lambda: h.list_snapshot_time(repo, snap),
                 lambda: h.delete_snapshots(repo, [snap]),
                 lambda: h.restore_snapshot(repo, linjiang.id, snap)):
        with pytest.raises((StorageError, h.HistoryError)) as caught:
            call()
        message = str(caught.value)
        assert "sqlite" not in message.lower() and "no such table" not in message
        assert "时出错" in message and "请" in message, message
