"""Import of existing reports into a :class:`~editor.model.Report`."""

from .text_import import classify_heading, parse_text

__all__ = ["classify_heading", "parse_text"]
