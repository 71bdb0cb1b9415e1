"""Where the document view draws a field: its stored OCR box, or the words that spell its
text on its page; XML and form values have no place on the page."""

from extractor.read.page_words import PageWord, PageWords
from extractor.store.review_runs import ReviewField
from schemas.kinds import FieldKind
from workers.review.document_layout import field_places, page_layouts, points

PAGE = PageWords(
    1,
    200.0,
    100.0,
    (PageWord("Total:", (10, 10, 40, 20)), PageWord("1.350,36", (50, 10, 90, 20))),
)


def _field(path: str, method: str | None, raw: str | None, **extra: object) -> ReviewField:
    values: dict[str, object] = {
        "path": path,
        "kind": FieldKind.TEXT,
        "value": raw,
        "method": method,
        "confidence": 0.4,
        "page": 1,
        "raw": raw,
        "box": None,
        "needs_review": True,
        "errors": (),
        **extra,
    }
    return ReviewField(**values)  # type: ignore[arg-type]


def test_fields_are_placed_by_their_words_their_ocr_box_or_not_at_all() -> None:
    fields = (
        _field("total_gross", "rules", "1.350,36"),
        _field("seller.name", "rules", "x", box=(20.0, 50.0, 60.0, 60.0)),
        _field("invoice_number", "xml", "1.350,36"),
        _field("iban", "form", "1.350,36"),
        _field("due_date", None, None),
        _field("currency", "rules", "EUR"),  # not on the page
        _field("buyer.name", "rules", "1.350,36", page=2),  # a page the document lacks
    )
    places = field_places(fields, [PAGE])
    assert set(places) == {"total_gross", "seller.name"}
    assert places["total_gross"].box == "0.25000 0.10000 0.45000 0.20000"
    assert places["seller.name"].box == "0.10000 0.50000 0.30000 0.60000"


def test_words_are_drawn_in_fractions_of_the_page_and_come_back_in_points() -> None:
    (layout,) = page_layouts([PAGE])
    assert layout.words[1] == ("1.350,36", "0.25000 0.10000 0.45000 0.20000")
    assert points(layout.words[1][1], PAGE) == (50.0, 10.0, 90.0, 20.0)
    assert points("0.1 0.2 1.5 0.3", PAGE) is None  # outside the page
    assert points("a b c d", PAGE) is None
