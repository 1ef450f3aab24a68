"""`main.py export` and the no-half-written-file rule."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from editor.export import ExportError, export_docx

ROOT = Path(__file__).resolve().parent.parent


def run(*args, db, env=None):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args, "--db", str(db)],
        check=False, capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
        env={**os.environ, **(env or {})},
    )


def test_cli_export_writes_a_docx(db_path, tmp_path):
    out = tmp_path / "报告.docx"
    res = run("export", "1", "-o", str(out), "--variant", "preprinted", db=db_path)
    assert res.returncode == 0, res.stderr
    assert "已导出" in res.stdout and "Traceback" not in res.stderr
    doc = Document(out)
    assert any("临府〔2026〕12号" in p.text for p in doc.paragraphs)
    assert not list(tmp_path.glob("*.tmp"))


def test_cli_export_with_pdf_reports_fonts(db_path, tmp_path):
    from tests.render_utils import require_render

    require_render()
    out, pdf = tmp_path / "r.docx", tmp_path / "r.pdf"
    res = run("export", "1", "-o", str(out), "--pdf", str(pdf), db=db_path)
    assert res.returncode == 0, res.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "已生成 PDF" in res.stdout
    assert "仿宋_GB2312" in res.stderr  # the substitution is reported, not hidden


def test_cli_pdf_without_libreoffice_says_how_to_get_it(db_path, tmp_path):
    res = run("export", "1", "-o", str(tmp_path / "r.docx"), "--pdf", str(tmp_path / "r.pdf"),
              db=db_path, env={"REPORT_EDITOR_SOFFICE": str(tmp_path / "missing-soffice")})
    assert res.returncode == 1
    assert "未找到 LibreOffice" in res.stderr and "zh-cn.libreoffice.org" in res.stderr
    assert (tmp_path / "r.docx").exists()  # the DOCX is still exported
    assert not (tmp_path / "r.pdf").exists()


def test_cli_bad_output_folder_is_exit_2(db_path, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    res = run("export", "1", "-o", str(blocker / "r.docx"), db=db_path)
    assert res.returncode == 2
    assert "不存在" in res.stderr and "Traceback" not in res.stderr


def test_cli_unknown_report_and_variant(db_path, tmp_path):
    res = run("export", "99", "-o", str(tmp_path / "r.docx"), db=db_path)
    assert res.returncode == 2 and "找不到编号为 99 的报告" in res.stderr
    res = run("export", "1", "-o", str(tmp_path / "r.docx"), "--variant", "blue", db=db_path)
    assert res.returncode == 2 and "命令行参数有误" in res.stderr


@pytest.fixture
def report():
    from editor.ingest import parse_text
    from tests.conftest import sample_text

    return parse_text(sample_text("linjiang-2025.txt"))


@pytest.mark.parametrize("error, needle", [
    (PermissionError(errno.EACCES, "Permission denied"), "正在被 Word 或 WPS 打开"),
    (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
])
def test_failed_replace_leaves_the_old_file_intact(report, tmp_path, monkeypatch, error, needle):
    target = tmp_path / "报告.docx"
    target.write_bytes(b"the previous export")

    def boom(src, dst):
        raise error

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(ExportError, match=needle):
        export_docx(report, target)
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx"]  # no temp file left


def test_disk_full_while_writing_leaves_nothing_half_written(report, tmp_path, monkeypatch):
    target = tmp_path / "报告.docx"
    target.write_bytes(b"old")
    import docx.document

    def full(self, stream):
        stream.write(b"PK partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", full)
    with pytest.raises(ExportError, match="磁盘空间不足"):
        export_docx(report, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["报告.docx"]


def test_export_overwrites_an_existing_file(report, tmp_path):
    target = tmp_path / "r.docx"
    target.write_bytes(b"old")
    export_docx(report, target, variant="plain")
    assert Document(target).paragraphs[0].text.startswith("清河县")
