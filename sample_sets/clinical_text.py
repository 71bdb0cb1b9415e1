"""How the clinical documents print their values: dates in each style, names, sex, numbers
with a decimal point or comma, reference ranges, flags. The PDFs draw these strings and the
truth files copy them, so a printed text field's truth is exactly what the page shows.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sample_sets.clinical_data import Analyte, LabReport, Letter, Person, Physician

MONTHS = "January February March April May June July August September October November December"


def format_date(day: date, style: str) -> str:
    month = MONTHS.split()[day.month - 1]
    return {
        "iso": day.isoformat(),
        "us": f"{day.month:02d}/{day.day:02d}/{day.year}",
        "german": f"{day.day:02d}.{day.month:02d}.{day.year}",
        "month_name": f"{day.day} {month[:3]} {day.year}",
        "long": f"{day.day} {month} {day.year}",
    }[style]


def person_name(person: Person, style: str) -> str:
    return {
        "last_first": f"{person.last}, {person.first}",
        "first_last": f"{person.first} {person.last}",
        "upper_last": f"{person.first} {person.last.upper()}",
    }[style]


def sex_text(sex: str, style: str) -> str:
    words = {
        "word": ("Male", "Female"),
        "letter": ("M", "F"),
        "german": ("männlich", "weiblich"),
    }[style]
    return words[0] if sex == "male" else words[1]


def physician_name(physician: Physician, style: str) -> str:
    return {
        "credential": f"{physician.first} {physician.last}, {physician.credential}",
        "doctor": f"Dr. {physician.first} {physician.last}",
        "dr_med": f"Dr. med. {physician.first} {physician.last}",
    }[style]


@dataclass(frozen=True)
class LabStyle:
    name: str
    sex: str
    physician: str
    comma: bool  # decimal comma
    range_separator: str
    flags: dict[str | None, str]  # printed flag by range flag
    normal_flag: str | None  # the truth flag of a printed normal result


LAB_STYLES = {
    "us_table": LabStyle(
        name="last_first", sex="word", physician="credential", comma=False,
        range_separator="-", flags={"H": "H", "L": "L"}, normal_flag=None,
    ),
    "two_column": LabStyle(
        name="first_last", sex="letter", physician="doctor", comma=False,
        range_separator=" - ", flags={"H": "High", "L": "Low", None: "Normal"}, normal_flag="N",
    ),
    "laborbefund": LabStyle(
        name="last_first", sex="german", physician="dr_med", comma=True,
        range_separator=" - ", flags={"H": "hoch", "L": "niedrig"}, normal_flag=None,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class PrintedResult:
    test_name: str
    code: str | None  # LOINC, where the layout prints it
    value: str
    unit: str | None
    reference_range: str
    flag_text: str
    flag: str | None  # the truth: H, L, N or None


def number(value: Decimal, *, comma: bool) -> str:
    text = f"{value:f}"
    return text.replace(".", ",") if comma else text


def reference_range(analyte: Analyte, style: LabStyle) -> str:
    low = number(analyte.low, comma=style.comma) if analyte.low is not None else None
    high = number(analyte.high, comma=style.comma) if analyte.high is not None else None
    space = " " if style.comma else ""
    if low is None:
        return f"<{space}{high}"
    if high is None:
        return f">{space}{low}"
    return f"{low}{style.range_separator}{high}"


def printed_results(report: LabReport) -> list[PrintedResult]:
    style = LAB_STYLES[report.layout]
    german = report.layout == "laborbefund"
    rows = []
    for result in report.results:
        analyte = result.analyte
        flag_text = style.flags.get(result.flag, "")
        unit = analyte.german_unit if german else analyte.unit
        rows.append(
            PrintedResult(
                test_name=analyte.german if german else analyte.name,
                code=analyte.loinc if report.layout == "us_table" else None,
                value=number(result.value, comma=style.comma),
                unit=unit or None,
                reference_range=reference_range(analyte, style),
                flag_text=flag_text,
                flag=result.flag or (style.normal_flag if flag_text else None),
            )
        )
    return rows


@dataclass(frozen=True)
class LetterStyle:
    name: str
    sex: str
    author: str
    id_label: str


LETTER_STYLES = {
    "sections": LetterStyle("first_last", "word", "doctor", "MRN"),
    "correspondence": LetterStyle("upper_last", "letter", "credential", "Hospital No."),
}


def letter_author(letter: Letter) -> str:
    return physician_name(letter.author, LETTER_STYLES[letter.layout].author)


def lab_header(report: LabReport) -> dict[str, str]:
    """The printed header values of a lab report, by truth path."""
    style = LAB_STYLES[report.layout]
    return {
        "patient.name": person_name(report.patient, style.name),
        "patient.birth_date": format_date(report.patient.birth, report.date_style),
        "patient.sex": sex_text(report.patient.sex, style.sex),
        "patient.identifier": report.patient.mrn,
        "ordering_provider": physician_name(report.physician, style.physician),
        "lab_name": report.lab,
        "collected_at": format_date(report.collected, report.date_style),
        "reported_at": format_date(report.reported, report.date_style),
    }


def letter_header(letter: Letter) -> dict[str, str]:
    """The printed header values of a letter, by truth path."""
    style = LETTER_STYLES[letter.layout]
    printed = {
        "patient.name": person_name(letter.patient, style.name),
        "patient.birth_date": format_date(letter.patient.birth, letter.date_style),
        "patient.sex": sex_text(letter.patient.sex, style.sex),
        "patient.identifier": letter.patient.mrn,
        "author": letter_author(letter),
        "date": format_date(letter.written, letter.date_style),
    }
    if letter.admitted is not None and letter.discharged is not None:
        printed["admission_date"] = format_date(letter.admitted, letter.date_style)
        printed["discharge_date"] = format_date(letter.discharged, letter.date_style)
    return printed
