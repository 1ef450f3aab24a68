"""Files and pasted text → :class:`ImportProposal` / :class:`Report`.

The kind of file is decided by its first bytes, not its name (a renamed .pdf or .doc is common),
and every refusal is an :class:`ImportError_` with a Chinese sentence the user can act on.
Nothing here touches the database: the caller creates the draft only once this has succeeded.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..model import Report
from ..profile import Profile
from .docx_import import docx_lines
from .encoding import decode_bytes, detect_encoding
from .errors import (
    EmptyFileError,
    EncryptedDocxError,
    FileTooLargeError,
    ImportError_,
    NotADocxError,
    OldWordFormatError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from .proposal import ImportProposal
from .text_import import propose_lines, propose_text

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a 5,000-字 report is 15 KB; 20 MB is no report
MAX_DOCX_BYTES = 100 * 1024 * 1024  # photos make real .docx files large; only the XML is read
MAX_PASTE_CHARS = 5_000_000

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def propose(source: str | os.PathLike[str], *, is_path: bool | None = None) -> ImportProposal:
    """The proposed split of a file (a ``Path``, or a str naming an existing file) or of
    pasted text (any other str). Raises :class:`ImportError_`."""
    if isinstance(source, os.PathLike) or is_path:
        return propose_file(source)
    if is_path is None and "\n" not in source and len(source) < 1024:
        try:
            if Path(source).is_file():
                return propose_file(source)
        except OSError:
            pass
        if source.strip().lower().endswith((".docx", ".txt", ".doc", ".wps")):
            return propose_file(source)  # a mistyped file name: say it is not there
    return propose_pasted(source)


def propose_pasted(text: str) -> ImportProposal:
    if not text or not text.strip():
        raise EmptyFileError("粘贴的内容是空的。请先在原文中全选并复制，再粘贴到这里。")
    if len(text) > MAX_PASTE_CHARS:
        raise FileTooLargeError("粘贴的内容太长（超过 500 万字），不像是一份报告。请只粘贴报告正文。")
    return propose_text(text, source="粘贴的文本")


def import_text(text: str, profile: Profile | None = None) -> Report:
    return propose_pasted(text).to_report(profile)


def import_file(path: str | os.PathLike[str], profile: Profile | None = None) -> Report:
    """A .docx or .txt file → Report (no database involved). Raises :class:`ImportError_`."""
    return propose_file(path).to_report(profile)


def propose_file(path: str | os.PathLike[str]) -> ImportProposal:
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise UnreadableFileError(f"“{name}”是一个文件夹，请选择报告文件（.docx 或 .txt）。")
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError as exc:
        raise UnreadableFileError(f"找不到文件“{path}”。请检查文件名和位置。") from exc
    except PermissionError as exc:
        raise UnreadableFileError(f"没有权限读取文件“{name}”。请检查文件权限，或先把它复制到桌面。") from exc
    except OSError as exc:
        raise UnreadableFileError(f"读取文件“{name}”时出错：{exc.strerror or exc}。") from exc
    if size == 0:
        raise EmptyFileError(f"文件“{name}”是空的（0 字节），没有可以导入的内容。")
    suffix = path.suffix.lower()

    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if size > MAX_DOCX_BYTES:
            raise FileTooLargeError(
                f"文件“{name}”太大（{size >> 20} MB，上限 {MAX_DOCX_BYTES >> 20} MB）。"
                "请删去其中的图片后另存，或复制正文后粘贴导入。"
            )
        proposal = propose_lines(docx_lines(path), source=name)
        if not proposal.blocks:
            raise EmptyFileError(f"Word 文档“{name}”中没有文字，没有可以导入的内容。")
        return proposal
    if head.startswith(OLE2):
        if _is_encrypted_ole(path):
            raise EncryptedDocxError(
                f"文件“{name}”设置了打开密码，无法读取。请在 Word 或 WPS 中打开它，"
                "在“文件—信息—保护文档”中删除密码并保存后再导入。"
            )
        raise OldWordFormatError(
            f"文件“{name}”是旧版 Word 格式（.doc）或其他旧版 Office 文件，无法直接导入。"
            "请在 Word 或 WPS 中打开它，“另存为” Word 文档（.docx）后再导入。"
        )
    if head.startswith(b"%PDF"):
        raise UnsupportedFormatError(
            f"文件“{name}”是 PDF，无法直接导入。请在 PDF 阅读器中全选并复制正文，"
            "然后用“粘贴文本导入”；或用 Word/WPS 把它转换为 .docx。"
        )
    if head.startswith(b"{\\rtf"):
        raise UnsupportedFormatError(
            f"文件“{name}”是 RTF 格式。请在 Word 或 WPS 中打开它，另存为 .docx 后再导入。"
        )
    if suffix in (".docx", ".docm", ".dotx", ".wps", ".doc"):
        raise NotADocxError(
            f"文件“{name}”的扩展名是 {suffix}，但内容不是 Word 文档（可能是改了扩展名的其他文件或已损坏）。"
            "请用 Word 或 WPS 打开原文，另存为 .docx 后再导入。"
        )
    if size > MAX_TEXT_BYTES:
        raise FileTooLargeError(
            f"文件“{name}”太大（{size >> 20} MB），不像是一份报告（上限 {MAX_TEXT_BYTES >> 20} MB）。"
            "请确认选择的文件是否正确。"
        )
    data = path.read_bytes()
    text = decode_bytes(data)
    if not text.strip():
        raise EmptyFileError(f"文件“{name}”中没有文字，没有可以导入的内容。")
    return propose_text(text, source=name, encoding=detect_encoding(data))


def _is_encrypted_ole(path: Path) -> bool:
    """An encrypted .docx is an OLE2 compound file holding an "EncryptedPackage" stream; its
    directory entries store names in UTF-16LE. Reads at most the first 4 MB."""
    with path.open("rb") as fh:
        data = fh.read(4 * 1024 * 1024)
    return "EncryptedPackage".encode("utf-16-le") in data or b"EncryptionInfo" in data or \
        "EncryptionInfo".encode("utf-16-le") in data


__all__ = ["ImportError_", "import_file", "import_text", "propose", "propose_file",
           "propose_pasted"]
