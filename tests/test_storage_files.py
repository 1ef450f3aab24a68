"""Files in and out: text import refuses mojibake and anything that is not a regular
file; exports get the user's normal permissions, leave read-only files alone and carry no
bidirectional controls in their names; OS errors are said in Chinese."""

from __future__ import annotations

import os
import random
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DATA

from editor.export import ExportError, default_filename, export_docx
from editor.ingest import EncodingError, ImportError_, decode_bytes, detect_encoding, import_file
from editor.ingest.encoding import plausible

ROOT = Path(__file__).resolve().parent.parent


def run(*args, db):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args, "--db", str(db)],
                          check=False, capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60)


def english(text: str) -> list[str]:
    """English words in a message (paths taken out): OS or SQLite text that leaked through."""
    return re.findall(r"[A-Za-z]{3,}", re.sub(r"“[^”]*”", "", text))


# ---- text import -------------------------------------------------------------------------------
def test_utf8_with_a_few_nul_bytes_is_read_as_utf8(tmp_path):
    text = (DATA / "linjiang-2025.txt").read_text(encoding="utf-8")
    data = bytearray(text.encode("utf-8"))
    for pos in (101, 503, 1201):  # odd places: they once made it look like UTF-16 LE
        data.insert(pos, 0)
    assert detect_encoding(bytes(data)) == "utf-8"
    assert decode_bytes(bytes(data)) == text
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(data))
    assert import_file(path).header.title == "清河县临江镇人民政府关于2025年度法治政府建设情况的报告"


def gbk_garbage(n: int, seed: int) -> bytes:
    """Bytes that decode strictly as GB18030 (lead 0x81–0xFE, trail 0x40–0xFE) but are noise."""
    rng = random.Random(seed)
    out = bytearray()
    while len(out) < n:
        out += bytes([rng.randrange(0x81, 0xFF), rng.choice([*range(0x40, 0x7F),
                                                              *range(0x80, 0xFF)])])
    return bytes(out)


@pytest.mark.parametrize("seed", range(5))
def test_binary_garbage_without_nul_bytes_is_refused(tmp_path, seed):
    data = gbk_garbage(3000, seed)
    data.decode("gb18030")  # strictly decodable: only plausibility can tell
    path = tmp_path / "garbage.txt"
    path.write_bytes(data)
    with pytest.raises(EncodingError, match="乱码"):
        import_file(path)
    out = run("import", str(path), db=tmp_path / "r.db")
    assert out.returncode == 2 and "乱码" in out.stderr and "Traceback" not in out.stderr
    assert not english(out.stderr)


def test_utf8_read_as_utf16_is_not_plausible():
    text = (DATA / "linjiang-2025.txt").read_text(encoding="utf-8")
    raw = text.encode("utf-8")
    mojibake = raw[: len(raw) // 2 * 2].decode("utf-16-le", errors="replace")
    assert plausible(text, "utf-16-le") and not plausible(mojibake, "utf-16-le")


def test_every_real_report_reads_as_plausible():
    for path in sorted((DATA / "real").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert plausible(text, "gb18030"), path.name
        assert decode_bytes(text.encode("gb18030")) == text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    with pytest.raises(ImportError_, match="不是普通文件"):
        import_file(fifo)
    for command in (["import", str(fifo)], ["check", str(fifo)]):
        started = time.monotonic()
        out = run(*command, db=tmp_path / "r.db")
        assert time.monotonic() - started < 30
        assert out.returncode == 2 and "不是普通文件" in out.stderr


def test_a_device_is_refused(tmp_path):
    with pytest.raises(ImportError_, match="不是普通文件"):
        import_file("/dev/zero")


def test_os_errors_are_said_in_chinese(tmp_path):
    long_name = tmp_path / ("很长的文件名" * 60 + ".txt")
    out = run("import", str(long_name), db=tmp_path / "r.db")
    assert out.returncode == 2 and "太长" in out.stderr, out.stderr
    assert not english(out.stderr)
    out = run("list", db=tmp_path)  # a folder given as the database
    assert out.returncode == 2 and "文件夹" in out.stderr and not english(out.stderr)
    out = run("list", db=tmp_path / ("长" * 300 + ".db"))
    assert out.returncode == 2 and "太长" in out.stderr and not english(out.stderr)


# ---- export ------------------------------------------------------------------------------------
@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_exports_follow_the_umask(tmp_path, linjiang, umask, mode):
    old = os.umask(umask)
    try:
        result = export_docx(linjiang, tmp_path / "out.docx")
    finally:
        os.umask(old)
    assert stat.S_IMODE(result.path.stat().st_mode) == mode


def test_a_replaced_export_keeps_its_permissions(tmp_path, linjiang):
    target = tmp_path / "out.docx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    export_docx(linjiang, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_bytes() != b"old"


def test_a_read_only_target_is_refused_and_left_alone(tmp_path, linjiang):
    target = tmp_path / "定稿.docx"
    target.write_bytes(b"the final version")
    target.chmod(0o444)
    with pytest.raises(ExportError, match="只读") as info:
        export_docx(linjiang, target)
    assert "没有替换" in str(info.value)
    assert target.read_bytes() == b"the final version"
    assert [p.name for p in tmp_path.iterdir()] == ["定稿.docx"]  # no temporary file left


def test_a_folder_as_target_is_said_in_chinese(tmp_path, linjiang):
    with pytest.raises(ExportError, match="文件夹") as info:
        export_docx(linjiang, tmp_path)
    assert not english(str(info.value))
    with pytest.raises(ExportError, match="太长") as info:
        export_docx(linjiang, tmp_path / ("很长" * 100 + ".docx"))


def test_bidirectional_controls_are_stripped_from_file_names(linjiang):
    linjiang.header.title = "报告\u202ecod.exe\u202c\u2066隐藏\u2069\u200e\u200f\u202a\u202b\u202d"
    name = default_filename(linjiang)
    assert name == "报告cod.exe隐藏.docx"
    assert not re.search("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", name)
