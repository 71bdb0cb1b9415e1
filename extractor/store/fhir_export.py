"""Write the stored results as FHIR R4 Bundles: one `<sha256>.fhir.json` per document."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractor.fhir.bundle import bundle_json, fhir_bundle
from extractor.result import Status
from extractor.store.models import ExtractionRun
from extractor.store.runs import load_result


def export_fhir(session: Session, out_dir: Path, *, schema: str | None = None) -> list[Path]:
    """One Bundle per document, from its latest run (of `schema`, if given) that did not
    fail, or its latest run if all failed. Files are replaced; returns them in document
    order. The same stored runs always give the same bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for run_id in latest_runs(session, schema):
        run = session.get_one(ExtractionRun, run_id)
        result = load_result(session, run, Path(run.document.original_name))
        target = out_dir / f"{result.sha256}.fhir.json"
        target.write_text(bundle_json(fhir_bundle(result, recorded=run.created_at)) + "\n", "utf-8")
        written.append(target)
        session.expunge_all()  # one document's fields in memory at a time
    return written


def latest_runs(session: Session, schema: str | None = None) -> list[int]:
    """Per document: the newest run that did not fail, else the newest run."""
    query = select(ExtractionRun.document_id, ExtractionRun.id, ExtractionRun.status)
    if schema is not None:
        query = query.where(ExtractionRun.schema_name == schema)
    chosen: dict[int, tuple[bool, int]] = {}
    for document_id, run_id, status in session.execute(query):
        candidate = (status != Status.FAILED, run_id)
        chosen[document_id] = max(chosen.get(document_id, candidate), candidate)
    return [run_id for _, (_, run_id) in sorted(chosen.items())]
