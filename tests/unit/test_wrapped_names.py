"""A shop's name the till printer wrapped onto more lines is read whole, by the page's
geometry (`extractor.text.wrapped_names`): real PDFs drawn in a till slip's narrow column."""

from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from extractor.model.confidence import Calibration
from extractor.model.textpath import decide_text_fields
from extractor.read.page_words import PageWord
from extractor.read.pdf import read_pdf
from extractor.schema_walk import leaves
from extractor.text.decide import Option
from extractor.text.locate import LabelIndex, Proposal, split_lines
from extractor.text.wrapped_names import unwrapped, wraps
from schemas import get_schema

SPEC = get_schema("invoice")
WIDTH = 226  # points: an 80 mm till roll
FOOT = [
    "GST NO: 000394528768  CASH RECEIPT",
    "DATE: 15/06/2017 15:28",
    "BIG STRETCH FILM          15.00",
    "TOTAL                     15.00",
    "CASH                      15.00",
    "THANK YOU. PLEASE COME AGAIN",
]


def _till(path: Path, head: list[tuple[str, int]]) -> Path:
    """A till slip: `head` lines (text, type size) centred in the column, then the body in
    9-point type across the whole column."""
    page = canvas.Canvas(str(path), pagesize=(WIDTH, 420))
    y = 400
    for text, size in head:
        width = page.stringWidth(text, "Courier-Bold", size)
        page.setFont("Courier-Bold", size)
        page.drawString((WIDTH - width) / 2, y, text)
        y -= size + 4
    page.setFont("Courier", 9)
    for text in FOOT:
        page.drawString(16, y, text)
        y -= 13
    page.save()
    return path


def _grown(pdf: Path, printed: str) -> str:
    """The name read from the line `printed`, grown over the lines the printer wrapped it
    onto; its raw text is the document's (grounded)."""
    document = read_pdf(pdf, max_pages=2, max_bytes=1_000_000)
    lines = split_lines(document.full)
    line = next(line for line in lines if line.text.strip() == printed)
    start = line.start + line.text.index(printed)
    proposal = Proposal("seller.name", printed, start, start + len(printed), 0.4, "letterhead")
    option = Option(printed, (proposal,), 0.4)
    grown = unwrapped(option, lines, document, LabelIndex(SPEC.cues.labels))
    assert grown.first.text == document.full[grown.first.start : grown.first.end]
    assert isinstance(grown.value, str)
    return grown.value


@pytest.mark.parametrize(
    ("head", "printed", "name"),
    [
        pytest.param(  # nothing in the text says the first line goes on; the page does
            [("AIK HUAT HARDWARE", 14), ("ENTERPRISE (SETIA", 14), ("ALAM) SDN BHD", 14)],
            "ALAM) SDN BHD",
            "AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD",
            id="wrapped-up-over-two-lines",
        ),
        pytest.param(
            [("LIAN CHI PU TIAN VEGETARIAN", 9), ("RESTAURANT SDN BHD", 9), ("NO 54", 9)],
            "LIAN CHI PU TIAN VEGETARIAN",
            "LIAN CHI PU TIAN VEGETARIAN RESTAURANT SDN BHD",
            id="wrapped-down-until-the-legal-form",
        ),
        pytest.param(  # the company's first word would have fit after the brand
            [("WATSONS", 12), ("WATSON'S PERSONAL CARE", 12), ("STORES SDN BHD", 12)],
            "WATSONS",
            "WATSONS",
            id="a-brand-over-its-company",
        ),
        pytest.param(  # a title fills the column, but a label is no part of a name
            [("SIMPLIFIED TAX INVOICE", 12), ("SIN THYE & COMPANY", 12)],
            "SIN THYE & COMPANY",
            "SIN THYE & COMPANY",
            id="a-title-above-the-name",
        ),
        pytest.param(  # a banner in larger type than the name below it
            [("GOLDEN HARVEST BAKERY", 16), ("GHB FOODS TRADING SDN BHD", 9)],
            "GHB FOODS TRADING SDN BHD",
            "GHB FOODS TRADING SDN BHD",
            id="a-banner-in-other-type",
        ),
        pytest.param(  # a whole company above: the shop's own line is no part of it
            [("MAJU JAYA TRADING SDN BHD", 12), ("KEDAI RUNCIT MAJU", 12)],
            "KEDAI RUNCIT MAJU",
            "KEDAI RUNCIT MAJU",
            id="a-company-over-its-shop",
        ),
        pytest.param(  # the company's line starts the brand's words over: printed anew
            [("OLD TOWN WHITE COFFEE SHOP", 12), ("OLD TOWN KOPITIAM SDN BHD", 12)],
            "OLD TOWN KOPITIAM SDN BHD",
            "OLD TOWN KOPITIAM SDN BHD",
            id="a-brand-the-company-repeats",
        ),
    ],
)
def test_a_name_the_printer_wrapped_is_read_whole(
    tmp_path: Path, head: list[tuple[str, int]], printed: str, name: str
) -> None:
    assert _grown(_till(tmp_path / "till.pdf", head), printed) == name


def test_the_text_path_reads_a_wrapped_letterhead_whole(tmp_path: Path) -> None:
    head = [("AIK HUAT HARDWARE", 14), ("ENTERPRISE (SETIA", 14), ("ALAM) SDN BHD", 14)]
    document = read_pdf(_till(tmp_path / "till.pdf", head), max_pages=2, max_bytes=1_000_000)
    calibration = Calibration.bundled()
    records = decide_text_fields(document, SPEC, leaves(SPEC.model), None, calibration).records
    found = {record.path: record for record in records}
    seller, buyer = found["seller.name"], found["buyer.name"]
    assert seller.value == "AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD"
    assert seller.page == 1 and seller.raw == document.pages[0][seller.start : seller.end]
    # the buyer is not read from a line of the seller's name, as "AIK HUAT HARDWARE" was
    assert seller.start is not None and seller.end is not None
    assert buyer.start is None or not seller.start <= buyer.start < seller.end


def _line(text: str, left: float, char: float, height: float = 10.0) -> list[PageWord]:
    words, x = [], left
    for word in text.split():
        words.append(PageWord(word, (x, 0.0, x + char * len(word), height)))
        x += char * (len(word) + 1)
    return words


def test_a_line_wraps_where_the_next_word_would_not_have_fit() -> None:
    upper = _line("AIK HUAT HARDWARE", 20, 9)  # 153 wide
    assert wraps(upper, _line("ENTERPRISE", 20, 9), width=200)  # 153 + 9 + 90 > 200
    assert not wraps(upper, _line("CO", 20, 9), width=200)  # 153 + 9 + 18 fits
    assert not wraps(upper, _line("ENTERPRISE", 20, 9, height=6), width=200)  # other type
