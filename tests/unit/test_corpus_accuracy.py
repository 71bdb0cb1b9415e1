"""The shared e-invoice corpus through the harness: exact with its embedded XML, and the text
path (rules, no model: fast) on copies without the XML. Figures with the model, and their
history, are in docs/benchmarks.md (`python -m bench.accuracy_bench`)."""

from pathlib import Path

import pytest

from extractor.evaluate.harness import Evaluation, evaluate
from extractor.pipeline import Extractor
from extractor.settings import load_settings
from schemas import get_schema
from tests.conftest import ROOT, require
from tests.fakes import ScriptedBackend

CORPUS = ROOT.parent / "shared" / "corpus" / "invoices-dev"
INVOICE = get_schema("invoice")
# Per unique invoice, rules alone; each at or below what the last benchmark measured.
TEXT_PATH_FLOORS = {
    "invoice_number": 0.95,
    "issue_date": 0.95,
    "currency": 0.95,
    "seller.name": 0.8,  # 4 of 28 print the legal form ("SARL") that the XML name omits
    "buyer.name": 0.9,
    "total_net": 0.9,
    "total_tax": 0.9,
    "total_gross": 0.9,
    # lines by arithmetic alone (4-decimal unit prices, negative quantities of credit notes)
    "lines.*.quantity": 0.7,
    "lines.*.net_amount": 0.65,
}


def _evaluate(*, without_xml: bool) -> Evaluation:
    require(CORPUS.is_dir(), f"shared corpus not found at {CORPUS}")
    extractor = Extractor(ScriptedBackend({}), load_settings(use_model=False))
    return evaluate(sorted(CORPUS.rglob("*.pdf")), extractor, INVOICE, without_xml=without_xml)


@pytest.fixture(scope="module")
def with_xml() -> Evaluation:
    return _evaluate(without_xml=False)


@pytest.fixture(scope="module")
def without_xml() -> Evaluation:
    return _evaluate(without_xml=True)


def test_every_field_the_xml_carries_is_exact_on_every_file(with_xml: Evaluation) -> None:
    assert len(with_xml.documents) == 76
    wrong = [(Path(o.document).name, o.path) for o in with_xml.fields if not o.correct]
    assert wrong == []
    assert {o.method for o in with_xml.fields if o.method is not None} == {"xml"}
    # No false mismatch between the XML and the visible text: test_einvoice.py, per file.


@pytest.mark.parametrize("field", list(TEXT_PATH_FLOORS))
def test_text_path_core_field_per_unique_invoice(without_xml: Evaluation, field: str) -> None:
    correct, total = without_xml.accuracy(field, unique=True)
    assert total == (61 if field.startswith("lines.") else 28)
    assert correct / total >= TEXT_PATH_FLOORS[field], f"{field}: {correct}/{total}"


def test_text_path_invents_nothing(without_xml: Evaluation) -> None:
    hallucinated, produced = without_xml.hallucination()
    assert produced > 500 and hallucinated == 0
