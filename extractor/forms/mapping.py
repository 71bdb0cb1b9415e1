"""Field records from a PDF's form: filled AcroForm values (method `form`, exact) and, for a
flattened CMS-1500, the values drawn inside its boxes (read from the text layer by the boxes'
positions, method `rules`).

A CMS-1500 is mapped box by box (`extractor.clinical.cms1500`); any other form is mapped onto the
schema by field name: a form field named like a leaf ("patient.birth_date",
"Patient Birth Date", "birth_date" where only one leaf has that name) fills that leaf.
"""

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from extractor.clinical.cms1500 import claim_values
from extractor.errors import NormalizationError
from extractor.model.confidence import Calibration, table_key
from extractor.read.cms1500_form import is_cms1500
from extractor.read.pdf import DocumentText
from extractor.result import ErrorRecord, FieldRecord, Method
from extractor.schema_walk import Leaf, leaves, template_of
from extractor.text.decide import SUM_SEPARATOR
from extractor.values.normalize import normalize
from schemas import SchemaSpec

DRAWN_EVIDENCE = 0.95  # text inside a known box of a known form: position, not a guess
CLAIM_SCHEMA = "claim_form"


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.casefold())


def _by_name(form: Mapping[str, str], schema_leaves: Sequence[Leaf]) -> dict[str, str]:
    """{leaf path: form value} for the form fields named like a scalar leaf."""
    scalars = [leaf for leaf in schema_leaves if "*" not in leaf.template]
    last_names = Counter(_key(leaf.template.rpartition(".")[2]) for leaf in scalars)
    keys: dict[str, str] = {}
    for leaf in scalars:
        keys[_key(leaf.template)] = leaf.template
        last = _key(leaf.template.rpartition(".")[2])
        if last_names[last] == 1:
            keys.setdefault(last, leaf.template)
    return {
        keys[_key(name)]: value
        for name, value in form.items()
        if _key(name) in keys and value.strip() and value != "Off"
    }


def is_cms1500_document(document: DocumentText) -> bool:
    """A CMS-1500, filled or flattened."""
    return is_cms1500(document.form) or bool(document.drawn_form)


def is_printed_claim_form(document: DocumentText, schema: SchemaSpec) -> bool:
    """A CMS-1500 extracted as a claim: its boxes are its only source (the text layer holds
    the form's printed labels, which are no values)."""
    return schema.name == CLAIM_SCHEMA and is_cms1500_document(document)


def form_records(
    document: DocumentText, schema: SchemaSpec, errors: list[ErrorRecord]
) -> list[FieldRecord]:
    """The records a filled form gives this schema; none when it has no form or none of its
    fields belongs to the schema. A value its field's kind refuses is an error on that field."""

    kinds = {leaf.template: leaf.kind for leaf in leaves(schema.model)}
    if schema.name == CLAIM_SCHEMA and is_cms1500(document.form):
        mapped = {
            path: (value.raw, value.fields) for path, value in claim_values(document.form).items()
        }
    else:
        mapped = {
            path: (raw, (path,))
            for path, raw in _by_name(document.form, leaves(schema.model)).items()
        }
    records: list[FieldRecord] = []
    for path, (raw, fields) in mapped.items():
        try:
            value = normalize(kinds[template_of(path)], raw)
        except NormalizationError:
            errors.append(ErrorRecord("normalization", f"{path}: not a valid form value", (path,)))
            continue
        records.append(
            FieldRecord(path, value, Method.FORM, 1.0, page=1, raw=raw, element=" + ".join(fields))
        )
    return records


def drawn_form_records(
    document: DocumentText, schema: SchemaSpec, calibration: Calibration
) -> list[FieldRecord]:
    """The records of a flattened CMS-1500: each box's drawn text, located in the page text."""
    if schema.name != CLAIM_SCHEMA or not document.drawn_form:
        return []

    kinds = {leaf.template: leaf.kind for leaf in leaves(schema.model)}
    page_text = document.pages[0]
    records: list[FieldRecord] = []
    for path, drawn in claim_values(document.drawn_form).items():
        try:
            value = normalize(kinds[template_of(path)], drawn.raw)
        except NormalizationError:
            continue
        confidence = calibration.confidence(table_key(Method.RULES.value, path), DRAWN_EVIDENCE)
        # The text drawn in each box the value came from, as printed ("03 + 12 + 1965" for a
        # birth date over three boxes): every part can be found on the page.
        printed = [document.drawn_form[name] for name in drawn.fields]
        start = page_text.find(printed[0])
        records.append(
            FieldRecord(
                path,
                value,
                Method.RULES,
                confidence,
                page=1,
                start=start if start >= 0 else None,
                end=start + len(printed[0]) if start >= 0 else None,
                raw=SUM_SEPARATOR.join(printed),
                element=" + ".join(drawn.fields),
                evidence=DRAWN_EVIDENCE,
            )
        )
    return records
