"""A table row's description read by geometry: the last run of words before its first number,
with the lines its column wraps onto below, and nothing of the other columns or notes."""

from decimal import Decimal
from pathlib import Path

from reportlab.pdfgen import canvas

from extractor.model.confidence import Calibration
from extractor.model.textpath import line_records
from extractor.pipeline import Extractor
from extractor.read.page_words import PageWord, PageWords
from extractor.read.pdf import DocumentText
from extractor.read.row_cells import row_cell
from extractor.result import ExtractionResult
from extractor.settings import load_settings
from schemas import get_schema
from tests.fakes import ScriptedBackend

HEIGHT = 8.0


def _word(text: str, x: float, y: float) -> PageWord:
    return PageWord(text, (x, y, x + 6.0 * len(text), y + HEIGHT))


ROWS = [
    _word("1", 58, 664), _word("TB100A4", 72, 675), _word("4012345001235", 72, 686),
    _word("Trennblätter", 155, 664), _word("A4", 155, 675),
    _word("9,90", 280, 664), _word("20", 354, 664), _word("198,00", 510, 664),
    _word("Bruttopreis", 165, 712), _word(":", 235, 712), _word("9,90", 244, 712),
    _word("2", 58, 750), _word("Joghurt", 158, 750), _word("5,50", 280, 750),
    _word("Banane", 158, 761),
]  # fmt: skip


def _texts(words: list[PageWord]) -> list[str]:
    return [word.text for word in words]


def test_a_description_wraps_onto_the_lines_of_its_column_below() -> None:
    first = ROWS[5].box  # 9,90: the row's first number
    assert _texts(row_cell(ROWS, first)) == ["Trennblätter", "A4"]  # not the note below it
    assert _texts(row_cell(ROWS, ROWS[13].box)) == ["Joghurt", "Banane"]


def test_the_next_row_or_a_line_with_numbers_in_their_columns_ends_a_cell() -> None:
    words = [_word("Tisch", 100, 100), _word("9,90", 280, 100), _word("Stuhl", 100, 110)]
    following = _word("5,50", 280, 110).box  # the next row's first number
    assert _texts(row_cell(words, words[1].box, following)) == ["Tisch"]
    assert _texts(row_cell(words, words[1].box)) == ["Tisch", "Stuhl"]
    carried = [*words[:2], _word("Übertrag", 100, 110), _word("48.404,27", 280, 110)]
    assert _texts(row_cell(carried, words[1].box)) == ["Tisch"]
    noted = [*words[:2], _word("Bruttopreis", 100, 110), _word(":43,2000", 170, 110)]
    assert _texts(row_cell(noted, words[1].box)) == ["Tisch"]  # a label with its amount
    packed = [*words[:2], _word("VKE/Geb:", 100, 110), _word("1", 150, 110)]
    assert _texts(row_cell(packed, words[1].box)) == ["Tisch", "VKE/Geb:", "1"]


def test_a_cell_centred_on_its_row_over_two_lines_is_read_whole() -> None:
    words = [
        _word("A635", 112, 351), _word("Replacement", 185, 345), _word("filter", 185, 357),
        _word("cartridge", 226, 357), _word("576.00", 382, 351),
        _word("B336", 112, 381), _word("Photography,", 185, 375), _word("product", 185, 387),
        _word("852.00", 382, 381),
    ]  # fmt: skip
    cell = row_cell(words, words[4].box, words[8].box)
    assert _texts(cell) == ["Replacement", "filter", "cartridge"]
    assert _texts(row_cell(words, words[8].box)) == ["Photography,", "product"]


def test_a_cell_centred_on_its_row_over_three_lines_takes_its_line_above() -> None:
    # pyinvoice's table: each cell centred on its numbers, so a cell of three lines starts
    # above them, nearer them than the row before
    words = [
        _word("Support", 183, 346), _word("hours", 221, 346), _word("10", 300, 346),
        _word("Consulting,", 190, 364),
        _word("strategy", 197, 376), _word("3", 303, 376),
        _word("workshop", 193, 388),
        _word("On-site", 199, 406), _word("1", 303, 412), _word("installation", 191, 418),
    ]  # fmt: skip
    rows = [words[2].box, words[5].box, words[8].box]
    assert _texts(row_cell(words, rows[0], rows[1])) == ["Support", "hours"]
    assert _texts(row_cell(words, rows[1], rows[2])) == ["Consulting,", "strategy", "workshop"]
    assert _texts(row_cell(words, rows[2])) == ["On-site", "installation"]


def test_a_line_above_a_row_joins_its_cell_only_opposite_a_line_below() -> None:
    # a cell carried over from the page before stands above the row's cell alone
    words = [_word("Seite 2", 155, 40), _word("300cm x 100 cm", 159, 93),
             _word("Schweinesteak", 155, 104), _word("5,50", 284, 104)]  # fmt: skip
    assert _texts(row_cell(words, words[3].box)) == ["Schweinesteak"]


def test_no_words_before_the_number_is_no_cell_and_a_position_is_no_word() -> None:
    words = [_word("4,00", 100, 100), _word("9,90", 280, 100)]
    assert row_cell(words, words[1].box) == []
    words = [_word("12", 90, 100), _word("Tisch", 106, 100), _word("9,90", 280, 100)]
    assert _texts(row_cell(words, words[2].box)) == ["Tisch"]


def test_a_wrapped_line_beside_a_long_number_of_the_column_before_is_the_cells() -> None:
    """The article number's column reaches nearly to the cell's edge: the cell's words on
    that line are still its wrapped line."""
    words = [
        _word("3", 57, 248), _word("Mineralwasser", 155, 248), _word("5,49", 284, 248),
        _word("GTRWA5", 72, 259), _word("Medium", 155, 259),
        _word("4000001234561", 72, 270), _word("12 x 1,0l PET", 155, 270),
    ]  # fmt: skip
    assert _texts(row_cell(words, words[2].box)) == ["Mineralwasser", "Medium", "12 x 1,0l PET"]
    across = [*words[:5], _word("Lieferung vom 03.03.", 120, 270)]
    assert _texts(row_cell(across, words[2].box)) == ["Mineralwasser", "Medium"]


def test_a_cell_level_with_its_numbers_without_letters_is_read_by_its_lines() -> None:
    words = [
        _word("0", 59, 635), _word("4-", 159, 635), _word("8,4100", 249, 635),
        _word("Fahrten", 159, 646), _word("-Karte", 159, 657),
    ]  # fmt: skip
    assert _texts(row_cell(words, words[2].box)) == ["4-", "Fahrten", "-Karte"]
    numbered = [_word("0815", 159, 635), _word("8,4100", 249, 635), _word("Fahrten", 159, 646)]
    assert row_cell(numbered, numbered[1].box) == []  # an article number's column


def _extract(path: Path, drawn: list[tuple[int, int, str]]) -> ExtractionResult:
    """An invoice of these strings (x, y, text), drawn in this order, extracted by rules."""
    page = canvas.Canvas(str(path))
    for x, y, text in drawn:
        page.drawString(x, y, text)
    page.save()
    extractor = Extractor(ScriptedBackend({}), load_settings(use_model=False))
    return extractor.extract(path, get_schema("invoice"))


def test_a_wrapped_description_is_read_whole_end_to_end(tmp_path: Path) -> None:
    """The cell's lines as the text holds them: the wrapped line drawn before the numbers
    (the text before the row's first number is the cell's first line only)."""
    drawn = [
        (72, 780, "Rechnung Nr. 4711"), (72, 764, "Datum: 05.03.2024"),
        (72, 700, "Pos"), (110, 700, "Beschreibung"), (300, 700, "Preis"),
        (360, 700, "Menge"), (450, 700, "Betrag"),
        (72, 684, "1"), (110, 684, "Edelstahl-Arbeitstisch"), (110, 672, "1500 x 700 mm"),
        (300, 684, "689,00"), (360, 684, "2"), (450, 684, "1.378,00"),
        (72, 640, "2"), (110, 640, "Anfahrtspauschale"), (300, 640, "95,00"),
        (360, 640, "1"), (450, 640, "95,00"),
        (72, 600, "Gesamtbetrag 1.473,00"),
    ]  # fmt: skip
    lines = _extract(tmp_path / "wrapped.pdf", drawn).data["lines"]
    assert [line["description"] for line in lines] == [
        "Edelstahl-Arbeitstisch 1500 x 700 mm",
        "Anfahrtspauschale",
    ]
    assert lines[0]["net_amount"] == Decimal("1378.00")


def test_a_cell_the_text_holds_in_pieces_is_read_line_by_line(tmp_path: Path) -> None:
    """The numbers drawn between the cell's two lines: each line is found in the text, and
    the value joins them (the raw text keeps one line each)."""
    drawn = [
        (72, 780, "Invoice INV-7"), (72, 764, "Date: 2025-03-13"),
        (72, 700, "Item"), (200, 700, "Units"), (300, 700, "Price"), (400, 700, "Amount"),
        (72, 684, "Replacement"), (200, 684, "40"), (300, 684, "576.00"), (400, 684, "23040.00"),
        (72, 672, "filter cartridge"),
        (72, 630, "Total 23040.00"),
    ]  # fmt: skip
    result = _extract(tmp_path / "pieces.pdf", drawn)
    assert result.data["lines"][0]["description"] == "Replacement filter cartridge"
    record = result.field("lines.0.description")
    assert record is not None and record.raw == "Replacement\nfilter cartridge"


def test_a_cell_wrapped_at_the_hyphen_of_a_compound_keeps_it_whole(tmp_path: Path) -> None:
    """PDFium hands a hyphen that ends a line back as a control code: the word keeps its
    hyphen, and the value runs the two lines on ("Beamer-Deckenhalterung")."""
    drawn = [
        (72, 780, "Rechnung Nr. 4712"), (72, 764, "Datum: 08.03.2018"),
        (110, 700, "Beschreibung"), (300, 700, "Preis"), (360, 700, "Menge"),
        (450, 700, "Betrag"),
        (110, 684, "Beamer-"), (110, 672, "Deckenhalterung"),
        (300, 684, "122,50"), (360, 684, "1"), (450, 684, "122,50"),
        (72, 620, "Gesamtbetrag 122,50"),
    ]  # fmt: skip
    result = _extract(tmp_path / "hyphen.pdf", drawn)
    assert result.data["lines"][0]["description"] == "Beamer-Deckenhalterung"


def test_a_line_that_begins_with_a_hyphen_runs_on_from_the_line_before(tmp_path: Path) -> None:
    drawn = [
        (72, 780, "Rechnung Nr. 4713"), (72, 764, "Datum: 20.09.2018"),
        (110, 700, "Beschreibung"), (300, 700, "Preis"), (360, 700, "Menge"),
        (450, 700, "Betrag"),
        (72, 684, "0"), (110, 684, "4-"), (110, 672, "Fahrten"), (110, 660, "-Karte"),
        (110, 648, "Berlin AB"),
        (300, 684, "8,4100"), (360, 684, "1"), (450, 684, "8,41"),
        (72, 600, "Gesamtbetrag 8,41"),
    ]  # fmt: skip
    result = _extract(tmp_path / "leading-hyphen.pdf", drawn)
    assert result.data["lines"][0]["description"] == "4-Fahrten-Karte Berlin AB"


def test_a_cell_whose_words_the_text_runs_together_is_spaced_as_the_page_prints_it() -> None:
    """The text layer holds "20x0,5l" where the page prints "20", "x", "0,5l" apart: the
    line is found in the text all the same, the value spaced as the page prints it, and the
    raw text is the text's."""
    text = "5\nLeergutpfand\n20x0,5l\n3,10 15 Stk 19 % 46,50\nBruttopreis : 3,10"
    words = [
        _word("5", 54, 151), _word("Leergutpfand", 153, 151), _word("3,10", 274, 151),
        _word("15", 357, 151), _word("Stk", 370, 151), _word("46,50", 529, 151),
        _word("20", 153, 162), _word("x", 167, 162), _word("0,5l", 175, 162),
        _word("Bruttopreis", 96, 199), _word(":", 165, 199), _word("3,10", 172, 199),
    ]  # fmt: skip
    document = DocumentText(pages=(text,), words=(PageWords(1, 595.0, 842.0, tuple(words)),))
    records = {r.path: r for r in line_records(document, Calibration.bundled())}
    description = records["lines.0.description"]
    assert description.value == "Leergutpfand 20 x 0,5l"
    assert description.raw == "Leergutpfand\n20x0,5l"
