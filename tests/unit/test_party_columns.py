"""Parties printed side by side under a row of headings are told apart by the page's geometry
(`extractor.text.party_columns`): real PDFs whose text layer interleaves the two blocks."""

from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from extractor.model.confidence import Calibration
from extractor.model.textpath import decide_text_fields
from extractor.read.pdf import read_pdf
from extractor.schema_walk import leaves
from extractor.text.party_columns import column_party_proposals
from schemas import get_schema

SPEC = get_schema("invoice")
LEFT, RIGHT = 70, 350  # where each block's column starts
VALUE = 90  # how far into its column a keyed row's value starts
FOOT = [
    "Invoice no: INV-2025-0042",
    "Invoice date: 2025-03-13",
    "Subtotal 1000.00",
    "VAT 19% 190.00",
    "Total 1190.00 EUR",
]


def _side_by_side(path: Path, headings: tuple[str, str], rows: list[tuple[str, str, str]]) -> Path:
    """Two headings, then rows of (key, left value, right value) drawn as two columns; a row
    without a key draws its values alone. Then the invoice's own lines across the page."""
    page = canvas.Canvas(str(path), pagesize=(595, 842))
    page.setFont("Helvetica", 10)
    y = 780
    page.drawString(LEFT, y, headings[0])
    page.drawString(RIGHT, y, headings[1])
    for key, left, right in rows:
        y -= 14
        for column, value in ((LEFT, left), (RIGHT, right)):
            if key:
                page.drawString(column, y, key)
            page.drawString(column + (VALUE if key else 0), y, value)
    for text in FOOT:
        y -= 20
        page.drawString(LEFT, y, text)
    page.save()
    return path


def _names(pdf: Path) -> dict[str, str]:
    document = read_pdf(pdf, max_pages=2, max_bytes=1_000_000)
    found = {}
    for proposal in column_party_proposals(document, SPEC.cues.party_labels):
        assert document.full[proposal.start : proposal.end] == proposal.text  # grounded
        found[proposal.path] = proposal.text
    return found


KEYED = [
    ("Name:", "Cascade Analytics Inc.", "Schäfer & Söhne KG"),
    ("Street:", "500 Market Street", "Hafenstraße 112"),
    ("City:", "San Francisco", "Hamburg"),
]


@pytest.mark.parametrize(
    ("headings", "rows", "names"),
    [
        pytest.param(
            ("Service Provider", "Client"),
            KEYED,
            {"seller.name": "Cascade Analytics Inc.", "buyer.name": "Schäfer & Söhne KG"},
            id="keyed-rows",
        ),
        pytest.param(  # the buyer's block first
            ("Bill to:", "From:"),
            [("", "Müller & Söhne GmbH", "Bäckerei Krüger e.K."), ("", "Hauptstr. 5", "Ring 2")],
            {"buyer.name": "Müller & Söhne GmbH", "seller.name": "Bäckerei Krüger e.K."},
            id="names-alone-buyer-first",
        ),
        pytest.param(  # the first row keyed by another field: passed over to the name's
            ("Seller", "Buyer"),
            [("Customer no:", "1001", "2002"), KEYED[0]],
            {"seller.name": "Cascade Analytics Inc.", "buyer.name": "Schäfer & Söhne KG"},
            id="another-key-first",
        ),
        pytest.param(  # two headings of one party are no row of parties
            ("Seller", "Supplier"),
            KEYED,
            {},
            id="one-party-twice",
        ),
        pytest.param(  # a heading the schema does not know: no columns to trust
            ("Service Provider", "Remarks"),
            KEYED,
            {},
            id="an-unknown-heading",
        ),
        pytest.param(  # the block's first row is an address, not a name
            ("Seller", "Buyer"),
            [("", "12 Market Street", "5 Ring Road"), ("", "Acme Ltd", "Foo GmbH")],
            {},
            id="no-name-first",
        ),
    ],
)
def test_each_column_names_its_heading_party(
    tmp_path: Path,
    headings: tuple[str, str],
    rows: list[tuple[str, str, str]],
    names: dict[str, str],
) -> None:
    assert _names(_side_by_side(tmp_path / "invoice.pdf", headings, rows)) == names


def test_the_text_path_reads_each_party_from_its_column(tmp_path: Path) -> None:
    pdf = _side_by_side(tmp_path / "invoice.pdf", ("Service Provider", "Client"), KEYED)
    document = read_pdf(pdf, max_pages=2, max_bytes=1_000_000)
    # the text layer interleaves the two blocks: "Name:" lines alternate between them
    assert document.full.index("Schäfer") < document.full.index("500 Market")
    records = decide_text_fields(
        document, SPEC, leaves(SPEC.model), None, Calibration.bundled()
    ).records
    found = {record.path: record for record in records}
    assert found["seller.name"].value == "Cascade Analytics Inc."
    assert found["buyer.name"].value == "Schäfer & Söhne KG"
    for record in (found["seller.name"], found["buyer.name"]):
        assert record.page == 1 and record.raw == document.pages[0][record.start : record.end]
