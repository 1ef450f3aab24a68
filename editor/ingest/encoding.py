"""Bytes of a .txt file → str, deterministically.

Office .txt files on Chinese Windows are GB18030/GBK, newer ones UTF-8 (often with a BOM), and
Notepad's "Unicode" is UTF-16. A guessing detector can mistake one for another on short texts, so
the cascade below only accepts an encoding that decodes the whole file strictly:
BOM → (NUL bytes present) UTF-16 by where the NULs sit → UTF-8 → GB18030.
UTF-8 and GB18030 text never contains NUL bytes, and UTF-16 text almost always does (newlines,
digits, ASCII), which is what makes the NUL test safe.
"""

from __future__ import annotations

import codecs
import re

from .errors import EncodingError

# More control characters than this share of the text: it is not text (an image, a zip...).
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

NOT_TEXT = (
    "这个文件不是文本文件，也不是 Word 文档，无法导入。"
    "请用 Word 或 WPS 打开原文后另存为 .docx，或复制全文后粘贴导入。"
)
UNKNOWN_ENCODING = (
    "无法识别这个文本文件的文字编码（不是 UTF-8、GB18030/GBK 或 UTF-16）。"
    "请用记事本打开它，另存为时选择“UTF-8”编码后再导入。"
)


def detect_encoding(data: bytes) -> str:
    """The name of the encoding :func:`decode_bytes` would use (for messages and tests)."""
    return _decode(data)[1]


def decode_bytes(data: bytes) -> str:
    """Decode a text file's bytes; raises :class:`EncodingError` with a Chinese message."""
    return _decode(data)[0]


def _decode(data: bytes) -> tuple[str, str]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data[len(bom):], name), name), name
    if b"\x00" in data:
        # UTF-8 and GB18030 text has no NUL bytes: it is UTF-16 or not text at all.
        name = _utf16_by_nuls(data)
        text = _try(data, name) if name else None
        if text is None:
            raise EncodingError(NOT_TEXT)
        return _checked(text, name), name
    for name in ("utf-8", "gb18030"):
        text = _try(data, name)
        if text is not None:
            return _checked(text, name), name
    raise EncodingError(UNKNOWN_ENCODING)


def _utf16_by_nuls(data: bytes) -> str | None:
    sample = data[: 1 << 16]
    if len(sample) % 2:
        sample = sample[:-1]
    even = sample[0::2].count(0)  # high bytes of big-endian ASCII
    odd = sample[1::2].count(0)  # high bytes of little-endian ASCII
    if odd > 4 * even:
        return "utf-16-le"
    if even > 4 * odd:
        return "utf-16-be"
    return None


def _try(data: bytes, name: str) -> str | None:
    try:
        return data.decode(name)
    except UnicodeDecodeError:
        return None


def _strict(data: bytes, name: str) -> str:
    text = _try(data, name)
    if text is None:
        raise EncodingError(UNKNOWN_ENCODING)
    return text


def _checked(text: str, name: str) -> str:
    if text and len(_CONTROL.findall(text[:100_000])) > _MAX_CONTROL_SHARE * min(len(text), 100_000):
        raise EncodingError(NOT_TEXT)
    return text
