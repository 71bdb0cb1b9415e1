"""Typed candidates: the spans of a document that can be a date, an amount, an IBAN...

Typed fields may only copy one of these, so the model chooses among values the parsers
already understand instead of copying arbitrary text. Candidates are runs of whole words
within one line that the field kind's normaliser accepts.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from cleanco import basename

from extractor.errors import NormalizationError
from extractor.values.clinical_codes import npi_is_valid
from extractor.values.identifiers import VAT_COUNTRIES, iban_is_valid
from extractor.values.normalize import iso_4217_codes, normalize
from schemas.kinds import FieldKind

_MAX_WORDS = {
    FieldKind.IBAN: 9,
    FieldKind.DATE: 4,
    FieldKind.AMOUNT: 3,
    FieldKind.CURRENCY: 1,
    FieldKind.VAT_ID: 4,
    FieldKind.LETTER_KIND: 2,
}
_DEFAULT_MAX_WORDS = 1
_CACHED_SEARCHES = 16  # (text, kind) searches: one document's kinds, with room to spare
_VAT_START = re.compile(r"([A-Z]{2}) ?[0-9A-Z]")
_CURRENCY_SIGNS = "€$£¥₹₽₩₺₪₴"
_WORD = re.compile(r"\S+")
# a label and a value one word to the text layer: "DATE:" of "DATE:02/02/17", and the next
# label after a value, "TIME:" of "21/05/2018TIME:"
_GLUED_LABEL = re.compile(r"[^\W\d_]+\.?:(?=\S)")
_GLUED_NEXT_LABEL = re.compile(r"(?<=\d)[^\W\d_]+\.?:$")
_TRIM = ":;,.()[]"  # punctuation glued to a value: "IBAN:", "(DE123...)", "bis 04.04.2018,"
_DECIMALS = re.compile(r"[.,]\d{2}(?!\d)")
_DIGIT = re.compile(r"\d")
_GLUED_HEADING = re.compile(r"(?<=\w)\((\w{1,3})\)")  # "AMT(RM)": one word to the text
_HEADING_BEFORE = re.compile(r"\w\s*\($")  # "AMT(" of "AMT(RM)"
_AMOUNT_AFTER = re.compile(r" *\d[\d .,']*[.,]\d{2,3}(?!\d)")  # cents, or fils and mills


def _accepts(kind: FieldKind, text: str) -> bool:
    try:
        value = normalize(kind, text)
    except NormalizationError:
        return False
    if kind == FieldKind.AMOUNT:
        return _DECIMALS.search(text) is not None  # amounts on documents carry cents
    if kind == FieldKind.IBAN:  # check digits may be wrong (the check flags it), but a
        # trailing word of letters is the next label ("... 3456 78 BIC"), not the IBAN's end
        return iban_is_valid(str(value)) or not text.split()[-1].isalpha()
    if kind == FieldKind.NPI:
        return npi_is_valid(str(value))
    if kind == FieldKind.VAT_ID:
        start = _VAT_START.match(text)
        return (
            start is not None and start.group(1) in VAT_COUNTRIES and len(_DIGIT.findall(text)) >= 7
        )
    return True


@dataclass(frozen=True)
class Span:
    """A candidate: its text and where it is in the document text."""

    text: str
    start: int
    end: int


def _windows(line: str, offset: int, max_words: int) -> Iterable[Span]:
    words = [match.span() for match in _WORD.finditer(line)]
    for first in range(len(words)):
        begins = [words[first][0]]
        glued = _GLUED_LABEL.match(line, words[first][0], words[first][1])
        if glued is not None:
            begins.append(glued.end())
        for begin in begins:
            for last in range(first, min(first + max_words, len(words))):
                ends = [words[last][1]]
                glued_after = _GLUED_NEXT_LABEL.search(line, words[last][0], words[last][1])
                if glued_after is not None:
                    ends.append(glued_after.start())
                for end in ends:
                    raw = line[begin:end]
                    text = raw.strip(_TRIM)
                    if text:
                        start = offset + begin + raw.index(text)
                        yield Span(text, start, start + len(text))


def find_spans(text: str, kind: FieldKind, *, longest: bool = True) -> list[Span]:
    """Every run of whole words within one line that this kind's parser accepts; with
    `longest`, only readings not inside a longer one."""
    return list(_spans(text, kind, longest=longest))


@lru_cache(maxsize=_CACHED_SEARCHES)
def _spans(text: str, kind: FieldKind, *, longest: bool) -> tuple[Span, ...]:
    """The search behind `find_spans`, kept for the last few (text, kind) pairs: the rules
    for one document ask for the same kind's spans several times."""
    max_words = _MAX_WORDS.get(kind, _DEFAULT_MAX_WORDS)
    spans: list[Span] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        spans.extend(
            window for window in _windows(line, offset, max_words) if _accepts(kind, window.text)
        )
        offset += len(line)
    if longest:
        spans = _longest(spans)
    if kind == FieldKind.CURRENCY:
        spans = [
            span
            for span in spans
            if _marks(text, span) or not (_word_symbol(span.text) or _ends_legal_form(text, span))
        ]
        spans.extend(
            Span(char, index, index + 1)
            for index, char in enumerate(text)
            if char in _CURRENCY_SIGNS
        )
        spans.extend(
            Span(match.group(1), *match.span(1))
            for match in _GLUED_HEADING.finditer(text)
            if _accepts(kind, match.group(1))
        )
    return tuple(sorted(spans, key=lambda span: (span.start, -span.end)))


def _word_symbol(text: str) -> bool:
    """A symbol that is also a word ("RM", "Ft", but "Le" and "Ar" too), or an ISO code not
    written in capitals ("Pen" of "Whiteboard Pen", "all")."""
    return text.isalpha() and (text.upper() not in iso_4217_codes() or not text.isupper())


def _marks(text: str, span: Span) -> bool:
    """Whether the span marks an amount: after a number ("1 500 Ft"), before one with
    cents ("RM 8.10"; "le 3 août" is a date), or in a column's heading ("AMOUNT (RM)")."""
    before = text[: span.start].rstrip(" ")
    return (
        before[-1:].isdigit()
        or bool(_AMOUNT_AFTER.match(text, span.end))
        or (bool(_HEADING_BEFORE.search(before)) and text[span.end : span.end + 1] == ")")
    )


def _ends_legal_form(text: str, span: Span) -> bool:
    """Whether the span is a company's legal form, not a currency: Malaysia's "SDN BHD" ends
    in Bahrain's currency code."""
    line_start = text.rfind("\n", 0, span.start) + 1
    name = basename(text[line_start : span.end]).strip()
    return bool(name) and not name.endswith(span.text)


def _longest(spans: list[Span]) -> list[Span]:
    """Drop readings inside a longer one ("GB 324 6349 60", not "GB 324"), in one sweep."""
    kept: list[Span] = []
    reach = -1
    for span in sorted(spans, key=lambda span: (span.start, -span.end)):
        if span.end > reach:
            kept.append(span)
            reach = span.end
    return kept


def find_candidates(text: str, kinds: Iterable[FieldKind]) -> dict[FieldKind, list[str]]:
    """For each typed kind, the distinct candidate strings in order of first appearance."""
    found = {
        kind: list(dict.fromkeys(span.text for span in find_spans(text, kind)))
        for kind in set(kinds) - {FieldKind.TEXT}
    }
    if FieldKind.VAT_ID in found and FieldKind.IBAN in found:
        ibans = found[FieldKind.IBAN]
        found[FieldKind.VAT_ID] = [
            vat for vat in found[FieldKind.VAT_ID] if not any(vat in iban for iban in ibans)
        ]
    return found
