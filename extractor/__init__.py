"""Privacy-preserving extraction of validated fields from PDFs with a local model.

In-process: `extract`. Batch (jobs in the database, workers through Redis): `submit`,
`status`, `wait`, `results`.
"""

from extractor.api import extract
from extractor.client import JobInfo, results, status, submit, wait
from extractor.result import ExtractionResult, FieldRecord, Status

__all__ = [
    "ExtractionResult",
    "FieldRecord",
    "JobInfo",
    "Status",
    "extract",
    "results",
    "status",
    "submit",
    "wait",
]
