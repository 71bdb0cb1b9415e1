"""The text path for a document's scalar fields: rank candidates by layout and arithmetic,
let the model choose where the ranking is close, and calibrate each field's confidence."""

import re
import time
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from extractor.learn.scorer import DISAGREEMENT_FACTOR, DOUBTED_CUES, Scorer
from extractor.model.choose import Decision, by_model, by_rules, needs_model
from extractor.model.confidence import Calibration, evidence, table_key
from extractor.model.protocol import ModelBackend
from extractor.read.page_words import Box, PageWord, text_boxes, word_lines
from extractor.read.pdf import DocumentText
from extractor.read.row_cells import row_cell
from extractor.result import FieldRecord, FieldValue, Method
from extractor.schema_walk import Leaf
from extractor.text.addresses import ADDRESS_EVIDENCE, address_after, interleaved_column
from extractor.text.decide import Option, Ranking, decision_order, rank_fields, without_partner
from extractor.text.lines import LineItem, find_line_items, summed_rows
from extractor.text.locate import LabelIndex, Line, Proposal, split_lines
from extractor.text.party_columns import column_party_proposals
from extractor.text.totals import TOTAL_FIELDS
from extractor.text.wrapped_names import unwrapped
from extractor.values.candidates import Span
from extractor.values.kinds import document_kind
from extractor.values.normalize import normalize_text
from schemas import SchemaSpec
from schemas.invoice import LABELS


@dataclass
class TextFields:
    records: list[FieldRecord] = field(default_factory=list)
    prompt_tokens: int = 0
    model_choices: int = 0
    seconds: float = 0.0
    model_seconds: float = 0.0  # of `seconds`, spent in the model's choices


def decide_text_fields(
    document: DocumentText,
    schema: SchemaSpec,
    leaves: Sequence[Leaf],
    backend: ModelBackend | None,
    calibration: Calibration,
    scorer: Scorer | None = None,
) -> TextFields:
    """One record per scalar leaf; `backend=None` decides by the rules alone, and `scorer`
    re-ranks the date, amount and party-name fields it has weights for."""
    started = time.perf_counter()
    lines = split_lines(document.full)
    descriptions = {leaf.template: leaf.description for leaf in leaves}
    outcome = TextFields()

    labels = LabelIndex(schema.cues.labels)

    def choose(ranking: Ranking) -> Decision:
        if backend is None or not needs_model(ranking):
            return by_rules(ranking)
        decision, choice = by_model(
            backend,
            ranking,
            schema=schema.name,
            description=descriptions[ranking.path],
            lines=lines,
        )
        outcome.prompt_tokens += choice.prompt_tokens
        outcome.model_seconds += choice.seconds
        outcome.model_choices += 1
        return decision

    def decide(ranking: Ranking) -> Decision:
        return _unwrapped(choose(ranking), schema, lines, document, labels)

    layout = list(column_party_proposals(document, schema.cues.party_labels))
    decided = decide_scalars(document.full, schema, leaves, decide, scorer, layout)
    outcome.records = [_record(decision, document, calibration) for decision in decided.values()]
    outcome.records = _with_addresses(outcome.records, decided, lines, document, calibration)
    outcome.seconds = time.perf_counter() - started
    return outcome


def decide_scalars(
    text: str,
    schema: SchemaSpec,
    leaves: Sequence[Leaf],
    decide: Callable[[Ranking], Decision],
    scorer: Scorer | None = None,
    layout: Sequence[Proposal] = (),
) -> dict[str, Decision]:
    """Each scalar leaf's decision, in decision order: a field whose exclusive partner (the
    buyer of the seller, say) is decided already no longer offers the partner's value, nor
    a part of the printing it was read from (`without_partner`)."""
    rankings = rank_fields(text, leaves, schema.cues, layout)
    if scorer is not None:
        kinds = {leaf.template: leaf.kind for leaf in leaves}
        kind = document_kind(schema, text)
        rankings = scorer.rerank(text, rankings, kinds, kind.name if kind is not None else None)
    partners = {a: b for pair in schema.cues.exclusive for a, b in (pair, pair[::-1])}
    decided: dict[str, Decision] = {}
    for path in decision_order(rankings, schema.cues.exclusive):
        ranking = rankings[path]
        partner = decided.get(partners.get(path, ""))
        if partner is not None and partner.option is not None:
            ranking = without_partner(ranking, partner.option)
        decided[path] = decide(ranking)
    return decided


def _unwrapped(
    decision: Decision,
    schema: SchemaSpec,
    lines: Sequence[Line],
    document: DocumentText,
    labels: LabelIndex,
) -> Decision:
    """A party's name grown over the lines the printer wrapped it onto (`unwrapped`)."""
    party, _, leaf = decision.path.rpartition(".")
    if leaf != "name" or party not in schema.cues.party_labels or decision.option is None:
        return decision
    if not document.words:
        return decision
    return replace(decision, option=unwrapped(decision.option, lines, document, labels))


def _with_addresses(
    records: list[FieldRecord],
    decided: dict[str, Decision],
    lines: Sequence[Line],
    document: DocumentText,
    calibration: Calibration,
) -> list[FieldRecord]:
    """A party's address, where no label gave one, from the lines after its decided name."""
    names: dict[str, Option] = {
        path.removesuffix(".name"): decision.option
        for path, decision in decided.items()
        if path.endswith(".name") and decision.option is not None
    }
    completed = []
    for record in records:
        party, _, leaf = record.path.rpartition(".")
        name = names.get(party)
        if leaf == "address" and record.value is None and name is not None:
            others = [o for p, o in names.items() if p != party]
            found = max(  # where the name is printed more than once, the fullest address
                (
                    address
                    for proposal in sorted(name.proposals, key=lambda p: p.start)
                    if (address := _address_of(lines, proposal, name, others)) is not None
                ),
                key=lambda address: address.text.count(","),
                default=None,
            )
            if found is not None:
                key = table_key(Method.RULES.value, record.path)
                confidence = calibration.confidence(key, ADDRESS_EVIDENCE)
                located = FieldRecord(record.path, found.text, Method.RULES, confidence)
                raw = Span(document.full[found.start : found.end], found.start, found.end)
                record = _located(document, located, raw, ADDRESS_EVIDENCE)
        completed.append(record)
    return completed


def _address_of(
    lines: Sequence[Line], proposal: Proposal, name: Option, others: Sequence[Option]
) -> Span | None:
    """The address after one occurrence of a party's name; where another party's name stands
    on the next or previous line, the two blocks are side by side and interleave."""
    names = frozenset(str(option.value) for option in (name, *others))
    starts = [line.start for line in lines]
    here = bisect_right(starts, proposal.start) - 1
    for other in others:
        for elsewhere in other.proposals:
            there = bisect_right(starts, elsewhere.start) - 1
            if abs(there - here) == 1 and lines[there].text.strip() == elsewhere.text:
                column = interleaved_column(lines, here, there)
                return address_after(column, column[0].start, names) if column else None
    return address_after(lines, proposal.end, names)


def _record(decision: Decision, document: DocumentText, calibration: Calibration) -> FieldRecord:
    score = evidence(decision)
    method = decision.method.value if decision.option is not None else None
    confidence = calibration.confidence(table_key(method, decision.path), score)
    if decision.option is not None and decision.option.cues & DOUBTED_CUES:
        confidence *= DISAGREEMENT_FACTOR  # the scorer disagrees with the rules, or doubts it
    if decision.option is None:
        return FieldRecord(decision.path, None, decision.method, confidence, evidence=score)
    proposal = decision.option.first
    return _located(
        document,
        FieldRecord(decision.path, decision.option.value, decision.method, confidence),
        Span(proposal.text, proposal.start, proposal.end),
        score,
    )


def _located(document: DocumentText, record: FieldRecord, span: Span, score: float) -> FieldRecord:
    """The record with the page and span its raw text was read from."""
    location = document.locate(span.start, span.end)
    return replace(
        record,
        page=location.page,
        start=location.start,
        end=location.end,
        raw=span.text,
        evidence=score,
    )


_TOTALS = (*TOTAL_FIELDS, "amount_due")
_NET_LABEL = re.compile(rf"\b(?:{'|'.join(LABELS['total_net'])})\b", re.IGNORECASE)
_TOTAL_LABEL = re.compile(
    rf"\b(?:{'|'.join(label for p in _TOTALS for label in LABELS[p])})\b", re.IGNORECASE
)
_WRAPPED_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\n\s*(?=\w)|(?<=\w)[ \t]*\n\s*-(?=[^\W\d_])")
LINE_NUMBER_EVIDENCE = 0.9  # quantity x price = net: the three numbers confirm each other
LINE_DESCRIPTION_EVIDENCE = 0.5  # the words next to them: layout only


def line_records(document: DocumentText, calibration: Calibration) -> list[FieldRecord]:
    """Records for the line items that arithmetic finds; where it finds no row, those of a
    table without unit prices that its sum finds (`summed_rows`). A row's description is its
    cell on the page where the page's words are known (`row_cell`: it wraps onto the lines
    below), else the text before its numbers or the line above."""
    text = document.full
    records: list[FieldRecord] = []
    items = find_line_items(text, split_lines(text))
    if not items:
        return _summed_records(document, calibration)
    placed = [_number_boxes(document, item) for item in items]
    for index, item in enumerate(items):
        below = placed[index + 1][0] if index + 1 < len(items) and placed[index + 1] else None
        cells = (_cell_description(document, number, below) for number in placed[index])
        value, description = next(
            (cell for cell in cells if cell is not None),
            (_text_value(item.description), item.description),
        )
        net = item.net_amount  # None where the row's amount holds its tax
        parts: list[tuple[str, FieldValue, Span | None, float]] = [
            ("description", value, description, LINE_DESCRIPTION_EVIDENCE),
            ("quantity", item.quantity.value, item.quantity.span, LINE_NUMBER_EVIDENCE),
            ("unit_price", item.unit_price.value, item.unit_price.span, LINE_NUMBER_EVIDENCE),
            (
                "net_amount",
                net.value if net else None,
                net.span if net else None,
                LINE_NUMBER_EVIDENCE,
            ),
        ]
        records.extend(_line_record(document, calibration, index, *part) for part in parts)
    return records


def _line_record(
    document: DocumentText,
    calibration: Calibration,
    index: int,
    name: str,
    value: FieldValue,
    span: Span | None,
    score: float,
) -> FieldRecord:
    path = f"lines.{index}.{name}"
    key = table_key(Method.RULES.value if value is not None else None, path)
    confidence = calibration.confidence(key, score)
    if span is None or value is None:
        return FieldRecord(path, None, Method.RULES, confidence, evidence=score)
    return _located(document, FieldRecord(path, value, Method.RULES, confidence), span, score)


def _summed_records(document: DocumentText, calibration: Calibration) -> list[FieldRecord]:
    """Records for a table without unit prices, found by its sum (`summed_rows`): the sum
    confirms the amounts; the descriptions and quantities stand where the layout puts them."""
    rows = summed_rows(document.full, split_lines(document.full), _NET_LABEL, _TOTAL_LABEL)
    records: list[FieldRecord] = []
    for index, row in enumerate(rows):
        quantity = row.quantity
        parts: list[tuple[str, FieldValue, Span | None, float]] = [
            (
                "description",
                _text_value(row.description),
                row.description,
                LINE_DESCRIPTION_EVIDENCE,
            ),
            (
                "quantity",
                quantity.value if quantity else None,
                quantity.span if quantity else None,
                LINE_DESCRIPTION_EVIDENCE,
            ),
            ("unit_price", None, None, LINE_NUMBER_EVIDENCE),
            ("net_amount", row.amount.value, row.amount.span, LINE_NUMBER_EVIDENCE),
        ]
        records.extend(_line_record(document, calibration, index, *part) for part in parts)
    return records


PlacedBox = tuple[int, Box, int]  # page, box, the span's start in the full text


def _number_boxes(document: DocumentText, item: LineItem) -> list[PlacedBox]:
    """Where the row's quantity and price stand on the page, in the text's order: the box of
    the same occurrence of each one's text, as a word of its own, as in the page's text. The
    cell is looked for left of the first, then of the second (a position number that happens
    to be the quantity stands left of the description)."""
    placed = []
    for number in sorted((item.quantity.span, item.unit_price.span), key=lambda s: s.start):
        location = document.locate(number.start, number.end)
        if not document.words or location.page > len(document.words):
            continue
        boxes = text_boxes(document.words[location.page - 1].words, number.text)
        word = re.compile(rf"(?<!\S){re.escape(number.text.strip())}(?!\S)")
        before = len(word.findall(document.pages[location.page - 1], 0, location.start))
        if boxes:
            placed.append((location.page, boxes[min(before, len(boxes) - 1)], number.start))
    return placed


def _cell_description(
    document: DocumentText, first: PlacedBox, below: PlacedBox | None
) -> tuple[str | None, Span] | None:
    """The row's description cell (`row_cell`): its value and the span of the text that holds
    it. The span is its words, whitespace apart, nearest the row's first number; else each of
    its lines so (a cell centred beside the numbers, or wrapped below them, is in pieces
    around them), the span then covering them and its text the lines, one to a line. Where
    the text runs a line's words together ("Karton3x20") that the page prints apart, the
    line is found so, and the value spaces its words as the page does. None where there is
    no cell or the text does not hold a line of it (a cell read by geometry alone would not
    be grounded)."""
    page, box, start = first
    following = below[1] if below is not None and below[0] == page else None
    words = row_cell(document.words[page - 1].words, box, following)
    if not words:
        return None
    whole = _nearest(document.full, words, start)
    if whole is not None:
        return _text_value(whole), whole
    lines = word_lines(words)
    pieces = [
        _nearest(document.full, line, start) or _nearest(document.full, line, start, r"\s*")
        for line in lines
    ]
    if not pieces or any(piece is None for piece in pieces):
        return None
    found = [piece for piece in pieces if piece is not None]
    text = "\n".join(piece.text for piece in found)
    span = Span(text, min(piece.start for piece in found), max(piece.end for piece in found))
    return _one_line("\n".join(" ".join(word.text for word in line) for line in lines)), span


def _nearest(
    text: str, words: Sequence[PageWord], start: int, between: str = r"\s+"
) -> Span | None:
    """The occurrence of the words in the text, with `between` them (whitespace), nearest
    `start`."""
    pattern = between.join(re.escape(word.text) for word in words)
    found = min(
        re.finditer(pattern, text), key=lambda match: abs(match.start() - start), default=None
    )
    return Span(found.group(), found.start(), found.end()) if found is not None else None


def _text_value(span: Span | None) -> str | None:
    return _one_line(span.text) if span is not None else None


def _one_line(text: str) -> str:
    """Lines as one; a line that ends in a hyphen runs on into the next, and so does a line
    before one that begins with a hyphen ("Beamer-" / "Deckenhalterung", "Fahrten" /
    "-Karte": a cell wrapped at the hyphen of a compound)."""
    return normalize_text(_WRAPPED_HYPHEN.sub("-", text))
