"""Why an import failed, said in plain Chinese: one sentence that names the file's problem and
what the user can do about it. The CLI prints ``str(exc)`` and exits 2; the GUI shows it."""

from __future__ import annotations


class ImportError_(Exception):
    """Base of every import failure; ``str(exc)`` is the message for the user."""


class EmptyFileError(ImportError_):
    pass


class FileTooLargeError(ImportError_):
    pass


class NotADocxError(ImportError_):
    """The name says .docx but the bytes are something else, or the package is damaged."""


class EncryptedDocxError(ImportError_):
    pass


class OldWordFormatError(ImportError_):
    pass


class UnsupportedFormatError(ImportError_):
    pass


class EncodingError(ImportError_):
    pass


class UnreadableFileError(ImportError_):
    pass
