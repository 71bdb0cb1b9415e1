"""Clinical documents with the bundled model, on the generated sets with known values:
filled forms exact, text-path core fields >= 90%, nothing invented, `auto` routing >= 98%
over every generated document, and FHIR bundles of real results that validate."""

import json
from pathlib import Path

import pytest
from fhirclient.models.bundle import Bundle
from fhirclient.models.fhirelementfactory import FHIRElementFactory

from bench.clinical_bench import CLINICAL_SETS, LabelledSet, routing_documents, score_routing
from extractor.evaluate import harness
from extractor.evaluate.harness import Evaluation
from extractor.fhir.bundle import bundle_json, fhir_bundle
from extractor.model.backend import LlamaBackend
from extractor.pipeline import Extractor
from extractor.result import Method
from extractor.settings import ExtractorSettings

TEXT_PATH_TARGET = 0.90
ROUTING_TARGET = 0.98
SETS = {labelled.name: labelled for labelled in CLINICAL_SETS}


@pytest.fixture(scope="module")
def extractor(backend: LlamaBackend, settings: ExtractorSettings) -> Extractor:
    return Extractor(backend, settings)


@pytest.fixture(scope="module")
def reports(extractor: Extractor) -> dict[str, Evaluation]:
    return {
        labelled.name: harness.evaluate(labelled.pdfs, extractor, labelled.schema)
        for labelled in CLINICAL_SETS
    }


def test_the_sets_are_as_large_as_promised() -> None:
    counts = {labelled.name: len(labelled.pdfs) for labelled in CLINICAL_SETS}
    assert counts["lab reports"] >= 20 and counts["letters"] >= 20
    assert counts["claims, filled"] >= 20 and counts["claims, flattened"] >= 5


def test_filled_form_fields_are_exact(reports: dict[str, Evaluation]) -> None:
    report = reports["claims, filled"]
    assert not report.failed
    assert report.fields and all(outcome.correct for outcome in report.fields)
    produced = [outcome for outcome in report.fields if outcome.method is not None]
    assert {outcome.method for outcome in produced} == {Method.FORM.value}


@pytest.mark.parametrize("name", ["lab reports", "letters", "claims, flattened"])
def test_text_path_core_fields_meet_the_target(reports: dict[str, Evaluation], name: str) -> None:
    labelled: LabelledSet = SETS[name]
    report = reports[name]
    assert not report.failed
    for template in labelled.schema.cues.core_fields:
        correct, total = report.accuracy(template)
        assert total, template
        assert correct / total >= TEXT_PATH_TARGET, (template, correct, total)


@pytest.mark.parametrize("name", list(SETS))
def test_nothing_is_invented(reports: dict[str, Evaluation], name: str) -> None:
    hallucinated, produced = reports[name].hallucination()
    assert produced and hallucinated == 0


def test_auto_routing_picks_the_right_schema(extractor: Extractor) -> None:
    documents = routing_documents()
    assert {schema for _, schema in documents} == {
        "invoice",
        "lab_report",
        "clinical_letter",
        "claim_form",
    }
    score = score_routing(extractor, documents)
    assert score.right / score.total >= ROUTING_TARGET, score.wrong


@pytest.mark.parametrize("name", list(SETS))
def test_fhir_bundles_of_real_results_validate(extractor: Extractor, name: str) -> None:
    labelled = SETS[name]
    result = extractor.extract(labelled.pdfs[0], labelled.schema)
    bundle = json.loads(bundle_json(fhir_bundle(result)))
    Bundle(bundle)
    types = set()
    for entry in bundle["entry"]:
        resource = entry["resource"]
        FHIRElementFactory.instantiate(resource["resourceType"], resource)
        types.add(resource["resourceType"])
    expected = {
        "lab reports": {"Patient", "DiagnosticReport", "Observation"},
        "letters": {"Patient", "Condition", "MedicationStatement"},
        "claims, filled": {"Patient", "Claim"},
        "claims, flattened": {"Patient", "Claim"},
    }[name]
    assert expected | {"DocumentReference", "Provenance"} <= types


def test_the_scored_sets_live_in_the_repository() -> None:
    for labelled in CLINICAL_SETS:
        assert labelled.folder.is_relative_to(Path(__file__).resolve().parents[2])
