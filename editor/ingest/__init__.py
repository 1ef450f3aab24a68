"""Import of existing reports (.docx, .txt, pasted text) into a :class:`~editor.model.Report`.

For the GUI: ``propose(path_or_text)`` → :class:`ImportProposal` (the paragraphs with their
detected roles, editable) → ``proposal.to_report()``. For scripts: ``import_file(path)``.
Every failure is an :class:`ImportError_` whose ``str()`` is a Chinese sentence for the user.
"""

from .encoding import decode_bytes, detect_encoding
from .errors import (
    EmptyFileError,
    EncodingError,
    EncryptedDocxError,
    FileTooLargeError,
    ImportError_,
    NotADocxError,
    OldWordFormatError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from .files import import_file, import_text, propose, propose_file, propose_pasted
from .proposal import ROLE_LABELS, ROLES, Block, ImportProposal, tidied_notes
from .text_import import classify_heading, parse_text, propose_lines, propose_text

__all__ = [
    "ROLES",
    "ROLE_LABELS",
    "Block",
    "EmptyFileError",
    "EncodingError",
    "EncryptedDocxError",
    "FileTooLargeError",
    "ImportError_",
    "ImportProposal",
    "NotADocxError",
    "OldWordFormatError",
    "UnreadableFileError",
    "UnsupportedFormatError",
    "classify_heading",
    "decode_bytes",
    "detect_encoding",
    "import_file",
    "import_text",
    "parse_text",
    "propose",
    "propose_file",
    "propose_lines",
    "propose_pasted",
    "propose_text",
    "tidied_notes",
]
