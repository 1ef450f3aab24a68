"""kill -9 of the real window process while it types (benchmarks/kill_trials.py runs 20 and more):
everything the window announced as saved is in the database, nothing else got in, the database
passes integrity_check, and every finished backup is sound."""

from __future__ import annotations

import random
import signal
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL here")


def test_three_kills_lose_nothing(tmp_path):
    from kill_trials import prepare, run_trial

    template = prepare(tmp_path)
    rng = random.Random(10)
    # one during start-up (opening, first backup), two while typing and autosaving
    delays = [-rng.uniform(0.1, 1.0), rng.uniform(3.0, 5.0), rng.uniform(5.0, 7.0)]
    saved = 0
    for n, delay in enumerate(delays):
        folder = tmp_path / f"trial{n}"
        folder.mkdir()
        trial = run_trial(template, folder, 100 + n, delay)
        assert trial.integrity == "ok", trial
        assert trial.intact and trial.stored >= trial.announced, trial
        assert trial.backups_sound, trial
        if delay > 0:
            assert trial.ready, trial
        saved += trial.announced
    assert saved > 0  # the typing trials did autosave before the kill
