"""Field kinds and data classes: how a leaf value is read from text, and how sensitive it is.

A schema attaches a kind, its standard code (EN 16931 BT, FHIR element, CMS-1500 box) and a
data class to each leaf through `spec(...)`; the extractor picks parsers and validators by
kind, never by field name, and nothing that logs or raises may carry a value of any class.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class FieldKind(StrEnum):
    TEXT = "text"
    DATE = "date"
    AMOUNT = "amount"
    QUANTITY = "quantity"
    CURRENCY = "currency"
    IBAN = "iban"
    VAT_ID = "vat_id"
    ICD10 = "icd10"  # an ICD-10 diagnosis code, "E11.9"
    NPI = "npi"  # a US National Provider Identifier: 10 digits, Luhn check digit
    SEX = "sex"  # administrative gender, as FHIR codes it: male, female, other, unknown
    FLAG = "flag"  # a lab result's abnormal flag: H, L, HH, LL, A, N
    LETTER_KIND = "letter_kind"  # referral or discharge


class DataClass(StrEnum):
    """What a value reveals; every value of every class is personal or confidential data."""

    IDENTIFIER = "identifier"  # ids and codes that single out a person or a business record
    NAME = "name"  # a person's or an organisation's name
    CONTACT = "contact"  # an address
    DATE = "date"  # birth, admission, service and document dates
    CLINICAL = "clinical"  # diagnoses, results, medications, procedures
    FINANCIAL = "financial"  # amounts, currencies, bank accounts


def spec(kind: FieldKind, code: str, description: str, data_class: DataClass) -> dict[str, Any]:
    """Keyword arguments for `pydantic.Field` that tag a leaf with its kind, standard code
    and data class."""
    return {
        "description": f"{code} {description}",
        "json_schema_extra": {"kind": kind.value, "code": code, "data_class": data_class.value},
    }


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document a schema covers (an invoice, a receipt): the fields a user cannot
    act on it without (`required`), and the further fields whose doubt keeps it from being
    `succeeded` (`core`). A document is the first kind of its schema whose cues (regular
    expressions, case-insensitive) it matches `min_cues` distinct times; a kind without cues
    is the default."""

    name: str
    required: tuple[str, ...]
    core: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    min_cues: int = 1
    # fields that must also be confirmed by a check that passed (arithmetic), not only read
    confirmed: tuple[str, ...] = ()
    # whether its gross total is the one after a cash rounding adjustment (what a till
    # charged) rather than the one before it (EN 16931's invoice total, BT-112)
    total_after_rounding: bool = False

    @property
    def deciding(self) -> tuple[str, ...]:
        """The fields (templates) that decide whether a result of this kind is `succeeded`."""
        return tuple(dict.fromkeys((*self.required, *self.core)))
