"""Privacy-preserving extraction of validated fields from PDFs with a local model."""

from extractor.api import extract
from extractor.result import ExtractionResult, FieldRecord, Status

__all__ = ["ExtractionResult", "FieldRecord", "Status", "extract"]
