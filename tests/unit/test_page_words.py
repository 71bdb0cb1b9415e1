"""The page-word model: words and boxes from a PDF's text layer, and finding a text among them;
and rendering a page at a requested width."""

import io
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractor.errors import LimitExceededError, ReaderCrashedError
from extractor.read.page_image import MAX_WIDTH, render_page_png
from extractor.read.page_isolation import PageLimits, isolated_page_png, isolated_page_words
from extractor.read.page_words import (
    PageWord,
    locate_text,
    page_count,
    read_page_words,
    reading_order_text,
)

WIDTH, HEIGHT = A4


def _pdf(tmp_path: Path, pages: list[list[tuple[float, float, str]]]) -> bytes:
    path = tmp_path / "words.pdf"
    document = canvas.Canvas(str(path), pagesize=A4)
    for page in pages:
        for x, y, line in page:
            document.setFont("Helvetica", 12)
            document.drawString(x, HEIGHT - y, line)  # y: points from the top
        document.showPage()
    document.save()
    return path.read_bytes()


def test_words_come_with_boxes_from_the_top_left(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, [[(72, 100, "Invoice  No. RE-2024-00815"), (300, 200, "Total 1.234,56")]])
    page = read_page_words(pdf, 1)
    assert (page.page, round(page.width), round(page.height)) == (1, 595, 842)
    assert [word.text for word in page.words] == [
        "Invoice",
        "No.",
        "RE-2024-00815",
        "Total",
        "1.234,56",
    ]
    invoice = page.words[0].box
    assert invoice[0] == pytest.approx(72, abs=1)
    assert invoice[1] < 100 < invoice[3]  # the baseline lies inside the box, from the top
    assert invoice[3] - invoice[1] < 20
    total = page.words[3].box
    assert total[0] == pytest.approx(300, abs=1) and total[1] > invoice[3]
    assert page.words[2].box[0] > page.words[1].box[2]  # left to right


def test_pages_are_counted_and_read_one_by_one(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, [[(72, 100, "first")], [(72, 100, "second page")]])
    assert page_count(pdf) == 2
    assert [word.text for word in read_page_words(pdf, 2).words] == ["second", "page"]
    with pytest.raises(IndexError):
        read_page_words(pdf, 3)


def test_a_text_is_found_across_words_ignoring_case_spacing_and_edge_punctuation() -> None:
    words = [
        PageWord("Seller:", (10, 10, 40, 20)),
        PageWord("Van", (50, 10, 70, 20)),
        PageWord("Dijk", (72, 11, 95, 21)),
        PageWord("B.V.,", (97, 10, 120, 20)),
        PageWord("Ref:INV-77", (10, 30, 80, 40)),
    ]
    assert locate_text(words, "van  DIJK b.v.") == (50, 10, 120, 21)
    assert locate_text(words, "Dijk\nB.V.") == (72, 10, 120, 21)
    assert locate_text(words, "INV-77") == (10, 30, 80, 40)  # inside one word
    assert locate_text(words, "Dijk Van") is None
    assert locate_text(words, "7") is None  # too short to look for inside a word
    assert locate_text(words, "  ") is None


def test_punctuation_standing_alone_neither_blocks_nor_ends_a_run() -> None:
    words = [
        PageWord("B", (10, 10, 16, 20)),
        PageWord("&", (18, 10, 24, 20)),
        PageWord("BEST", (26, 10, 50, 20)),
        PageWord("RESTAURANT", (52, 10, 110, 20)),
    ]
    assert locate_text(words, "B & BEST RESTAURANT") == (10, 10, 110, 20)
    assert locate_text(words, "B BEST") == (10, 10, 50, 20)


def test_a_page_renders_at_the_width_asked_for_within_limits(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, [[(72, 100, "hello")]])
    image = Image.open(io.BytesIO(render_page_png(pdf, 1, 400)))
    assert image.format == "PNG" and image.width == 400
    assert abs(image.height - 400 * HEIGHT / WIDTH) <= 1
    huge = Image.open(io.BytesIO(render_page_png(pdf, 1, 100_000)))
    assert huge.width == MAX_WIDTH
    with pytest.raises(IndexError):
        render_page_png(pdf, 2, 400)


def test_pages_are_read_and_rendered_in_an_isolated_child(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, [[(72, 100, "Invoice No. 7")], [(72, 100, "second")]])
    limits = PageLimits(seconds=60, memory_mb=512)
    assert isolated_page_words(pdf, limits) == [read_page_words(pdf, 1), read_page_words(pdf, 2)]
    image = Image.open(io.BytesIO(isolated_page_png(pdf, 2, 300, limits)))
    assert image.width == 300
    with pytest.raises(IndexError):
        isolated_page_png(pdf, 3, 300, limits)


def test_a_pdf_that_breaks_the_renderer_breaks_only_its_child(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, [[(72, 100, "hello")]])
    with pytest.raises(ReaderCrashedError):
        isolated_page_words(b"%PDF-1.7 not really", PageLimits())
    with pytest.raises(ReaderCrashedError):  # a 2400 px page does not fit in 1 MiB more
        isolated_page_png(pdf, 1, MAX_WIDTH, PageLimits(memory_mb=1))
    with pytest.raises(LimitExceededError):
        isolated_page_png(pdf, 1, 300, PageLimits(seconds=0.001))


def test_the_reading_order_follows_the_page_not_the_drawing_order(tmp_path: Path) -> None:
    drawn = [(400, 130, "9.50"), (200, 100, "INV-7"), (72, 100, "Invoice #"), (72, 130, "Total")]
    drawn.append((240, 100, "A"))  # close after INV-7: one space
    page = read_page_words(_pdf(tmp_path, [drawn]), 1)
    lines = reading_order_text(page).splitlines()
    assert lines == ["Invoice #   INV-7 A", "Total   9.50"]  # a wide gap: three spaces


def test_letter_spacing_keeps_a_word_where_pdfium_infers_a_space(tmp_path: Path) -> None:
    # "Ur spr ungsbeleg-Nr": a PDF that draws a word in parts a little apart; PDFium infers
    # spaces between them, but a gap of letter spacing is no space between words
    path = tmp_path / "spaced.pdf"
    document = canvas.Canvas(str(path), pagesize=A4)
    document.setFont("Helvetica", 10)
    x = 72.0
    for part in ("Ur", "spr", "ungsbeleg-Nr"):
        document.drawString(x, 700, part)
        x += document.stringWidth(part, "Helvetica", 10) + 1.5
    x = 72.0
    for word in ("Invoice", "Number", "4711"):  # drawn apart, a space's width between them
        document.drawString(x, 650, word)
        x += document.stringWidth(f"{word} ", "Helvetica", 10)
    document.save()
    words = [word.text for word in read_page_words(path.read_bytes(), 1).words]
    assert words == ["Ursprungsbeleg-Nr", "Invoice", "Number", "4711"]
