"""Export speed: the GB/T 9704 exporter against a bare python-docx script writing the same
paragraphs, in the same run. Prints the median ratio (target ≤ 2).

The LibreOffice confirmation pass is not part of this timing: it is an explicit option
(``export_docx(..., confirm=True)``, used by ``--pdf`` and the GUI's background check).

    .venv/bin/python benchmarks/export.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx import Document

from editor.export import export_docx
from editor.ingest import parse_text
from editor.model import part_number, section_number


def plain_paragraphs(report) -> list[str]:
    h = report.header
    out = [h.organ_mark, h.doc_number + " 签发人：" + h.signer, h.title, h.recipients]
    out += [p for p in report.preamble.split("\n") if p]
    for pi, part in enumerate(report.enabled_parts):
        out.append(part_number(pi) + part.heading)
        out += [p for p in part.lead.split("\n") if p]
        for si, s in enumerate(part.sections):
            body = [p for p in s.body.split("\n") if p]
            out.append(section_number(si) + s.title + "。" + (body[0] if body else ""))
            out += body[1:]
    out += [report.closing, h.signature, h.date, h.note, "抄送：" + h.cc,
            h.printer + " " + h.print_date + "印发"]
    return out


def bare(report, path: Path) -> None:
    doc = Document()
    for text in plain_paragraphs(report):
        doc.add_paragraph(text)
    doc.save(path)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    report = parse_text((ROOT / "tests" / "data" / "linjiang-2025.txt").read_text("utf-8"))
    ratios, ours, base = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        export_docx(report, tmp / "warm.docx")
        bare(report, tmp / "warm-bare.docx")
        for _ in range(args.runs):
            t0 = time.perf_counter()
            export_docx(report, tmp / "gw.docx")
            t1 = time.perf_counter()
            bare(report, tmp / "bare.docx")
            t2 = time.perf_counter()
            ours.append(t1 - t0)
            base.append(t2 - t1)
            ratios.append((t1 - t0) / (t2 - t1))
    print(f"export_docx      median {statistics.median(ours) * 1000:7.1f} ms")
    print(f"bare python-docx median {statistics.median(base) * 1000:7.1f} ms")
    ratio = statistics.median(ratios)
    print(f"median ratio {ratio:.2f} (target ≤ 2) over {args.runs} runs")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
