"""Codes on clinical documents: ICD-10 diagnosis codes, US NPIs, administrative sex, lab
flags and letter kinds. Pure functions; failures never quote the value."""

import re

from extractor.errors import NormalizationError

# ICD-10 (WHO) and ICD-10-CM: a letter and two digits (the second may be A or B in a few
# ICD-10-CM categories: C4A, D3A, M1A, Z3A), then up to four more characters after the dot.
_ICD10 = re.compile(r"([A-Z])(\d[0-9AB])\.?([0-9A-Z]{0,4})")
_NPI = re.compile(r"\d{10}")
_NPI_PREFIX = "80840"  # the ISO health-card issuer prefix the NPI check digit is computed over
_SEX_WORDS = {
    "male": "male",
    "m": "male",
    "man": "male",
    "männlich": "male",
    "maennlich": "male",
    "masculin": "male",
    "female": "female",
    "f": "female",
    "w": "female",
    "woman": "female",
    "weiblich": "female",
    "féminin": "female",
    "feminin": "female",
    "other": "other",
    "divers": "other",
    "x": "other",
    "unknown": "unknown",
    "u": "unknown",
}
_FLAGS = {
    "h": "H",
    "high": "H",
    "hoch": "H",
    "↑": "H",
    "l": "L",
    "low": "L",
    "niedrig": "L",
    "↓": "L",
    "hh": "HH",
    "ll": "LL",
    "a": "A",
    "abnormal": "A",
    "n": "N",
    "normal": "N",
}
_LETTER_KINDS = {
    "referral": "referral",
    "referral letter": "referral",
    "referring": "referral",
    "referred": "referral",
    "überweisung": "referral",
    "ueberweisung": "referral",
    "discharge": "discharge",
    "discharge summary": "discharge",
    "discharge letter": "discharge",
    "discharged": "discharge",
    "entlassungsbrief": "discharge",
    "arztbrief": "discharge",
}


def normalize_icd10(text: str) -> str:
    """ "E119", "e11.9", "E11.9" -> "E11.9" (the dot after the category, as printed on claims
    and letters)."""
    match = _ICD10.fullmatch(text.strip().upper())
    if match is None:
        raise NormalizationError("not an ICD-10 code")
    category = match[1] + match[2]
    return f"{category}.{match[3]}" if match[3] else category


def normalize_npi(text: str) -> str:
    compact = re.sub(r"[\s-]", "", text)
    if not _NPI.fullmatch(compact):
        raise NormalizationError("not an NPI (10 digits)")
    return compact


def npi_is_valid(npi: str) -> bool:
    """The NPI check digit: Luhn over the issuer prefix 80840 and the first nine digits."""
    if not _NPI.fullmatch(npi):
        return False
    total = 0
    for position, char in enumerate(reversed(_NPI_PREFIX + npi)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


def normalize_sex(text: str) -> str:
    key = text.strip().strip(".:").casefold()
    if key not in _SEX_WORDS:
        raise NormalizationError("not a sex or gender")
    return _SEX_WORDS[key]


def normalize_flag(text: str) -> str:
    key = text.strip().strip("*()[]").casefold()
    if key not in _FLAGS:
        raise NormalizationError("not a result flag")
    return _FLAGS[key]


def normalize_letter_kind(text: str) -> str:
    key = " ".join(text.split()).strip(":").casefold()
    if key not in _LETTER_KINDS:
        raise NormalizationError("not a letter kind")
    return _LETTER_KINDS[key]
