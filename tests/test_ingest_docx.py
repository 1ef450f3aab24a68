"""DOCX import, bad input, the import command, and export → import round trip."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import sample_text
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from editor.ingest import (
    EmptyFileError,
    EncryptedDocxError,
    FileTooLargeError,
    ImportError_,
    NotADocxError,
    OldWordFormatError,
    UnsupportedFormatError,
    docx_import,
    import_file,
    parse_text,
    propose,
)

ROOT = Path(__file__).resolve().parent.parent


def sections(report):
    return [(p.key, p.heading, p.lead, [(s.title, s.body) for s in p.sections])
            for p in report.parts]


def sample_docx(path: Path, name: str = "linjiang-2025.txt") -> Path:
    """The sample as Word would have it: one paragraph a line, the 版记 in a table."""
    lines = sample_text(name).rstrip("\n").split("\n")
    d = docx.Document()
    d.add_paragraph("")  # the red line's empty paragraph
    for ln in lines[:-2]:
        d.add_paragraph(ln)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = lines[-2]
    printer, date = lines[-1].split("  ")
    table.cell(1, 0).text = printer
    table.cell(1, 1).text = date
    d.save(path)
    return path


@pytest.mark.parametrize("name", ["linjiang-2025.txt", "sifaju-2025.txt"])
def test_docx_gives_the_same_report_as_the_text(tmp_path, name):
    path = sample_docx(tmp_path / "r.docx", name)
    report = import_file(path)
    expected = parse_text(sample_text(name))
    assert sections(report) == sections(expected)
    assert report.header == expected.header
    assert report.preamble == expected.preamble
    assert (report.header.cc, report.header.print_date) == (expected.header.cc,
                                                            expected.header.print_date)


def _add_chinese_numbering(document) -> tuple[int, int]:
    """A list whose level 0 prints 一、 and level 1 prints （一）, as Word's numbering button."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'
    )
    numbering.insert(0, abstract)
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'
    ))
    return 90, 0


def _numbered(document, text: str, num_id: int, level: int):
    p = document.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    ))
    return p


def test_word_automatic_numbering_is_recognised(tmp_path):
    d = docx.Document()
    num_id, _ = _add_chinese_numbering(d)
    d.add_paragraph("清河县人民政府：")
    d.add_paragraph("2025年，我镇认真落实各项部署。现将有关情况报告如下：")
    _numbered(d, "主要举措和成效", num_id, 0)
    _numbered(d, "坚持党的领导。全年召开会议4次。", num_id, 1)
    _numbered(d, "严格依法决策。审查合同12份。", num_id, 1)
    _numbered(d, "存在的不足和原因", num_id, 0)
    _numbered(d, "执法力量不足。执法人员只有2人。", num_id, 1)
    d.save(tmp_path / "n.docx")
    report = import_file(tmp_path / "n.docx")
    assert [p.key for p in report.parts] == ["measures", "shortcomings"]
    assert [s.title for s in report.parts[0].sections] == ["坚持党的领导", "严格依法决策"]
    assert [s.source_marker for s in report.parts[0].sections] == ["（一）", "（二）"]
    assert report.parts[1].sections[0].source_marker == "（一）"  # restarts under a new part


def test_text_in_tables_tabs_and_line_breaks_is_read(tmp_path):
    d = docx.Document()
    d.add_paragraph("一、主要举措和成效")
    p = d.add_paragraph("（一）统计情况。")
    p.add_run().add_break()
    p.add_run("全年数据见下表。")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "项目", "数量"
    t.cell(1, 0).text, t.cell(1, 1).text = "审查合同", "12份"
    d.save(tmp_path / "t.docx")
    body = import_file(tmp_path / "t.docx").parts[0].sections[0].body
    assert body.split("\n") == ["全年数据见下表。", "项目\t数量", "审查合同\t12份"]


def test_docx_without_structure_is_one_part_and_the_user_is_told(tmp_path):
    d = docx.Document()
    for text in ["今年工作总结", "我们完成了很多工作。", "明年继续努力。"]:
        d.add_paragraph(text)
    d.save(tmp_path / "plain.docx")
    proposal = propose(tmp_path / "plain.docx")
    assert any("同一个部分" in m for m in proposal.messages)
    report = proposal.to_report()
    assert len(report.parts) == 1
    assert "明年继续努力。" in report.parts[0].lead


# ---- bad input: each a clear Chinese message -------------------------------------------------
def _cfb(path: Path, streams: list[str]) -> Path:
    """A minimal OLE2 compound file: header plus a directory sector naming ``streams``."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    entries = b""
    for name in ["Root Entry", *streams]:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entries += raw.ljust(64, b"\x00") + len(raw).to_bytes(2, "little") + bytes(62)
    path.write_bytes(bytes(header) + entries.ljust(512, b"\x00"))
    return path


@pytest.mark.parametrize(
    "make,error,words",
    [
        (lambda p: p.write_text("一、主要举措\n", encoding="utf-8"), NotADocxError, "不是 Word 文档"),
        (lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"), UnsupportedFormatError, "PDF"),
        (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 200), NotADocxError, "已损坏"),
        (lambda p: _cfb(p, ["EncryptionInfo", "EncryptedPackage"]), EncryptedDocxError, "密码"),
        (lambda p: p.write_bytes(b""), EmptyFileError, "空的"),
    ],
    ids=["renamed-txt", "renamed-pdf", "damaged-zip", "encrypted", "empty"],
)
def test_bad_docx_files(tmp_path, make, error, words):
    path = tmp_path / "report.docx"
    make(path)
    with pytest.raises(error, match=words) as info:
        import_file(path)
    assert isinstance(info.value, ImportError_)
    assert "Traceback" not in str(info.value)


def test_old_word_doc_says_save_as_docx(tmp_path):
    path = _cfb(tmp_path / "old.doc", ["WordDocument", "1Table"])
    with pytest.raises(OldWordFormatError, match="另存为"):
        import_file(path)


def test_zip_that_is_not_word(tmp_path):
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(NotADocxError, match="不是 Word 文档"):
        import_file(path)


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b" " * (docx_import.MAX_XML_BYTES + 1024))
    assert path.stat().st_size < 1_000_000
    with pytest.raises(FileTooLargeError, match="过大"):
        import_file(path)


def test_zip_bomb_in_other_parts_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_import, "MAX_TOTAL_BYTES", 2_000_000)
    path = sample_docx(tmp_path / "r.docx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/media/huge.bin", b"\x00" * 3_000_000)
    with pytest.raises(FileTooLargeError):
        import_file(path)


def test_a_lying_zip_directory_is_caught_by_the_capped_read(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_import, "MAX_XML_BYTES", 50_000)
    path = sample_docx(tmp_path / "r.docx")
    data = b"<x>" + b" " * 60_000 + b"</x>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", data)
    # Make the directory claim a small size; the read is capped all the same.
    raw = bytearray(path.read_bytes())
    cd = raw.rfind(b"PK\x01\x02")
    raw[cd + 24: cd + 28] = (1000).to_bytes(4, "little")
    lh = raw.find(b"PK\x03\x04")
    raw[lh + 22: lh + 26] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    with pytest.raises(ImportError_):
        import_file(path)


def test_huge_text_file_is_refused_quickly(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        fh.write("一、主要举措和成效\n".encode())
        fh.truncate(50 * 1024 * 1024)
    with pytest.raises(FileTooLargeError, match="太大"):
        import_file(path)


def test_docx_with_no_text_is_empty(tmp_path):
    docx.Document().save(tmp_path / "blank.docx")
    with pytest.raises(EmptyFileError):
        import_file(tmp_path / "blank.docx")


def test_missing_file(tmp_path):
    with pytest.raises(ImportError_, match="找不到"):
        import_file(tmp_path / "nope.docx")


# ---- the import command -------------------------------------------------------------------------
def run(*args, db):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args, "--db", str(db)],
        check=False, capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
    )


def test_import_command_prints_the_id_and_json_like_show(tmp_path, db_path):
    path = sample_docx(tmp_path / "r.docx", "sifaju-2025.txt")
    out = run("import", str(path), db=db_path)
    assert out.returncode == 0, out.stderr
    rid = int(out.stdout.strip())
    out = run("import", str(path), "--json", db=db_path)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    shown = json.loads(run("show", str(data["id"]), "--json", db=db_path).stdout)
    assert data == shown
    assert data["id"] == rid + 1
    assert data["header"]["doc_number"] == "清司〔2026〕5号"
    assert len(data["parts"]) == 5


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4 junk", b"PK\x03\x04broken"])
def test_import_command_bad_input_exit_2_and_no_draft(tmp_path, db_path, content):
    from db import Repository

    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    out = run("import", str(path), db=db_path)
    assert out.returncode == 2
    assert out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr
    repo = Repository(db_path)
    assert repo.count() == 0
    repo.close()


# ---- export → import gives the same text back --------------------------------------------------
@pytest.mark.parametrize("name", ["linjiang-2025.txt", "sifaju-2025.txt"])
def test_export_then_import_round_trip(tmp_path, name):
    from editor.export import export_docx

    report = parse_text(sample_text(name))
    export_docx(report, tmp_path / "out.docx", variant="redhead")
    back = import_file(tmp_path / "out.docx")
    assert sections(back) == sections(report)
    assert back.header == report.header
    assert back.preamble == report.preamble
    assert back.closing == report.closing


def test_qn_helper_available():
    assert qn("w:p").endswith("}p")


def test_red_head_in_a_text_box_is_read_once(tmp_path):
    """Some red heads put the 发文机关标志 in a text box; Word stores it twice (a DrawingML
    shape and a VML fallback) and only one copy may be imported."""
    box = (
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:r><mc:AlternateContent>'
        '<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r>'
        '<w:t>清河县临江镇人民政府文件</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing>'
        '</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>'
        '<w:t>清河县临江镇人民政府文件</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>'
        '</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>'
    )
    d = docx.Document()
    d.element.body.insert(0, parse_xml(box))
    for ln in sample_text("linjiang-2025.txt").split("\n")[1:6]:
        d.add_paragraph(ln)
    d.save(tmp_path / "box.docx")
    proposal = propose(tmp_path / "box.docx")
    assert [b.text for b in proposal.blocks].count("清河县临江镇人民政府文件") == 1
    assert proposal.to_report().header.organ_mark == "清河县临江镇人民政府文件"


def test_import_command_reads_stdin_in_any_encoding(db_path):
    data = sample_text("sifaju-2025.txt").encode("gb18030")
    out = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", "-", "--json", "--db", str(db_path)],
        input=data, capture_output=True, check=False, cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr.decode()
    assert json.loads(out.stdout)["header"]["signer"] == "周文博"


def test_propose_tells_a_missing_file_from_pasted_text(tmp_path):
    with pytest.raises(ImportError_, match="找不到"):
        propose(str(tmp_path / "报告.docx"))
    assert propose("一、主要举措和成效\n（一）做法。内容。").blocks[0].role == "part"
