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

from extractor.errors import NormalizationError
from extractor.model.confidence import Calibration, table_key
from extractor.read.pdf import DocumentText
from extractor.result import FieldRecord, Method
from extractor.schema_walk import leaves, template_of
from extractor.text.locate import Line, split_lines
from extractor.values.candidates import find_spans
from extractor.values.normalize import is_us_document, normalize, numeric_date_order, parse_date
from schemas.clinical_letter import ClinicalLetter
from schemas.kinds import FieldKind
from schemas.lab_report import LabReport

ROW_EVIDENCE = 0.9  # a row whose value, unit and range fit their shapes under a table header
SECTION_EVIDENCE = 0.8  # a line in a named section that fits the item's shape
CODE_EVIDENCE = 0.95  # an ICD-10 code; its text is the words before it

_NUMBER = r"\d+(?:[.,]\d+)?"
_VALUE = re.compile(
    rf"[<>≤≥]?\s?-?{_NUMBER}|positive|negative|positiv|negativ|trace|"
    r"not\s+detected|detected|nachweisbar|nicht\s+nachweisbar|reactive|non-reactive",
    re.IGNORECASE,
)
_CODE = re.compile(r"\d{1,5}-\d")  # a LOINC code
_RANGE = re.compile(
    rf"[<>≤≥]\s?{_NUMBER}|{_NUMBER}\s?(?:-|\u2013|to|bis)\s?{_NUMBER}", re.IGNORECASE
)
# What a unit looks like, so that a short test name ("AST", "INR") is never taken for one.
_UNIT = re.compile(
    r"%|\S*/\S+|\S*\^\S+|[mµunpfk]?(?:g|l|L|mol|U|IU|Eq|eq)|fL|fl|pg|sec|s|min|mmHg|ratio",
)
_FLAG = r"HH|LL|H|L|A|\*|↑|↓|high|low|hoch|niedrig"
_ROW = re.compile(  # a whole row on one line: name [code] value [unit] [range] [flag]
    rf"^\s*(?P<test_name>\S.*?)\s+(?:(?P<code>\d{{1,5}}-\d)\s+)?"
    rf"(?P<value>{_VALUE.pattern})(?:\s+(?P<unit>{_UNIT.pattern}))??"
    rf"(?:\s+(?P<reference_range>{_RANGE.pattern}))?(?:\s+(?P<flag>{_FLAG}))?\s*$",
    re.IGNORECASE,
)
_HEADER_CELL = re.compile(
    r"test|tests|analyte|parameter|untersuchung|analyse|examen|result|results|value|ergebnis|"
    r"wert|résultat|units?|einheit|unité|reference(?:\s+(?:range|interval))?|range|"
    r"referenz\w*|normal\s+range|norm\w*|loinc|code|flag|bewertung|kennzeichen|status",
    re.IGNORECASE,
)
_HEADER_WORDS = (
    r"\b(?:test|analyte|parameter|untersuchung|analyse|examen)\b",
    r"\b(?:result|value|ergebnis|wert|résultat)\b",
    r"\b(?:units?|einheit|unité)\b",
    r"\b(?:reference|range|referenz\w*|normal\w*|norm\w*|valeurs?)\b",
)
_MIN_HEADER_CELLS = 3
_TABLE_END = re.compile(
    r"^\s*(?:comments?|notes?|interpretation|kommentar|befundbericht|bemerkung|"
    r"validated|electronically|signed|end\s+of\s+report|page\s+\d|seite\s+\d)\b",
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
    r"(?:investigations\s+and\s+)?procedures?(?:\s+performed)?|operations?|interventions?|eingriffe",
    re.IGNORECASE,
)
_DOSE = re.compile(
    rf"(?P<dose>{_NUMBER}\s?(?:mg|mcg|µg|g|ml|mL|units?|IU|I\.E\.|mmol|%|puffs?|drops?|tabs?|"
    r"tablets?)\b(?:/\w+)?)",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W\d_]{3}")
_DIAGNOSIS_HEADER = re.compile(r"diagnos[ie]s|icd-?10(?:\s+code)?|code", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-•*·]|\d+[.)])\s*")


@dataclass(frozen=True)
class _Cell:
    name: str
    text: str
    start: int  # in the document's full text


def lab_result_records(document: DocumentText, calibration: Calibration) -> list[FieldRecord]:
    rows = _lab_rows(split_lines(document.full))
    return _records(document, calibration, _LAB_KINDS, "results", rows, ROW_EVIDENCE)


def _is_header(line: Line) -> bool:
    """A results table's header on one line ("Test Result Units Reference Range")."""
    found = sum(1 for word in _HEADER_WORDS if re.search(word, line.text, re.IGNORECASE))
    return found >= _MIN_HEADER_CELLS


def _header_end(lines: Sequence[Line], number: int) -> int | None:
    """Where a header written one cell per line ends (the index after it), if one starts
    at `number`."""
    end = number
    while end < len(lines) and _HEADER_CELL.fullmatch(lines[end].text.strip()):
        end += 1
    return end if end - number >= _MIN_HEADER_CELLS else None


def _lab_rows(lines: Sequence[Line]) -> Iterator[list[_Cell]]:
    """Rows of every results table: the lines after a header, one row per line or one cell
    per line, up to a line that ends the table."""
    number, in_table = 0, False
    row = _RowBuilder()
    while number < len(lines):
        line = lines[number]
        header_end = _header_end(lines, number)
        if _is_header(line) or header_end is not None:
            yield from row.finish()
            in_table, number = True, header_end or number + 1
            continue
        if in_table and _TABLE_END.match(line.text):
            yield from row.finish()
            in_table = False
        elif in_table:
            yield from row.feed(line)
        number += 1
    yield from row.finish()


class _RowBuilder:
    """Assembles a result row from cells: a test name, an optional code, a value, then a
    unit, a reference range and a flag in any order. A new name starts the next row; a row
    without a value is dropped."""

    def __init__(self) -> None:
        self.cells: dict[str, _Cell] = {}

    def feed(self, line: Line) -> Iterator[list[_Cell]]:
        text = line.text.strip()
        if not text:
            return
        start = line.start + line.text.index(text)
        whole = _ROW.match(line.text)
        if whole is not None and _names_a_test(whole["test_name"]):
            yield from self.finish()
            yield [
                _Cell(name, whole[name], line.start + whole.start(name))
                for name in ("test_name", "code", "value", "unit", "reference_range", "flag")
                if whole[name] is not None
            ]
            return
        slot = self._slot(text)
        if slot is None or slot == "test_name":
            yield from self.finish()
            if slot == "test_name":
                self.cells["test_name"] = _Cell("test_name", text, start)
            return
        self.cells[slot] = _Cell(slot, text, start)

    def _slot(self, text: str) -> str | None:
        """The field a cell fills in the row being built."""
        cells = self.cells
        if "test_name" not in cells:
            return "test_name" if _names_a_test(text) else None
        if "value" not in cells:
            if _CODE.fullmatch(text) and "code" not in cells:
                return "code"
            return "value" if _VALUE.fullmatch(text) else None
        for slot, fits in (
            ("reference_range", _RANGE.fullmatch(text)),
            ("flag", _is_flag(text)),
            ("unit", _UNIT.fullmatch(text)),
        ):
            if fits and slot not in cells:
                return slot
        return "test_name" if _names_a_test(text) else None

    def finish(self) -> Iterator[list[_Cell]]:
        if "value" in self.cells:
            yield list(self.cells.values())
        self.cells = {}


def _names_a_test(text: str) -> bool:
    return re.search(r"[^\W\d_]{2}", text) is not None and len(text) <= 60


def _is_flag(text: str) -> bool:
    try:
        normalize(FieldKind.FLAG, text)
    except NormalizationError:
        return False
    return True


def letter_list_records(document: DocumentText, calibration: Calibration) -> list[FieldRecord]:
    text = document.full
    lines = split_lines(text)
    found = (
        ("diagnoses", _diagnoses(text, lines), CODE_EVIDENCE),
        (
            "medications",
            _table_or_section(lines, _MEDICATION_TABLE, _MEDICATION_SECTION, _medication),
            SECTION_EVIDENCE,
        ),
        (
            "procedures",
            _table_or_section(lines, _PROCEDURE_TABLE, _PROCEDURE_SECTION, _procedure),
            SECTION_EVIDENCE,
        ),
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
        elif (above := _cell_above(lines, line)) is not None:  # a table, one cell per line
            cells.insert(0, above)
        yield cells


def _cell_above(lines: Sequence[Line], line: Line) -> _Cell | None:
    """The diagnosis text in the line above a code printed alone on its line."""
    number = lines.index(line)
    if number == 0 or line.text.strip() != line.text.strip().split()[0]:
        return None
    above = lines[number - 1]
    text = above.text.strip()
    if (
        not re.search(r"[^\W\d_]{3}", text)
        or _DIAGNOSIS_HEADER.fullmatch(text)
        or find_spans(text, FieldKind.ICD10)
    ):
        return None
    return _Cell("text", text, above.start + above.text.index(text))


@dataclass(frozen=True)
class _Column:
    field: str
    heading: re.Pattern[str]
    fits: re.Pattern[str]


_MEDICATION_TABLE = (
    _Column("name", re.compile(r"medications?|drug|name", re.I), re.compile(r".*[^\W\d_].*")),
    _Column("dose", re.compile(r"dose|dosage|strength", re.I), re.compile(_DOSE.pattern, re.I)),
    _Column(
        "frequency", re.compile(r"frequency|schedule|how\s+often", re.I), re.compile(r".*\w.*")
    ),
)
_PROCEDURE_TABLE = (
    _Column("text", re.compile(r"procedures?", re.I), re.compile(r".*[^\W\d_].*")),
    _Column("date", re.compile(r"date", re.I), re.compile(r"\S(?:.{0,20}\d)")),
)


def _cell_table(lines: Sequence[Line], columns: Sequence[_Column]) -> Iterator[list[_Cell]]:
    """Rows of a table printed one cell per line, after its heading cells. A row starts with
    a cell with words followed by a cell that fits the second column; a later column's cell
    is taken when it fits and does not itself start the next row."""
    texts = [line.text.strip() for line in lines]

    def fits(position: int, column: _Column) -> bool:
        return position < len(texts) and column.fits.fullmatch(texts[position]) is not None

    def starts_row(position: int) -> bool:
        return _WORDS.search(texts[position]) is not None and fits(position + 1, columns[1])

    for number in range(len(lines) - len(columns) + 1):
        if not all(c.heading.fullmatch(texts[number + i]) for i, c in enumerate(columns)):
            continue
        position = number + len(columns)
        while position < len(texts) and starts_row(position):
            row = [_cell_at(lines[position], columns[0].field)]
            row.append(_cell_at(lines[position + 1], columns[1].field))
            position += 2
            for column in columns[2:]:
                if fits(position, column) and not starts_row(position):
                    row.append(_cell_at(lines[position], column.field))
                    position += 1
            yield row


def _table_or_section(
    lines: Sequence[Line],
    table: Sequence[_Column],
    heading: re.Pattern[str],
    item: Callable[[Line], list[_Cell]],
) -> list[list[_Cell]]:
    """A list's items from its table when it is printed as one, else from its section."""
    return list(_cell_table(lines, table)) or list(_section_items(lines, heading, item))


def _cell_at(line: Line, name: str) -> _Cell:
    text = line.text.strip()
    return _Cell(name, text, line.start + line.text.index(text))


def _section_items(
    lines: Sequence[Line], heading: re.Pattern[str], item: Callable[[Line], list[_Cell]]
) -> Iterator[list[_Cell]]:
    """The items of a section: the lines after its heading, up to a blank line or the next
    heading (any section this module knows, or a line ending in a colon)."""
    in_section = False
    for line in lines:
        title = _SECTION.match(line.text)
        name = title["name"].strip() if title else ""
        if title is not None and (title["colon"] or _is_section_name(name)):
            in_section = heading.fullmatch(name) is not None
            continue
        if not line.text.strip():
            in_section = False
            continue
        if in_section and (cells := item(line)):
            yield cells


def _is_section_name(name: str) -> bool:
    return any(
        section.fullmatch(name)
        for section in (_MEDICATION_SECTION, _PROCEDURE_SECTION, _OTHER_SECTIONS)
    )


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
