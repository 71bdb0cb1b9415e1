"""Arithmetic as evidence: the net, tax and gross totals of an invoice add up.

Among the amounts printed in a document, a (net, tax, gross) triple with net + tax = gross
whose members are labelled as such is far stronger evidence than any single label. The
triple is chosen by the summed label scores of its members; a printed amount due equal to
the gross adds to it.
"""

import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations, pairwise

from extractor.errors import NormalizationError
from extractor.result import FieldRecord
from extractor.text.locate import split_lines
from extractor.values.candidates import Span
from extractor.values.normalize import normalize
from schemas.kinds import FieldKind

TOTAL_FIELDS = ("total_net", "total_tax", "total_gross")
UNLABELLED_SCORE = 0.05  # an amount with no label still counts a little towards a triple
MIN_LABELLED_MEMBERS = 2  # amounts that add up by chance abound in a table of lines
MAX_AMOUNTS = 60  # distinct amounts considered; the triple search is cubic
MAX_RATES = 8  # tax amounts considered for a total of two rates
_RATE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,]\d{1,2})?)\s*%")
_RATE_AFTER = re.compile(r"\s*%")  # "19,00 %" is a rate, not an amount
_MAX_RATE = 30  # percent: no tax rate is higher
_RATE_ROW_LINES = 2  # lines after the rate that may hold its amounts, one to a line
_AMOUNT_WORD = re.compile(r"-?\d[\d.,']*[.,]\d{2}")
_CENT = Decimal("0.01")
# the change a till gives back, in the languages the product reads
_CHANGE = re.compile(r"\b(?:change|rückgeld|wechselgeld|rendu|wisselgeld)\b", re.IGNORECASE)
_CHANGE_LINES = 12  # lines from the change's label to its amount, where the text order
# puts a till slip's labels in one run and its amounts in the next
_ROUNDING = Decimal("0.05")  # the most a cash total is rounded by (to 0.05 or 0.10)
_ROUNDING_CUE = re.compile(r"\bround(?:ing|ed)?\b", re.IGNORECASE)
_ROUNDED_FROM = 3  # amounts before the adjustment where the total before it may stand
_BARE_FRACTION = re.compile(r"(?:^|(?<=\s))-?\.(?P<cents>\d{2})-?[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class TotalsChoice:
    values: dict[str, Decimal]  # field -> value, for the fields of the chosen triple
    score: float  # summed label support of the triple's members
    tax_parts: tuple[Decimal, ...] = ()  # when the tax total is the sum of printed rates


def amount_value(text: str) -> Decimal | None:
    try:
        value = normalize(FieldKind.AMOUNT, text)
    except NormalizationError:
        return None
    return value if isinstance(value, Decimal) else None


def choose_totals(
    spans: Sequence[Span], support: Mapping[str, Mapping[Decimal, float]]
) -> TotalsChoice | None:
    """The best-supported triple with net + tax = gross, or None when no triple exists.

    `support[field][value]` is how strongly labels point at `value` for `field`.
    """
    amounts = list(dict.fromkeys(v for span in spans if (v := amount_value(span.text)) is not None))
    amounts = sorted(amounts, key=lambda value: -_best_support(support, value))[:MAX_AMOUNTS]
    present = set(amounts)
    taxes = {tax: (tax,) for tax in amounts} | _rate_sums(support.get("total_tax", {}))
    best: TotalsChoice | None = None
    for net in amounts:
        for tax, parts in taxes.items():
            gross = net + tax
            if gross not in present or net == 0 or abs(tax) > abs(net):
                continue
            members = [
                _score(support, "total_net", net),
                min(_score(support, "total_tax", part) for part in parts),
                _score(support, "total_gross", gross),
            ]
            if sum(score > UNLABELLED_SCORE for score in members) < MIN_LABELLED_MEMBERS:
                continue
            score = sum(members) + 0.5 * support.get("amount_due", {}).get(gross, 0.0)
            if best is None or score > best.score:
                values = {"total_net": net, "total_tax": tax, "total_gross": gross}
                best = TotalsChoice(values, score, parts if len(parts) > 1 else ())
    return best


def rate_rows(text: str, spans: Sequence[Span]) -> list[tuple[Decimal, Decimal]]:
    """The (base, tax) pairs of a tax summary's rows: a line that prints a rate, then two
    amounts of which the second is that rate of the first ("GST S@6% 35.00 2.10", "MwSt. 19%
    auf 100,00 19,00"). The amounts may stand on the lines right after the rate, where the
    PDF's text order puts a table's cells one to a line."""
    rows: list[tuple[Decimal, Decimal]] = []
    lines = split_lines(text)
    for number, line in enumerate(lines):
        rate = _RATE.search(line.text)
        if rate is None or not 0 < (percent := _percent(rate.group(1))) <= _MAX_RATE:
            continue
        end = line.start + len(line.text)
        for following in lines[number + 1 : number + 1 + _RATE_ROW_LINES]:
            if not _amounts_only(following.text):
                break
            end = following.start + len(following.text)
        amounts = [
            value
            for span in spans
            if line.start + rate.end() <= span.start < end and not _RATE_AFTER.match(text, span.end)
            if (value := amount_value(span.text)) is not None
        ]
        rows.extend(
            (base, tax)
            for base, tax in pairwise(amounts)
            if 0 < tax < base and abs(base * percent / 100 - tax) <= _CENT
        )
    return rows


def payment_totals(text: str, spans: Sequence[Span]) -> list[Decimal]:
    """The totals a till slip's payment confirms: the amount tendered less the change given
    back ("CASH 50.00" then "CHANGE 41.00" pays 9.00). The two amounts stand one after the
    other with "change" at most `_CHANGE_LINES` lines above the second; the total is printed
    before them, and no amount printed before it is larger (a line's price is not a total)
    but by a rounding adjustment (the total before it)."""
    lines = split_lines(text)
    cues = [number for number, line in enumerate(lines) if _CHANGE.search(line.text)]
    if not cues:
        return []
    starts = [line.start for line in lines]
    printed = _printed_amounts(text, spans)
    values = [value for value, _ in printed]
    found: list[Decimal] = []
    for index in range(1, len(printed) - 1):
        paid, (change, change_span) = values[index], printed[index + 1]
        total = paid - change
        line = bisect_right(starts, change_span.start) - 1
        if change <= 0 or total <= 0 or total not in values[:index] or total in found:
            continue
        if not any(0 <= line - cue <= _CHANGE_LINES for cue in cues):
            continue
        if max(values[: values.index(total) + 1]) <= total + _ROUNDING:
            found.append(total)
    return found


def taxed_totals(text: str, spans: Sequence[Span]) -> set[Decimal]:
    """The gross total a tax printed beside its rate confirms: the one printed amount whose
    tax at that rate, gross * rate / (100 + rate), rounds to the tax, whether the tax was
    added to a net or is included in the gross ("GST @6% INCLUDED IN TOTAL / RM 1.77" with
    31.20; "GST 6% 13.00 0.78" with 13.78). The tax is an amount after the rate on its line,
    else on the `_RATE_ROW_LINES` lines after it. Where two printed amounts fit one tax (the
    totals before and after a rounding adjustment), it confirms neither."""
    printed = _printed_amounts(text, spans)
    lines = split_lines(text)
    found: set[Decimal] = set()
    for number, line in enumerate(lines):
        rate = _RATE.search(line.text)
        if rate is None or not 0 < (percent := _percent(rate.group(1))) <= _MAX_RATE:
            continue
        start, taxes = line.start + rate.end(), []
        for following in lines[number : number + 1 + _RATE_ROW_LINES]:
            end = following.start + len(following.text)
            taxes = [value for value, span in printed if start <= span.start < end and value > 0]
            if taxes:
                break
        for tax in taxes:
            grosses = {
                gross for gross, _ in printed if gross > tax and _tax_in(gross, percent) == tax
            }
            if len(grosses) == 1:
                found |= grosses
    return found


def _tax_in(gross: Decimal, percent: Decimal) -> Decimal:
    return (gross * percent / (100 + percent)).quantize(_CENT, rounding=ROUND_HALF_UP)


def rounded_totals(text: str, spans: Sequence[Span]) -> dict[Decimal, Decimal]:
    """The totals before and after a cash rounding adjustment the page prints ("TOTAL 30.91 /
    ROUNDING ADJ -0.01 / TOTAL ROUNDED 30.90"), before -> after, on a page that names a
    rounding. They differ by at most `_ROUNDING`, and either the adjustment stands between
    them in the text's order of the amounts (`_adjusted_pairs`), or they follow one another
    with the rounding between them (`_neighbour_pairs`)."""
    if not _ROUNDING_CUE.search(text):
        return {}
    printed = _printed_amounts(text, spans)
    values = [value for value, _ in printed]
    found: dict[Decimal, Decimal] = {}
    for index in range(1, len(printed)):
        for before, after, _ in _neighbour_pairs(text, printed[index - 1 : index + 1]):
            found.setdefault(before, after)
        for pair in _adjusted_pairs(values, index):
            found.setdefault(*pair)
    return found


def adjusted_totals(text: str, spans: Sequence[Span]) -> set[Decimal]:
    """The totals after a rounding adjustment that arithmetic confirms: the total before it
    plus the adjustment, all three printed (`_adjusted_pairs`, `_neighbour_pairs`), on a page
    that names a rounding."""
    if not _ROUNDING_CUE.search(text):
        return set()
    printed = _printed_amounts(text, spans)
    values = [value for value, _ in printed]
    summed = {after for _, after, adds_up in _neighbour_pairs(text, printed) if adds_up}
    return summed | {
        after for index in range(1, len(values)) for _, after in _adjusted_pairs(values, index)
    }


def _neighbour_pairs(
    text: str, printed: Sequence[tuple[Decimal, Span]]
) -> Iterator[tuple[Decimal, Decimal, bool]]:
    """(before, after, adds up) for consecutive totals a rounding apart with the rounding
    between them: its label, or the adjustment printed as a bare fraction ending its line
    (".02", "ROUNDING ADJUSTMENT RM   .02": no amount to `find_spans`), which adds up where it
    is their difference."""
    for (before, first), (after, second) in pairwise(printed):
        if not 0 < abs(after - before) <= _ROUNDING or after <= _ROUNDING:
            continue
        fraction = _BARE_FRACTION.search(text, first.end, second.start)
        adds_up = fraction is not None and _fraction_adds_up(fraction, before, after)
        if adds_up or _ROUNDING_CUE.search(text, first.end, second.start):
            yield before, after, adds_up


def _fraction_adds_up(fraction: re.Match[str], before: Decimal, after: Decimal) -> bool:
    adjustment = Decimal(f"0.{fraction['cents']}")
    if "-" in fraction.group():
        return before - adjustment == after
    return abs(after - before) == adjustment


def _printed_amounts(text: str, spans: Sequence[Span]) -> list[tuple[Decimal, Span]]:
    return [
        (value, span)
        for span in spans
        if (value := amount_value(span.text)) is not None and not _RATE_AFTER.match(text, span.end)
    ]


def _adjusted_pairs(values: Sequence[Decimal], index: int) -> list[tuple[Decimal, Decimal]]:
    """(before, after) where `values[index]` is a rounding adjustment and the next amount is
    the total after it: the total before it stands at most `_ROUNDED_FROM` amounts earlier,
    or, where it is not printed, is the sum of two of those amounts (a net and its tax: "SUB
    TOTAL 14.00 / GST 0.84 / ROUNDING ADJ 0.01 / TOTAL 14.85", a discount of 0.00 between
    them or not); in the adjustment's direction where it is printed negative."""
    if index >= len(values) - 1:
        return []
    adjustment, after = values[index], values[index + 1]
    if not 0 < abs(adjustment) <= _ROUNDING or after <= _ROUNDING:
        return []
    window = values[max(0, index - _ROUNDED_FROM) : index]
    sums = [first + second for first, second in combinations(window, 2)]
    for before in [*reversed(window), *sums]:
        signed = adjustment > 0 or after == before + adjustment
        if abs(after - before) == abs(adjustment) and signed:
            return [(before, after)]
    return []


def _percent(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def printed_rates(text: str) -> list[Decimal]:
    """The tax rates printed in `text` ("19%", "5,5 %"), in order."""
    rates = (_percent(match.group(1)) for match in _RATE.finditer(text))
    return [rate for rate in rates if 0 < rate <= _MAX_RATE]


def _amounts_only(line: str) -> bool:
    return bool(line.strip()) and all(_AMOUNT_WORD.fullmatch(word) for word in line.split())


def _rate_sums(tax_support: Mapping[Decimal, float]) -> dict[Decimal, tuple[Decimal, ...]]:
    """Totals of two tax amounts printed per rate, when no tax total is printed."""
    labelled = sorted(
        (value for value, score in tax_support.items() if score > UNLABELLED_SCORE and value),
        key=lambda value: -tax_support[value],
    )[:MAX_RATES]
    return {
        first + second: (first, second)
        for index, first in enumerate(labelled)
        for second in labelled[index + 1 :]
    }


def _score(support: Mapping[str, Mapping[Decimal, float]], field: str, value: Decimal) -> float:
    return support.get(field, {}).get(value, UNLABELLED_SCORE if value else 0.0)


def _best_support(support: Mapping[str, Mapping[Decimal, float]], value: Decimal) -> float:
    return max((scores.get(value, 0.0) for scores in support.values()), default=0.0)


def lines_up_to_net_total(
    generated: Sequence[FieldRecord], decided: Sequence[FieldRecord]
) -> list[FieldRecord]:
    """Generated invoice lines past the point where their nets already add up to the decided
    net total are a repeat, not more lines: they are dropped. Lines whose nets never reach the
    total exactly are all kept (the lines check flags them)."""
    total = next(
        (r.value for r in decided if r.path == "total_net" and isinstance(r.value, Decimal)),
        None,
    )
    nets: dict[int, Decimal] = {}
    for record in generated:
        parts = record.path.split(".")
        if parts[0] == "lines" and parts[-1] == "net_amount" and isinstance(record.value, Decimal):
            nets[int(parts[1])] = record.value
    if total is None or not nets:
        return list(generated)
    running = Decimal(0)
    for index in range(max(nets) + 1):
        running += nets.get(index, Decimal(0))
        if running == total and index < max(nets):
            return [r for r in generated if not _line_after(r.path, index)]
    return list(generated)


def _line_after(path: str, index: int) -> bool:
    parts = path.split(".")
    return parts[0] == "lines" and int(parts[1]) > index
