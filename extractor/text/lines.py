"""Invoice lines found by arithmetic: a quantity, a unit price and a net amount with
quantity x price = net, close together, are a line item, whatever the table looks like. A row
that prints a tax rate between its price and its last amount may give that amount with the
tax (quantity x price x (1 + rate) = amount); its net is then not printed. A table without
unit prices is found by its sum instead (`summed_rows`).

pypdf gives a table row either as one line of text or one cell per line, so a row is
searched in a window of consecutive lines. Its description is the text before the first
number of the row, or the text line just above it.
"""

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import islice, takewhile

from extractor.errors import NormalizationError
from extractor.text.locate import Line
from extractor.text.totals import printed_rates
from extractor.values.candidates import Span, find_spans
from extractor.values.normalize import parse_amount, parse_quantity
from schemas.kinds import FieldKind

ROW_LINES = 6  # consecutive text lines one table row may span
ROW_NUMBERS = 12  # numbers one table row may hold (bounds the search on dense pages)
CENT = Decimal("0.01")
PRICE_BASES = (10, 100, 1000)  # units a price may be given per (`_per_base_quantity`)
MIN_PRICE_STEPS = 100  # a price printed rounded: to 1 % of itself or finer (`_rounded_price`)
MAX_SUMS = 4096  # a table read two ways on many lines: its sums, bounded
_RATE = re.compile(r"\d{1,2}(?:[.,]\d{1,2})?\s*%")
_WORD = re.compile(r"-?[\d.,']+")
_PRICE_DECIMALS = re.compile(r"\d[.,]\d{3,4}$")
_WHOLE_AT_END = re.compile(r"(?<!\S)\d{1,4}$")  # a quantity before a row's amount
_CURRENCY_AT_END = re.compile(r"\s*(?:[A-Z]{3}|[€$£¥])?\s*")
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzäöüßéèêàâçôûîïë")


@dataclass(frozen=True)
class Number:
    span: Span
    value: Decimal
    line: int
    is_amount: bool  # written with cents, as line totals are
    is_price: bool  # written with 2 to 4 decimals, as unit prices are ("9,9000")


@dataclass(frozen=True)
class LineItem:
    description: Span | None
    quantity: Number
    unit_price: Number
    amount: Number  # the row's last amount: its net, or with `rate` its amount with that tax
    rate: Decimal | None = None

    @property
    def net_amount(self) -> Number | None:
        return self.amount if self.rate is None else None


@dataclass(frozen=True)
class SummedRow:
    """A row of a table without unit prices: its description, the whole quantity printed
    before its amount (if any), and its amount."""

    description: Span
    quantity: Number | None
    amount: Number


def summed_rows(
    text: str, lines: Sequence[Line], net_label: re.Pattern[str], total_label: re.Pattern[str]
) -> list[SummedRow]:
    """The first run of two or more lines, each a description, maybe a whole quantity, and
    an amount with at most a currency after it ("Kühlaggregat 12 2.933,16 EUR"), whose
    amounts add up to the amount of the line right after them, labelled as the net total
    (`net_label`: "Nettobetrag 16.357,22 EUR"). A line whose description is a total's label
    (`total_label`) is no row: a subtotal and its tax add up to a total too. A line read
    two ways ("2 225,66": 2225.66, or 2 of 225.66) is read the way the sum holds."""
    readings = [_row_readings(number, line, total_label) for number, line in enumerate(lines)]
    for end, line in enumerate(lines):
        total = next(iter(_final_amounts(line.text)), None)
        if total is None or not net_label.search(line.text[: total.start]):
            continue
        net = parse_amount(total.text)
        sums: dict[Decimal, tuple[SummedRow, ...]] = {Decimal(0): ()}
        for start in range(end - 1, -1, -1):
            if not readings[start] or len(sums) > MAX_SUMS:
                break
            sums = {
                running + row.amount.value: (row, *chosen)
                for running, chosen in sums.items()
                for row in readings[start]
            }
            if end - start >= 2 and net in sums:
                return list(sums[net])
    return []


def _row_readings(number: int, line: Line, total_label: re.Pattern[str]) -> list[SummedRow]:
    """The ways a line reads as a row of a table without unit prices: each amount that ends
    it, with the whole number before it as the quantity, and the words before as the
    description (not a total's label)."""
    rows = []
    for amount in _final_amounts(line.text):
        before = line.text[: amount.start].rstrip()
        quantity = None
        whole = _WHOLE_AT_END.search(before)
        if whole is not None:
            start = line.start + whole.start()
            span = Span(whole.group(), start, start + len(whole.group()))
            quantity = Number(span, Decimal(whole.group()), number, is_amount=False, is_price=False)
            before = before[: whole.start()].rstrip()
        described = before.strip(" \t|:-")
        if not _is_words(described) or total_label.search(described):
            continue
        offset = line.start + line.text.index(described)
        start = line.start + amount.start
        value = Number(
            Span(amount.text, start, start + len(amount.text)),
            parse_amount(amount.text),
            number,
            is_amount=True,
            is_price=False,
        )
        rows.append(SummedRow(Span(described, offset, offset + len(described)), quantity, value))
    return rows


def _final_amounts(line: str) -> list[Span]:
    """The readings of an amount that end the line, where nothing but a currency follows,
    longest first, one per start."""
    spans = [
        span
        for span in find_spans(line, FieldKind.AMOUNT, longest=False)
        if _CURRENCY_AT_END.fullmatch(line[span.end :])
    ]
    by_start = {span.start: span for span in sorted(spans, key=lambda s: s.end)}
    return [by_start[start] for start in sorted(by_start)]


def find_line_items(text: str, lines: Sequence[Line]) -> list[LineItem]:
    """Rows whose quantity times unit price is their net amount, top to bottom."""
    numbers = _numbers(text, lines)
    items: list[LineItem] = []
    position = 0
    while position < len(numbers):
        item = _row_at(text, numbers, position, lines)
        if item is None:
            position += 1
            continue
        items.append(item)
        end = item.amount.span.end
        while position < len(numbers) and numbers[position].span.start < end:
            position += 1
    return items


def _row_at(
    text: str, numbers: Sequence[Number], first: int, lines: Sequence[Line]
) -> LineItem | None:
    """A row whose first number is `numbers[first]`: (quantity, price, amount) or (price,
    quantity, amount) in reading order, not overlapping, within ROW_LINES lines; the amount
    is their product, or that with the tax of a rate printed between them."""
    start = numbers[first]
    following = takewhile(
        lambda n: n.line < start.line + ROW_LINES, islice(numbers, first + 1, None)
    )
    window = list(islice(following, ROW_NUMBERS))
    for middle_index, middle in enumerate(window):
        if middle.span.start < start.span.end:
            continue
        for net in window[middle_index + 1 :]:
            if net.span.start < middle.span.end or not net.is_amount:
                continue
            if net.value == 0 and not _free_row(
                start, middle, net, text[middle.span.end : net.span.start]
            ):
                continue
            rates = printed_rates(text[middle.span.end : net.span.start])
            one_line = start.line == net.line
            for quantity, price in ((start, middle), (middle, start)):
                if not price.is_price:
                    continue
                if _times(quantity.value, price.value) == net.value or (
                    one_line
                    and (
                        _rounded_price(quantity, price, net.value)
                        or _per_base_quantity(quantity, price, net.value)
                    )
                ):
                    return LineItem(_description(lines, start), quantity, price, net)
                for rate in rates:
                    if net.value in _with_tax(quantity.value, price.value, rate):
                        return LineItem(_description(lines, start), quantity, price, net, rate)
    return None


def _times(quantity: Decimal, price: Decimal) -> Decimal | None:
    try:
        return (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # an article number read as a quantity: too many digits
        return None


def _free_row(start: Number, middle: Number, net: Number, between: str) -> bool:
    """Whether a zero amount ends a row given free: a whole quantity other than 0 and a
    price of 0 printed with decimals, side by side on the amount's line, nothing
    but a rate between them and the amount ("0,0000  10 Stk  7 %  0,00"). Zeros elsewhere (a
    totals block's "0,00") make no row, and a zero price makes no row of a position number
    printed before it."""
    pair = (start, middle)
    whole = [n for n in pair if n.value != 0 and n.value == n.value.to_integral_value()]
    priced = [n for n in pair if n.value == 0 and n.is_price]
    alone = not re.search(r"\d", _RATE.sub("", between))
    return start.line == net.line and len(whole) == 1 and len(priced) == 1 and alone


def _per_base_quantity(quantity: Number, price: Number, net: Decimal) -> bool:
    """Whether the price is per 10, 100 or 1000 units (EN 16931's price base quantity):
    "0,0520  10000 KWH  52,00" at 0,0520 per 10. Only for a price printed with three or four
    decimals, as prices of small units are."""
    product = _times(quantity.value, price.value)
    return (
        not price.is_amount
        and product is not None
        and net != 0
        and any(product == net * base for base in PRICE_BASES)
    )


def _rounded_price(quantity: Number, price: Number, net: Decimal) -> bool:
    """Whether the net is the quantity times a price that the printed one rounds: a price
    of 3.3333 printed "3,33" makes 3 of them 10,00. Only for a price printed to 1 % of itself
    or finer, so that the slack stays within 0.5 % of the net whatever the quantity: "0,02"
    (a 2 % rate) is no price that rounding explains. The caller asks it only of numbers on
    one line: a near product across lines is too often chance (a subtotal six times its
    tax)."""
    if quantity.value <= 1:
        return False
    step = Decimal(1).scaleb(-len(re.split(r"[.,]", price.span.text.strip())[-1]))
    if price.value < MIN_PRICE_STEPS * step:
        return False
    return abs(net - quantity.value * price.value) <= quantity.value * step / 2 + CENT / 2


def _with_tax(quantity: Decimal, price: Decimal, rate: Decimal) -> set[Decimal]:
    """The row's amount with the tax, its net rounded to cents first or not."""
    net = _times(quantity, price)
    if net is None:
        return set()
    factor = 1 + rate / 100
    return {
        (value * factor).quantize(CENT, rounding=ROUND_HALF_UP) for value in (quantity * price, net)
    }


def _description(lines: Sequence[Line], first: Number) -> Span | None:
    line = lines[first.line]
    before = line.text[: first.span.start - line.start].strip(" \t|:-")
    if _is_words(before):
        offset = line.text.index(before)
        return Span(before, line.start + offset, line.start + offset + len(before))
    for above in reversed(lines[max(0, first.line - 2) : first.line]):
        text = above.text.strip()
        if _is_words(text):
            offset = above.text.index(text)
            return Span(text, above.start + offset, above.start + offset + len(text))
    return None


def _is_words(text: str) -> bool:
    return sum(char.lower() in _LETTERS for char in text) >= 3


def _numbers(text: str, lines: Sequence[Line]) -> list[Number]:
    """Every reading of every number, in reading order: "3 100,00" is both 3100.00 and a 3
    followed by 100.00, and the row's arithmetic decides which."""
    found = [
        Number(span, parse_amount(span.text), 0, is_amount=True, is_price=True)
        for span in find_spans(text, FieldKind.AMOUNT, longest=False)
    ]
    for match in _WORD.finditer(text):
        try:
            value = parse_quantity(match.group())
        except NormalizationError:
            continue
        span = Span(match.group(), match.start(), match.end())
        is_price = _PRICE_DECIMALS.search(span.text) is not None
        found.append(Number(span, value, 0, is_amount=False, is_price=is_price))
    starts = [line.start for line in lines]
    return sorted(
        (replace(n, line=bisect_right(starts, n.span.start) - 1) for n in found),
        key=lambda n: (n.span.start, -n.span.end),
    )
