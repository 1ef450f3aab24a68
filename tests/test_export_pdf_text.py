"""Every character of the report reaches the PDF: LibreOffice did not paint a
、，。 falling at the end of a full justified line when w:overflowPunct was absent (or off);
written out as on, it hangs and paints it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from editor.export import export_docx
from tests.render_utils import require_render

MARKS = "，、。；：“”《》"


def docx_text(path: Path) -> str:
    doc = Document(path)
    return "".join(p.text for p in doc.paragraphs)


def pdf_text(pdf: Path) -> str:
    out = subprocess.run([shutil.which("pdftotext") or "pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                         check=True, capture_output=True, text=True)
    return out.stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from editor.export.pdf import render_many
    from editor.ingest import parse_text
    from tests.conftest import sample_text

    require_render()
    folder = tmp_path_factory.mktemp("pdftext")
    docs = []
    for name in ("linjiang-2025.txt", "sifaju-2025.txt"):
        report = parse_text(sample_text(name))
        for variant in ("redhead", "plain"):
            docs.append(export_docx(report, folder / f"{Path(name).stem}-{variant}.docx",
                                    variant=variant).path)
    pdfs = render_many(docs, folder)
    return list(zip(docs, pdfs))


def test_the_docx_asks_for_no_hanging_punctuation(rendered):
    from tests.test_export_docx import xml

    text = xml(rendered[0][0])
    assert text.count('<w:overflowPunct w:val="1"/>') == text.count("<w:kinsoku ")


@pytest.mark.parametrize("index", range(4))
def test_pdf_has_every_punctuation_mark_of_the_report(rendered, index):
    docx, pdf = rendered[index]
    want, got = docx_text(docx), pdf_text(pdf)
    counts = {m: (want.count(m), got.count(m)) for m in MARKS}
    assert all(a == b for a, b in counts.values()), f"{docx.name}: {counts}"


def package_parts(path: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as z:
        # core.xml holds the time of writing; everything else must be byte for byte the same.
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_docx_saved_with_the_pdf_is_the_one_click_docx(tmp_path):
    from editor.export import export_with_pdf
    from editor.ingest import parse_text
    from tests.conftest import sample_text

    require_render()
    report = parse_text(sample_text("linjiang-2025.txt"))
    for variant in ("redhead", "plain"):
        one = export_docx(report, tmp_path / f"one-{variant}.docx", variant=variant)
        result, pdf = export_with_pdf(report, tmp_path / f"pdf-{variant}.docx",
                                      tmp_path / f"pdf-{variant}.pdf", variant=variant)
        assert package_parts(one.path) == package_parts(result.path)
        assert not result.adjusted and pdf.warnings == []
