"""Draw lab reports and clinical letters with reportlab (Helvetica, WinAnsi text).

Lab report layouts: `us_table` (labelled header fields, a "Test | LOINC | Result | Units |
Reference Range | Flag" table), `two_column` (a boxed two-column block of label/value pairs
with other wording, flags as words), `laborbefund` (German: "Untersuchung | Ergebnis |
Einheit | Referenzbereich", decimal commas). A long table continues on page 2 under a short
repeated header. Letter layouts: `sections` (a titled summary with labelled fields and
headed lists) and `correspondence` (a letter: salutation, prose, tables, signature).
"""

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from sample_sets.clinical_data import LabReport, Letter
from sample_sets.clinical_text import (
    PrintedResult,
    format_date,
    lab_header,
    letter_header,
    person_name,
    physician_name,
    printed_results,
)

REGULAR, BOLD = "Helvetica", "Helvetica-Bold"
LEFT = 50.0
ROW = 15.0


class Sheet:
    """A canvas and a vertical cursor `y` that moves down the page."""

    def __init__(self, path: Path, size: tuple[float, float], title: str) -> None:
        self.canvas = Canvas(str(path), pagesize=size, invariant=1, pageCompression=1)
        self.canvas.setTitle(title)
        self.width, self.height = size
        self.right = self.width - LEFT
        self.y = self.height - 60

    def text(self, x: float, text: str, *, size: float = 10, bold: bool = False) -> None:
        self.canvas.setFont(BOLD if bold else REGULAR, size)
        self.canvas.drawString(x, self.y, text)

    def right_text(self, text: str, *, size: float = 10, bold: bool = False) -> None:
        self.canvas.setFont(BOLD if bold else REGULAR, size)
        self.canvas.drawRightString(self.right, self.y, text)

    def down(self, step: float = ROW) -> None:
        self.y -= step

    def rule(self, gap: float = 8) -> None:
        self.canvas.setLineWidth(0.6)
        self.canvas.line(LEFT, self.y + gap, self.right, self.y + gap)

    def paragraph(self, text: str, *, x: float = LEFT, size: float = 10) -> None:
        for line in simpleSplit(text, REGULAR, size, self.right - x):
            self.text(x, line, size=size)
            self.down(size * 1.4)

    def row(self, columns: Sequence[float], cells: Sequence[str], *, bold: bool = False) -> None:
        for x, cell in zip(columns, cells, strict=True):
            self.text(x, cell, size=9, bold=bold)
        self.down(ROW)

    def footer(self, text: str) -> None:
        self.canvas.setFont(REGULAR, 8)
        self.canvas.drawString(LEFT, 36, text)

    def new_page(self) -> None:
        self.canvas.showPage()
        self.y = self.height - 60

    def save(self) -> None:
        self.canvas.showPage()
        self.canvas.save()


# lab reports -------------------------------------------------------------------------------

LAB_COLUMNS = {
    "us_table": (
        ("Test", "LOINC", "Result", "Units", "Reference Range", "Flag"),
        (LEFT, 200.0, 270.0, 330.0, 410.0, 520.0),
    ),
    "two_column": (
        ("Analyte", "Result", "Flag", "Units", "Reference Interval"),
        (LEFT, 210.0, 270.0, 330.0, 410.0),
    ),
    "laborbefund": (
        ("Untersuchung", "Ergebnis", "Einheit", "Referenzbereich", "Bewertung"),
        (LEFT, 210.0, 280.0, 350.0, 470.0),
    ),
}
PAGE_WORD = {
    "us_table": "Page {} of {}",
    "two_column": "Page {}/{}",
    "laborbefund": "Seite {} von {}",
}
LAB_FOOTNOTE = {
    "us_table": "Results reviewed electronically. Confidential patient information.",
    "two_column": "Authorised by the duty biomedical scientist. Intervals are for adults.",
    "laborbefund": "Befund elektronisch freigegeben. Referenzbereiche gelten für Erwachsene.",
}


def _us_header(sheet: Sheet, report: LabReport, printed: dict[str, str]) -> None:
    sheet.text(LEFT, report.lab, size=15, bold=True)
    sheet.right_text("LABORATORY REPORT", size=12, bold=True)
    sheet.down(13)
    sheet.text(LEFT, "1200 Medical Park Drive, Suite 100  |  CLIA 05D2093341", size=8)
    sheet.down(24)
    pairs = (
        ("Patient:", printed["patient.name"], "Ordering Physician:", printed["ordering_provider"]),
        ("DOB:", printed["patient.birth_date"], "Collected:", printed["collected_at"]),
        ("Sex:", printed["patient.sex"], "Reported:", printed["reported_at"]),
        ("MRN:", printed["patient.identifier"], "Status:", "Final"),
    )
    for left_label, left_value, right_label, right_value in pairs:
        sheet.text(LEFT, left_label, size=9, bold=True)
        sheet.text(LEFT + 55, left_value, size=9)
        sheet.text(320, right_label, size=9, bold=True)
        sheet.text(420, right_value, size=9)
        sheet.down(13)


def _two_column_header(sheet: Sheet, report: LabReport, printed: dict[str, str]) -> None:
    sheet.text(LEFT, report.lab, size=14, bold=True)
    sheet.down(13)
    sheet.text(LEFT, "Department of Clinical Chemistry and Haematology", size=9)
    sheet.down(22)
    sheet.text(LEFT, "Laboratory Results", size=12, bold=True)
    sheet.down(12)
    top = sheet.y + 4
    pairs = (
        ("Name", printed["patient.name"], "Requested by", printed["ordering_provider"]),
        ("Date of Birth", printed["patient.birth_date"], "Specimen collected",
         printed["collected_at"]),
        ("Gender", printed["patient.sex"], "Report date", printed["reported_at"]),
        ("Patient ID", printed["patient.identifier"], "Specimen", "Serum"),
    )  # fmt: skip
    sheet.down(10)
    for left_label, left_value, right_label, right_value in pairs:
        sheet.text(LEFT + 6, left_label, size=8)
        sheet.text(LEFT + 80, left_value, size=10, bold=True)
        sheet.text(300, right_label, size=8)
        sheet.text(385, right_value, size=10, bold=True)
        sheet.down(14)
    sheet.canvas.rect(LEFT, sheet.y + 4, sheet.right - LEFT, top - sheet.y - 4)
    sheet.canvas.line(292, sheet.y + 4, 292, top)
    sheet.down(6)


def _german_header(sheet: Sheet, report: LabReport, printed: dict[str, str]) -> None:
    sheet.text(LEFT, report.lab, size=14, bold=True)
    sheet.down(12)
    sheet.text(LEFT, "Stadtparkstraße 12 · 20095 Hamburg · Tel. 040 3861290", size=8)
    sheet.down(26)
    sheet.text(LEFT, "Laborbefund", size=14, bold=True)
    sheet.right_text(f"Befunddatum: {printed['reported_at']}", size=9)
    sheet.down(20)
    sheet.text(LEFT, f"Einsender: {printed['ordering_provider']}", size=9)
    sheet.down(14)
    sheet.text(LEFT, f"Patient: {printed['patient.name']}", size=10, bold=True)
    sheet.text(300, f"Geb.-Datum: {printed['patient.birth_date']}", size=9)
    sheet.down(13)
    sheet.text(LEFT, f"Geschlecht: {printed['patient.sex']}", size=9)
    sheet.text(300, f"Patienten-Nr.: {printed['patient.identifier']}", size=9)
    sheet.down(13)
    sheet.text(LEFT, f"Entnahme: {printed['collected_at']}", size=9)
    sheet.text(300, "Material: Serum, EDTA-Blut", size=9)
    sheet.down(8)


HEADERS = {"us_table": _us_header, "two_column": _two_column_header, "laborbefund": _german_header}


def _result_cells(layout: str, row: PrintedResult) -> tuple[str, ...]:
    unit = row.unit or ""
    if layout == "us_table":
        return (row.test_name, row.code or "", row.value, unit, row.reference_range, row.flag_text)
    if layout == "two_column":
        return (row.test_name, row.value, row.flag_text, unit, row.reference_range)
    return (row.test_name, row.value, unit, row.reference_range, row.flag_text)


def render_lab_report(report: LabReport, out: Path) -> None:
    size = LETTER if report.layout == "us_table" else A4
    sheet = Sheet(out, size, "Laboratory report")
    printed = lab_header(report)
    titles, columns = LAB_COLUMNS[report.layout]
    rows = printed_results(report)
    pages = 1 if report.rows_on_first_page >= len(rows) else 2
    page_word = PAGE_WORD[report.layout]
    HEADERS[report.layout](sheet, report, printed)
    sheet.down(18)
    for index, row in enumerate(rows):
        if index == 0 or index == report.rows_on_first_page:
            if index:
                sheet.footer(page_word.format(1, pages))
                sheet.new_page()
                sheet.text(LEFT, f"{printed['patient.name']} ({printed['patient.identifier']})")
                sheet.right_text(report.lab, size=9)
                sheet.down(28)
            sheet.row(columns, titles, bold=True)
            sheet.rule(gap=10)
        sheet.row(columns, _result_cells(report.layout, row), bold=row.flag in ("H", "L"))
    sheet.down(10)
    sheet.text(LEFT, LAB_FOOTNOTE[report.layout], size=8)
    sheet.footer(page_word.format(pages, pages))
    sheet.save()


# letters -----------------------------------------------------------------------------------


def _sections(sheet: Sheet, letter: Letter, printed: dict[str, str]) -> None:
    discharge = letter.kind == "discharge"
    sheet.text(LEFT, letter.hospital, size=14, bold=True)
    sheet.down(12)
    sheet.text(LEFT, "Department of Internal Medicine · 400 Hospital Road", size=8)
    sheet.down(26)
    sheet.text(LEFT, "DISCHARGE SUMMARY" if discharge else "REFERRAL LETTER", size=13, bold=True)
    sheet.down(22)
    fields = [
        ("Patient:", printed["patient.name"], "Date of birth:", printed["patient.birth_date"]),
        ("Sex:", printed["patient.sex"], "MRN:", printed["patient.identifier"]),
    ]
    if discharge:
        fields.append(
            ("Admission date:", printed["admission_date"], "Discharge date:",
             printed["discharge_date"])
        )  # fmt: skip
    else:
        referred = f"{physician_name(letter.recipient, 'doctor')}, {letter.specialty.capitalize()}"
        fields.append(("Referred to:", referred, "", ""))
    fields.append(("Date:", printed["date"], "", ""))
    for left_label, left_value, right_label, right_value in fields:
        sheet.text(LEFT, left_label, size=10, bold=True)
        sheet.text(LEFT + 95, left_value)
        sheet.text(330, right_label, size=10, bold=True)
        sheet.text(425, right_value)
        sheet.down()
    sheet.down(8)

    def heading(title: str) -> None:
        sheet.down(6)
        sheet.text(LEFT, title, size=11, bold=True)
        sheet.down()

    heading("Diagnoses")
    for number, diagnosis in enumerate(letter.diagnoses, start=1):
        sheet.text(LEFT + 10, f"{number}. {diagnosis.text} ({diagnosis.icd10})")
        sheet.down()
    if letter.procedures:
        heading("Procedures" if discharge else "Investigations and procedures")
        for procedure in letter.procedures:
            when = format_date(procedure.day, letter.date_style)
            sheet.text(LEFT + 10, f"- {procedure.text} on {when}")
            sheet.down()
    heading("Medications on discharge" if discharge else "Current medications")
    for medication in letter.medications:
        sheet.text(LEFT + 10, f"- {medication.name} {medication.dose} {medication.frequency}")
        sheet.down()
    heading("Follow-up")
    sheet.paragraph(letter.follow_up, x=LEFT + 10)
    sheet.down(20)
    sheet.text(LEFT, f"Electronically signed by: {printed['author']}")


def _table(
    sheet: Sheet, columns: Sequence[float], titles: Sequence[str], rows: Sequence[Sequence[str]]
) -> None:
    sheet.row(columns, titles, bold=True)
    sheet.rule(gap=10)
    for cells in rows:
        sheet.row(columns, cells)
    sheet.down(6)


def _correspondence(sheet: Sheet, letter: Letter, printed: dict[str, str]) -> None:
    discharge = letter.kind == "discharge"
    sheet.text(LEFT, letter.hospital, size=13, bold=True)
    sheet.right_text(printed["date"])
    sheet.down(12)
    sheet.text(LEFT, "Department of Medicine", size=9)
    sheet.down(30)
    recipient = letter.recipient
    for line in (
        physician_name(recipient, "doctor"),
        "Riverside Medical Practice",
        "18 Station Road",
    ):
        sheet.text(LEFT, line)
        sheet.down(13)
    sheet.down(16)
    sheet.text(LEFT, f"Dear Dr. {recipient.last},")
    sheet.down(22)
    sheet.text(LEFT, f"Re: {printed['patient.name']}", bold=True)
    sheet.down(14)
    sheet.text(
        LEFT,
        f"Date of birth: {printed['patient.birth_date']}    Gender: {printed['patient.sex']}"
        f"    Hospital No.: {printed['patient.identifier']}",
        size=9,
    )
    sheet.down(22)
    if discharge:
        intro = (
            f"Your patient was admitted to our ward on {printed['admission_date']} and "
            f"discharged home on {printed['discharge_date']}. A summary of the admission follows."
        )
    else:
        intro = (
            "Thank you for seeing this patient, whom I am referring for "
            f"{letter.specialty} assessment. The relevant history is summarised below."
        )
    sheet.paragraph(intro)
    sheet.down(8)
    _table(
        sheet, (LEFT, 440.0), ("Diagnosis", "ICD-10"), [(d.text, d.icd10) for d in letter.diagnoses]
    )
    if letter.procedures:
        _table(
            sheet,
            (LEFT, 380.0),
            ("Procedure", "Date"),
            [(p.text, format_date(p.day, letter.date_style)) for p in letter.procedures],
        )
    _table(
        sheet,
        (LEFT, 230.0, 330.0),
        ("Medication", "Dose", "Frequency"),
        [(m.name, m.dose, m.frequency) for m in letter.medications],
    )
    sheet.paragraph(f"Follow-up plan: {letter.follow_up}")
    sheet.down(18)
    sheet.text(LEFT, "Yours sincerely,")
    sheet.down(34)
    sheet.text(LEFT, printed["author"], bold=True)
    sheet.down(13)
    sheet.text(LEFT, "Consultant physician" if discharge else "General practitioner", size=9)


def render_letter(letter: Letter, out: Path) -> None:
    size = LETTER if letter.layout == "sections" else A4
    title = "Discharge summary" if letter.kind == "discharge" else "Referral letter"
    sheet = Sheet(out, size, title)
    printed = letter_header(letter)
    (_sections if letter.layout == "sections" else _correspondence)(sheet, letter, printed)
    sheet.footer(f"{person_name(letter.patient, 'first_last')} - page 1 of 1")
    sheet.save()
