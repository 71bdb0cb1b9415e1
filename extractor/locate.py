"""Deterministic proposals: for each field, the spans of the text that can be its value, scored
by the labels around them.

A typed value (date, amount, ...) belongs to the nearest label before it on its line, among
the labels of fields of that kind and the schema's "_other" labels, so "Lieferdatum" claims a
date that "Datum" would otherwise take. An identifier follows its label directly. Party names
are the first line of a block opened by a party label, or the first segment of a sender line.
"""

import re
from bisect import bisect_right
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from extractor.candidates import Span, find_spans
from schemas.kinds import FieldKind

OTHER = "_other"
NEXT_LINE_FACTOR = 0.7  # a value on the line paired with a line holding only its label
_LABEL_PUNCTUATION = " \t:#.-/°()@"
# What may stand beside a label on a line that holds no value: a rate, "zzgl.", "HT".
_LABEL_FILLER = re.compile(
    r"\d+(?:[.,]\d+)?\s*%|\b(?:on|auf|sur)\s+[\d.,]+|"
    r"\b(?:zzgl|zuzügl|plus|inkl|incl|ht|ttc|excl|in|en)\b\.?",
    re.IGNORECASE,
)
LATER_VALUE_FACTOR = 0.5  # each further value between the label and this one
_DISTANCE_SCALE = 40.0  # characters between label and value that halve the score
_ID_FILLERS = frozenset({"nr", "nr.", "no", "no.", "n°", "number", "nummer", "#", ":", "-", "."})
_ID_STRIP = ":;,."
_KEY_VALUE = re.compile(r"^\s*[\w .()/-]{1,40}?\s*:\s")
_SENDER_SEPARATORS = re.compile(r"\s+[·•●|\u2013]\s+|\s+-\s+")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_LEGAL_FORM = re.compile(
    r"\b(?:gmbh|ag|kg|e\.\s?k\.|ug|ohg|gbr|mbh|se|sarl|sas|sasu|sa|eurl|ltd|llc|inc|plc|"
    r"bv|b\.v\.|nv|n\.v\.|co\.|corp|a\.\s?g\.)(?!\w)",
    re.IGNORECASE,
)
_CONTACT = re.compile(r"https?:|www\.|@|\+\d|\b(?:tel|fax|phone|telefon)\b", re.IGNORECASE)
_SALUTATION = re.compile(
    r"^\s*(?:herrn?|frau|firma|mr\.?|mrs\.?|ms\.?|monsieur|madame|mme\.?|m\.)\s*$",
    re.IGNORECASE,
)
PARTY_BLOCK_LINES = 4
DELIVERY = "_delivery"  # a ship-to block: its name is usually the buyer's, weak evidence
DELIVERY_SCORE = 0.5
PARTY_PREFIX = "party:"  # marks a party label among the field labels when pairing lines
LETTERHEAD_LINES = 3  # the seller's name is often the first line of the page
LETTERHEAD_SCORE = 0.4  # lines after a party label searched for the name


@dataclass(frozen=True)
class Proposal:
    """A candidate value for one field: where it is, how strongly the layout points at it."""

    path: str
    text: str
    start: int
    end: int
    score: float
    cue: str


@dataclass(frozen=True)
class Line:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class LabelHit:
    field: str
    start: int
    end: int


def split_lines(text: str) -> list[Line]:
    lines, offset = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\f")
        lines.append(Line(body, offset))
        offset += len(raw)
    return lines


class LabelIndex:
    """Every label occurrence of a schema, per line."""

    def __init__(self, labels: Mapping[str, Sequence[str]]) -> None:
        self._patterns = [
            (field, re.compile(pattern, re.IGNORECASE))
            for field, patterns in labels.items()
            for pattern in patterns
        ]

    def hits(self, line: Line) -> list[LabelHit]:
        return [
            LabelHit(field, line.start + match.start(), line.start + match.end())
            for field, pattern in self._patterns
            for match in pattern.finditer(line.text)
            if match.end() > match.start()
        ]


def nearest_label(hits: Sequence[LabelHit], position: int, fields: set[str]) -> LabelHit | None:
    """The label ending closest before `position`; of equal ends, the longest."""
    before = [hit for hit in hits if hit.end <= position and hit.field in fields]
    if not before:
        return None
    return max(before, key=lambda hit: (hit.end, -hit.start))


def label_only(line: Line, hits: Sequence[LabelHit]) -> LabelHit | None:
    """The label a line consists of (bar punctuation), if it is nothing but a label."""
    if not hits:
        return None
    rest = list(line.text)
    for hit in hits:
        rest[hit.start - line.start : hit.end - line.start] = " " * (hit.end - hit.start)
    if _LABEL_FILLER.sub(" ", "".join(rest)).strip(_LABEL_PUNCTUATION):
        return None
    return max(hits, key=lambda hit: (hit.end, hit.end - hit.start))  # nearest the value


def pair_labels(lines: Sequence[Line], labels_of: Sequence[LabelHit | None]) -> dict[int, LabelHit]:
    """Lines that hold only a label, paired with the lines holding their values.

    A run of k label lines followed by k value lines pairs them in order (a table whose
    labels and values come out as two columns); otherwise a label line owns the next line.
    """
    paired: dict[int, LabelHit] = {}
    number = 0
    while number < len(lines):
        if labels_of[number] is None:
            number += 1
            continue
        end = number
        while end < len(lines) and _same_run(labels_of[number], labels_of[end]):
            end += 1
        run = [hit for hit in labels_of[number:end] if hit is not None]
        values = range(end, min(end + len(run), len(lines)))
        if len(values) == len(run) and all(labels_of[v] is None for v in values):
            paired.update(zip(values, run, strict=True))
        elif end < len(lines):
            paired[end] = run[-1]
        number = end
    return paired


def _same_run(first: LabelHit | None, other: LabelHit | None) -> bool:
    """Party labels pair with party labels, field labels with field labels."""
    if first is None or other is None:
        return False
    return first.field.startswith(PARTY_PREFIX) == other.field.startswith(PARTY_PREFIX)


def typed_proposals(
    text: str,
    lines: Sequence[Line],
    index: LabelIndex,
    fields_by_kind: Mapping[FieldKind, Sequence[str]],
    paired: Mapping[int, LabelHit],
) -> Iterator[Proposal]:
    """Dates, amounts, currencies, IBANs: each span scored for the label it belongs to."""
    hits_by_line = [index.hits(line) for line in lines]
    for kind, fields in fields_by_kind.items():
        claimants = {*fields, OTHER}
        spans = find_spans(text, kind)
        line_index = first_on_line = 0
        for number, span in enumerate(spans):
            while line_index + 1 < len(lines) and lines[line_index + 1].start <= span.start:
                line_index += 1
            while spans[first_on_line].start < lines[line_index].start:
                first_on_line += 1
            same_line = spans[first_on_line:number]
            yield from _labelled(span, hits_by_line[line_index], claimants, same_line, 1.0)
            label = paired.get(line_index)
            if (
                label is not None
                and label.field in claimants
                and not same_line
                and nearest_label(hits_by_line[line_index], span.start, claimants) is None
            ):
                yield from _labelled(span, [label], claimants, (), NEXT_LINE_FACTOR, anywhere=True)


def _labelled(
    span: Span,
    hits: Sequence[LabelHit],
    claimants: set[str],
    between: Sequence[Span],
    factor: float,
    *,
    anywhere: bool = False,
) -> Iterator[Proposal]:
    label = (
        max((hit for hit in hits if hit.field in claimants), key=lambda hit: hit.end, default=None)
        if anywhere
        else nearest_label(hits, span.start, claimants)
    )
    if label is None or label.field == OTHER:
        return
    distance = 0 if anywhere else max(0, span.start - label.end)
    others = sum(1 for other in between if other.start >= label.end and other.end <= span.start)
    score = factor * (LATER_VALUE_FACTOR**others) / (1 + distance / _DISTANCE_SCALE)
    cue = "label" if factor == 1.0 else "label_paired"
    yield Proposal(label.field, span.text, span.start, span.end, score, cue)


def identifier_proposals(
    lines: Sequence[Line],
    index: LabelIndex,
    fields: Sequence[str],
    paired: Mapping[int, LabelHit],
) -> Iterator[Proposal]:
    """The word right after an identifier's label, or first on its paired value line."""
    for number, line in enumerate(lines):
        for hit in index.hits(line):
            if hit.field in fields:
                word = _first_word(line, hit.end - line.start)
                if word is not None:
                    yield Proposal(hit.field, *word, 1.0, "label")
        label = paired.get(number)
        if label is not None and label.field in fields:
            word = _first_word(line, 0)
            if word is not None:
                yield Proposal(label.field, *word, NEXT_LINE_FACTOR, "label_paired")


def _first_word(line: Line, column: int) -> tuple[str, int, int] | None:
    """The first word from `column` on, if it has a digit and is not a date or an amount."""
    for match in re.finditer(r"\S+", line.text[column:]):
        word = match.group().strip(_ID_STRIP) if match.group() not in _ID_FILLERS else ""
        if not word:
            continue
        if not _DIGIT.search(word) or _looks_typed(word):
            return None
        start = line.start + column + match.start() + match.group().index(word)
        return word, start, start + len(word)
    return None


def _looks_typed(word: str) -> bool:
    """A date or an amount is not an identifier."""
    return any(find_spans(word, kind) for kind in (FieldKind.DATE, FieldKind.AMOUNT))


class PartyLabels:
    """Labels that open a party's block: "Verkäufer:", "Bill to", "Facturé à"."""

    def __init__(
        self, party_labels: Mapping[str, Sequence[str]], headings: Collection[int] = ()
    ) -> None:
        self.headings = frozenset(headings)  # lines that hold only a label: never a name
        self.patterns = {
            party: re.compile(r"^\s*(?:" + "|".join(labels) + r")\s*(?::|$)", re.IGNORECASE)
            for party, labels in party_labels.items()
        }

    def match(self, line: Line) -> tuple[str, int] | None:
        """The party whose label opens this line, and where the label ends."""
        for party, pattern in self.patterns.items():
            found = pattern.match(line.text)
            if found is not None:
                return party, found.end()
        return None

    def label_only(self, line: Line) -> LabelHit | None:
        found = self.match(line)
        if found is None or line.text[found[1] :].strip():
            return None
        return LabelHit(PARTY_PREFIX + found[0], line.start, line.start + found[1])

    def opens(self, line: Line) -> bool:
        return self.match(line) is not None


def party_proposals(
    text: str, lines: Sequence[Line], labels: PartyLabels, paired: Mapping[int, LabelHit]
) -> Iterator[Proposal]:
    """Party names from labelled blocks, sender lines, the letterhead and legal forms."""
    for proposal in _party_spans(lines, labels, paired):
        yield replace(proposal, text=text[proposal.start : proposal.end])


def _party_spans(
    lines: Sequence[Line], labels: PartyLabels, paired: Mapping[int, LabelHit]
) -> Iterator[Proposal]:
    letterhead = _next_text_line(lines, 0, labels, limit=LETTERHEAD_LINES)
    if letterhead is not None:
        yield Proposal("seller.name", *letterhead, LETTERHEAD_SCORE, "letterhead")
    for number, line in enumerate(lines):
        opened = labels.match(line)
        if opened is not None and line.text[opened[1] :].strip():
            name = _inline_name(line, opened[1])
            if name is not None:
                yield _party_proposal(opened[0], name)
        label = paired.get(number)
        if label is not None and label.field.startswith(PARTY_PREFIX):
            side_by_side = _is_party(paired.get(number - 1)) or _is_party(paired.get(number + 1))
            name = (
                _name_line(lines[number])  # columns interleave: the next line is the other's
                if side_by_side
                else _next_text_line(lines, number, labels)
            )
            if name is not None:
                yield _party_proposal(label.field.removeprefix(PARTY_PREFIX), name)
        sender = _sender_name(line)
        if sender is not None:
            yield Proposal("seller.name", *sender, 0.8, "sender_line")
            following = _next_text_line(lines, number + 1, labels)
            if following is not None:
                yield Proposal("buyer.name", *following, 0.6, "address_window")
        elif _LEGAL_FORM.search(line.text) and len(line.text.split()) <= 8:
            span = _stripped(line, 0)
            if span is not None:
                for party in labels.patterns.keys() - {DELIVERY}:
                    yield Proposal(f"{party}.name", *span, 0.3, "legal_form")


def _is_party(label: LabelHit | None) -> bool:
    return label is not None and label.field.startswith(PARTY_PREFIX)


def _name_line(line: Line) -> tuple[str, int, int] | None:
    span = _stripped(line, 0)
    return span if span is not None and _is_name(span[0]) else None


def _party_proposal(party: str, name: tuple[str, int, int]) -> Proposal:
    if party == DELIVERY:
        return Proposal("buyer.name", *name, DELIVERY_SCORE, "delivery_block")
    return Proposal(f"{party}.name", *name, 1.0, "party_block")


def _inline_name(line: Line, column: int) -> tuple[str, int, int] | None:
    """'Bill to: ACME Ltd' names the party; 'Customer: 4711' is a key and a value."""
    rest = _stripped(line, column)
    if rest is None or _KEY_VALUE.match(rest[0]) or not _LETTER.search(rest[0]):
        return None
    return rest


def _next_text_line(
    lines: Sequence[Line],
    first: int,
    labels: PartyLabels,
    *,
    limit: int = PARTY_BLOCK_LINES,
) -> tuple[str, int, int] | None:
    """The first line from `first` on that can be a name, with the lines it continues onto."""
    for number in range(first, min(first + limit, len(lines))):
        span = _stripped(lines[number], 0)
        if span is None or _KEY_VALUE.match(lines[number].text) or not _is_name(span[0]):
            continue
        if number in labels.headings or labels.opens(lines[number]):
            continue
        return _whole_name(lines, number, span)
    return None


def _is_name(text: str) -> bool:
    letters = len(_LETTER.findall(text))
    digits = len(_DIGIT.findall(text))
    return letters >= 2 and digits <= letters // 3 and not _CONTACT.search(text)


def _whole_name(
    lines: Sequence[Line], number: int, span: tuple[str, int, int]
) -> tuple[str, int, int]:
    """A salutation ("Herrn") goes with the name below it; a name without a legal form goes
    with the following lines up to one that has it ("Musterhafter / Versicherungsverein
    a.G."), as long as no address line comes first."""
    if _LEGAL_FORM.search(span[0]):
        return span
    following = lines[number + 1 : number + 2]
    if _SALUTATION.match(span[0]) and following and _stripped(following[0], 0):
        return _joined(span, following[0])
    for line in following:
        if _DIGIT.search(line.text) or not line.text.strip():
            break
        if _LEGAL_FORM.search(line.text):
            return _joined(span, line)
    return span


def _joined(span: tuple[str, int, int], last: Line) -> tuple[str, int, int]:
    end = _stripped(last, 0)
    assert end is not None
    return span[0], span[1], end[2]


def _sender_name(line: Line) -> tuple[str, int, int] | None:
    """'Firma GmbH · Straße 1 · 12345 Ort': the first segment, if short and made of words."""
    separators = list(_SENDER_SEPARATORS.finditer(line.text))
    if len(separators) < 2:
        return None
    first = line.text[: separators[0].start()]
    if not _LETTER.search(first) or len(first.split()) > 6 or _DIGIT.search(first):
        return None
    return _stripped(Line(first, line.start), 0)


def _stripped(line: Line, column: int) -> tuple[str, int, int] | None:
    text = line.text[column:]
    value = text.strip(" \t:")
    if not value:
        return None
    start = line.start + column + text.index(value)
    return value, start, start + len(value)


def first_line_after(lines: Sequence[Line], position: int) -> Line | None:
    return next((line for line in lines if line.start >= position), None)


def line_context(lines: Sequence[Line], position: int, before: int = 1) -> str:
    """The line holding `position` and `before` lines above it, for a model prompt."""
    for number, (line, following) in enumerate(pairwise([*lines, Line("", 1 << 60)])):
        if line.start <= position < following.start:
            return "\n".join(
                item.text.strip() for item in lines[max(0, number - before) : number + 1]
            )
    return ""


OPEN_LINES = 40  # lines from the top searched when no label points at a field
OPEN_SCORE = 0.05


def open_proposals(path: str, lines: Sequence[Line], *, identifier: bool) -> Iterator[Proposal]:
    """Weak proposals for a field no label points at: every identifier-like word, or every
    name-like line, near the top of the document. Only the model can choose among them."""
    for line in lines[:OPEN_LINES]:
        if identifier:
            for match in re.finditer(r"\S+", line.text):
                word = match.group().strip(_ID_STRIP)
                if len(word) >= 3 and _DIGIT.search(word) and not _looks_typed(word):
                    start = line.start + match.start() + match.group().index(word)
                    yield Proposal(path, word, start, start + len(word), OPEN_SCORE, "open")
        else:
            span = _stripped(line, 0)
            if (
                span
                and _is_name(span[0])
                and not _KEY_VALUE.match(line.text)
                and len(span[0].split()) <= 8
            ):
                yield Proposal(path, *span, OPEN_SCORE, "open")


PARTY_SCOPE = 12  # lines after a party label that still belong to its block


def party_blocks(
    lines: Sequence[Line], labels_of: Sequence[LabelHit | None], openers: PartyLabels
) -> list[tuple[int, tuple[str, ...]]]:
    """Per line: where its party block starts and whose it is (several parties when blocks
    stand side by side); (-1, ()) outside any block."""
    blocks: list[tuple[int, tuple[str, ...]]] = []
    current: tuple[int, tuple[str, ...]] = (-1, ())
    for number, line in enumerate(lines):
        label = labels_of[number]
        previous = labels_of[number - 1] if number else None
        if _is_party(label) and not _is_party(previous):
            run = []
            for hit in labels_of[number:]:
                if not _is_party(hit):
                    break
                assert hit is not None
                run.append(hit.field.removeprefix(PARTY_PREFIX))
            current = (number, tuple(run))
        elif (opened := openers.match(line)) is not None and not _is_party(label):
            current = (number, (opened[0],))
        if current[0] >= 0 and number - current[0] > PARTY_SCOPE:
            current = (-1, ())
        blocks.append(current)
    return blocks


def rehome(
    proposals: Sequence[Proposal],
    lines: Sequence[Line],
    blocks: Sequence[tuple[int, tuple[str, ...]]],
    field: str,
) -> list[Proposal]:
    """Give `seller.<field>` proposals found inside another party's block to that party; in
    blocks side by side, the k-th value belongs to the k-th party of the row."""
    starts = [line.start for line in lines]
    seen: dict[int, int] = {}
    moved = []
    for proposal in proposals:
        if proposal.path != f"seller.{field}":
            moved.append(proposal)
            continue
        start, parties = blocks[bisect_right(starts, proposal.start) - 1]
        if not parties:
            moved.append(proposal)
            continue
        order = seen.get(start, 0)
        seen[start] = order + 1
        party = parties[order % len(parties)]
        moved.append(replace(proposal, path=f"{party.removeprefix('_')}.{field}"))
    return [p for p in moved if not p.path.startswith("delivery.")]
