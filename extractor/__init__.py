"""Privacy-preserving extraction of validated fields from PDFs with a local model.

In-process: `extract`, and `extract_many` for a batch read ahead. Site mode (jobs in the
database, workers through Redis): `submit`, `status`, `wait`, `results`.
"""

from extractor.api import extract, extract_many
from extractor.client import JobInfo, results, status, submit, wait
from extractor.result import ExtractionResult, FieldRecord, Status

__all__ = [
    "ExtractionResult",
    "FieldRecord",
    "JobInfo",
    "Status",
    "extract",
    "extract_many",
    "results",
    "status",
    "submit",
    "wait",
]
