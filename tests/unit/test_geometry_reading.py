"""The text path checked against the page read in geometric order: where the PDF draws a
value before its label ("INV-2024-3555Invoice #"), the lines by position pair them again.
A third-party generator's invoice (larzpdf) and a shipped sample, real PDFs."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.pdfgen import canvas

from extractor.model.confidence import Calibration
from extractor.model.textpath import decide_text_fields
from extractor.pipeline import _checked, with_geometry_reading
from extractor.read.pdf import DocumentText, read_pdf
from extractor.result import FieldRecord, Method
from extractor.schema_walk import leaves
from schemas import get_schema
from tests.conftest import ROOT, SAMPLES

SPEC = get_schema("invoice")
OUT_OF_ORDER = ROOT / "bench" / "samples" / "thirdparty" / "larzpdf-invoice" / "01.pdf"


def _readings(pdf: Path) -> tuple[dict[str, object], dict[str, object], list[object]]:
    document = read_pdf(pdf, max_pages=10, max_bytes=10_000_000)
    calibration = Calibration.bundled()
    records = decide_text_fields(document, SPEC, leaves(SPEC.model), None, calibration).records
    checked = with_geometry_reading(records, document, SPEC, calibration)
    return (
        {record.path: record.value for record in records},
        {record.path: record.value for record in checked},
        [document.pages[r.page - 1][r.start : r.end] for r in checked if r.page and r.value],
    )


def test_values_drawn_before_their_labels_are_read_by_position() -> None:
    by_text, checked, raws = _readings(OUT_OF_ORDER)
    assert by_text["invoice_number"] == "INV-2024-3555Invoice"  # glued across the labels
    assert by_text["issue_date"] is None
    assert checked["invoice_number"] == "INV-2024-3555"
    assert checked["issue_date"] == date(2024, 9, 3)
    assert "INV-2024-3555" in raws and "September 3, 2024" in raws  # still grounded


def test_a_document_whose_text_order_holds_keeps_its_reading() -> None:
    by_text, checked, _ = _readings(SAMPLES / "de_equipment.pdf")
    assert checked == by_text


def test_an_amount_read_with_its_currency_is_grounded_where_the_pdf_drew_them_apart(
    tmp_path: Path,
) -> None:
    # a till that draws its labels ("... RM"), then every amount: by position the currency
    # and the amount are one run, "RM 13.60", which the text's order never prints
    page = canvas.Canvas(str(tmp_path / "till.pdf"))
    labels = ["KEDAI RUNCIT MAJU", "Date: 24-01-16", "MILK 1L", "TOTAL SALES RM", "CASH RM",
              "GST SUMMARY", "THANK YOU", "PLEASE COME AGAIN", "KEEP THE RECEIPT"]  # fmt: skip
    for number, label in enumerate(labels):
        page.drawString(72, 760 - 16 * number, label)
    for number, amount in ((2, "13.60"), (3, "13.60"), (4, "20.00")):
        page.drawString(300, 760 - 16 * number, amount)
    page.save()
    by_text, checked, raws = _readings(tmp_path / "till.pdf")
    assert by_text["total_gross"] is None
    assert checked["total_gross"] == Decimal("13.60")
    assert "13.60" in raws  # placed at the amount the text holds


def test_a_date_or_amount_the_text_reads_unsure_gives_way_to_a_sure_geometric_reading() -> None:
    text = "Total HT 269,00\nTotal HT Net 195,48\nFacture n° : 200000 20221100001"
    document = DocumentText(pages=(text,))
    kinds = {leaf.template: leaf.kind for leaf in leaves(SPEC.model)}

    def record(path: str, raw: str, confidence: float) -> FieldRecord:
        value = Decimal(raw.replace(",", ".")) if path == "total_net" else raw
        start = text.index(raw)
        return FieldRecord(path, value, Method.RULES, confidence, 1, start, start + len(raw), raw)

    unsure, sure = record("total_net", "269,00", 0.4), record("total_net", "195,48", 0.9)
    assert _checked(unsure, sure, document, kinds).value == Decimal("195.48")
    assert _checked(record("total_net", "269,00", 0.6), sure, document, kinds) == record(
        "total_net", "269,00", 0.6
    )  # the text's reading is more likely right than wrong: it stays
    # so is a document number ("200000" of a capital stock, where labels stacked in a column
    # pair with their values only by position); one the other reading is no surer of stays
    number = record("invoice_number", "200000", 0.4)
    other = record("invoice_number", "20221100001", 0.9)
    assert _checked(number, other, document, kinds).value == "20221100001"
    doubtful = record("invoice_number", "20221100001", 0.3)
    assert _checked(number, doubtful, document, kinds) == number
