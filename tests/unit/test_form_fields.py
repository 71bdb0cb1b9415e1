"""Form fields in the pipeline: any form fills the leaves named like its fields (method
form, exact); a value its kind refuses is an error on that field; CMS-1500 claims, filled
and flattened, go to `claim_form` under `schema="auto"` without OCR."""

from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from extractor.pipeline import Extractor
from extractor.result import Method, Status
from extractor.settings import load_settings
from schemas import AUTO_SPEC, get_schema
from tests.fakes import ScriptedBackend

CLAIMS = Path(__file__).resolve().parents[2] / "bench" / "samples" / "clinical"


@pytest.fixture
def extractor() -> Extractor:
    return Extractor(ScriptedBackend({}), load_settings(use_model=False))


def _generic_form(path: Path) -> Path:
    page = canvas.Canvas(str(path))
    page.drawString(72, 760, "Laboratory report request")
    form = page.acroForm
    form.textfield(name="patient.name", value="Jane Roe", x=72, y=700, width=200, height=20)
    form.textfield(name="Birth Date", value="1980-01-02", x=72, y=660, width=200, height=20)
    form.choice(
        name="sex", value="female", options=["male", "female"], x=72, y=620, width=200, height=20
    )
    form.textfield(name="collected_at", value="soon", x=72, y=580, width=200, height=20)
    form.textfield(name="unrelated", value="xyz", x=72, y=540, width=200, height=20)
    page.save()
    return path


def test_a_form_fills_the_leaves_named_like_its_fields(
    extractor: Extractor, tmp_path: Path
) -> None:
    result = extractor.extract(_generic_form(tmp_path / "form.pdf"), get_schema("lab_report"))
    assert result.data["patient"]["name"] == "Jane Roe"
    assert str(result.data["patient"]["birth_date"]) == "1980-01-02"
    assert result.data["patient"]["sex"] == "female"
    record = result.field("patient.name")
    assert record is not None and record.method == Method.FORM and record.confidence == 1.0
    assert record.element == "patient.name"
    assert ("normalization", ("collected_at",)) in [(e.code, e.fields) for e in result.errors]
    assert result.status == Status.NEEDS_REVIEW


@pytest.mark.parametrize("folder", ["claims", "claims_flat"])
def test_claims_are_routed_by_their_boxes(extractor: Extractor, folder: str) -> None:
    pdf = sorted((CLAIMS / folder).glob("*.pdf"))[0]
    result = extractor.extract(pdf, AUTO_SPEC)
    assert result.schema == "claim_form"
    assert result.routing is not None and result.routing.confidence == 1.0
    assert result.run.ocr_pages == ()
    methods = {record.method for record in result.fields if record.value is not None}
    assert methods == ({Method.FORM} if folder == "claims" else {Method.RULES})
