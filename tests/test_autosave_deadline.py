"""Autosave keeps up with continuous typing: a save never comes later than two seconds after
the first unsaved edit, whatever the rhythm (a power cut costs at most that much)."""

from __future__ import annotations

from editor.ui import autosave


def test_the_save_is_never_put_off_past_two_seconds(qapp, monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(autosave.time, "monotonic", lambda: clock[0])
    saves = []
    saver = autosave.AutoSaver(lambda: saves.append(clock[0]))
    saver.mark_dirty()  # the first keystroke
    assert saver._timer.interval() == 1000  # a pause of 1 s saves
    for t in (0.3, 0.6, 0.9, 1.2, 1.5, 1.8):  # typing on, a key every 0.3 s
        clock[0] = 100.0 + t
        saver.mark_dirty()
        # the pause timer restarts, but only up to the deadline 2 s after the first key
        assert saver._timer.interval() == min(1000, round(1000 * (2.0 - t)))
    clock[0] = 102.1
    saver.mark_dirty()
    assert saver._timer.interval() == 0
    assert saver.save_now() and saves == [102.1]
    # the next burst gets its own two seconds
    clock[0] = 103.0
    saver.mark_dirty()
    assert saver._timer.interval() == 1000
