"""Identifiers with check digits, from python-stdnum's maintained registry data: IBANs (the
SWIFT registry's country lengths and formats, ISO 7064 mod 97-10) and VAT numbers (each
country's own check-digit algorithm)."""

from stdnum import iban
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import ValidationError
from stdnum.util import get_cc_module

# VAT prefixes looked for in text: the EU's (Greece writes EL; XI is Northern Ireland) and
# the European countries outside it whose invoices carry a VAT number beside EU ones.
VAT_COUNTRIES = frozenset(
    {cc.upper() for cc in eu_vat.MEMBER_STATES if cc != "gr"} | {"EL", "GB", "CH", "NO"}
)


def iban_is_valid(text: str) -> bool:
    """A known country's length and format, and the mod-97 check digits; spaces allowed."""
    compact = "".join(text.split()).upper()
    if not compact.isalnum() or compact[2:4] in {"00", "01", "99"}:
        return False  # ISO 13616 check digits run 02..98; 01 can satisfy mod 97 where 98 is right
    try:
        iban.validate(compact, check_country=False)  # the ISO standard; banks vary
    except ValidationError:
        return False
    return True


def vat_id_is_valid(text: str) -> bool | None:
    """Whether a VAT number passes its country's check; None for a country stdnum does not
    know (no verdict)."""
    compact = "".join(text.split()).upper()
    country = compact[:2].lower()
    european = country in eu_vat.MEMBER_STATES or country == "el"
    module = eu_vat if european else get_cc_module(country, "vat")
    if module is None:
        return None
    try:
        module.validate(compact)
    except ValidationError:
        return False
    return True
