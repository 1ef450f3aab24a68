"""check FILE --annotate OUT.docx: the 审阅版, every finding and unmet required checklist item a
Word comment anchored at its text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import DATA

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def anchored_texts(path: Path) -> dict[str, str]:
    """comment id → the text between its commentRangeStart and commentRangeEnd."""
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    open_: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for el in root.iter():
        if el.tag == f"{W}commentRangeStart":
            open_[el.get(f"{W}id")] = []
        elif el.tag == f"{W}commentRangeEnd":
            cid = el.get(f"{W}id")
            out[cid] = "".join(open_.pop(cid, []))
        elif el.tag == f"{W}t":
            for parts in open_.values():
                parts.append(el.text or "")
    return out


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    from editor.check.batch import check_sources
    from editor.cli import main

    folder = tmp_path_factory.mktemp("annotate")
    source = DATA / "linjiang-2025-errors.txt"
    out = folder / "审阅版.docx"
    code = main(["--db", str(folder / "db.sqlite"), "check", str(source), "--annotate", str(out)])
    row = check_sources([str(source)])[0]
    return code, out, row


def test_every_finding_and_missing_item_is_a_comment(annotated):
    code, out, row = annotated
    assert code == 1  # the report has errors; the 审阅版 is written all the same
    doc = Document(out)
    comments = list(doc.comments)
    missing = [r for r in row.result.checklist if r.severity == "required" and r.auto != "met"
               and r.review != "ticked"]
    assert len(row.result.findings) >= 5
    assert len(comments) == len(row.result.findings) + len(missing)
    assert all(c.author == "法治政府建设年度报告编辑器" for c in comments)
    texts = [c.text for c in comments]
    for f in row.result.findings:
        assert any(f.message in t for t in texts), f.message
    anchors = anchored_texts(out)
    by_id = {str(c.comment_id): c for c in comments}
    assert set(anchors) == set(by_id)
    # A finding with a span in the public text is anchored at exactly that span; one whose text
    # the export does not carry (an imported number the program replaces) at the text after it.
    body = "".join(p.text for p in doc.paragraphs)
    spans = [f for f in row.result.findings if f.text and not f.place.field.startswith("header.")]
    assert len(spans) >= 3
    for f in spans:
        ok = [cid for cid, c in by_id.items() if f.message in c.text and (
            anchors[cid] == f.text or (f.text not in body and anchors[cid]
                                       and anchors[cid] in f.context[0] + f.context[1]))]
        assert ok, (f.text, f.message)
    for r in missing:
        cid = next(cid for cid, c in by_id.items() if r.label in c.text)
        assert anchors[cid]  # on a heading or the title, never on nothing


def test_annotated_copy_is_the_plain_variant_and_renders(annotated, tmp_path):
    from tests.render_utils import pages, render

    _, out, row = annotated
    doc = Document(out)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "签发人" not in text and "抄送" not in text
    copy = tmp_path / "review.docx"
    copy.write_bytes(out.read_bytes())
    pdf_pages = pages(render(copy))
    rendered = "".join(ln.text for p in pdf_pages for ln in p.lines).replace(" ", "")
    assert row.report.header.title.replace(" ", "")[:10] in rendered
    assert len(pdf_pages) >= 5
    with zipfile.ZipFile(out) as z:
        assert "word/comments.xml" in z.namelist()
        assert re.search(r"<w:comment [^>]*w:author=\"法治政府建设年度报告编辑器\"",
                         z.read("word/comments.xml").decode())


def test_annotate_needs_one_report(tmp_path, capsys):
    from editor.cli import main

    source = str(DATA / "linjiang-2025.txt")
    code = main(["--db", str(tmp_path / "db.sqlite"), "check", source, source,
                 "--annotate", str(tmp_path / "x.docx")])
    assert code == 2 and "只能用于一份报告" in capsys.readouterr().err
