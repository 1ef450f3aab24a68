"""Paragraph lines of a .docx, for the same parser as plain text.

Read with zipfile + lxml rather than python-docx so every size can be checked before anything
is inflated (a zip bomb is refused from its directory, and reads are capped in case the
directory lies), and so text python-docx skips is kept: tables (real exported reports put
抄送/印发 in a 版记 table), text boxes (some red heads put the 发文机关标志 in one), content
controls. Word's automatic numbering is not in the text; it is rebuilt from numbering.xml so
"一、" and "（一）" headings made with the numbering button are still recognised.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from .errors import FileTooLargeError, NotADocxError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{W}}}"

# A 5,000-字 report's document.xml is about 0.3 MB; a long one with tables under 5 MB.
MAX_XML_BYTES = 16 * 1024 * 1024
MAX_AUX_BYTES = 8 * 1024 * 1024  # styles.xml, numbering.xml
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # everything in the package, as its directory declares
MAX_ENTRIES = 10_000

DAMAGED = "文件“{name}”已损坏或不是完整的 Word 文档，无法读取。请用 Word 或 WPS 打开它，另存为 .docx 后再导入。"
NOT_WORD = "文件“{name}”是一个压缩包，但不是 Word 文档（.docx）。请选择 Word 文档或文本文件。"
TOO_BIG = "文件“{name}”解压后过大（超过 {limit} MB），可能已损坏或不是正常的报告，已停止导入。"

_CN = "一二三四五六七八九十"


def _cn(n: int) -> str:
    from ..model import chinese_number

    return chinese_number(n)


def docx_lines(path: str | Path) -> list[str]:
    """Every paragraph of the document body, in order, as text lines (a table row is one line,
    its cells separated by tabs, which also keeps rows from being joined as broken lines)."""
    name = Path(path).name
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES:
                raise NotADocxError(DAMAGED.format(name=name))
            if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
                raise FileTooLargeError(TOO_BIG.format(name=name, limit=MAX_TOTAL_BYTES >> 20))
            names = {i.filename: i for i in infos}
            main = names.get("word/document.xml") or _main_part(zf, names)
            if main is None:
                raise NotADocxError(NOT_WORD.format(name=name))
            doc = _read_capped(zf, main, MAX_XML_BYTES, name)
            styles = _read_optional(zf, names.get("word/styles.xml"), name)
            numbering = _read_optional(zf, names.get("word/numbering.xml"), name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError,
            zlib.error, EOFError, ValueError, OSError) as exc:
        raise NotADocxError(DAMAGED.format(name=name)) from exc
    try:
        root = _parse(doc)
        reader = _Reader(_parse(styles) if styles else None,
                         _parse(numbering) if numbering else None)
    except etree.XMLSyntaxError as exc:
        raise NotADocxError(DAMAGED.format(name=name)) from exc
    body = root.find(f"{_W}body")
    if body is None:
        raise NotADocxError(DAMAGED.format(name=name))
    return reader.block_lines(body)


def _main_part(zf: zipfile.ZipFile, names: dict) -> zipfile.ZipInfo | None:
    """The main document when it is not at the usual place (found via [Content_Types].xml)."""
    ct = names.get("[Content_Types].xml")
    if ct is None or ct.file_size > MAX_AUX_BYTES:
        return None
    text = zf.read(ct).decode("utf-8", "replace")
    m = re.search(r'PartName="/([^"]+)"\s+ContentType="application/vnd\.openxmlformats-'
                  r'officedocument\.wordprocessingml\.document\.main\+xml"', text)
    return names.get(m.group(1)) if m else None


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> bytes:
    if info.file_size > limit:
        raise FileTooLargeError(TOO_BIG.format(name=name, limit=limit >> 20))
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:  # the directory understated the size
        raise FileTooLargeError(TOO_BIG.format(name=name, limit=limit >> 20))
    return data


def _read_optional(zf, info, name) -> bytes | None:
    return _read_capped(zf, info, MAX_AUX_BYTES, name) if info is not None else None


def _parse(data: bytes):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             remove_comments=True, remove_pis=True, load_dtd=False)
    return etree.fromstring(data, parser)


class _Reader:
    def __init__(self, styles, numbering) -> None:
        self.style_num: dict[str, tuple[str, int]] = {}  # styleId → (numId, ilvl)
        if styles is not None:
            self._load_styles(styles)
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # → (fmt, text, start)
        if numbering is not None:
            self._load_numbering(numbering)
        self.counters: dict[str, list[int]] = {}

    # ---- styles and numbering --------------------------------------------------------------
    def _load_styles(self, styles) -> None:
        for st in styles.iter(f"{_W}style"):
            # A heading style can carry the numbering ("标题 1" numbered 一、). Without numbering it
            # says nothing about the level (units use "标题 1" for the title too): the text decides.
            sid = st.get(f"{_W}styleId") or ""
            num = st.find(f"{_W}pPr/{_W}numPr")
            if num is not None:
                nid = num.find(f"{_W}numId")
                ilvl = num.find(f"{_W}ilvl")
                if nid is not None:
                    self.style_num[sid] = (nid.get(f"{_W}val") or "",
                                           _int(ilvl.get(f"{_W}val") if ilvl is not None else 0))

    def _load_numbering(self, numbering) -> None:
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in numbering.iter(f"{_W}abstractNum"):
            lv = {}
            for lvl in an.iter(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                txt = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                lv[_int(lvl.get(f"{_W}ilvl"))] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    txt.get(f"{_W}val") if txt is not None else "",
                    _int(start.get(f"{_W}val") if start is not None else 1) or 1,
                )
            abstract[an.get(f"{_W}abstractNumId") or ""] = lv
        for num in numbering.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{_W}val") or "", {}).items():
                self.levels[(num.get(f"{_W}numId") or "", ilvl)] = spec

    def _marker(self, p) -> str:
        """The automatic number Word would show before paragraph ``p`` ("一、", "（二）"...)."""
        ppr = p.find(f"{_W}pPr")
        if ppr is None:
            return ""
        style = ppr.find(f"{_W}pStyle")
        sid = style.get(f"{_W}val") if style is not None else ""
        num = ppr.find(f"{_W}numPr")
        key = None
        if num is not None:
            nid, ilvl = num.find(f"{_W}numId"), num.find(f"{_W}ilvl")
            if nid is not None:
                key = (nid.get(f"{_W}val") or "", _int(ilvl.get(f"{_W}val") if ilvl is not None
                                                       else 0))
        elif sid in self.style_num:
            key = self.style_num[sid]
        if key is None or key[0] == "0" or key not in self.levels:
            return ""
        fmt, text, start = self.levels[key]
        counts = self.counters.setdefault(key[0], [0] * 10)
        ilvl = min(key[1], 9)
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else start
        for deeper in range(ilvl + 1, 10):
            counts[deeper] = 0
        if fmt == "bullet" or fmt == "none":
            return ""

        def level_number(m: re.Match) -> str:
            lv = int(m.group(1)) - 1
            n = counts[lv] or 1
            lfmt = self.levels.get((key[0], lv), (fmt,))[0]
            if lfmt.startswith(("chinese", "ideograph", "japanese", "taiwanese")):
                return _cn(n)
            return str(n)

        return re.sub(r"%(\d)", level_number, text)

    # ---- text --------------------------------------------------------------------------------
    def block_lines(self, container) -> list[str]:
        lines: list[str] = []
        for el in container:
            tag = el.tag
            if tag == f"{_W}p":
                lines.extend(self.paragraph_lines(el))
            elif tag == f"{_W}tbl":
                lines.extend(self.table_lines(el))
            elif tag in (f"{_W}sdt", f"{_W}customXml"):
                content = el.find(f"{_W}sdtContent") if tag == f"{_W}sdt" else el
                if content is not None:
                    lines.extend(self.block_lines(content))
        return lines

    def table_lines(self, tbl) -> list[str]:
        lines = []
        for tr in tbl.iter(f"{_W}tr"):
            if _ancestor_table(tr) is not tbl:
                continue  # rows of nested tables come through their cell
            cells = []
            for tc in tr.findall(f"{_W}tc"):
                text = "".join(self.block_lines(tc)).strip()
                if text:
                    cells.append(text)
            if cells:
                lines.append("\t".join(cells))
        return lines

    def paragraph_lines(self, p) -> list[str]:
        boxes: list[str] = []
        buf: list[str] = []
        self._runs(p, buf, boxes)
        text = "".join(buf)
        out = boxes
        if text.strip():
            marker = self._marker(p)
            first = text.lstrip()
            if marker and not _has_marker(first):
                text = marker + first
            out = out + text.split("\n")
        elif p.find(f"{_W}pPr/{_W}numPr") is not None:
            self._marker(p)  # an empty numbered paragraph still counts
        return out

    def _runs(self, el, buf: list[str], boxes: list[str]) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == f"{_W}t":
                buf.append(child.text or "")
            elif tag == f"{_W}tab":
                buf.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                buf.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                buf.append("-")
            elif tag == f"{_W}txbxContent":
                boxes.extend(self.block_lines(child))
            elif tag == f"{{{MC}}}Fallback":
                continue  # the same content again, for old readers
            elif tag in (f"{_W}del", f"{_W}moveFrom", f"{_W}instrText", f"{_W}delText",
                         f"{_W}pPr", f"{_W}rPr", f"{_W}footnoteReference",
                         f"{_W}endnoteReference"):
                continue
            else:
                self._runs(child, buf, boxes)


def _ancestor_table(el):
    parent = el.getparent()
    while parent is not None and parent.tag != f"{_W}tbl":
        parent = parent.getparent()
    return parent


_MARKER = re.compile(rf"^([{_CN}]+[、.．]|[（(][{_CN}\d]+[）)]|\d+[.．、]|第[{_CN}]+部分)")


def _has_marker(text: str) -> bool:
    return bool(_MARKER.match(text))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
