"""Fill the blank CMS-1500 with a `Claim`: as an AcroForm (pypdf sets text fields, check
boxes and radio groups by their on-state names and draws their appearances), as a form whose
/AcroForm dictionary is gone but whose page widgets keep their values, as one whose sex box
is set only through the widget's /AS state, or flattened: the same values drawn as page text
inside each box, with no widgets left.
"""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from extractor.read.cms1500_form import cms1500_layout
from sample_sets import FORMS
from sample_sets.clinical_data import Claim, Person, ServiceLine

BLANK = FORMS / "cms1500-blank.pdf"
FONT, MARK_FONT = "Helvetica", "Helvetica-Bold"
FLAT_SIZE = 8.0  # points; shrunk further where a value would overflow its box
MONEY_BOXES = frozenset({*(f"ch{n}" for n in range(1, 7)), "t_charge", "amt_paid"})


def printed_name(person: Person) -> str:
    """Box 2 and 4: "LAST, FIRST MI"."""
    return " ".join(f"{person.last}, {person.first} {person.middle}".upper().split())


def money(value: Decimal, *, split_cents: bool) -> str:
    dollars, cents = f"{value:.2f}".split(".")
    return f"{dollars} {cents}" if split_cents else f"{dollars}.{cents}"


def icd(code: str, *, dot: bool) -> str:
    return code if dot else code.replace(".", "")


def _date_boxes(prefix: str, suffix: str, day: date, *, long_year: bool) -> dict[str, str]:
    year = f"{day.year}" if long_year else f"{day.year % 100:02d}"
    return {
        f"{prefix}mm{suffix}": f"{day.month:02d}",
        f"{prefix}dd{suffix}": f"{day.day:02d}",
        f"{prefix}yy{suffix}": year,
    }


def _line_fields(n: int, line: ServiceLine, claim: Claim) -> dict[str, str]:
    fields = _date_boxes(f"sv{n}_", "_from", line.date_from, long_year=False)
    if line.date_to is not None:
        fields |= _date_boxes(f"sv{n}_", "_end", line.date_to, long_year=False)
    boxes = (f"mod{n}", f"mod{n}a", f"mod{n}b", f"mod{n}c")
    fields |= dict(zip(boxes[: len(line.modifiers)], line.modifiers, strict=True))
    return fields | {
        f"place{n}": line.place,
        f"cpt{n}": line.cpt,
        f"diag{n}": line.pointer,
        f"ch{n}": money(line.charge, split_cents=claim.split_cents),
        f"day{n}": str(line.units),
        f"local{n}": line.rendering_npi,
    }


def text_fields(claim: Claim) -> dict[str, str]:
    """{text field name: value} as the form is filled; boxes the schema does not read are
    filled too, as on a real claim."""
    patient, insured, billing = claim.patient, claim.insured, claim.billing
    fields = {
        "insurance_name": claim.payer.name,
        "insurance_address": claim.payer.street,
        "insurance_city_state_zip": claim.payer.location,
        "insurance_id": claim.insured_id,
        "pt_name": printed_name(patient),
        "ins_name": printed_name(insured),
        "pt_street": patient.street.upper(),
        "pt_city": patient.city.upper(),
        "pt_state": patient.state,
        "pt_zip": patient.zip_code,
        "ins_street": insured.street.upper(),
        "ins_city": insured.city.upper(),
        "ins_state": insured.state,
        "ins_zip": insured.zip_code,
        "ins_policy": claim.group_number,
        "pt_signature": "SIGNATURE ON FILE",
        "pt_date": claim.signed.strftime("%m/%d/%y"),
        "ins_signature": "SIGNATURE ON FILE",
        "99icd": "0",
        "tax_id": billing.tax_id,
        "pt_account": claim.account,
        "t_charge": money(claim.total, split_cents=claim.split_cents),
        "amt_paid": money(Decimal("0.00"), split_cents=claim.split_cents),
        "physician_signature": "SIGNATURE ON FILE",
        "physician_date": claim.signed.strftime("%m/%d/%y"),
        "doc_name": billing.name,
        "doc_street": billing.street,
        "doc_location": billing.location,
        "doc_phone area": billing.phone[:3],
        "doc_phone": billing.phone[4:],
        "pin": billing.npi,
    }
    fields |= _date_boxes("birth_", "", patient.birth, long_year=not claim.short_birth_year)
    fields |= _date_boxes("ins_dob_", "", insured.birth, long_year=True)
    for box, code in enumerate(claim.diagnoses, start=1):
        fields[f"diagnosis{box}"] = icd(code, dot=claim.icd_dot)
    for n, line in enumerate(claim.lines, start=1):
        fields |= _line_fields(n, line, claim)
    return fields


def button_states(claim: Claim) -> dict[str, str]:
    """{button field name: the on-state of the box to check}."""
    return {
        "insurance_type": claim.payer.program,
        "sex": "M" if claim.patient.sex == "male" else "F",
        "ins_sex": "MALE" if claim.insured.sex == "male" else "FEMALE",
        "rel_to_ins": claim.relation,
        "employment": "NO",
        "pt_auto_accident": "NO",
        "other_accident": "NO",
        "ins_benefit_plan": "NO",
        "ssn": claim.billing.tax_kind,
        "assignment": "YES",
    }


def _check(writer: PdfWriter, states: dict[str, str], *, field_values: bool) -> None:
    """Check the box of each button field's state: the widget whose appearances include
    that state shows it (/AS), the others show /Off; the field's /V is the state's name,
    unless `field_values` is false (then only the widgets tell it)."""
    for annotation in cast(ArrayObject, writer.pages[0]["/Annots"]):
        widget = cast(DictionaryObject, annotation.get_object())
        parent = widget.get("/Parent")
        field = cast(DictionaryObject, parent.get_object()) if parent is not None else widget
        state = states.get(str(field.get("/T")))
        if state is None:
            continue
        on = NameObject(f"/{state}")
        shows = on in cast(DictionaryObject, cast(DictionaryObject, widget["/AP"])["/N"])
        widget[NameObject("/AS")] = on if shows else NameObject("/Off")
        if field_values:
            field[NameObject("/V")] = on
        else:
            field.pop(NameObject("/V"), None)


def write_filled(claim: Claim, out: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(BLANK))
    writer.update_page_form_field_values(writer.pages[0], text_fields(claim), auto_regenerate=True)
    states = button_states(claim)
    if claim.variant == "as_only":
        _check(writer, {"sex": states.pop("sex")}, field_values=False)
    _check(writer, states, field_values=True)
    if claim.variant == "no_acroform":
        del writer.root_object["/AcroForm"]
    writer.metadata = {"/Title": "CMS-1500 claim"}
    with out.open("wb") as handle:
        writer.write(handle)


def _overlay(claim: Claim) -> PdfReader:
    """A page with each value drawn inside its box, and an X in each checked box."""
    page_size = (612, 792)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page_size, invariant=1, pageCompression=1)
    boxes = cms1500_layout().boxes
    texts, states = text_fields(claim), button_states(claim)
    for box in boxes:
        x0, y0, x1, y1 = box.rect
        if box.state is not None:
            if states.get(box.field) == box.state:
                canvas.setFont(MARK_FONT, 9)
                canvas.drawCentredString((x0 + x1) / 2, y0 + 2, "X")
            continue
        text = texts.get(box.field)
        if not text:
            continue
        size = min(FLAT_SIZE, FLAT_SIZE * (x1 - x0 - 3) / stringWidth(text, FONT, FLAT_SIZE))
        canvas.setFont(FONT, size)
        baseline = y0 + max(1.0, (y1 - y0 - size * 0.7) / 2)
        if box.field in MONEY_BOXES:  # cents to the right of the dollars | cents split
            canvas.drawRightString(x1 - 1.5, baseline, text)
        else:
            canvas.drawString(x0 + 1.5, baseline, text)
    canvas.showPage()
    canvas.save()
    return PdfReader(buffer)


def write_flat(claim: Claim, out: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(BLANK))
    page = writer.pages[0]
    page.merge_page(_overlay(claim).pages[0])
    for key in ("/Annots", "/AA"):
        page.pop(NameObject(key), None)
    del writer.root_object["/AcroForm"]
    writer.metadata = {"/Title": "CMS-1500 claim"}
    # a second copy drops the fields and appearances nothing refers to any more
    first = io.BytesIO()
    writer.write(first)
    PdfWriter(clone_from=PdfReader(first)).write(out)
