"""Turn raw text copied from a document into typed values.

Pure functions, no I/O. Every failure raises `NormalizationError` with a message that
names what was expected, never the raw value (it may be personal data).
"""

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache

import pycountry
from babel import Locale, localedata

from extractor.errors import NormalizationError
from extractor.values.clinical_codes import (
    normalize_flag,
    normalize_icd10,
    normalize_letter_kind,
    normalize_npi,
    normalize_sex,
)
from schemas.kinds import FieldKind

# Swiss francs as invoices write them, which CLDR does not list (it writes "CHF").
_SYMBOLS_BEYOND_CLDR = {"fr.": "CHF", "sfr.": "CHF"}
_SYMBOL_LEAD = 4  # a symbol means the code most locales give it, if it leads the next 4 to 1


@lru_cache(maxsize=1)
def iso_4217_codes() -> frozenset[str]:
    """ISO 4217's active codes, from pycountry's copy of the standard: withdrawn codes (HRK,
    ZWL, and BGN since Bulgaria took the euro) are rejected on purpose."""
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


@lru_cache(maxsize=1)
def currency_symbols() -> dict[str, str | None]:
    """Every CLDR locale's currency symbols (casefolded) and the code each stands for; None
    where the locales that print it disagree ("kr": NOK in 10, SEK in 6; "$" is USD in 143,
    Liberia's dollar next in 10, so it is USD). One letter is a word, not a symbol, unless it
    is a sign."""
    codes = iso_4217_codes()
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for identifier in localedata.locale_identifiers():
        for code, symbol in Locale.parse(identifier).currency_symbols.items():
            key = symbol.casefold()
            if code in codes and key != code.casefold() and (len(key) > 1 or _is_sign(key)):
                votes[key][code] += 1
    symbols: dict[str, str | None] = {}
    for key, counted in votes.items():
        (code, count), *others = counted.most_common(2)
        runner_up = others[0][1] if others else 0
        symbols[key] = code if count >= _SYMBOL_LEAD * runner_up else None
    return symbols | _SYMBOLS_BEYOND_CLDR


def _is_sign(text: str) -> bool:
    return all(unicodedata.category(c) == "Sc" for c in text)


# German spellings CLDR does not list: the three-letter "Mrz" and "Jaenner" without umlaut.
_MONTHS_BEYOND_CLDR = {"mrz": 3, "jaenner": 1}
_MONTH_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Every CLDR locale's month names, wide and abbreviated, folded ("marz", "fevr"): read
    once per process from babel's data (about two seconds). A name that means different
    months in different locales means what most locales say ("mar" is March, not May)."""
    votes: dict[str, Counter[int]] = defaultdict(Counter)
    for identifier in localedata.locale_identifiers():
        months = Locale.parse(identifier).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    word = _fold(name).strip(".")
                    if _MONTH_WORD.fullmatch(word):
                        votes[word][number] += 1
    found = {word: counts.most_common(1)[0][0] for word, counts in votes.items()}
    return {**found, **_MONTHS_BEYOND_CLDR}


_SPACES = str.maketrans(
    {"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u2019": "'", "\u2212": "-"}
)
_NUMBER = re.compile(r"[0-9](?:[0-9.,' ]*[0-9])?")
_UNIT = re.compile(r"[^\W\d_]+[²³]?\.?")
_ORDINAL = r"(?:st|nd|rd|th|er)?"
_YMD = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})")
_DAY_MONTH_NAME = re.compile(
    rf"(\d{{1,2}}){_ORDINAL}\.?[\s/-]*([a-z]+)\.?[\s/,-]*(\d{{4}}|\d{{2}})"
)
_MONTH_NAME_DAY = re.compile(rf"([a-z]+)\.?\s*(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}}|\d{{2}})")
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_VAT_SHAPE = re.compile(r"[A-Z]{2}[A-Z0-9]{2,13}")
# Byte-order marks, zero-width spaces and soft hyphens survive PDF text extraction.
_INVISIBLE = frozenset({"\ufeff", "\u200b", "\u00ad"})


def _split_number(core: str, what: str) -> tuple[str, str]:
    """Split a digit run with separators into (integer digits, fraction digits)."""
    marks = [c for c in core if not c.isdigit()]
    decimal_mark: str | None = None
    if marks and marks[-1] in ".," and marks.count(marks[-1]) == 1:
        head, _, tail = core.rpartition(marks[-1])
        # A lone separator followed by exactly three digits reads as a thousands separator
        # ("1,234" -> 1234), unless the head cannot be a thousands group ("0,125").
        grouped = len(tail) == 3 and len(head) <= 3 and not head.startswith("0")
        if len(set(marks)) > 1 or not grouped:
            decimal_mark = marks[-1]
    integer, fraction = core, ""
    if decimal_mark is not None:
        integer, _, fraction = core.rpartition(decimal_mark)
    groups = re.split(r"[^0-9]", integer)
    if len(set(integer) - set("0123456789")) > 1 or (
        len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]))
    ):
        raise NormalizationError(f"not {what}")
    return "".join(groups), fraction


def _peel(affix: str, signs: str) -> tuple[str, str]:
    """Take sign characters off both ends of an affix; return (signs, remaining text)."""
    found, rest = "", affix.strip()
    while rest and (rest[0] in signs or rest[-1] in signs):
        if rest[0] in signs:
            found, rest = found + rest[0], rest[1:].strip()
        else:
            found, rest = found + rest[-1], rest[:-1].strip()
    return found, rest


def _parse_number(text: str, what: str, affixes_ok: Callable[[str, str], bool]) -> Decimal:
    """Shared parser for amounts and quantities; `affixes_ok` judges the text around it."""
    cleaned = text.translate(_SPACES)
    cores = list(_NUMBER.finditer(cleaned))
    if len(cores) != 1:
        raise NormalizationError(f"not {what}")
    core = cores[0]
    lead, prefix = _peel(cleaned[: core.start()], "(+-")
    trail, suffix = _peel(cleaned[core.end() :], ")-")
    parens = lead.count("(")
    signs = lead.count("-") + lead.count("+") + trail.count("-")
    if parens != trail.count(")") or parens + signs > 1 or not affixes_ok(prefix, suffix):
        raise NormalizationError(f"not {what}")
    integer, fraction = _split_number(core.group(), what)
    negative = parens == 1 or "-" in lead + trail
    return Decimal(f"{'-' if negative else ''}{integer}.{fraction}")


def _is_currency_marker(token: str) -> bool:
    key = token.casefold()
    return bool(token) and (
        key.upper() in iso_4217_codes() or key in currency_symbols() or _is_sign(token)
    )


def parse_amount(text: str) -> Decimal:
    """Parse a monetary amount in any common European or English notation.

    A currency code or symbol may precede or follow the number; a leading or trailing
    minus or surrounding parentheses make it negative.
    """

    def currency_only(prefix: str, suffix: str) -> bool:
        if prefix and suffix:
            return False
        return not (prefix or suffix) or _is_currency_marker(prefix or suffix)

    return _parse_number(text, "an amount", currency_only)


def parse_quantity(text: str) -> Decimal:
    """Parse a quantity, optionally followed by a unit word ("3 pcs", "2,5 h", "10 Stk.")."""

    def unit_only(prefix: str, suffix: str) -> bool:
        return not prefix and (not suffix or _UNIT.fullmatch(suffix) is not None)

    return _parse_number(text, "a quantity", unit_only)


def _fold(text: str) -> str:
    """Lowercase, strip accents and collapse whitespace, for matching month names."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def _year(digits: str) -> int:
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _date_parts(folded: str, *, month_first: bool) -> tuple[int, int | None, int]:
    """(year, month or None for an unknown month name, day) from a folded date string."""
    if m := _YMD.fullmatch(folded):
        return int(m[1]), int(m[3]), int(m[4])
    if m := _NUMERIC_DATE.fullmatch(folded):
        first, second = int(m[1]), int(m[3])
        # The document's order, unless that is impossible and the other is not.
        if (second > 12 >= first) or (month_first and first <= 12):
            return _year(m[4]), first, second
        return _year(m[4]), second, first
    if m := _DAY_MONTH_NAME.fullmatch(folded):
        return _year(m[3]), month_numbers().get(m[2]), int(m[1])
    if m := _MONTH_NAME_DAY.fullmatch(folded):
        return _year(m[3]), month_numbers().get(m[1]), int(m[2])
    raise NormalizationError("not a date")


def parse_date(text: str, *, month_first: bool = False) -> date:
    """Parse a calendar date: ISO, numeric (day first unless `month_first`, as in the US),
    or with a month name of any CLDR locale."""
    year, month, day = _date_parts(_fold(text), month_first=month_first)
    if month is None:
        raise NormalizationError("not a date")
    try:
        return date(year, month, day)
    except ValueError:
        raise NormalizationError("not a valid date") from None


def parse_currency(text: str) -> str:
    """Return the ISO 4217 code for a code or a currency symbol."""
    key = " ".join(text.split()).casefold()
    if key.upper() in iso_4217_codes():
        return key.upper()
    symbols = currency_symbols()
    if key not in symbols:
        raise NormalizationError("unknown currency")
    code = symbols[key]
    if code is None:
        raise NormalizationError("ambiguous currency symbol")
    return code


def normalize_iban(text: str) -> str:
    """Remove spaces and uppercase; the checksum is checked by the validator."""
    compact = "".join(text.split()).upper()
    if not _IBAN_SHAPE.fullmatch(compact):
        raise NormalizationError("not an IBAN")
    return compact


def normalize_vat_id(text: str) -> str:
    """Remove spaces, dots and dashes and uppercase; keep the country prefix."""
    compact = re.sub(r"[\s.\-]", "", text).upper()
    if not _VAT_SHAPE.fullmatch(compact):
        raise NormalizationError("not a VAT identifier")
    return compact


def numeric_date_order(dates: Iterable[str], *, us_document: bool = False) -> bool:
    """Whether a document writes numeric dates month first: some date can only be read so
    ("11/29/2024") and none only day first ("29/11/2024"). Where every date reads both ways,
    a US document (`us_document`) writes slashed dates month first, as US forms do."""
    month_first = day_first = slashed = 0
    for text in dates:
        if m := _NUMERIC_DATE.fullmatch(_fold(text)):
            first, second = int(m[1]), int(m[3])
            month_first += second > 12 >= first
            day_first += first > 12 >= second
            slashed += m[2] == "/"
    if month_first == day_first == 0:
        return us_document and slashed > 0
    return month_first > day_first


# A dollar amount, or units only US laboratories print.
_US_CUES = re.compile(r"\$\s?\d|\bUSD\b|\bmg/dL\b|\bNPI\b")


@lru_cache(maxsize=1)
def _us_state_and_zip() -> re.Pattern[str]:
    """A US state's code and a ZIP code on one line ("CA 94105"): a till's "CS 10217" or a
    "NO" over a number on the next line is none."""
    subdivisions = pycountry.subdivisions.get(country_code="US")  # type: ignore[no-untyped-call]
    states = sorted(state.code.removeprefix("US-") for state in subdivisions)
    return re.compile(rf"\b(?:{'|'.join(states)})[ \t]+\d{{5}}(?:-\d{{4}})?\b")


def is_us_document(text: str) -> bool:
    return _US_CUES.search(text) is not None or _us_state_and_zip().search(text) is not None


def normalize_text(text: str) -> str:
    """Drop control and invisible characters and collapse whitespace runs to one space."""
    kept = (
        " " if c.isspace() else c
        for c in text
        if c.isspace() or (unicodedata.category(c) != "Cc" and c not in _INVISIBLE)
    )
    return " ".join("".join(kept).split())


_NORMALIZERS: dict[FieldKind, Callable[[str], str | date | Decimal]] = {
    FieldKind.TEXT: normalize_text,
    FieldKind.DATE: parse_date,
    FieldKind.AMOUNT: parse_amount,
    FieldKind.QUANTITY: parse_quantity,
    FieldKind.CURRENCY: parse_currency,
    FieldKind.IBAN: normalize_iban,
    FieldKind.VAT_ID: normalize_vat_id,
    FieldKind.ICD10: normalize_icd10,
    FieldKind.NPI: normalize_npi,
    FieldKind.SEX: normalize_sex,
    FieldKind.FLAG: normalize_flag,
    FieldKind.LETTER_KIND: normalize_letter_kind,
}


def normalize(kind: FieldKind, raw: str) -> str | date | Decimal:
    """Normalize a raw string according to the field kind it was extracted for."""
    return _NORMALIZERS[kind](raw)
