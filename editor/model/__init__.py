"""The report model: plain dataclasses, 字数, JSON round trip."""

from .clock import now
from .place import Place, PlaceNotFound, document_order, part_key, section_key
from .report import (
    HEADER_FIELDS,
    SCHEMA_VERSION,
    Header,
    Part,
    Report,
    Section,
    chinese_number,
    header_field_text,
    new_uid,
    part_number,
    section_number,
)
from .text import clean_line, clean_text, han_count, split_leading_number, word_count

__all__ = [
    "HEADER_FIELDS",
    "SCHEMA_VERSION",
    "Header",
    "Part",
    "Place",
    "PlaceNotFound",
    "Report",
    "Section",
    "chinese_number",
    "clean_line",
    "clean_text",
    "document_order",
    "han_count",
    "header_field_text",
    "new_uid",
    "now",
    "part_key",
    "part_number",
    "section_key",
    "section_number",
    "split_leading_number",
    "word_count",
]
