"""The example report of a new database comes from resources/examples/linjiang-2025.json, the
stored result of importing linjiang-2025.txt (editor.example)."""

from __future__ import annotations

import json
import subprocess
import sys

from editor import example
from editor.paths import resource
from editor.profile import load_profile


def test_the_stored_example_is_what_the_import_makes_of_the_text():
    # Fails when the text, the import or the model changed without `python -m editor.example`.
    stored = json.loads(resource(*example.STORED).read_text(encoding="utf-8"))
    assert stored == example.storable(example.parsed_example(load_profile()))


def test_each_database_gets_fresh_uids_and_the_whole_example():
    profile = load_profile()
    a, b = example.example_report(profile), example.example_report(profile)
    uids = [s.uid for p in a.parts for s in p.sections] + [p.uid for p in a.parts]
    assert len(set(uids)) == len(uids) > 20
    assert not set(uids) & {s.uid for p in b.parts for s in p.sections}
    assert example.storable(a) == example.storable(example.parsed_example(profile))
    assert a.header.publicity == "主动公开" and a.year == 2025


def test_a_damaged_stored_example_falls_back_to_the_text(monkeypatch, tmp_path):
    broken = tmp_path / "examples" / "linjiang-2025.json"
    broken.parent.mkdir()
    broken.write_text("{not json", encoding="utf-8")
    real = example.resource
    monkeypatch.setattr(example, "resource",
                        lambda *p: broken if p == example.STORED else real(*p))
    report = example.example_report(load_profile())
    assert report.organ == "清河县临江镇人民政府" and len(report.parts) >= 4


def test_a_new_database_shows_the_example_without_loading_the_import(tmp_path):
    code = ("import sys\nfrom pathlib import Path\nfrom editor.service import ReportService\n"
            f"s = ReportService(Path({str(tmp_path / 'new.db')!r}))\n"
            "rid = s.ensure_example()\n"
            "print(s.load(rid).organ, 'editor.ingest' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.split() == ["清河县临江镇人民政府", "False"], out.stdout + out.stderr
