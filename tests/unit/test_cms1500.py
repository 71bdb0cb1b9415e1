"""CMS-1500 knowledge: every generated claim (filled, without /AcroForm, set through /AS,
flattened) reads back to its truth exactly; split boxes join; flattened text is assigned to
the right box and the blank's own text to none; the form reader finds fields through the
AcroForm tree and through page widgets alike."""

import json
from pathlib import Path
from typing import Any, cast

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from extractor.clinical.cms1500 import FormValue, claim_values
from extractor.read.cms1500_form import (
    Box,
    FormLayout,
    TextFragment,
    cms1500_layout,
    flattened_form_values,
    is_cms1500,
    is_drawn_cms1500,
    page_fragments,
)
from extractor.read.form_fields import read_form_fields
from extractor.schema_walk import leaves, template_of, unflatten
from extractor.values.normalize import normalize
from sample_sets.cms1500_blank import COMPACT, LAYOUT, layout
from sample_sets.make_clinical import DEFAULT_OUT
from schemas.claim_form import ClaimForm

CLAIMS = sorted((DEFAULT_OUT / "claims").glob("*.pdf"))
FLAT = sorted((DEFAULT_OUT / "claims_flat").glob("*.pdf"))
KINDS = {leaf.template: leaf.kind for leaf in leaves(ClaimForm)}


def truth(pdf: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(pdf.with_suffix(".truth.json").read_text("utf-8"))
    return data


def as_schema(values: dict[str, FormValue]) -> dict[str, Any]:
    typed = {path: normalize(KINDS[template_of(path)], value.raw) for path, value in values.items()}
    dumped: dict[str, Any] = ClaimForm.model_validate(unflatten(typed)).model_dump(mode="json")
    return dumped


def test_the_sets_hold_every_variant() -> None:
    variants = [pdf.stem.split("_", 2)[2] for pdf in CLAIMS]
    assert len(CLAIMS) >= 22 and len(FLAT) >= 6
    assert variants.count("no_acroform") >= 2 and variants.count("as_only") >= 1


@pytest.mark.parametrize("pdf", CLAIMS, ids=lambda pdf: pdf.stem)
def test_filled_claim_reads_back_to_its_truth(pdf: Path) -> None:
    reader = PdfReader(pdf)
    form = read_form_fields(reader)
    assert is_cms1500(form)
    assert as_schema(claim_values(form)) == truth(pdf)
    if pdf.stem.endswith("no_acroform"):
        assert "/AcroForm" not in reader.root_object
    if pdf.stem.endswith("as_only"):
        widgets = [a.get_object() for a in cast(ArrayObject, reader.pages[0]["/Annots"])]
        sex = [w["/Parent"] for w in widgets if w.get("/Parent", {}).get("/T") == "sex"]
        assert sex and all("/V" not in field for field in sex)


@pytest.mark.parametrize("pdf", FLAT, ids=lambda pdf: pdf.stem)
def test_flattened_claim_reads_back_to_its_truth(pdf: Path) -> None:
    reader = PdfReader(pdf)
    assert "/AcroForm" not in reader.root_object and "/Annots" not in reader.pages[0]
    fragments = page_fragments(reader.pages[0], 0)
    assert is_drawn_cms1500(fragments)
    form = flattened_form_values(fragments)
    assert is_cms1500(form)
    assert as_schema(claim_values(form)) == truth(pdf)


@pytest.mark.parametrize(
    "pdf",
    [
        DEFAULT_OUT / "lab_reports" / "lab_01_us_table.pdf",
        DEFAULT_OUT / "letters" / "letter_03_referral_correspondence.pdf",
    ],
    ids=lambda pdf: pdf.stem,
)
def test_other_pages_are_not_taken_for_a_flattened_form(pdf: Path) -> None:
    assert not is_drawn_cms1500(page_fragments(PdfReader(pdf).pages[0], 0))


def test_split_boxes_join() -> None:
    form = {
        "birth_mm": "03",
        "birth_dd": "07",
        "birth_yy": "85",
        "sv1_mm_from": "11",
        "sv1_dd_from": "29",
        "sv1_yy_from": "24",
        "ch1": "1,250 00",
        "t_charge": "$1250 00",
        "mod1": "25",
        "mod1b": "59",
        "diag1": "A, C",
        "sex": "F",
    }
    values = claim_values(form)
    assert values["patient.birth_date"] == FormValue(
        "1985-03-07", ("birth_mm", "birth_dd", "birth_yy")
    )
    assert values["service_lines.0.date_from"].raw == "2024-11-29"
    assert values["service_lines.0.charge"].raw == "1250.00"
    assert values["total_charge"].raw == "1250.00"
    assert values["service_lines.0.modifiers"] == FormValue("25 59", ("mod1", "mod1b"))
    assert values["service_lines.0.diagnosis_pointer"].raw == "AC"
    assert values["patient.sex"] == FormValue("F", ("sex",))


def test_a_two_digit_birth_year_is_placed_by_the_service_dates() -> None:
    form = {"birth_mm": "03", "birth_dd": "07", "birth_yy": "12", "sv1_mm_from": "01"}
    form |= {"sv1_dd_from": "05", "sv1_yy_from": "24"}
    assert claim_values(form)["patient.birth_date"].raw == "2012-03-07"
    alone = claim_values({"birth_mm": "03", "birth_dd": "07", "birth_yy": "12"})
    assert alone["patient.birth_date"].raw == "03 07 12"  # no century to place it in


def test_empty_and_unchecked_values_are_left_out_and_lists_close_up() -> None:
    form = {"pt_name": "  ", "sex": "Off", "diagnosis1": "", "diagnosis2": "I10"}
    form |= {"cpt1": "", "cpt3": "99213", "ins_sex": "MALE"}
    assert {path: value.raw for path, value in claim_values(form).items()} == {
        "diagnosis_codes.0.code": "I10",
        "service_lines.0.cpt": "99213",
    }
    assert claim_values({}) == {}


def test_the_form_is_recognised_by_its_field_names() -> None:
    assert is_cms1500(read_form_fields(PdfReader(COMPACT)))
    assert not is_cms1500({"pt_name": "", "Invoice number": ""})


def test_the_layout_is_the_blank_forms() -> None:
    assert json.loads(LAYOUT.read_text("utf-8")) == layout(PdfReader(COMPACT))
    boxes = cms1500_layout().boxes
    assert {box.state for box in boxes if box.field == "sex"} == {"M", "F"}
    assert all(box.page == 0 for box in boxes)


def fragment(text: str, x: float, y: float) -> TextFragment:
    return TextFragment(text, x, y, 0)


def test_flattened_text_goes_to_the_box_that_holds_it() -> None:
    wide = Box("wide", None, 0, (0.0, 0.0, 100.0, 12.0))
    small = Box("small", None, 0, (40.0, 0.0, 60.0, 12.0))
    check = Box("sex", "F", 0, (120.0, 0.0, 130.0, 10.0))
    label = {"PATIENT": ((0, 10.0, 2.0),)}
    form = FormLayout((wide, small, check), label)
    fragments = [
        fragment("DOE,", 2.0, 2.0),
        fragment("JOHN", 25.0, 2.5),
        fragment("SECOND LINE", 2.0, -1.5),  # just below the box: within the tolerance
        fragment("42", 45.0, 2.0),  # inside both: the smaller box wins
        fragment("PATIENT", 10.4, 2.2),  # the blank's own label
        fragment("X", 122.0, 2.0),
        fragment("far away", 300.0, 300.0),
    ]
    assert flattened_form_values(fragments, form) == {
        "wide": "DOE, JOHN SECOND LINE",
        "small": "42",
        "sex": "F",
    }


def _field(writer: PdfWriter, entries: dict[str, Any]) -> DictionaryObject:
    node = DictionaryObject({NameObject(key): value for key, value in entries.items()})
    writer._add_object(node)
    return node


def _rect() -> ArrayObject:
    return ArrayObject([FloatObject(0), FloatObject(0), FloatObject(10), FloatObject(10)])


def _form_pdf(tmp_path: Path, *, acroform: bool) -> Path:
    """A parent "patient" with a text kid "name"; a check box group "sex" whose state is
    only in its widgets' /AS; a push button."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    patient = _field(writer, {"/T": TextStringObject("patient")})
    name = _field(
        writer,
        {
            "/T": TextStringObject("name"),
            "/FT": NameObject("/Tx"),
            "/V": TextStringObject("DOE, JANE"),
            "/Parent": patient.indirect_reference,
            "/Type": NameObject("/Annot"),
            "/Subtype": NameObject("/Widget"),
            "/Rect": _rect(),
        },
    )
    patient[NameObject("/Kids")] = ArrayObject([name.indirect_reference])
    sex = _field(writer, {"/T": TextStringObject("sex"), "/FT": NameObject("/Btn")})
    kids = []
    for state, shown in (("M", "/Off"), ("F", "/F")):
        kid = _field(
            writer,
            {
                "/Parent": sex.indirect_reference,
                "/Type": NameObject("/Annot"),
                "/Subtype": NameObject("/Widget"),
                "/Rect": _rect(),
                "/AS": NameObject(shown),
                "/AP": DictionaryObject({NameObject("/N"): DictionaryObject()}),
            },
        )
        normal = cast(DictionaryObject, cast(DictionaryObject, kid["/AP"])["/N"])
        normal[NameObject(f"/{state}")] = writer._add_object(DictionaryObject())
        kids.append(kid.indirect_reference)
    sex[NameObject("/Kids")] = ArrayObject(kids)
    button = _field(
        writer,
        {
            "/T": TextStringObject("Clear"),
            "/FT": NameObject("/Btn"),
            "/Ff": NumberObject(1 << 16),
            "/Type": NameObject("/Annot"),
            "/Subtype": NameObject("/Widget"),
            "/Rect": _rect(),
        },
    )
    page[NameObject("/Annots")] = ArrayObject(
        [name.indirect_reference, *kids, button.indirect_reference]
    )
    if acroform:
        # the tree lists only the parent: "sex" and the button are found through the page
        writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): ArrayObject([patient.indirect_reference])}
        )
    path = tmp_path / "form.pdf"
    writer.write(path)
    return path


@pytest.mark.parametrize("acroform", [True, False])
def test_form_fields_are_read_through_the_tree_and_the_widgets(
    tmp_path: Path, acroform: bool
) -> None:
    fields = read_form_fields(PdfReader(_form_pdf(tmp_path, acroform=acroform)))
    assert fields == {"patient.name": "DOE, JANE", "sex": "F"}
