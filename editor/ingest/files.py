"""Files and pasted text → :class:`ImportProposal` / :class:`Report`.

The kind of file is decided by its first bytes, not its name (a renamed .pdf or .doc is common),
and every refusal is an :class:`ImportError_` with a Chinese sentence the user can act on.
Nothing here touches the database: the caller creates the draft only once this has succeeded.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..model import Report
from ..os_errors import os_reason
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


def _open_regular(path: Path):
    """The file opened for reading, refusing at once anything that is not a regular file: a FIFO
    named .txt would otherwise block the read for ever (O_NONBLOCK keeps the open itself from
    waiting; the type is checked on what was opened, not on a name that may have changed)."""
    name = path.name
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise UnreadableFileError(f"“{name}”是一个文件夹，请选择报告文件（.docx 或 .txt）。")
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableFileError(_NOT_REGULAR.format(name=name))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        fh = os.fdopen(fd, "rb")
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            fh.close()
            raise UnreadableFileError(_NOT_REGULAR.format(name=name))
        return fh, os.fstat(fd).st_size
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise UnreadableFileError(f"找不到文件“{path}”。请检查文件名和位置。") from exc
    except PermissionError as exc:
        raise UnreadableFileError(f"没有权限读取文件“{name}”。请检查文件权限，或先把它复制到桌面。") from exc
    except OSError as exc:
        raise UnreadableFileError(f"读取文件“{name}”时出错：{os_reason(exc)}。"
                                  "请检查文件名和位置，或把文件复制到桌面后再试。") from exc


_NOT_REGULAR = ("“{name}”不是普通文件（可能是管道、设备或其他特殊文件），无法读取。"
                "请选择一个 .docx 或 .txt 报告文件。")


def propose_file(path: str | os.PathLike[str]) -> ImportProposal:
    path = Path(path)
    name = path.name
    fh, size = _open_regular(path)
    try:
        with fh:
            head = fh.read(8)
            data = fh.read(MAX_TEXT_BYTES) if size <= MAX_TEXT_BYTES and not head.startswith(
                (b"PK\x03\x04", b"PK\x05\x06", OLE2)) else b""
    except OSError as exc:
        raise UnreadableFileError(f"读取文件“{name}”时出错：{os_reason(exc)}。") from exc
    data = head + data
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
    from .rescue import looks_like_rescue, rescued_proposal

    if looks_like_rescue(name, data):
        return rescued_proposal(name, data)
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
