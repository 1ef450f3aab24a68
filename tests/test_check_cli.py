"""python main.py check ID|FILE [--json] (architecture.md contract)."""

from __future__ import annotations

import json

from conftest import DATA, sample_text

from db.review import ReviewStore
from editor.check.review import ReviewSession
from editor.cli import main
from editor.ingest import parse_text

FINDING_KEYS = {"rule", "severity", "part", "section", "paragraph", "start", "end", "text",
                "message", "suggestion"}
ITEM_KEYS = {"id", "part", "label", "severity", "auto", "review"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_file_with_errors_json(capsys, db_path):
    code, out, err = run(capsys, "--db", str(db_path), "check",
                         str(DATA / "linjiang-2025-errors.txt"), "--json")
    assert code == 1, err
    data = json.loads(out)
    assert set(data) == {"findings", "checklist", "summary"}
    assert len(data["findings"]) >= 22
    for f in data["findings"]:
        assert FINDING_KEYS <= set(f)
        assert f["severity"] in ("error", "warning", "info")
    for item in data["checklist"]:
        assert ITEM_KEYS <= set(item)
        assert item["auto"] in ("met", "missing")
        assert item["review"] in ("ticked", "unticked", "stale")
    six = [f for f in data["findings"] if f["rule"] == "ERR-06"]
    # paragraph counts the body's lines from 0, as show --json gives them
    assert six[0]["part"] == 1 and six[0]["section"] == 6 and six[0]["paragraph"] == 0
    assert six[0]["field"] == "body"
    assert six[0]["suggestion"] == "96.9%"
    assert data["summary"]["errors"] == sum(f["severity"] == "error" for f in data["findings"])


def test_check_clean_file_exits_0_with_text_output(capsys, db_path):
    code, out, _err = run(capsys, "--db", str(db_path), "check", str(DATA / "sifaju-2025.txt"))
    assert code == 0, out
    assert "检查清单" in out and "0 处错误" in out
    assert "✔ S-03" in out


def test_check_report_by_id_uses_stored_ticks(capsys, db_path, service):
    report = parse_text(sample_text("linjiang-2025.txt"))
    rid = service.repo.create(report)
    ReviewSession(report, ReviewStore(service.repo)).tick("P1-05", "李审核")
    code, out, err = run(capsys, "--db", str(db_path), "check", str(rid), "--json")
    assert code == 0, err
    items = {i["id"]: i for i in json.loads(out)["checklist"]}
    assert items["P1-05"]["review"] == "ticked"
    assert items["S-04"]["auto"] == "met"


def test_check_errors_file_by_id_exits_1(capsys, db_path, service):
    rid = service.repo.create(parse_text(sample_text("linjiang-2025-errors.txt")))
    code, out, _err = run(capsys, "--db", str(db_path), "check", str(rid))
    assert code == 1
    assert "处错误" in out and "截止" in out


def test_bad_input_exits_2_without_traceback(capsys, db_path, tmp_path):
    code, _, err = run(capsys, "--db", str(db_path), "check", "999")
    assert code == 2 and "找不到编号为 999 的报告" in err and "Traceback" not in err
    code, _, err = run(capsys, "--db", str(db_path), "check", str(tmp_path / "nope.txt"))
    assert code == 2 and "不是报告编号" in err
    other = tmp_path / "a.pdf"
    other.write_bytes(b"%PDF-1.4")
    code, _, err = run(capsys, "--db", str(db_path), "check", str(other))
    assert code == 2 and ".txt" in err
    # GBK text is read (files go through editor.ingest); bytes that are no
    # supported encoding are still bad input.
    bad = tmp_path / "garbled.txt"
    bad.write_bytes(b"\x81\x30\xff\xfe\xfd abc")
    code, _, err = run(capsys, "--db", str(db_path), "check", str(bad))
    assert code == 2 and "UTF-8" in err


def _line_of(shown: dict, finding: dict) -> str:
    """The line a finding names, read from show --json alone (the contract's promise)."""
    field = finding["field"]
    if field.startswith("header."):
        text = shown["header"][field[7:]]
    elif field in ("preamble", "closing"):
        text = shown[field]
    else:
        part = shown["parts"][finding["part"] - 1]
        if field in ("heading", "lead"):
            text = part[field]
        else:
            text = part["sections"][finding["section"] - 1][field]
    return text.split("\n")[finding["paragraph"]]


def test_every_finding_points_into_the_line_show_gives(capsys, db_path):
    """paragraph counts the lines of the field from 0 as show --json gives them, and
    text == line[start:end] always holds (architecture.md)."""
    code, out, err = run(capsys, "--db", str(db_path), "import",
                         str(DATA / "linjiang-2025-errors.txt"), "--json")
    assert code == 0, err
    rid = str(json.loads(out)["id"])
    code, out, err = run(capsys, "--db", str(db_path), "show", rid, "--json")
    shown = json.loads(out)
    code, out, err = run(capsys, "--db", str(db_path), "check", rid, "--json")
    data = json.loads(out)
    assert len(data["findings"]) >= 22
    fields = set()
    for f in data["findings"]:
        line = _line_of(shown, f)
        assert f["text"] == line[f["start"]:f["end"]], f
        fields.add(f["field"])
    # findings in body lines, headings, the preamble and the header all hold to it
    assert {"body", "header.source_doc_number", "closing"} <= fields
    for item in data["checklist"]:
        ev = item["evidence"]
        if item["auto"] == "met" and ev and ev["field"] in ("body", "lead"):
            assert ev["text"] and ev["text"] in _line_of(shown, ev)
