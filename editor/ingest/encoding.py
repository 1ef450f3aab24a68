"""Bytes of a .txt file → str, deterministically, and only when the result reads as text.

Office .txt files on Chinese Windows are GB18030/GBK, newer ones UTF-8 (often with a BOM), and
Notepad's "Unicode" is UTF-16. A guessing detector can mistake one for another on short texts, so
the cascade below only accepts an encoding that decodes the whole file strictly:
BOM → (NUL bytes present) UTF-16 by where the NULs sit, or UTF-8/GB18030 without the NULs →
UTF-8 → GB18030.

A strict decode is not enough: any byte pairs from 0x81–0xFE decode as GB18030, and UTF-8 read
as UTF-16 decodes too — into rare characters (mojibake). :func:`plausible` judges a decoding the
way a reader would: almost all characters printable and ordinary, and the Chinese characters
mostly common ones. Real reports have ≥ 99% of their 汉字 among GB2312's 3,755 first-level
characters; mojibake has 10–26%. UTF-8 that decodes strictly is itself strong evidence (random
bytes almost never form UTF-8), so it only has to be printable.
"""

from __future__ import annotations

import codecs
import re

from .errors import EncodingError

# More control characters than this share of the text: it is not text (an image, a zip...).
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A few NUL bytes in otherwise UTF-8/GB18030 text (at most this share of the bytes) are dropped.
_MAX_STRAY_NULS = 0.01
_MIN_ORDINARY = 0.95  # share of ordinary characters and 汉字 in text
_MIN_COMMON_HAN = 0.6  # share of common 汉字 among the 汉字 (real reports ≥ 0.99, mojibake ≤ 0.3)

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
MOJIBAKE = (
    "这个文本文件读出来是乱码（文字编码无法确定，或者它不是文本文件），没有导入。"
    "请用记事本打开它，确认文字正常后另存为“UTF-8”编码再导入；或复制全文后粘贴导入。"
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
        return _with_nuls(data)
    for name in ("utf-8", "gb18030"):
        text = _try(data, name)
        if text is not None:
            return _checked(text, name), name
    raise EncodingError(UNKNOWN_ENCODING)


def _with_nuls(data: bytes) -> tuple[str, str]:
    """UTF-16 (NULs are the high bytes of ASCII), or UTF-8/GB18030 text with a few stray NULs
    (a damaged or badly exported file); the first reading that is plausible."""
    tried = []
    name = _utf16_by_nuls(data)
    if name:
        tried.append((name, _try(data, name)))
    if data.count(0) <= _MAX_STRAY_NULS * len(data):
        stripped = data.replace(b"\x00", b"")
        tried += [(n, _try(stripped, n)) for n in ("utf-8", "gb18030")]
    for name, text in tried:
        if text is not None and plausible(text, name):
            return _checked(text, name), name
    raise EncodingError(NOT_TEXT if not any(t for _n, t in tried) else MOJIBAKE)


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
    sample = text[:100_000]
    if text and len(_CONTROL.findall(sample)) > _MAX_CONTROL_SHARE * len(sample):
        raise EncodingError(NOT_TEXT)
    if not plausible(text, name):
        raise EncodingError(MOJIBAKE)
    return text


def _is_han(o: int) -> bool:
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF \
        or 0x20000 <= o <= 0x3134F


def _common_han(ch: str) -> bool:
    """One of GB2312's 3,755 first-level (most frequent) characters: lead byte 0xB0–0xD7."""
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


def _ordinary(o: int) -> bool:
    """Characters a Chinese report is written with, besides 汉字."""
    return (0x20 <= o < 0x7F or 0xA0 <= o <= 0xFF or 0x2000 <= o <= 0x206F  # punctuation
            or 0x2100 <= o <= 0x24FF or 0x2500 <= o <= 0x25FF  # ℃ № ① ㈠, boxes and shapes
            or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF  # 、。〔〕 full-width forms
            or 0x3200 <= o <= 0x33FF or 0xFE30 <= o <= 0xFE4F)  # ㈠ ㎡ ︵


def plausible(text: str, encoding: str = "") -> bool:
    """Does ``text`` read as text? ≥ 95% of the non-space characters ordinary or 汉字, and (for
    a decoding other than UTF-8) ≥ 60% of six or more 汉字 common ones."""
    sample = [c for c in text[:100_000] if not c.isspace()]
    if not sample:
        return True
    han = [c for c in sample if _is_han(ord(c))]
    usual = len(han) + sum(1 for c in sample if _ordinary(ord(c)))
    if usual < _MIN_ORDINARY * len(sample):
        return False
    if encoding == "utf-8" or len(han) < 6:
        return True
    return sum(1 for c in han if _common_han(c)) >= _MIN_COMMON_HAN * len(han)
