"""One small error tree. Library exceptions are translated into it once, at the boundary.

Messages never contain document text or extracted values, only what went wrong.
"""


class ExtractorError(Exception):
    """Base of every error this package raises on purpose."""

    code = "error"
    retryable = False


class ConfigurationError(ExtractorError):
    """Settings are missing or invalid; nothing can run until they are fixed."""

    code = "configuration"


class RemoteModelError(ConfigurationError):
    """The model path is a URL or a model-hub id: models are only ever read from local files."""

    code = "remote_model"


class InputError(ExtractorError):
    """The document itself cannot be processed; retrying will not help."""

    code = "input"


class NotAPdfError(InputError):
    code = "not_pdf"


class EncryptedPdfError(InputError):
    code = "encrypted"


class DamagedPdfError(InputError):
    code = "damaged"


class LimitExceededError(InputError):
    """A limit stopped the document: `reason` is "size", "pages", "time", "memory" or
    "parser" (one of pypdf's own limits: decompression, nesting, reference loops)."""

    code = "limit_exceeded"

    def __init__(self, message: str, *, reason: str = "size") -> None:
        super().__init__(message)
        self.reason = reason


class NoTextError(InputError):
    """No page has a usable text layer and OCR could not read any (off, not installed, or
    failed on every page)."""

    code = "no_text"


class ReaderCrashedError(InputError):
    """The isolated PDF reader process died while reading the document."""

    code = "reader_crashed"


class ModelError(ExtractorError):
    """The model backend cannot be used (missing file, failed self-test)."""

    code = "model"


class GrammarNotEnforcedError(ModelError):
    """The start-up self-test saw output that the grammar should have made impossible."""

    code = "grammar_not_enforced"


class GenerationError(ExtractorError):
    """One generation did not produce a usable answer (truncated, unparsable)."""

    code = "generation"


class NormalizationError(ExtractorError):
    """A raw value could not be turned into its typed form."""

    code = "normalization"


class DatabaseError(ExtractorError):
    """The database refused a statement (a driver's message is not repeated: it can quote
    stored values)."""

    code = "database_error"


class DatabaseUnavailableError(DatabaseError):
    """The database could not be reached, or a row vanished under a worker: try again later."""

    code = "database_unavailable"
    retryable = True
