"""Every printed date or amount of a document as a candidate for a field, described by what a
reader would look at: the words before it on its line and on the line above, where it stands
on the page, how it compares with the document's other dates or amounts, and what the rules
said about it. For a party's name, the first lines of the page (and the rules' options),
described by their own words, their shape and what stands around them.

Features are names with values (1.0 unless a number), so that the weights a linear scorer
learns are a readable table: "left=total" -> 2.1.
"""

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from extractor.result import FieldValue
from extractor.text.decide import Ranking, option_value
from extractor.text.locate import Line
from extractor.text.parties import goes_on
from extractor.values.candidates import Span, find_spans
from extractor.values.confirm import trimmed_by_cleanco
from extractor.values.normalize import is_us_document, normalize, numeric_date_order
from schemas.kinds import FieldKind

LEARNED_KINDS = (FieldKind.DATE, FieldKind.AMOUNT)
NAME_LINES = 12  # non-blank lines from the top where a party's name may stand unlabelled
SELF_WORDS = 6  # words of a name candidate that describe it (legal forms, banner words)
MAX_JOINED = 3  # lines a name may wrap over
LEFT_WORDS = 3  # words before a value on its line that count as its label
ABOVE_WORDS = 6  # words of the line above (a label printed over its value)
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_DIGITS = re.compile(r"\d")
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_REGISTRATION = re.compile(r"\s*[(\[]?\s*\d[\dA-Z-]{3,}-?[A-Z]?\s*[)\]]?\s*$")
_CONTACT = re.compile(r"@|www\.|https?:|\+?\d[\d ()/-]{7,}\d")
_MAX_WORD = 20


@dataclass(frozen=True)
class Candidate:
    """One printed occurrence of a value, with its description."""

    span: Span
    value: FieldValue
    features: dict[str, float]


def word_feature(word: str) -> str | None:
    """A word as a label feature: case and edge punctuation folded, digits all alike."""
    folded = _DIGITS.sub("9", _EDGE.sub("", word.casefold()))[:_MAX_WORD]
    return folded or None


def printed_candidates(
    text: str, lines: Sequence[Line], kinds: Iterable[FieldKind]
) -> dict[FieldKind, list[Candidate]]:
    """`kind_candidates` for each of these kinds that is learned (dates and amounts), the
    dates read day or month first as the document's own dates say."""
    month_first = numeric_date_order(
        (span.text for span in find_spans(text, FieldKind.DATE)), us_document=is_us_document(text)
    )
    return {
        kind: kind_candidates(text, lines, kind, month_first=month_first)
        for kind in set(kinds) & set(LEARNED_KINDS)
    }


def kind_candidates(
    text: str, lines: Sequence[Line], kind: FieldKind, *, month_first: bool
) -> list[Candidate]:
    """Every span of `kind` with the features that do not depend on the field asked."""
    read = [
        (span, value)
        for span in find_spans(text, kind)
        if (value := option_value(kind, span.text, month_first=month_first)) is not None
    ]
    starts = [line.start for line in lines]
    counts = Counter(value for _, value in read)
    distinct = sorted(set(counts), key=_sort_key)
    on_line = Counter(_line_of(starts, span.start) for span, _ in read)
    candidates = []
    for order, (span, value) in enumerate(read):
        number = _line_of(starts, span.start)
        features = _context(lines, number, span)
        features["position"] = number / max(1, len(lines) - 1)
        features[f"repeats={min(counts[value], 3)}"] = 1.0
        features[f"on_line={min(on_line[number], 3)}"] = 1.0
        features.update(_ranks(kind, value, distinct, order, len(read)))
        candidates.append(Candidate(span, value, features))
    return candidates


def name_candidates(text: str, lines: Sequence[Line], ranking: Ranking) -> list[Candidate]:
    """The first non-blank lines (alone, and two or three joined: a long name wraps), each
    also without a trailing registration number ("(519537-X)"), and the rules' own options,
    as candidates for a party's name, with the features that do not depend on the rules
    (`field_candidates` adds those). A line "Label: value" offers its value."""
    first = [line for line in lines[: _first_lines_end(lines)] if line.text.strip()]
    spans: list[tuple[Span, int]] = []
    for index in range(len(first)):
        for joined in range(1, MAX_JOINED + 1):
            if index + joined <= len(first):
                span = _lines_value(text, first[index : index + joined])
                if span is not None:
                    spans.append((span, joined))
    spans.extend(
        (Span(proposal.text, proposal.start, proposal.end), 1)
        for option in ranking.options
        for proposal in option.proposals
    )
    starts = [line.start for line in lines]
    seen: set[tuple[int, int]] = set()
    candidates = []
    for whole, joined in spans:
        for span, cut in ((whole, False), (_without_registration(whole), True)):
            if span is None or (span.start, span.end) in seen or not span.text.strip():
                continue
            seen.add((span.start, span.end))
            number = _line_of(starts, span.start)
            last = _line_of(starts, span.end - 1)
            order = sum(1 for line in lines[:number] if line.text.strip())
            features = _context(lines, number, span)
            features |= _name_shape(span.text, lines, last)
            features |= _broken_off(lines, number, last)
            features[f"line={min(order, 8)}"] = 1.0
            features[f"joined={joined}"] = 1.0
            if cut:
                features["registration_cut"] = 1.0
            features["position"] = number / max(1, len(lines) - 1)
            candidates.append(Candidate(span, normalize(FieldKind.TEXT, span.text), features))
    return candidates


def _first_lines_end(lines: Sequence[Line]) -> int:
    seen = 0
    for number, line in enumerate(lines):
        seen += bool(line.text.strip())
        if seen >= NAME_LINES:
            return number + 1
    return len(lines)


def _lines_value(text: str, lines: Sequence[Line]) -> Span | None:
    """The text of consecutive lines; of a single line "Label: value", the value."""
    start, end = lines[0].start, lines[-1].end
    if len(lines) == 1 and ":" in lines[0].text and lines[0].text.split(":", 1)[1].strip():
        start += lines[0].text.index(":") + 1
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return None
    start += raw.index(stripped)
    return Span(stripped, start, start + len(stripped))


def _without_registration(span: Span) -> Span | None:
    """The span without a trailing company registration number, if it ends in one."""
    found = _REGISTRATION.search(span.text)
    if found is None or not span.text[: found.start()].strip():
        return None
    kept = span.text[: found.start()].rstrip()
    return Span(kept, span.start, span.start + len(kept))


def _broken_off(lines: Sequence[Line], first: int, last: int) -> dict[str, float]:
    """Whether the candidate is part of a name broken over lines: the line above goes on
    into it, or it goes on into the line below ("POPULAR BOOK / CO. (M) SDN BHD")."""
    above = next((line.text for line in reversed(lines[:first]) if line.text.strip()), "")
    below = next((line.text for line in lines[last + 1 :] if line.text.strip()), "")
    features = {}
    if goes_on(above, lines[first].text):
        features["goes_on_from_above"] = 1.0
    if goes_on(lines[last].text, below):
        features["goes_on_below"] = 1.0
    return features


def _name_shape(text: str, lines: Sequence[Line], number: int) -> dict[str, float]:
    """What the candidate itself looks like: its words (legal forms, banner and label words),
    capitals, digits, contact details, and whether digits (an address) follow it."""
    words = text.split()
    features = {f"words={min(len(words), 5)}": 1.0}
    for word in words[:SELF_WORDS]:
        if (folded := word_feature(word)) is not None:
            features[f"self={folded}"] = 1.0
    letters = [char for char in text if char.isalpha()]
    if letters and all(char.isupper() for char in letters):
        features["capitals"] = 1.0
    if _DIGITS.search(text):
        features["digits"] = 1.0
    if _CONTACT.search(text):
        features["contact"] = 1.0
    if trimmed_by_cleanco(text) != text.strip():  # a legal form, or a registration's bracket
        features["legal_form"] = 1.0
    following = next((line.text for line in lines[number + 1 :] if line.text.strip()), "")
    if _DIGITS.search(following):
        features["digits_below"] = 1.0
    return features


def field_candidates(
    base: Sequence[Candidate], ranking: Ranking, document_kind: str | None = None
) -> list[Candidate]:
    """The kind's candidates with what the rules said about each for one field. With the
    kind of document (receipt, invoice) every feature is given twice, once on its own and
    once for that kind, so that weights can differ where a till slip differs from an invoice
    and be shared where it does not."""
    top = ranking.options[0].value if ranking.options else None
    options = {option.value: option for option in ranking.options}
    described = []
    for candidate in base:
        features = dict(candidate.features)
        option = options.get(candidate.value)
        if option is not None:
            features["rules_option"] = 1.0
            features["rules_support"] = option.support
            features["rules_top"] = float(candidate.value == top)
            for proposal in option.proposals:
                features[f"cue={proposal.cue}"] = 1.0
                if proposal.start == candidate.span.start:
                    features["rules_here"] = 1.0
        if document_kind is not None:
            features |= {f"{document_kind}|{name}": value for name, value in features.items()}
        described.append(Candidate(candidate.span, candidate.value, features))
    return described


def _sort_key(value: FieldValue) -> Decimal | date | str:
    return value if isinstance(value, Decimal | date) else str(value)


def _line_of(starts: Sequence[int], position: int) -> int:
    """The last line starting at or before the position."""
    return max(0, bisect_right(starts, position) - 1)


def _context(lines: Sequence[Line], number: int, span: Span) -> dict[str, float]:
    line = lines[number]
    before = line.text[: span.start - line.start].split()
    after = line.text[span.end - line.start :].split()
    features: dict[str, float] = {}
    for distance, word in enumerate(reversed(before[-LEFT_WORDS:]), start=1):
        if (folded := word_feature(word)) is not None:
            features[f"left={folded}"] = 1.0
            if distance == 1:
                features[f"left1={folded}"] = 1.0
    if not before:
        features["line_start"] = 1.0
    if after and (folded := word_feature(after[0])) is not None:
        features[f"right1={folded}"] = 1.0
    if not after:
        features["line_end"] = 1.0
    above = next(
        (
            lines[i].text
            for i in range(number - 1, max(-1, number - 3), -1)
            if lines[i].text.strip()
        ),
        "",
    )
    for word in above.split()[:ABOVE_WORDS]:
        if (folded := word_feature(word)) is not None:
            features[f"above={folded}"] = 1.0
    if _TIME.search(line.text):
        features["time_on_line"] = 1.0
    return features


def _printed(order: int, count: int) -> str:
    if count == 1:
        return "only"
    return "first" if order == 0 else "last" if order == count - 1 else "middle"


def _ranks(
    kind: FieldKind, value: FieldValue, distinct: Sequence[FieldValue], order: int, count: int
) -> dict[str, float]:
    """Where the value stands among the document's values of its kind: the largest amount,
    the earliest or latest date, the first or last printed."""
    rank = distinct.index(value)
    from_top = len(distinct) - 1 - rank
    features = {f"printed={_printed(order, count)}": 1.0}
    if kind == FieldKind.AMOUNT:
        features[f"largest={min(from_top, 3)}"] = 1.0
        if isinstance(value, Decimal):
            features["negative"] = float(value < 0)
            features["whole"] = float(value == value.to_integral_value())
    else:
        features[f"earliest={min(rank, 2)}"] = 1.0
        features[f"latest={min(from_top, 2)}"] = 1.0
    features[f"distinct={min(len(distinct), 5)}"] = 1.0
    return features
