"""Scanned pages: which pages are OCR'd, the words and their places on the page, the image
clean-up, per-page limits, and the errors when a page cannot be read. Real Tesseract."""

from pathlib import Path

import numpy as np
import pypdfium2
import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from extractor.errors import NoTextError
from extractor.read.isolation import IsolatedReader, ReadLimits
from extractor.read.ocr import tesseract
from extractor.read.ocr.engine import (
    OcrOptions,
    OcrPage,
    OcrUnavailableError,
    OcrWord,
    _laid_out,
    _Unturn,
    check_engine,
    read_image,
)
from extractor.read.ocr.fields import unread_page_errors, with_ocr_evidence
from extractor.read.ocr.scan_image import prepare, skew_angle
from extractor.read.pdf import DocumentText, UnreadPage, read_pdf
from extractor.read.text_layer import is_garbage, needs_ocr
from extractor.result import FieldRecord, Method
from tests.conftest import SAMPLES
from tests.ocr_documents import joined, scanned, text_pdf, with_broken_character_map

LIMITS = {"max_pages": 10, "max_bytes": 50_000_000}


@pytest.fixture
def options(ocr_engine: str) -> OcrOptions:
    return OcrOptions(ocr_engine, dpi=300, page_seconds=60)


def _read(path: Path, options: OcrOptions | None) -> DocumentText:
    return read_pdf(path, **LIMITS, ocr=options)


def test_pages_with_a_good_text_layer_are_not_ocrd() -> None:
    for pdf in SAMPLES.glob("*.pdf"):
        for page in PdfReader(pdf).pages:
            assert not needs_ocr(page, page.extract_text()), pdf.name


def test_a_scan_a_broken_character_map_and_a_blank_page_need_ocr(tmp_path: Path) -> None:
    source = text_pdf(tmp_path / "text.pdf")
    scan = scanned(source, tmp_path / "scan.pdf")
    broken = with_broken_character_map(source, tmp_path / "broken.pdf")
    for pdf in (scan, broken):
        page = PdfReader(pdf).pages[0]
        assert needs_ocr(page, page.extract_text()), pdf.name
    assert needs_ocr(PdfReader(scan).pages[0], "Page 1 of 1")  # a stamp on a scan
    assert not needs_ocr(PdfReader(source).pages[0], "Page 1 of 1")  # short, but no image


def test_letters_that_form_no_words_are_garbage() -> None:
    assert not is_garbage("Invoice number and date of issue, payable within thirty days")
    assert not is_garbage("Rechnung für Bäckerei Weißhaupt, zahlbar in 30 Tagen")
    assert is_garbage("Qxzrtp bcdfgh Klmnpq rstvwx zzkrt ptkd")
    assert is_garbage("\ue049\ue04e\ue056\ue04f\ue049\ue043\ue045" * 10)
    assert not is_garbage("4711 0815 2025-03-14 99.50 EUR")  # figures only: no verdict


def test_a_scanned_page_is_read_with_word_boxes_where_the_words_are(
    tmp_path: Path, options: OcrOptions
) -> None:
    source = text_pdf(tmp_path / "text.pdf")
    document = _read(scanned(source, tmp_path / "scan.pdf", angle=2.5), options)
    page = document.ocr_page(1)
    assert page is not None and document.unread == ()
    assert "INV-7731" in document.pages[0] and "1,440.00" in document.pages[0]
    assert page.angle == pytest.approx(-2.5, abs=0.3)  # the scan was straightened back
    start = document.pages[0].index("INV-7731")
    box = page.box_of(start, start + len("INV-7731"))
    assert box is not None
    expected = _turned(_text_box(source, "INV-7731"), 2.5, centre=(595 / 2, 842 / 2))
    assert all(abs(got - want) < 3 for got, want in zip(box, expected, strict=True)), box
    assert all(0.5 < word.confidence <= 1 for word in page.words)


def _turned(
    box: tuple[float, float, float, float], degrees: float, centre: tuple[float, float]
) -> tuple[float, float, float, float]:
    """The bounds of `box` turned counter-clockwise on the page, as the scanner turned it."""
    theta, (cx, cy) = np.radians(degrees), centre
    corners = [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]
    xs = [cx + (x - cx) * np.cos(theta) + (y - cy) * np.sin(theta) for x, y in corners]
    ys = [cy - (x - cx) * np.sin(theta) + (y - cy) * np.cos(theta) for x, y in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def _text_box(pdf: Path, needle: str) -> tuple[float, float, float, float]:
    """Where PDFium places `needle` on the text page: points from the top left."""
    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    text = page.get_textpage()
    start = text.get_text_range().index(needle)
    height = page.get_height()
    left, bottom, _, top = text.get_charbox(start)
    _, _, right, _ = text.get_charbox(start + len(needle) - 1)
    return (left, height - top, right, height - bottom)


def test_a_broken_character_map_is_replaced_by_ocr(tmp_path: Path, options: OcrOptions) -> None:
    broken = with_broken_character_map(text_pdf(tmp_path / "text.pdf"), tmp_path / "b.pdf")
    document = _read(broken, options)
    assert document.ocr_page(1) is not None
    assert "Harbour Lights Ltd" in document.pages[0]


def test_only_the_scanned_page_of_a_mixed_document_is_ocrd(
    tmp_path: Path, options: OcrOptions
) -> None:
    text = text_pdf(tmp_path / "text.pdf")
    other = text_pdf(tmp_path / "other.pdf", ["Delivery note", "Order number: PO-5521"])
    mixed = joined([text, scanned(other, tmp_path / "scan.pdf")], tmp_path / "mixed.pdf")
    document = _read(mixed, options)
    assert document.ocr_page(1) is None and document.ocr_page(2) is not None
    assert document.pages[0] == read_pdf(text, **LIMITS).pages[0]
    assert "PO-5521" in document.pages[1]


def test_a_blank_page_reads_as_no_text_without_running_ocr(
    monkeypatch: pytest.MonkeyPatch, options: OcrOptions
) -> None:
    def no_ocr(*args: object, **kwargs: object) -> None:
        raise AssertionError("Tesseract was run on a blank page")

    monkeypatch.setattr(tesseract, "words", no_ocr)
    blank = Image.new("L", (850, 1100), 255)
    assert read_image(blank, 300 / 72, options) == OcrPage("", (), 0.0)
    speck = blank.copy()
    ImageDraw.Draw(speck).rectangle((400, 500, 420, 520), fill=0)  # something printed: read
    with pytest.raises(AssertionError, match="Tesseract was run"):
        read_image(speck, 300 / 72, options)


def test_a_fax_is_read(tmp_path: Path, options: OcrOptions) -> None:
    fax = scanned(text_pdf(tmp_path / "text.pdf"), tmp_path / "fax.pdf", kind="200dpi")
    assert "INV-7731" in _read(fax, options).pages[0]


def test_ocr_off_or_out_of_time_leaves_the_page_unread_with_the_reason(
    tmp_path: Path, options: OcrOptions
) -> None:
    scan = scanned(text_pdf(tmp_path / "text.pdf"), tmp_path / "scan.pdf")
    off = _read(scan, None)
    assert off.pages == ("",) and off.unread == (
        UnreadPage(1, "no usable text layer, and OCR is off"),
    )
    hurried = _read(scan, OcrOptions(options.languages, 300, page_seconds=0.01))
    assert hurried.unread[0].reason == "no usable text layer: OCR took longer than 0.01 s"
    with pytest.raises(NoTextError, match="no page could be read"):
        unread_page_errors(off)


def test_a_missing_language_is_named(ocr_engine: str) -> None:
    with pytest.raises(OcrUnavailableError, match="not installed: xyz"):
        check_engine(f"{ocr_engine}+xyz")


def test_the_isolated_reader_gives_each_ocr_page_its_own_time(
    tmp_path: Path, options: OcrOptions
) -> None:
    source = text_pdf(tmp_path / "text.pdf")
    two_scans = joined(
        [scanned(source, tmp_path / "a.pdf"), scanned(source, tmp_path / "b.pdf")],
        tmp_path / "two.pdf",
    )
    # far less time than OCR needs for the whole document, but each page gets its own
    limits = ReadLimits(10, 50_000_000, 0.5, 1024, 1 << 26, ocr=options)
    reader = IsolatedReader(limits)
    try:
        document = reader.read(two_scans)
    finally:
        reader.close()
    assert [page is not None for page in document.ocr] == [True, True]
    assert all("INV-7731" in page for page in document.pages)


def test_skew_is_measured_and_ruled_lines_are_erased() -> None:
    page = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(page)
    for row in range(12):
        draw.text((100, 60 + row * 60), "Lorem ipsum dolor sit amet 1234.56 " * 2, fill=0)
    draw.line((80, 820, 1100, 820), fill=0, width=3)
    turned = page.rotate(-2.0, resample=Image.Resampling.BILINEAR, fillcolor=255)
    assert skew_angle(turned, 150) == pytest.approx(2.0, abs=0.3)
    cleaned = np.asarray(prepare(page, 150).image)
    assert cleaned[815:826, 200:1000].min() > 128  # the line is gone
    assert cleaned[60:80, 100:400].min() < 128  # the text is not


def test_field_confidence_and_box_come_from_the_ocr_words() -> None:
    words = (OcrWord(0, 8, (10, 20, 60, 30), 0.9), OcrWord(9, 13, (62, 20, 90, 30), 0.6))
    document = DocumentText(("INV-7731 here",), ocr=(OcrPage("INV-7731 here", words, 0.0),))
    record = FieldRecord("invoice_number", "INV-7731", Method.RULES, 0.8, page=1, start=0, end=8)
    (adjusted,) = with_ocr_evidence([record], document)
    assert adjusted.confidence == pytest.approx(0.72)
    assert adjusted.box == (10, 20, 60, 30)
    whole = FieldRecord("seller.name", "x", Method.RULES, 1.0, page=1, start=0, end=13)
    assert with_ocr_evidence([whole], document)[0].confidence == pytest.approx(0.6)
    text_only = DocumentText(("INV-7731 here",))
    assert with_ocr_evidence([record], text_only) == [record]


def test_without_tesseract_a_scanned_page_is_unread_with_the_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = scanned(text_pdf(tmp_path / "text.pdf"), tmp_path / "scan.pdf")
    monkeypatch.setattr(tesseract, "COMMAND", "no-such-tesseract")
    tesseract.languages.cache_clear()
    try:
        document = _read(scan, OcrOptions("Latin", 300, 60))
    finally:
        tesseract.languages.cache_clear()
    (unread,) = document.unread
    assert unread.page == 1 and "apt-get install tesseract-ocr" in unread.reason


def _words(*words: tuple[str, int, int, int]) -> dict[str, list[object]]:
    """Tesseract-like columns for (text, left, top, block) words 100 px wide, 30 px tall."""
    keys = ("text", "left", "top", "width", "height", "conf", "block_num", "par_num", "line_num")
    columns: dict[str, list[object]] = {key: [] for key in keys}
    for number, (text, left, top, block) in enumerate(words):
        values = (text, left, top, 100, 30, 90.0, block, 1, number)
        for key, value in zip(keys, values, strict=True):
            columns[key].append(value)
    return columns


def _text(data: dict[str, list[object]]) -> list[str]:
    return _laid_out(data, _Unturn(0.0, 2000, 2000, 1.0), 0.0).text.splitlines()


def test_blocks_side_by_side_are_read_as_columns_and_table_rows_stay_together() -> None:
    address_beside_details = _words(
        ("Anna", 100, 100, 1), ("Street", 100, 145, 1), ("City", 100, 190, 1),
        ("Invoice", 800, 120, 2), ("INV-1", 800, 170, 2),
    )  # fmt: skip
    assert _text(address_beside_details) == ["Anna", "Street", "City", "Invoice", "INV-1"]
    table = _words(
        ("Chair", 100, 100, 1), ("Desk", 100, 150, 1),
        ("12.00", 800, 100, 2), ("30.00", 800, 150, 2),
    )  # fmt: skip
    assert _text(table) == ["Chair", "12.00", "Desk", "30.00"]
    close_words = _words(("April", 100, 100, 1), ("11,", 210, 100, 2), ("2024", 320, 100, 3))
    assert _text(close_words) == ["April 11, 2024"]
