"""FHIR R4 Claim for the CMS-1500 claim form (a professional claim in US dollars)."""

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from extractor.fhir.build import ICD10_CM, NPI, Resources, absent, coding, iso, money, present
from extractor.fhir.clinical import patient

CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
PLACE_OF_SERVICE = (
    "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
)
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
PRIORITY = "http://terminology.hl7.org/CodeSystem/processpriority"

_CPT_CODE = re.compile(r"\d{4}[0-9FTU]|\d{2}")  # codes and two-digit modifiers
_HCPCS_CODE = re.compile(r"[A-V]\d{4}|[A-Z][A-Z0-9]")  # level II codes and modifiers
_MODIFIER_SEPARATORS = re.compile(r"[\s,;/-]+")
_CENT = Decimal("0.01")


def claim_form(data: Mapping[str, Any], out: Resources) -> None:
    lines = present(data, "service_lines")
    dates = sorted(
        day for _, line in lines for day in (line.get("date_from"), line.get("date_to")) if day
    )
    rendering = (line.get("rendering_npi") for _, line in lines)
    npis = list(dict.fromkeys(npi for npi in rendering if npi))  # the care team, in order
    provider = data.get("billing_provider", {})
    insured_id = data.get("insured", {}).get("id")
    out.add(
        "Claim",
        "claim",
        {
            "status": "active",
            "type": {"coding": [coding(CLAIM_TYPE, "professional", "Professional")]},
            "use": "claim",
            "patient": patient(data.get("patient", {}), out) or absent(),
            "billablePeriod": {"start": iso(dates[0]), "end": iso(dates[-1])} if dates else None,
            "created": iso(dates[0] if dates else out.recorded),
            "provider": _npi_reference(provider.get("npi"), provider.get("name")),
            "priority": {"coding": [coding(PRIORITY, "normal", "Normal")]},
            "careTeam": [
                {"sequence": number, "provider": _npi_reference(npi)}
                for number, npi in enumerate(npis, start=1)
            ],
            "diagnosis": [
                {
                    "sequence": index + 1,  # box 21 letter A-L
                    "diagnosisCodeableConcept": {"coding": [coding(ICD10_CM, item["code"])]},
                }
                for index, item in enumerate(data.get("diagnosis_codes", []))
                if item.get("code")
            ],
            "insurance": [
                {
                    "sequence": 1,
                    "focal": True,
                    "coverage": {"identifier": {"value": insured_id}, "display": insured_id}
                    if insured_id
                    else absent(),
                }
            ],
            "item": [_item(index, line, npis) for index, line in lines],
            "total": money(data.get("total_charge")),
        },
        ("insured", "diagnosis_codes", "service_lines", "total_charge", "billing_provider"),
    )


def _npi_reference(npi: str | None, name: str | None = None) -> dict[str, Any]:
    if npi is None and name is None:
        return absent()
    return {"identifier": {"system": NPI, "value": npi} if npi else None, "display": name}


def _item(index: int, line: Mapping[str, Any], npis: list[str]) -> dict[str, Any]:
    start, end = line.get("date_from"), line.get("date_to")
    period = start is not None and end is not None and start != end
    charge, units = line.get("charge"), line.get("units")
    pointers = line.get("diagnosis_pointer") or ""
    npi, place = line.get("rendering_npi"), line.get("place_of_service")
    modifiers = line.get("modifiers") or ""
    return {
        "sequence": index + 1,  # the form's line number
        "careTeamSequence": [npis.index(npi) + 1] if npi else None,
        "diagnosisSequence": [ord(letter) - ord("A") + 1 for letter in pointers],
        "productOrService": _procedure(line.get("cpt")) or absent(),
        "modifier": [_procedure(code) for code in _MODIFIER_SEPARATORS.split(modifiers)],
        "servicedDate": None if period else iso(start or end),
        "servicedPeriod": {"start": iso(start), "end": iso(end)} if period else None,
        "locationCodeableConcept": {"coding": [coding(PLACE_OF_SERVICE, place)]},
        "quantity": {"value": units} if units is not None else None,
        "unitPrice": money(_unit_price(charge, units)),
        "net": money(charge),
    }


def _procedure(code: str | None) -> dict[str, Any] | None:
    """A CPT or HCPCS level II code (or modifier); an unrecognised code as text."""
    if not code:
        return None
    if _CPT_CODE.fullmatch(code):
        return {"coding": [coding(CPT, code)]}
    if _HCPCS_CODE.fullmatch(code):
        return {"coding": [coding(HCPCS, code)]}
    return {"text": code}


def _unit_price(charge: Decimal | None, units: Decimal | None) -> Decimal | None:
    """The charge per unit, when it comes out in whole cents."""
    if charge is None or not units:
        return None
    price = charge / units
    cents = price.quantize(_CENT)
    return cents if cents == price else None
