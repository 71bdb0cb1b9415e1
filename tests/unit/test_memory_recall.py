"""Supplier memory at extraction: which supplier a document is, and its fields read where a
reviewer confirmed them on an earlier document of that supplier."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from extractor.memory.memory import PRIOR_RIGHT, PRIOR_WRONG, Memory
from extractor.memory.recall import recall, rounding_printed, supplier_of
from extractor.read.page_words import PageWord, PageWords
from extractor.read.pdf import DocumentText
from extractor.result import Method
from schemas.kinds import FieldKind

KINDS = {
    "seller.name": FieldKind.TEXT,
    "issue_date": FieldKind.DATE,
    "total_gross": FieldKind.AMOUNT,
}
WIDTH, HEIGHT = 200.0, 400.0
KEY = "name:kedai maju sdn bhd"


def receipt(scale: float = 1.0, shift: float = 0.0, items: int = 1, **amounts: str) -> DocumentText:
    """A till slip: the shop's name, a date under a reference number, items, totals. Drawn
    at `scale` and moved down by `shift` points, as another scan of the same printer's slip."""
    lines: list[list[tuple[str, float]]] = [
        [("KEDAI", 40), ("MAJU", 75), ("SDN", 105), ("BHD", 130)],
        [("INV", 10), ("1234", 40)],
        [("8:01", 10), ("09/01/2019", 120)],
        *([[("ITEM", 10), (amounts.get("item", "3.00"), 150)]] * items),
        [("SUB", 10), ("TOTAL", 35), (amounts.get("sub", "9.00"), 150)],
        [("TOTAL", 10), (":", 45), (amounts.get("total", "9.50"), 150)],
    ]
    if "rounding" in amounts:
        lines.append([("ROUNDING", 10), (amounts["rounding"], 150)])
    if "rounded" in amounts:
        lines.append([("TOTAL", 10), ("ROUNDED", 45), (amounts["rounded"], 150)])
    words = []
    for row, line in enumerate(lines):
        y = 20 + row * 15
        for text, x in line:
            box = (x, y, x + 6 * len(text), y + 10)
            words.append(
                PageWord(
                    text, tuple(v * scale + (shift if i % 2 else 0) for i, v in enumerate(box))
                )
            )  # type: ignore[misc]
    page = PageWords(1, WIDTH * scale, HEIGHT * scale + shift, tuple(words))
    text = "\n".join(" ".join(text for text, _ in line) for line in lines)
    return DocumentText(pages=(text,), words=(page,))


def fraction(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (box[0] / WIDTH, box[1] / HEIGHT, box[2] / WIDTH, box[3] / HEIGHT)


def slip(rows: list[tuple[float, list[tuple[str, float]]]], char: float = 5) -> DocumentText:
    """A slip under the shop's name: each row's words at their x, `char` points a letter."""
    named = [(20.0, [("KEDAI", 40.0), ("MAJU", 75.0), ("SDN", 105.0), ("BHD", 130.0)]), *rows]
    words = [
        PageWord(text, (x, y, x + char * len(text), y + 10)) for y, row in named for text, x in row
    ]
    return DocumentText(
        pages=("KEDAI MAJU SDN BHD",), words=(PageWords(1, WIDTH, HEIGHT, tuple(words)),)
    )


def memories(**record: int) -> list[Memory]:
    """What confirming `receipt()` taught: the name (the supplier is known by it), the date
    (its "label" is a reference number: found from the name), the total by its label."""
    size = (WIDTH, HEIGHT)
    return [
        Memory(KEY, "seller.name", 1, fraction((40, 20, 148, 30)), (), None, size, **record),
        Memory(
            KEY,
            "issue_date",
            1,
            fraction((120, 50, 180, 60)),
            ("1234",),
            fraction((40, 35, 64, 45)),
            size,
            **record,
        ),
        Memory(
            KEY,
            "total_gross",
            1,
            fraction((150, 95, 174, 105)),
            ("TOTAL", ":"),
            fraction((10, 95, 51, 105)),
            size,
            **record,
        ),
    ]


def values(document: DocumentText, known: list[Memory]) -> dict[str, object]:
    return {record.path: record.value for record in recall(document, KINDS, known)}


def test_the_same_layout_gives_back_every_remembered_field() -> None:
    records = recall(receipt(), KINDS, memories())
    assert {r.path: r.value for r in records} == {
        "seller.name": "KEDAI MAJU SDN BHD",
        "issue_date": date(2019, 1, 9),
        "total_gross": Decimal("9.50"),
    }
    assert all(r.method is Method.MEMORY and r.box for r in records)
    # the name by its own words and the total by its label are vouched for; the date, found
    # at its old place from the name (its "label" was a number), is not
    assert {r.path for r in records if r.confirmed} == {"seller.name", "total_gross"}


def test_another_scan_larger_and_lower_and_with_more_items_still_finds_them() -> None:
    document = receipt(scale=1.3, shift=25, items=3, total="17.20", sub="16.00")
    assert values(document, memories()) == {
        "seller.name": "KEDAI MAJU SDN BHD",
        "issue_date": date(2019, 1, 9),
        "total_gross": Decimal("17.20"),  # by its label: not the SUB TOTAL, not an item
    }


def test_a_value_whose_label_is_not_printed_is_left_to_the_rules() -> None:
    document = receipt()
    page = document.words[0]
    without_total = tuple(w for w in page.words if w.text != "TOTAL")
    document = DocumentText(document.pages, words=(PageWords(1, WIDTH, HEIGHT, without_total),))
    assert "total_gross" not in values(document, memories())


def test_another_suppliers_document_recalls_nothing() -> None:
    other = DocumentText(pages=("KEDAI LAIN\nTOTAL 9.50",), words=receipt().words)
    assert recall(other, KINDS, memories()) == []


def test_an_identifier_names_the_supplier_before_a_name_and_a_longer_name_before_a_shorter() -> (
    None
):
    text = "Kedai Maju Sdn Bhd, VAT DE 123 456 789"
    assert supplier_of(text, {KEY, "vat:DE123456789"}) == "vat:DE123456789"
    assert supplier_of(text, {KEY, "name:kedai maju"}) == KEY
    assert supplier_of("Kedai Majulah", {"name:kedai maju"}) is None  # whole words only


def test_confidence_is_earned_by_the_memory_record() -> None:
    fresh = recall(receipt(), KINDS, memories())[0].confidence
    assert fresh == PRIOR_RIGHT / (PRIOR_RIGHT + PRIOR_WRONG)
    wrong_often = recall(receipt(), KINDS, memories(uses=10, hits=2))[0].confidence
    right_always = recall(receipt(), KINDS, memories(uses=10, hits=10))[0].confidence
    assert wrong_often < 0.5 < fresh < right_always


def test_a_remembered_amount_on_a_page_with_a_rounding_adjustment_is_trusted_less() -> None:
    plain = {r.path: r.confidence for r in recall(receipt(), KINDS, memories())}
    rounded_receipt = receipt(total="9.48", rounding="0.02")
    assert rounding_printed(rounded_receipt.words[0])
    assert not rounding_printed(receipt(rounding="0.00").words[0])
    # "TOTAL ROUNDED 9.50" beside an adjustment of 0.00 prints a total, not an adjustment
    assert not rounding_printed(receipt(rounding="0.00", rounded="9.50").words[0])
    rounded = {r.path: r.confidence for r in recall(rounded_receipt, KINDS, memories())}
    assert rounded["total_gross"] < 0.5 <= plain["total_gross"]
    assert rounded["issue_date"] == plain["issue_date"]
    # known to be the total after the adjustment, on a receipt: not in doubt
    after = recall(rounded_receipt, KINDS, memories(), rounded={Decimal("9.48")})
    assert {r.path: r.confidence for r in after}["total_gross"] == plain["total_gross"]


def test_a_date_whose_label_moved_away_is_found_by_the_one_date_of_its_shape() -> None:
    size = (WIDTH, HEIGHT)
    moved = Memory(KEY, "issue_date", 1, fraction((120, 300, 180, 310)), ("CHANGE",),
                   fraction((10, 285, 50, 295)), size, value_shape="99/99/9999")  # fmt: skip
    assert values(receipt(), [moved]) == {"issue_date": date(2019, 1, 9)}
    other_shape = replace(moved, value_shape="99-99-99")
    assert values(receipt(), [other_shape]) == {}
    two_dates = receipt(item="10/01/2019")  # an item line prints another date of that shape
    assert values(two_dates, [moved]) == {}


def test_a_total_whose_remembered_label_names_the_rounding_keeps_its_confidence() -> None:
    rounded_receipt = receipt(total="9.48", rounding="0.02", rounded="9.50")
    size = (WIDTH, HEIGHT)
    after_rounding = Memory(KEY, "total_gross", 1, fraction((150, 125, 174, 135)),
                            ("TOTAL", "ROUNDED"), fraction((10, 125, 87, 135)), size)  # fmt: skip
    plain = replace(after_rounding, label_words=("TOTAL", ":"),
                    value_box=fraction((150, 95, 174, 105)),
                    label_box=fraction((10, 95, 51, 105)))  # fmt: skip
    (by_rounded,) = recall(rounded_receipt, KINDS, [after_rounding])
    (by_plain,) = recall(rounded_receipt, KINDS, [plain])
    assert by_rounded.value == Decimal("9.50") and by_rounded.confidence >= 0.5
    assert by_plain.value == Decimal("9.48") and by_plain.confidence < 0.5


def test_a_label_is_found_however_the_pdf_split_it_into_words() -> None:
    glued = [replace(memory, label_words=("TOTAL:",)) if memory.field == "total_gross" else memory
             for memory in memories()]  # fmt: skip
    assert values(receipt(), glued)["total_gross"] == Decimal("9.50")


def test_a_long_label_split_into_other_words_is_the_same_label_but_a_sub_total_is_not() -> None:
    line = [("TOTAL", 10), ("SALES", 40), ("(INCLUSIVE", 70), ("OF", 130), ("GST)", 145),
            (":", 166), ("465.34", 180)]  # fmt: skip
    sub = [("SUB", 10), ("TOTAL", 40), ("439.00", 180)]
    document = slip([(200, sub), (215, line)])
    glued = Memory(KEY, "total_gross", 1, fraction((180, 215, 210, 225)),
                   ("SALES(INCLUSIVE", "OF", "GST)", ":"), fraction((40, 215, 171, 225)),
                   (WIDTH, HEIGHT))  # fmt: skip
    assert values(document, [glued]) == {"total_gross": Decimal("465.34")}
    total = replace(glued, label_words=("TOTAL",), label_box=fraction((10, 215, 35, 225)),
                    value_box=fraction((180, 200, 210, 210)))  # fmt: skip
    assert values(document, [total]) == {}  # "SUB TOTAL" is not "TOTAL"


def test_a_whole_label_is_not_the_end_of_a_longer_label_cut_to_its_last_words() -> None:
    """Remembered whole as "TOTAL (RM)"; the next slip prints "(EXCLUDED GST) SUB TOTAL
    (RM)" nearer the remembered place, which its last four words would end alike."""
    sub = [("(EXCLUDED", 10), ("GST)", 55), ("SUB", 80), ("TOTAL", 100), ("(RM)", 130),
           ("313.50", 170)]  # fmt: skip
    total = [("TOTAL", 100), ("(RM)", 130), ("332.30", 170)]
    document = slip([(200, sub), (230, total)])
    label, label_box = ("TOTAL", "(RM)"), fraction((100, 205, 150, 215))
    remembered = Memory(
        KEY, "total_gross", 1, fraction((170, 205, 200, 215)), label, label_box, (WIDTH, HEIGHT)
    )
    assert values(document, [remembered]) == {"total_gross": Decimal("332.30")}


def test_a_label_printed_twice_finds_the_value_beside_the_printing_of_its_rank() -> None:
    """Confirmed beside the first of two "TOTAL" labels (the second heads a tax summary);
    the next slip prints fewer items, so its second "TOTAL" stands nearer the remembered
    place than its first."""
    rows = [
        (120.0, [("TOTAL", 10.0), ("27.55", 150.0)]),
        (140.0, [("CASH", 10.0), ("30.00", 150.0)]),
        (170.0, [("TOTAL", 10.0), ("1.56", 150.0)]),
    ]
    document = slip(rows, char=6)
    first = Memory(KEY, "total_gross", 1, fraction((150, 170, 180, 180)), ("TOTAL",),
                   fraction((10, 170, 40, 180)), (WIDTH, HEIGHT), label_rank=1)  # fmt: skip
    assert values(document, [first]) == {"total_gross": Decimal("27.55")}
    unranked = replace(first, label_rank=None)  # as remembered before ranks were kept
    assert values(document, [unranked]) == {"total_gross": Decimal("1.56")}


def test_a_label_that_prints_a_rate_is_a_label_not_another_value() -> None:
    """ "TOTAL GST@6%" carries a digit, as a reference number does; it is still found as a
    label (and vouches for the total), where a label of digits only is left for the anchor."""
    page = receipt().words[0]
    words = tuple(replace(w, text="GST@6%") if w.text == ":" else w for w in page.words)
    document = DocumentText(pages=("KEDAI MAJU SDN BHD",), words=(replace(page, words=words),))
    rated = [replace(memory, label_words=("TOTAL", "GST@6%")) if memory.field == "total_gross"
             else memory for memory in memories()]  # fmt: skip
    records = {r.path: r for r in recall(document, KINDS, rated)}
    assert records["total_gross"].value == Decimal("9.50")
    assert records["total_gross"].confirmed  # found beside its label, not at its old place


def test_a_value_labelled_by_the_suppliers_name_is_found_from_where_the_name_stands() -> None:
    """The label a person's pick had was the shop's name with its branch on the line under
    it: no one line spells it, but the name (the anchor) is found."""
    size = (WIDTH, HEIGHT)
    label = ("MAJU", "SDN", "BHD", "CHERAS")
    under_name = Memory(
        KEY, "issue_date", 1, fraction((120, 50, 180, 60)), label, fraction((40, 20, 148, 40)), size
    )
    named = [memories()[0], under_name]
    shifted = receipt(scale=1.3, shift=25)
    assert values(shifted, named) == {
        "seller.name": "KEDAI MAJU SDN BHD",
        "issue_date": date(2019, 1, 9),
    }


def _slip(pitch: float) -> DocumentText:
    """A slip whose address (three lines under a branch's name, over its GST number) stands
    under the shop's name, its lines `pitch` points apart, words 10 points high."""
    lines = [
        ["KEDAI", "MAJU", "SDN", "BHD"],
        ["CAWANGAN", "CHERAS"],
        ["NO", "2A", "JALAN", "COCHRANE,"],
        ["TAMAN", "MALURI"],
        ["55100", "KUALA", "LUMPUR"],
        ["GST", "NO.:", "000115154944"],
    ]
    words = [
        PageWord(text, (20 + 40 * i, y, 20 + 40 * i + 6 * len(text), y + 10))
        for row, line in enumerate(lines)
        for y in [80 + pitch * row]
        for i, text in enumerate(line)
    ]
    text = "\n".join(" ".join(line) for line in lines)
    return DocumentText(pages=(text,), words=(PageWords(1, WIDTH, HEIGHT, tuple(words)),))


def test_a_value_of_several_lines_is_read_over_as_many_lines_joined_as_confirmed() -> None:
    """Confirmed on a slip printed 11 points a line as the three lines joined by spaces; the
    next slip prints 9 points a line, and its GST number's line reaches into the box."""
    name_box = fraction((20, 80, 158, 90))
    address = fraction((20, 102, 164, 134))  # the address of `_slip(11)`
    remembered = [
        Memory(KEY, "seller.name", 1, name_box, (), None, (WIDTH, HEIGHT)),
        Memory(KEY, "seller.address", 1, address, (), None, (WIDTH, HEIGHT), None, 3, " "),
    ]
    kinds = {**KINDS, "seller.address": FieldKind.TEXT}
    whole = "NO 2A JALAN COCHRANE, TAMAN MALURI 55100 KUALA LUMPUR"
    for pitch in (11, 9):
        found = {r.path: r.value for r in recall(_slip(pitch), kinds, remembered)}
        assert found["seller.address"] == whole
    unknown = replace(remembered[1], value_lines=None, line_separator=None)
    found = {r.path: r.value for r in recall(_slip(9), kinds, [remembered[0], unknown])}
    assert found["seller.address"] == (
        "NO 2A JALAN COCHRANE, TAMAN MALURI, 55100 KUALA LUMPUR, GST NO.: 000115154944"
    )
