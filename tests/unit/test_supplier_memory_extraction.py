"""Supplier memory through the real pipeline and store: a confirmed document teaches it, the
supplier's next document is read from it (never where an embedded e-invoice says otherwise),
and each review of a document that used it counts towards its record."""

from decimal import Decimal
from pathlib import Path

from reportlab.pdfgen import canvas
from sqlalchemy.orm import Session

from extractor.memory.memory import Memory
from extractor.pipeline import Extractor
from extractor.read.page_isolation import PageLimits
from extractor.read.page_words import PageWords, locate_text, read_page_words
from extractor.result import Method
from extractor.settings import load_settings
from extractor.store.review_runs import HumanValue
from extractor.store.review_store import ReviewStore
from extractor.store.supplier_memory import memories_for, normalised_name
from schemas import get_schema
from tests.facturx_factory import FacturxInvoice, draw_invoice, write_facturx_pdf
from tests.fakes import ScriptedBackend
from tests.review_support import NEEDS_REVIEW_SAMPLE, extract_into, prepared_database
from workers.review.document_layout import read_layout
from workers.review.field_positions import confirmed_positions


def test_the_next_document_of_a_confirmed_supplier_is_read_from_memory_and_reviews_count(
    tmp_path: Path,
) -> None:
    engine, (first,) = prepared_database(f"sqlite:///{tmp_path / 'm.db'}", [NEEDS_REVIEW_SAMPLE])
    store = ReviewStore(engine)
    machine = store.run(first)
    assert machine is not None
    pages = read_layout(NEEDS_REVIEW_SAMPLE.read_bytes(), PageLimits())
    store.save_review(
        first, {}, reviewer="alice", positions=confirmed_positions(machine, {}, pages)
    )

    (second,) = extract_into(engine, [NEEDS_REVIEW_SAMPLE])  # the batch reads the memory
    again = store.run(second)
    assert again is not None
    remembered = {f.path: f.value for f in again.fields if f.method == Method.MEMORY.value}
    confirmed = {f.path: f.value for f in machine.fields}
    assert "invoice_number" in remembered
    assert {p: confirmed[p] for p in remembered} == remembered
    with Session(engine) as session:
        taught = {memory.field: memory for memory in memories_for(session, "invoice")}
    address = taught["seller.address"]  # printed over three lines, joined as the rules join them
    assert (address.value_lines, address.line_separator) == (3, ", ")
    # the first (and only) printing of its label, kept through the store
    assert (taught["invoice_number"].label_words, taught["invoice_number"].label_rank) == (
        ("Factuurnummer",),
        1,
    )
    assert remembered["seller.address"] == confirmed["seller.address"]

    store.save_review(second, {"invoice_number": HumanValue("X-1")}, reviewer="bob")
    record = {row.field: (row.uses, row.hits) for row in store.supplier_memories()}
    assert record["invoice_number"] == (1, 0)  # used, and corrected
    assert all(record[path] == (1, 1) for path in remembered if path != "invoice_number")


def test_memory_reads_a_drawn_invoice_but_never_overrides_its_embedded_xml(
    tmp_path: Path,
) -> None:
    invoice = FacturxInvoice()
    drawn = tmp_path / "drawn.pdf"
    drawn.write_bytes(draw_invoice(invoice))
    page = read_page_words(drawn.read_bytes(), 1)
    key = f"name:{normalised_name(invoice.seller.name)}"
    memories = [
        _taught(key, page, "seller.name", invoice.seller.name),
        _taught(key, page, "invoice_number", invoice.number),
    ]
    extractor = Extractor(ScriptedBackend({}), load_settings(use_model=False))
    spec = get_schema("invoice")

    from_text = extractor.extract(drawn, spec, memories=lambda schema: memories)
    assert from_text.field("invoice_number").method is Method.MEMORY  # type: ignore[union-attr]

    embedded = write_facturx_pdf(tmp_path / "facturx.pdf", invoice)
    from_xml = extractor.extract(embedded, spec, memories=lambda schema: memories)
    assert all(record.method is Method.XML for record in from_xml.fields)


def test_a_remembered_receipt_total_before_rounding_gives_way_to_the_total_after_it(
    tmp_path: Path,
) -> None:
    def slip(path: Path, total: str, rounding: str, rounded: str) -> Path:
        lines = ["KEDAI MAJU SDN BHD", "CASH BILL", "TOTAL", total, "ROUNDING ADJ", rounding,
                 "TOTAL ROUNDED", rounded, "THANK YOU"]  # fmt: skip
        page = canvas.Canvas(str(path))
        for number, line in enumerate(lines):
            page.drawString(72, 760 - 16 * number, line)
        page.save()
        return path

    confirmed = slip(tmp_path / "first.pdf", "12.00", "0.00", "12.00")  # nothing to round
    page = read_page_words(confirmed.read_bytes(), 1)
    key = "name:kedai maju sdn bhd"  # the name anchors the total's place
    memories = [
        _taught(key, page, "seller.name", "KEDAI MAJU SDN BHD"),
        _taught(key, page, "total_gross", "12.00"),
    ]
    extractor = Extractor(ScriptedBackend({}), load_settings(use_model=False))
    spec = get_schema("invoice")
    rounded = extractor.extract(
        slip(tmp_path / "next.pdf", "65.72", "-0.02", "65.70"), spec, memories=lambda _: memories
    )
    assert rounded.kind == "receipt"
    total = rounded.field("total_gross")
    assert total is not None and total.value == Decimal("65.70")
    assert total.method is Method.RULES
    unrounded = extractor.extract(
        slip(tmp_path / "plain.pdf", "31.50", "0.00", "31.50"), spec, memories=lambda _: memories
    )
    assert unrounded.field("total_gross").method is Method.MEMORY  # type: ignore[union-attr]


def _taught(key: str, page: PageWords, field: str, text: str) -> Memory:
    box = locate_text(page.words, text)
    assert box is not None
    fraction = (
        box[0] / page.width,
        box[1] / page.height,
        box[2] / page.width,
        box[3] / page.height,
    )
    return Memory(key, field, 1, fraction, (), None, (page.width, page.height))
