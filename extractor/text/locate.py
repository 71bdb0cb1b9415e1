"""Deterministic proposals: for each field, the spans of the text that can be its value, scored
by the labels around them.

A typed value (date, amount, ...) belongs to the nearest label before it on its line, among
the labels of fields of that kind and the schema's "_other" labels, so "Lieferdatum" claims a
date that "Datum" would otherwise take. Lines that hold only labels pair, in order, with the
lines that hold their values. An identifier follows its label directly. Party names:
`extractor.text.parties`.
"""

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from extractor.values.candidates import Span, find_spans
from extractor.values.plausible import addresses_reader
from schemas.kinds import FieldKind

OTHER = "_other"
NEXT_LINE_FACTOR = 0.7  # a value on the line paired with a line holding only its label
COLUMN_FACTOR = 0.5  # a value under a header row that names its field among other columns
COLUMN_LINES = 2  # lines under a header row searched for its value
_HEADER_ROW_WORDS = 6
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
ID_STRIP = ":;,."
# "No: #4711", "N°F-2024-7": the number sign glued to a number is the label's, not the number's
_GLUED_NUMBER_SIGN = re.compile(r"^(?:#|n[°º]|no\.|nr\.)(?=\w)", re.IGNORECASE)
KEY_VALUE = re.compile(r"^\s*[\w .()/-]{1,40}?\s*:\s")
LETTER = re.compile(r"[^\W\d_]")
DIGIT = re.compile(r"\d")
_CONTACT = re.compile(r"https?:|www\.|@|\+\d|\b(?:tel|fax|phone|telefon)\b", re.IGNORECASE)

PARTY_PREFIX = "party:"  # marks a party label among the field labels when pairing lines


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
    hits_by_line: Sequence[Sequence[LabelHit]],
    fields_by_kind: Mapping[FieldKind, Sequence[str]],
    paired: Mapping[int, LabelHit],
) -> Iterator[Proposal]:
    """Dates, amounts, currencies, IBANs: each span scored for the label it belongs to."""
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


def column_proposals(
    text: str,
    lines: Sequence[Line],
    hits_by_line: Sequence[Sequence[LabelHit]],
    fields_by_kind: Mapping[FieldKind, Sequence[str]],
) -> Iterator[Proposal]:
    """A typed value under a header row ("Beschreibung Fälligkeit Teilzahlung"): the first
    value of the field's kind on the next lines. A header row is a few words, no digits and
    no key-value colon, exactly one of them a label (rows of several labels are label runs,
    paired with their values in order elsewhere)."""
    headers = [
        (number, hits[0])
        for number, (line, hits) in enumerate(zip(lines, hits_by_line, strict=True))
        if len(hits) == 1 and _is_header_row(line)
    ]
    for kind, fields in fields_by_kind.items():
        mine = [(number, hit) for number, hit in headers if hit.field in fields]
        spans = find_spans(text, kind) if mine else []
        for number, hit in mine:
            below = lines[number + 1 : number + 1 + COLUMN_LINES]
            first = next(
                (span for span in spans if below and below[0].start <= span.start < below[-1].end),
                None,
            )
            if first is not None:
                yield Proposal(
                    hit.field, first.text, first.start, first.end, COLUMN_FACTOR, "column"
                )


def _is_header_row(line: Line) -> bool:
    words = line.text.split()
    return (
        2 <= len(words) <= _HEADER_ROW_WORDS
        and not DIGIT.search(line.text)
        and not KEY_VALUE.match(line.text)
    )


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
    hits_by_line: Sequence[Sequence[LabelHit]],
    fields: Sequence[str],
    paired: Mapping[int, LabelHit],
) -> Iterator[Proposal]:
    """The word right after an identifier's label, or first on its paired value line."""
    for number, line in enumerate(lines):
        for hit in hits_by_line[number]:
            if hit.field in fields:
                word = _first_word(line, hit.end - line.start)
                if word is not None:
                    yield Proposal(hit.field, *word, 1.0, "label")
        label = paired.get(number)
        if label is not None and label.field in fields:
            word = _first_word(line, 0)
            if word is not None and not _STREET_LINE.match(line.text):
                yield Proposal(label.field, *word, NEXT_LINE_FACTOR, "label_paired")


_GAP = re.compile(r"\s{3,}|\t")  # a column gap: a value never runs across one


def text_proposals(
    lines: Sequence[Line],
    hits_by_line: Sequence[Sequence[LabelHit]],
    fields: Sequence[str],
    paired: Mapping[int, LabelHit],
) -> Iterator[Proposal]:
    """A text field's value: what follows its label up to the next label (of another field:
    "Follow-up: Follow-up with cardiology") or column gap on the line, or the start of the
    value line paired with a line holding only its label."""
    for number, line in enumerate(lines):
        hits = hits_by_line[number]
        for hit in hits:
            if hit.field in fields:
                following = [
                    other.start
                    for other in hits
                    if other.start >= hit.end and other.field != hit.field
                ]
                value = _segment(line, hit.end - line.start, min(following, default=line.end))
                if value is not None:
                    yield Proposal(hit.field, *value, 1.0, "label")
        label = paired.get(number)
        if label is not None and label.field in fields:
            others = (other.start for other in hits if other.field != label.field)
            value = _segment(line, 0, min(others, default=line.end))
            if value is not None:
                yield Proposal(label.field, *value, NEXT_LINE_FACTOR, "label_paired")


def _segment(line: Line, column: int, end: int) -> tuple[str, int, int] | None:
    """The text from `column` to `end` (an absolute offset) or the first column gap."""
    text = line.text[column : end - line.start]
    gap = _GAP.search(text.lstrip(_LABEL_PUNCTUATION))
    lead = len(text) - len(text.lstrip(_LABEL_PUNCTUATION))
    if gap is not None:
        text = text[: lead + gap.start()]
    value = text.lstrip(_LABEL_PUNCTUATION).rstrip(" \t:;,")
    if not value or not LETTER.search(value):
        return None
    start = line.start + column + text.index(value)
    return value, start, start + len(value)


# A house number and a street ("45 Broad Street, Floor 12") under a title line is an
# address, not the value of a label such as a lone "Invoice" heading.
_STREET_LINE = re.compile(r"\s*\d{1,5}[a-z]?\s+[^\W\d_]{2,}", re.IGNORECASE)


def _first_word(line: Line, column: int) -> tuple[str, int, int] | None:
    """The first word from `column` on, if it has a digit and is not a date or an amount."""
    for match in re.finditer(r"\S+", line.text[column:]):
        word = match.group().strip(ID_STRIP) if match.group().lower() not in _ID_FILLERS else ""
        word = _GLUED_NUMBER_SIGN.sub("", word)
        if not word:
            continue
        if not DIGIT.search(word) or looks_typed(word):
            return None
        start = line.start + column + match.start() + match.group().index(word)
        return word, start, start + len(word)
    return None


def looks_typed(word: str) -> bool:
    """A date or an amount is not an identifier."""
    return any(find_spans(word, kind) for kind in (FieldKind.DATE, FieldKind.AMOUNT))


def is_name(text: str) -> bool:
    letters = len(LETTER.findall(text))
    digits = len(DIGIT.findall(text))
    return letters >= 2 and digits <= letters // 3 and not _CONTACT.search(text)


def stripped(line: Line, column: int) -> tuple[str, int, int] | None:
    text = line.text[column:]
    value = text.strip(" \t:")
    if not value:
        return None
    start = line.start + column + text.index(value)
    return value, start, start + len(value)


def line_context(lines: Sequence[Line], position: int, before: int = 1) -> str:
    """The line holding `position` and `before` lines above it, for a model prompt."""
    for number, (line, following) in enumerate(pairwise([*lines, Line("", 1 << 60)])):
        if line.start <= position < following.start:
            return "\n".join(
                item.text.strip() for item in lines[max(0, number - before) : number + 1]
            )
    return ""


OPEN_LINES = 40  # lines from the top searched when no label points at a field
HEADING_LINES = 6  # a letterhead is among the first lines
HEADING_SCORE = 0.9
OPEN_SCORE = 0.05


def heading_proposals(lines: Sequence[Line], headings: Mapping[str, str]) -> Iterator[Proposal]:
    """A field printed as a letterhead line (a laboratory's name): the first line near the
    top that its pattern finds; the pattern's `value` group, if it has one, is the value."""
    for path, pattern in headings.items():
        for line in lines[:HEADING_LINES]:
            match = re.search(pattern, line.text.strip(), re.IGNORECASE)
            if match is None:
                continue
            value = match["value"] if "value" in match.re.groupindex else match[0]
            start = (
                line.start
                + line.text.index(line.text.strip())
                + match.start("value" if "value" in match.re.groupindex else 0)
            )
            yield Proposal(path, value, start, start + len(value), HEADING_SCORE, "heading")
            break


def open_proposals(path: str, lines: Sequence[Line], *, identifier: bool) -> Iterator[Proposal]:
    """Weak proposals for a field no label points at: every identifier-like word, or every
    name-like line, near the top of the document. Only the model can choose among them."""
    for line in lines[:OPEN_LINES]:
        if identifier:
            for match in re.finditer(r"\S+", line.text):
                word = match.group().strip(ID_STRIP)
                if len(word) >= 3 and DIGIT.search(word) and not looks_typed(word):
                    start = line.start + match.start() + match.group().index(word)
                    yield Proposal(path, word, start, start + len(word), OPEN_SCORE, "open")
        else:
            span = stripped(line, 0)
            if (
                span
                and is_name(span[0])
                and not KEY_VALUE.match(line.text)
                and len(span[0].split()) <= 8
                and not addresses_reader(span[0])
            ):
                yield Proposal(path, *span, OPEN_SCORE, "open")
