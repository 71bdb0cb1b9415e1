"""The evaluation harness and the e-invoice path, with the layout rules (no model)."""

import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from extractor.einvoice.embedded import embedded_xml, strip_attachments
from extractor.evaluate.harness import evaluate, load_truth, summary
from extractor.pipeline import Extractor
from extractor.result import ExtractionResult, FieldRecord, Method, Status
from extractor.schema_walk import leaves
from extractor.settings import load_settings
from schemas import SchemaSpec, get_schema
from tests.conftest import SAMPLES
from tests.facturx_factory import FacturxInvoice, write_facturx_pdf
from tests.fakes import ScriptedBackend

INVOICE = get_schema("invoice")


def _extractor(**settings: object) -> Extractor:
    return Extractor(ScriptedBackend({}), load_settings(use_model=False, **settings))


def test_truth_comes_from_the_side_car_or_the_embedded_xml(tmp_path: Path) -> None:
    side_car = load_truth(SAMPLES / "de_equipment.pdf")
    assert side_car is not None and side_car.complete
    pdf = write_facturx_pdf(tmp_path / "facturx.pdf")
    embedded = load_truth(pdf)
    assert embedded is not None and not embedded.complete
    assert embedded.values["total_gross"] == Decimal("1190.00")


def test_scores_per_field_per_unique_invoice_and_counts_no_hallucination(tmp_path: Path) -> None:
    for name in ("de_equipment", "en_gb_services"):
        for copy in ("a", "b"):  # the same invoice twice: two files, one unique invoice
            for suffix in (".pdf", ".truth.json"):
                shutil.copy(SAMPLES / f"{name}{suffix}", tmp_path / f"{name}_{copy}{suffix}")
    report = evaluate(sorted(tmp_path.glob("*.pdf")), _extractor(), INVOICE)
    assert len(report.documents) == 4 and len(report.chosen(unique=True)) == 2
    correct, total = report.accuracy("invoice_number")
    assert (correct, total) == (4, 4)
    assert report.accuracy("invoice_number", unique=True) == (2, 2)
    assert report.hallucination()[0] == 0 and report.hallucination()[1] > 0
    figures = summary(report, [leaf.template for leaf in leaves(INVOICE.model)], ("total_net",))
    assert figures["all_core_correct"]["unique"] == (2, 2)
    json.dumps(figures)  # plain data


@pytest.mark.parametrize(
    ("raw", "invented"),
    [
        ("XYZ-404", 1),
        ("Spiralknetmaschine 40 L\nXYZ-404", 1),  # a cell in pieces: every line must be printed
        ("Spiralknetmaschine 40 L\nAnfahrtspauschale", 0),
    ],
)
def test_a_value_not_in_the_document_counts_as_hallucinated(
    tmp_path: Path, raw: str, invented: int
) -> None:
    class Inventing(Extractor):
        def extract_many(  # type: ignore[override]
            self, files: Iterable[tuple[Path, str | None]], schema: SchemaSpec
        ) -> Iterator[object]:
            for result in super().extract_many(files, schema):
                assert isinstance(result, ExtractionResult)
                invented = FieldRecord("invoice_number", "XYZ-404", Method.MODEL, 0.99, raw=raw)
                result.fields = [
                    invented if f.path == "invoice_number" else f for f in result.fields
                ]
                result.data = {**result.data, "invoice_number": "XYZ-404"}
                yield result

    for suffix in (".pdf", ".truth.json"):
        shutil.copy(SAMPLES / f"de_equipment{suffix}", tmp_path / f"de{suffix}")
    extractor = Inventing(ScriptedBackend({}), load_settings(use_model=False))
    report = evaluate([tmp_path / "de.pdf"], extractor, INVOICE)
    assert report.hallucination()[0] == invented
    assert report.accuracy("invoice_number") == (0, 1)


def test_embedded_xml_gives_exact_fields_with_their_elements(tmp_path: Path) -> None:
    pdf = write_facturx_pdf(tmp_path / "facturx.pdf")
    result = _extractor().extract(pdf, INVOICE)
    assert result.status == Status.SUCCEEDED, result.errors
    assert result.data["total_gross"] == Decimal("1190.00")
    record = result.field("invoice_number")
    assert record is not None and record.method == Method.XML and record.confidence == 1.0
    assert record.element is not None and record.element.endswith("ram:ID")


def test_a_visible_total_that_disagrees_with_the_xml_goes_to_review(tmp_path: Path) -> None:
    pdf = write_facturx_pdf(tmp_path / "altered.pdf", visible_gross=Decimal("1290.00"))
    result = _extractor().extract(pdf, INVOICE)
    assert result.status == Status.NEEDS_REVIEW
    codes = [error.code for error in result.errors if not error.advisory]
    assert codes == ["check:xml_matches_text:total_gross"]  # the sample's VAT ids are made up
    assert "total_gross" in result.review_fields
    assert "1290" not in str(result.errors) and "1.290" not in str(result.errors)


def test_the_text_path_reads_an_einvoice_whose_xml_was_removed(tmp_path: Path) -> None:
    invoice = replace(FacturxInvoice(), number="RE-2024-0099")
    pdf = write_facturx_pdf(tmp_path / "facturx.pdf", invoice)
    strip_attachments(pdf, tmp_path / "stripped.pdf")
    result = _extractor().extract(tmp_path / "stripped.pdf", INVOICE)
    assert result.field("invoice_number") is not None
    assert {record.method for record in result.fields if record.value is not None} <= {Method.RULES}
    assert result.data["invoice_number"] == "RE-2024-0099"
    assert result.data["total_gross"] == Decimal("1190.00")


def test_automation_and_succeeded_precision_count_documents(tmp_path: Path) -> None:
    for name in ("de_equipment", "en_gb_services"):
        for suffix in (".pdf", ".truth.json"):
            shutil.copy(SAMPLES / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    truth = json.loads((tmp_path / "en_gb_services.truth.json").read_text())
    truth["seller"]["name"] = "Somebody Else Ltd"  # now the result cannot be right
    (tmp_path / "en_gb_services.truth.json").write_text(json.dumps(truth))
    report = evaluate(sorted(tmp_path.glob("*.pdf")), _extractor(), INVOICE)
    statuses = {Path(d).stem: o.status for d, o in report.outcomes.items()}
    succeeded = sum(status == Status.SUCCEEDED for status in statuses.values())
    assert report.automation() == (succeeded, 2)
    right, automated = report.succeeded_precision(INVOICE.cues.core_fields)
    assert automated == succeeded
    assert right == int(statuses["de_equipment"] == Status.SUCCEEDED)
    figures = summary(report, [leaf.template for leaf in leaves(INVOICE.model)], ("total_net",))
    assert figures["automation"] == report.automation()


def test_a_partial_side_car_scores_only_its_fields_and_gt_xml_is_a_truth(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "de_equipment.pdf", tmp_path / "receipt.pdf")
    (tmp_path / "receipt.truth.json").write_text(json.dumps({"total_gross": "1.00"}))
    partial = load_truth(tmp_path / "receipt.pdf", INVOICE)
    assert partial is not None and not partial.complete
    assert partial.scored() == {"total_gross": "1.00"}
    pdf = write_facturx_pdf(tmp_path / "facturx.pdf")
    xml = embedded_xml(PdfReader(pdf))
    assert xml is not None
    shutil.copy(SAMPLES / "de_equipment.pdf", tmp_path / "beside.pdf")
    (tmp_path / "beside.gt.xml").write_bytes(xml[1])
    beside = load_truth(tmp_path / "beside.pdf", INVOICE)
    assert beside is not None and beside.values["total_gross"] == Decimal("1190.00")
