"""County review in bulk: ``check FILE1 FILE2 … --summary OUT.csv --summary OUT.html``."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from conftest import DATA, sample_text

from db.review import ReviewStore
from editor.check.batch import check_sources
from editor.check.review import ReviewSession
from editor.check.summary import CSV_HEADER, csv_bytes, write_csv
from editor.cli import main
from editor.ingest import parse_text

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_ORGAN = "清河县<b>云溪</b>镇&人民政府"
SCRIPT = "<script>alert(1)</script>"


def make_submissions(folder: Path) -> list[Path]:
    """What a 依法治县办 receives: clean and faulty reports, other encodings, Word files, junk."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name in ("linjiang-2025.txt", "sifaju-2025.txt", "linjiang-2025-errors.txt"):
        files.append(folder / name)
        files[-1].write_bytes((DATA / name).read_bytes())
    gb = folder / "司法局-GB18030.txt"
    gb.write_bytes(sample_text("sifaju-2025.txt").encode("gb18030"))
    files.append(gb)
    word = docx.Document()
    for line in sample_text("linjiang-2025.txt").splitlines():
        word.add_paragraph(line)
    word.save(folder / "临江镇.docx")
    files.append(folder / "临江镇.docx")
    broken = folder / "broken.docx"
    broken.write_text("这是改了扩展名的文本，不是 Word 文档。", encoding="utf-8")
    files.append(broken)
    lines = sample_text("linjiang-2025.txt").replace("清河县临江镇人民政府", HOSTILE_ORGAN).splitlines()
    lines[2] = lines[2].replace("关于", SCRIPT + "关于")
    hostile = folder / "hostile.txt"
    hostile.write_text("\n".join(lines), encoding="utf-8")
    files.append(hostile)
    return files


def run_cli(*args, db: Path, cwd: Path = ROOT):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args, "--db", str(db)],
        check=False, capture_output=True, text=True, encoding="utf-8", cwd=cwd,
    )


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One subprocess run over all submissions, writing both summaries."""
    folder = tmp_path_factory.mktemp("batch")
    files = make_submissions(folder / "送审")
    out = run_cli("check", *map(str, files), "--summary", str(folder / "out.csv"),
                  "--summary", str(folder / "out.html"), db=folder / "tmp.db")
    return folder, files, out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_batch_exit_code_2_because_of_the_broken_file(batch):
    _folder, files, out = batch
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert "broken.docx" in out.stderr  # the one sentence on stderr names the bad input
    lines = [ln for ln in out.stdout.splitlines() if ln[:1].isdigit()]
    assert len(lines) == len(files)  # the broken file did not stop the others


def test_batch_lines_on_stdout(batch):
    _folder, _files, out = batch
    lines = {ln.split("｜")[0].split(". ", 1)[1]: ln for ln in out.stdout.splitlines()
             if ln[:1].isdigit()}
    clean = lines["sifaju-2025.txt"]
    assert "清河县司法局" in clean and "2025年度" in clean and "0 处错误" in clean
    assert "必查项 33/34" in clean and "缺少：公开属性" in clean
    faulty = lines["linjiang-2025-errors.txt"]
    assert "0 处错误" not in faulty and "年份正确" in faulty
    assert "无法读取" in lines["broken.docx"] and "不是 Word 文档" in lines["broken.docx"]
    assert "共 7 份：6 份已检查（其中 1 份有错误），1 份无法读取。" in out.stdout


def test_batch_csv_rows(batch):
    folder, files, _out = batch
    raw = (folder / "out.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel/WPS read the BOM as “this is UTF-8”
    rows = read_csv(folder / "out.csv")
    assert tuple(rows[0]) == CSV_HEADER
    assert [r["序号"] for r in rows] == [str(i) for i in range(1, len(files) + 1)]
    by_name = {r["文件/编号"]: r for r in rows}
    assert set(by_name) == {f.name for f in files}

    clean, faulty = by_name["linjiang-2025.txt"], by_name["linjiang-2025-errors.txt"]
    assert clean["报告单位"] == "清河县临江镇人民政府" and clean["年度"] == "2025"
    assert int(faulty["错误数"]) > int(clean["错误数"]) == 0
    assert int(faulty["错误数"]) > int(by_name["sifaju-2025.txt"]["错误数"])
    met, total = map(int, clean["必查项覆盖"].split("／"))  # full width: Excel takes 3/36 for a date
    assert total > met > 0
    assert clean["覆盖率"] == f"{100 * met / total:.1f}%"
    assert "公开属性" in clean["缺少的必查项"] and clean["读取问题"] == ""
    missing = faulty["缺少的必查项"].split("；")
    assert len(missing) == total - int(faulty["必查项覆盖"].split("／")[0]) > 1

    # the same report in GB18030 and as a Word file gives the same figures as the UTF-8 text
    gb, utf8 = by_name["司法局-GB18030.txt"], by_name["sifaju-2025.txt"]
    assert {k: gb[k] for k in CSV_HEADER[2:]} == {k: utf8[k] for k in CSV_HEADER[2:]}
    word = by_name["临江镇.docx"]
    assert (word["报告单位"], word["必查项覆盖"], word["错误数"]) == (
        clean["报告单位"], clean["必查项覆盖"], clean["错误数"])

    broken = by_name["broken.docx"]
    assert "不是 Word 文档" in broken["读取问题"]
    assert broken["错误数"] == broken["必查项覆盖"] == broken["报告单位"] == ""

    hostile = by_name["hostile.txt"]
    assert hostile["报告单位"] == HOSTILE_ORGAN and SCRIPT in hostile["标题"]


def test_batch_html_is_self_contained_and_escaped(batch):
    folder, _files, _out = batch
    page = (folder / "out.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in page
    for organ in ("清河县临江镇人民政府", "清河县司法局"):
        assert organ in page
    assert SCRIPT not in page and "<b>云溪</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "清河县&lt;b&gt;云溪&lt;/b&gt;镇&amp;人民政府" in page
    # no external resources: nothing to fetch, no script of our own either
    for needle in ("<script", "<link", "src=", "http://", "https://", "@import"):
        assert needle not in page
    # the details: findings with their place and message, and the missing items
    assert "第一部分（六）第1段" in page and "百分比与数据不符" in page
    assert "缺少的必查项" in page and "M-08" in page
    assert "不是 Word 文档" in page
    assert page.count("<section id=") == 7


def test_batch_json_keeps_the_single_report_shape(tmp_path, capsys, db_path):
    files = make_submissions(tmp_path / "in")
    code = main(["--db", str(db_path), "check", str(files[2]), str(files[5]), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 2
    assert [d["source"] for d in data] == [str(files[2]), str(files[5])]
    faulty, broken = data
    assert {"source", "title", "organ", "year", "findings", "checklist", "summary"} <= set(faulty)
    assert faulty["organ"] == "清河县临江镇人民政府" and faulty["year"] == 2025
    assert faulty["error"] is None and broken["findings"] == [] and broken["summary"] is None
    assert "不是 Word 文档" in broken["error"]

    assert main(["--db", str(db_path), "check", str(files[2]), "--json"]) == 1
    single = json.loads(capsys.readouterr().out)
    assert {k: faulty[k] for k in ("findings", "checklist", "summary")} == single


def test_single_docx_and_gb18030_files_are_checked_like_the_text(tmp_path, capsys, db_path):
    files = make_submissions(tmp_path / "in")
    assert main(["--db", str(db_path), "check", str(DATA / "linjiang-2025.txt")]) == 0
    text_out = capsys.readouterr().out
    assert main(["--db", str(db_path), "check", str(files[4])]) == 0  # 临江镇.docx
    assert capsys.readouterr().out == text_out
    assert main(["--db", str(db_path), "check", str(files[3]), "--json"]) == 0  # GB18030
    assert json.loads(capsys.readouterr().out)["summary"]["required_unmet"] == 1


def test_exit_codes_of_a_batch(tmp_path, capsys, db_path):
    clean = [str(DATA / "linjiang-2025.txt"), str(DATA / "sifaju-2025.txt")]
    assert main(["--db", str(db_path), "check", *clean]) == 0
    assert main(["--db", str(db_path), "check", *clean, str(DATA / "linjiang-2025-errors.txt")]) == 1
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["--db", str(db_path), "check", *clean, str(empty)]) == 2
    out, err = capsys.readouterr()
    assert "empty.txt｜无法读取：文件“empty.txt”是空的" in out and "Traceback" not in err


def test_unreadable_kinds_each_get_their_reason(tmp_path):
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    locked = tmp_path / "locked.docx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"))
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4 ...")
    rows = check_sources([str(old), str(locked), str(pdf), str(tmp_path / "gone.docx"), "12"])
    reasons = [r.error for r in rows]
    assert "另存为" in reasons[0] and ".doc" in reasons[0]
    assert "密码" in reasons[1]
    assert "PDF" in reasons[2] and ".docx 和 .txt" in reasons[2]
    assert "不是报告编号" in reasons[3]
    assert "没有打开数据库" in reasons[4]  # no service given: ids cannot be looked up
    assert not any(r.ok for r in rows)


def test_ids_and_files_mixed_use_stored_ticks(tmp_path, capsys, db_path, service):
    report = parse_text(sample_text("linjiang-2025.txt"))
    rid = service.repo.create(report)
    rows = check_sources([str(rid), str(DATA / "linjiang-2025.txt")], service)
    stored, file_ = rows
    assert stored.name == f"编号 {rid}" and stored.report_id == rid and file_.report_id is None
    assert stored.coverage == file_.coverage  # same text, nobody ticked yet
    # A reviewer confirms the one item the text does not show; only the stored draft knows it.
    missing = stored.missing_required[0].id
    ReviewSession(report, ReviewStore(service.repo)).tick(missing, "李审核")
    stored, file_ = check_sources([str(rid), str(DATA / "linjiang-2025.txt")], service)
    assert stored.missing_required == [] and file_.missing_labels
    assert stored.required_met == file_.required_met + 1
    code = main(["--db", str(db_path), "check", str(rid), "99999999999999999999999",
                 str(DATA / "linjiang-2025.txt")])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err
    assert "必查项齐全" in out.splitlines()[0]
    assert "找不到编号为 99999999999999999999999 的报告" in out


def test_wildcards_are_expanded_when_the_shell_did_not(tmp_path, capsys, db_path):
    make_submissions(tmp_path / "in")
    code = main(["--db", str(db_path), "check", str(tmp_path / "in" / "*.txt"),
                 str(tmp_path / "in" / "*.xlsx")])
    out = capsys.readouterr().out
    assert code == 2  # *.xlsx matches nothing: reported, not ignored
    names = [ln.split("｜")[0].split(". ", 1)[1] for ln in out.splitlines() if ln[:1].isdigit()]
    assert names == ["hostile.txt", "linjiang-2025-errors.txt", "linjiang-2025.txt",
                     "sifaju-2025.txt", "司法局-GB18030.txt", "*.xlsx"]


def test_summary_into_a_missing_folder_is_a_clear_error(tmp_path, capsys, db_path):
    target = tmp_path / "没有这个文件夹" / "汇总.csv"
    code = main(["--db", str(db_path), "check", str(DATA / "sifaju-2025.txt"),
                 str(DATA / "linjiang-2025.txt"), "--summary", str(target),
                 "--html", str(tmp_path / "汇总.html")])
    out, err = capsys.readouterr()
    assert code == 2
    assert "无法写入汇总表" in err and "不存在" in err and "Traceback" not in err
    assert "sifaju-2025.txt" in out  # the check itself was still shown
    assert (tmp_path / "汇总.html").exists()  # the other summary was written
    assert not target.exists()


def test_summary_to_a_folder_or_other_ending_is_refused(tmp_path, capsys, db_path):
    code = main(["--db", str(db_path), "check", str(DATA / "sifaju-2025.txt"),
                 "--summary", str(tmp_path / "汇总.xlsx")])
    out, err = capsys.readouterr()
    assert code == 2 and ".csv 或 .html" in err and out == ""  # refused before checking
    folder = tmp_path / "out.csv"
    folder.mkdir()
    code = main(["--db", str(db_path), "check", str(DATA / "sifaju-2025.txt"),
                 "--summary", str(folder)])
    assert code == 2 and "是一个文件夹" in capsys.readouterr().err


def test_csv_replaces_atomically_and_leaves_no_temp_files(tmp_path):
    rows = check_sources([str(DATA / "sifaju-2025.txt")])
    target = tmp_path / "汇总.csv"
    target.write_text("旧的汇总", encoding="utf-8")
    write_csv(rows, target)
    assert os.listdir(tmp_path) == ["汇总.csv"]
    got = read_csv(target)
    assert len(got) == 1 and got[0]["报告单位"] == "清河县司法局"
    assert target.stat().st_mode & 0o777 != 0o600  # not left private like a temp file


def test_csv_cells_cannot_become_formulas(tmp_path):
    text = sample_text("sifaju-2025.txt").splitlines()
    text[2] = "=HYPERLINK(\"x\")" + text[2]
    path = tmp_path / "formula.txt"
    path.write_text("\n".join(text), encoding="utf-8")
    rows = check_sources([str(path)])
    assert rows[0].title.startswith("=")
    got = list(csv.reader(csv_bytes(rows).decode("utf-8-sig").splitlines()))
    assert got[1][4].startswith("'=")


def test_help_documents_the_batch(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = capsys.readouterr().out
    assert "--summary" in text and "--html" in text and ".docx" in text
    assert "退出码" in text and "不会中断" in text
