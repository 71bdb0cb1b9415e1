"""List fields of clinical documents found by the rules: lab result rows, and the
diagnoses, medications and procedures of a letter.

A lab result row is read from the right: an optional flag, a reference range, a unit and a
value, after the test name; only lines below a results table's header count. A diagnosis is
an ICD-10 code with the words before it on its line; medications and procedures are the
lines of their section. Each value keeps its page and span.
"""

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from extractor.candidates import find_spans
from extractor.confidence import Calibration, table_key
from extractor.errors import NormalizationError
from extractor.locate import Line, split_lines
from extractor.normalize import is_us_document, normalize, numeric_date_order, parse_date
from extractor.pdf import DocumentText
from extractor.result import FieldRecord, Method
from extractor.schema_walk import leaves, template_of
from schemas.clinical_letter import ClinicalLetter
from schemas.kinds import FieldKind
from schemas.lab_report import LabReport

ROW_EVIDENCE = 0.9  # a row whose value, unit and range fit their shapes under a table header
SECTION_EVIDENCE = 0.8  # a line in a named section that fits the item's shape
CODE_EVIDENCE = 0.95  # an ICD-10 code; its text is the words before it

_NUMBER = r"\d+(?:[.,]\d+)?"
_VALUE = (
    rf"[<>≤≥]?\s?-?{_NUMBER}|positive|negative|positiv|negativ|pos|neg|trace|"
    r"not\s+detected|detected|nachweisbar|nicht\s+nachweisbar|reactive|non-reactive"
)
_UNIT = r"(?:[^\s\d<>≤≥]\S*|\d+\^\S+|10\S*/\S+)"
_RANGE = rf"[<>≤≥]\s?{_NUMBER}|{_NUMBER}\s?(?:-|\u2013|to|bis)\s?{_NUMBER}"
_FLAG = r"HH|LL|H|L|A|\*|↑|↓"
_ROW = re.compile(
    rf"^\s*(?P<test_name>\S.*?)\s+(?:(?P<code>\d{{1,5}}-\d)\s+)?"
    rf"(?P<value>{_VALUE})(?:\s+(?P<unit>{_UNIT}))??"
    rf"(?:\s+(?P<reference_range>{_RANGE}))?(?:\s+(?P<flag>{_FLAG}))?\s*$",
    re.IGNORECASE,
)
_HEADER_WORDS = (
    r"\b(?:test|analyte|parameter|untersuchung|analyse|examen)\b",
    r"\b(?:result|value|ergebnis|wert|résultat)\b",
    r"\b(?:units?|einheit|unité)\b",
    r"\b(?:reference|range|referenz\w*|normal\w*|norm\w*|valeurs?)\b",
)
_TABLE_END = re.compile(
    r"^\s*(?:comments?|notes?|interpretation|kommentar|befundbericht|bemerkung|"
    r"validated|electronically|signed|end\s+of\s+report|page\s+\d)\b",
    re.IGNORECASE,
)
_SECTION = re.compile(r"^\s*(?P<name>[A-Za-zÄÖÜäöü][\w /&-]{2,40}?)\s*(?P<colon>:?)\s*$")
_MEDICATION_SECTION = re.compile(
    r"(?:discharge\s+|current\s+)?medications?(?:\s+on\s+(?:discharge|admission))?|"
    r"medikation|entlassmedikation",
    re.IGNORECASE,
)
_OTHER_SECTIONS = re.compile(
    r"diagnos[ie]s|(?:principal|secondary)\s+diagnos[ie]s|history|findings|assessment|plan|"
    r"follow[- ]up|allergies|hospital\s+course|clinical\s+course|reason\s+for\s+referral|"
    r"recommendations?|examination|investigations|results",
    re.IGNORECASE,
)
_PROCEDURE_SECTION = re.compile(
    r"procedures?(?:\s+performed)?|operations?|interventions?|eingriffe", re.IGNORECASE
)
_DOSE = re.compile(
    rf"(?P<dose>{_NUMBER}\s?(?:mg|mcg|µg|g|ml|mL|units?|IU|I\.E\.|mmol|%|puffs?|drops?|tabs?|"
    r"tablets?)\b(?:/\w+)?)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-•*·]|\d+[.)])\s*")


@dataclass(frozen=True)
class _Cell:
    name: str
    text: str
    start: int  # in the document's full text


def lab_result_records(document: DocumentText, calibration: Calibration) -> list[FieldRecord]:
    rows = _lab_rows(split_lines(document.full))
    return _records(document, calibration, _LAB_KINDS, "results", rows, ROW_EVIDENCE)


def _lab_rows(lines: Sequence[Line]) -> Iterator[list[_Cell]]:
    in_table = False
    for line in lines:
        if sum(1 for word in _HEADER_WORDS if re.search(word, line.text, re.IGNORECASE)) >= 3:
            in_table = True
            continue
        if not in_table:
            continue
        if _TABLE_END.match(line.text):
            in_table = False
            continue
        match = _ROW.match(line.text)
        if match is None or not re.search(r"[^\W\d_]{2}", match["test_name"]):
            continue
        yield [
            _Cell(name, match[name], line.start + match.start(name))
            for name in ("test_name", "code", "value", "unit", "reference_range", "flag")
            if match[name] is not None
        ]


def letter_list_records(document: DocumentText, calibration: Calibration) -> list[FieldRecord]:
    text = document.full
    lines = split_lines(text)
    found = (
        ("diagnoses", _diagnoses(text, lines), CODE_EVIDENCE),
        ("medications", _section_items(lines, _MEDICATION_SECTION, _medication), SECTION_EVIDENCE),
        ("procedures", _section_items(lines, _PROCEDURE_SECTION, _procedure), SECTION_EVIDENCE),
    )
    return [
        record
        for name, rows, score in found
        for record in _records(document, calibration, _LETTER_KINDS, name, rows, score)
    ]


def _diagnoses(text: str, lines: Sequence[Line]) -> Iterator[list[_Cell]]:
    """Each distinct ICD-10 code, with the words before it on its line as its text."""
    seen: set[str] = set()
    for span in find_spans(text, FieldKind.ICD10):
        code = str(normalize(FieldKind.ICD10, span.text))
        if code in seen:
            continue
        seen.add(code)
        line = next(line for line in reversed(lines) if line.start <= span.start)
        before = text[line.start : span.start]
        lead = _BULLET.match(before)
        body_start = lead.end() if lead else len(before) - len(before.lstrip())
        words = before[body_start:].rstrip(" \t:(-\u2013|[")
        cells = [_Cell("icd10", span.text, span.start)]
        if re.search(r"[^\W\d_]{3}", words):
            cells.insert(0, _Cell("text", words, line.start + body_start))
        yield cells


def _section_items(
    lines: Sequence[Line], heading: re.Pattern[str], item: Callable[[Line], list[_Cell]]
) -> Iterator[list[_Cell]]:
    """The items of a section: the lines after its heading, up to a blank line or the next
    heading."""
    in_section = False
    for line in lines:
        title = _SECTION.match(line.text)
        name = title["name"].strip() if title else ""
        if title is not None and (
            title["colon"] or heading.fullmatch(name) or _OTHER_SECTIONS.fullmatch(name)
        ):
            in_section = heading.fullmatch(name) is not None
            continue
        if not line.text.strip():
            in_section = False
            continue
        if in_section and (cells := item(line)):
            yield cells


def _body_start(line: Line) -> int:
    """Where a list line's text starts, after its indent and bullet."""
    lead = _BULLET.match(line.text)
    return lead.end() if lead else len(line.text) - len(line.text.lstrip())


def _medication(line: Line) -> list[_Cell]:
    """ "Metformin 500 mg twice daily": name, dose, frequency."""
    dose = _DOSE.search(line.text)
    if dose is None:
        return []
    start = _body_start(line)
    name = line.text[start : dose.start()].rstrip(" \t,-\u2013")
    cells = [_Cell("dose", dose["dose"], line.start + dose.start())]
    if name:
        cells.insert(0, _Cell("name", name, line.start + start))
    rest = line.text[dose.end() :]
    frequency = rest.strip(" \t,-\u2013")
    if frequency:
        cells.append(_Cell("frequency", frequency, line.start + dose.end() + rest.index(frequency)))
    return cells


def _procedure(line: Line) -> list[_Cell]:
    """ "Laparoscopic appendectomy on 12/03/2024": text and date."""
    start = _body_start(line)
    body = line.text[start:]
    dates = find_spans(body, FieldKind.DATE)
    text = body[: dates[0].start] if dates else body
    text = re.sub(r"\s+(?:on|am|le)\s*$", "", text.rstrip(" \t,-\u2013(")).rstrip()
    if not re.search(r"[^\W\d_]{3}", text):
        return []
    cells = [_Cell("text", text, line.start + start)]
    if dates:
        cells.append(_Cell("date", dates[0].text, line.start + start + dates[0].start))
    return cells


_LAB_KINDS = {leaf.template: leaf.kind for leaf in leaves(LabReport)}
_LETTER_KINDS = {leaf.template: leaf.kind for leaf in leaves(ClinicalLetter)}


def _records(
    document: DocumentText,
    calibration: Calibration,
    kinds: Mapping[str, FieldKind],
    list_name: str,
    rows: Iterable[list[_Cell]],
    score: float,
) -> list[FieldRecord]:
    """One record per cell, its value normalised for its field's kind (numeric dates in the
    document's own order); a cell its kind refuses is left out."""
    month_first = numeric_date_order(
        (span.text for span in find_spans(document.full, FieldKind.DATE)),
        us_document=is_us_document(document.full),
    )
    records: list[FieldRecord] = []
    for index, cells in enumerate(rows):
        for cell in cells:
            path = f"{list_name}.{index}.{cell.name}"
            kind = kinds[template_of(path)]
            try:
                value = (
                    parse_date(cell.text, month_first=month_first)
                    if kind == FieldKind.DATE
                    else normalize(kind, cell.text)
                )
            except NormalizationError:
                continue
            confidence = calibration.confidence(table_key(Method.RULES.value, path), score)
            location = document.locate(cell.start, cell.start + len(cell.text))
            records.append(
                FieldRecord(
                    path,
                    value,
                    Method.RULES,
                    confidence,
                    page=location.page,
                    start=location.start,
                    end=location.end,
                    raw=cell.text,
                    evidence=score,
                )
            )
    return records
