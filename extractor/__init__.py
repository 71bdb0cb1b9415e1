"""Privacy-preserving extraction of validated fields from PDFs with a local model.

In-process: `extract`, and `extract_many` for a batch read ahead; `classify` says which
schema a document is. Site mode (jobs in the database, workers through Redis): `submit`,
`status`, `wait`, `results`. `export_fhir` writes stored clinical results as FHIR R4 bundles.
"""

from extractor.api import classify, extract, extract_many
from extractor.client import JobInfo, results, status, submit, wait
from extractor.result import ExtractionResult, FieldRecord, Status
from extractor.store.fhir_export import export_fhir

__all__ = [
    "ExtractionResult",
    "FieldRecord",
    "JobInfo",
    "Status",
    "classify",
    "export_fhir",
    "extract",
    "extract_many",
    "results",
    "status",
    "submit",
    "wait",
]
