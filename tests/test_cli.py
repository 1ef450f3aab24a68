import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args, db):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args, "--db", str(db)],
        check=False, capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
    )


def test_first_run_has_the_example_report(db_path):
    out = run("list", "--json", db=db_path)
    assert out.returncode == 0, out.stderr
    reports = json.loads(out.stdout)
    assert [(r["year"], r["organ"]) for r in reports] == [(2025, "清河县临江镇人民政府")]
    assert set(reports[0]) == {"id", "title", "year", "organ", "updated_at"}


def test_show_json_follows_the_contract(db_path):
    run("list", db=db_path)
    out = run("show", "1", "--json", db=db_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    # the contract's keys, and closing (the 结束语 findings may point into)
    assert {"id", "year", "preamble", "header", "parts"} <= set(data) <= {
        "id", "year", "preamble", "header", "parts", "closing"}
    assert data["header"]["doc_number"] == "临府〔2026〕12号"
    assert len(data["parts"]) == 4
    first = data["parts"][0]["sections"][0]
    assert first["title"] == "坚持党的领导，压实法治建设责任"
    assert not first["title"].startswith("（")


def test_deleted_example_does_not_come_back(db_path):
    from editor.service import ReportService

    run("list", db=db_path)
    svc = ReportService(db_path)
    svc.delete(1)
    svc.empty_bin()
    svc.close()
    assert json.loads(run("list", "--json", db=db_path).stdout) == []


def test_bad_database_is_one_clear_sentence(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    out = run("list", db=bad)
    assert out.returncode == 2
    assert "不是本程序的数据库" in out.stderr
    assert "Traceback" not in out.stderr


def test_unknown_id_is_a_clear_error(db_path):
    out = run("show", "42", "--json", db=db_path)
    assert out.returncode == 2
    assert "找不到编号为 42 的报告" in out.stderr


def test_the_example_passes_its_own_check(db_path):
    run("list", db=db_path)
    out = run("check", "1", "--json", db=db_path)
    assert out.returncode == 0, out.stdout[-2000:]
    data = json.loads(out.stdout)
    assert [f for f in data["findings"] if f["severity"] == "error"] == []
    missing = [c["id"] for c in data["checklist"] if c["severity"] == "required" and c["auto"] == "missing"]
    assert missing == []


def test_version():
    out = subprocess.run([sys.executable, "main.py", "--version"], capture_output=True, check=False,
                         text=True, cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0 and "0.1.0" in out.stdout
