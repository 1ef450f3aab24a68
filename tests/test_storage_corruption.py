"""A seeded set of damaged database files, each given to the command line as a user would: the
file is never modified (same hash, no -wal beside it), every message is one Chinese sentence with
no English from SQLite or the OS, and no traceback appears."""

from __future__ import annotations

import hashlib
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

from db.integrity import APPLICATION_ID

ROOT = Path(__file__).resolve().parent.parent
PAGE = 4096
SEED = 20260310


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, dict[str, list[int]]]:
    """A sound database of 20 reports with snapshots, and the leaf pages of its tables."""
    from editor.history import take_snapshot
    from editor.service import ReportService

    path = tmp_path_factory.mktemp("template") / "reports.db"
    svc = ReportService(path)
    svc.ensure_example()
    for _ in range(19):
        svc.duplicate(1)
    for r in svc.list_reports():
        take_snapshot(svc.repo, svc.load(r.id), "manual", note="")
    svc.repo.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    svc.close()
    con = sqlite3.connect(path)
    pages = {t: [r[0] for r in con.execute(
        "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", [t])]
        for t in ("reports", "sections", "parts", "revisions")}
    con.close()
    return path, pages


def _zero(data: bytes, page: int) -> bytes:
    out = bytearray(data)
    out[(page - 1) * PAGE: page * PAGE] = bytes(PAGE)
    return bytes(out)


def _flip_header(data: bytes, page: int, rng: random.Random) -> bytes:
    """Flip the page-type byte and a few cell pointers of one b-tree page."""
    out = bytearray(data)
    start = (page - 1) * PAGE
    for off in (0, *rng.sample(range(8, 40), 6)):
        out[start + off] ^= 0xFF
    return bytes(out)


def _flip_random(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for pos in rng.sample(range(PAGE, len(out)), 400):
        out[pos] ^= 1 << rng.randrange(8)
    return bytes(out)


def _sqlite_file(path: Path, sql: list[str]) -> bytes:
    con = sqlite3.connect(path)
    for statement in sql:
        con.execute(statement)
    con.commit()
    con.close()
    return path.read_bytes()


def variants(template_path: Path, pages: dict[str, list[int]], work: Path) -> dict[str, bytes]:
    rng = random.Random(SEED)
    data = template_path.read_bytes()
    out = {
        "truncated-half": data[: len(data) // 2],
        "truncated-mid-page": data[: len(data) - PAGE - 1234],
        "truncated-in-header": data[:60],
        "zeroed-page-1": _zero(data, 1),
        "zeroed-sections-page": _zero(data, rng.choice(pages["sections"])),
        "zeroed-reports-page": _zero(data, pages["reports"][0]),
        "zeroed-parts-page": _zero(data, rng.choice(pages["parts"])),
        "flipped-sections-page": _flip_header(data, rng.choice(pages["sections"]), rng),
        "flipped-reports-page": _flip_header(data, pages["reports"][0], rng),
        "flipped-random-bits": _flip_random(data, rng),
        "garbage": bytes(rng.randrange(256) for _ in range(40 * PAGE)),
        "text-file": "这不是数据库，是一段文字。\n".encode() * 200,
    }
    copy = work / "copy.db"
    copy.write_bytes(data)
    out["future-version"] = _sqlite_file(copy, ["PRAGMA user_version = 99"])
    copy.write_bytes(data)
    out["foreign-application-id"] = _sqlite_file(copy, ["PRAGMA application_id = 1234"])
    other = work / "other.db"
    out["foreign-schema"] = _sqlite_file(other, [
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer TEXT, total REAL)",
        "INSERT INTO invoices (customer, total) VALUES ('某公司', 12.5)"])
    return out


COMMANDS = (["list"], ["show", "1"], ["show", "1", "--json"], ["check", "1"])


def english(text: str) -> list[str]:
    """English words left in a message once the file names are taken out."""
    text = re.sub(r"“[^”]*”", "", text)
    text = re.sub(r"python main\.py \w+( latest)?|--db|--help", "", text)
    return re.findall(r"[A-Za-z]{3,}", text)


def test_damaged_files_are_refused_unchanged_in_chinese(template, tmp_path):
    path, pages = template
    cases = variants(path, pages, tmp_path)
    runs = []
    for name, data in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        db = folder / "reports.db"
        db.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        for command in COMMANDS:
            runs.append((name, db, digest, command, subprocess.Popen(
                [sys.executable, str(ROOT / "main.py"), *command, "--db", str(db)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                cwd=ROOT)))
        # writing commands too: they must refuse just the same
        runs.append((name, db, digest, ["import"], subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "import", str(DATA / "sifaju-2025.txt"),
             "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            encoding="utf-8", cwd=ROOT)))
        runs.append((name, db, digest, ["export"], subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "export", "1", "-o",
             str(folder / "out.docx"), "--db", str(db)], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=ROOT)))
    refused: dict[str, int] = {}
    for name, db, digest, command, proc in runs:
        _out, err = proc.communicate(timeout=120)
        where = f"{name}: {' '.join(command)}"
        assert "Traceback" not in err, where + "\n" + err
        assert proc.returncode == 2, where + f" exit {proc.returncode}\n{err}"
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1, where + "\n" + err  # one sentence
        assert re.search("[\u4e00-\u9fff]", err) and not english(err), where + "\n" + err
        assert "请关闭其他正在使用它的程序" not in err, where
        refused[name] = refused.get(name, 0) + 1
    for name in cases:
        db = tmp_path / name / "reports.db"
        assert hashlib.sha256(db.read_bytes()).hexdigest() == hashlib.sha256(
            cases[name]).hexdigest(), f"{name} was modified"
        assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0, name
        assert not (tmp_path / name / "out.docx").exists(), name
    assert set(refused) == set(cases)


def test_the_messages_say_what_happened(template, tmp_path):
    path, pages = template
    cases = variants(path, pages, tmp_path)
    expect = {"zeroed-sections-page": "已损坏", "future-version": "更新版本",
              "foreign-schema": "其他程序的数据库", "foreign-application-id": "其他程序的数据库",
              "text-file": "不是本程序的数据库", "zeroed-page-1": "开头已损坏"}
    for name, words in expect.items():
        db = tmp_path / f"{name}.db"
        db.write_bytes(cases[name])
        out = subprocess.run([sys.executable, str(ROOT / "main.py"), "list", "--db", str(db)],
                             check=False, capture_output=True, text=True, encoding="utf-8",
                             cwd=ROOT)
        assert words in out.stderr, (name, out.stderr)
        if words == "已损坏":
            assert "restore latest" in out.stderr and "salvage" in out.stderr


def test_the_template_itself_is_sound(template):
    path, _pages = template
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
