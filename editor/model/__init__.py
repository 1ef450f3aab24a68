"""The report model: plain dataclasses, 字数, JSON round trip."""

from .clock import now
from .report import (
    SCHEMA_VERSION,
    Header,
    Part,
    Report,
    Section,
    chinese_number,
    new_uid,
    part_number,
    section_number,
)
from .text import clean_line, clean_text, han_count, word_count

__all__ = [
    "SCHEMA_VERSION",
    "Header",
    "Part",
    "Report",
    "Section",
    "chinese_number",
    "clean_line",
    "clean_text",
    "han_count",
    "new_uid",
    "now",
    "part_number",
    "section_number",
    "word_count",
]
