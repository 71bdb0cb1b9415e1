"""Fields confirmed by evidence that does not depend on the layout: an amount that arithmetic
ties to other amounts (a check that passed), a total that other evidence settles (the amount
a till's payment tendered less the change; the gross a printed tax at its rate is the tax of;
a total a printed rounding adjustment sums to), a name that carries a company's legal form
(GmbH, SDN BHD, SARL) or that the page prints with its registration number
(`extractor.text.registration`).
A kind of document may ask for some fields to be confirmed, not only read
(`DocumentKind.confirmed`).
"""

import re
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

from cleanco.clean import custom_basename, prepare_default_terms

from extractor.schema_walk import flatten
from extractor.values.validate import CheckResult

_WORD = re.compile(r"\w+")
ARITHMETIC = frozenset({"totals_add_up", "lines_sum_to_net", "line_arithmetic"})
SETTLED_FIELDS = ("total_gross", "amount_due")
# cleanco's legal forms, and the one it lacks that Malaysian companies print for Sendirian
# Berhad ("99 SPEED MART S/B"); cleanco wants them longest first
_LEGAL_FORMS = sorted(
    [*prepare_default_terms(), (1, ["s/b"])], key=lambda term: (-term[0], term[1])
)


_GLUED = re.compile(r"(?<=\w\.)(?=\w)")  # "SDN.BHD": a form's abbreviations printed unspaced


def has_legal_form(name: str) -> bool:
    """Whether the name ends in a company's legal form (`_LEGAL_FORMS`), printed spaced or
    not ("SDN. BHD", "SDN.BHD"). Its words are compared: cleanco also drops a trailing ":"
    or ")", which is no legal form."""
    return any(
        _WORD.findall(trimmed_by_cleanco(text).casefold()) != _WORD.findall(text.casefold())
        for text in dict.fromkeys((name, _GLUED.sub(" ", name)))
    )


def trimmed_by_cleanco(name: str) -> str:
    """The name as cleanco's `basename` leaves it: without a trailing legal form
    (`_LEGAL_FORMS`), and without a trailing ":" or ")"."""
    stripped: str = custom_basename(name, _LEGAL_FORMS)
    return stripped.strip()


def confirmed_fields(
    data: Mapping[str, Any],
    checks: Sequence[CheckResult],
    settled: Collection[Decimal] = (),
    registered: Collection[str] = (),
) -> set[str]:
    """The amounts an arithmetic check that passed ties together, the totals equal to one the
    page settles otherwise (`settled`: what a payment printed on the page paid, the total a
    printed rounding adjustment sums to), and the names with a legal form or among the
    `registered` (printed with a registration number). (A value of the right shape is not
    confirmed by that alone.)"""
    confirmed = {
        path
        for check in checks
        if check.passed and check.rule in ARITHMETIC
        for path in check.fields
    }
    confirmed |= settled_fields(data, settled)
    for path, value in flatten(dict(data)).items():
        named = is_name_path(path) and isinstance(value, str)
        if named and (has_legal_form(value) or value in registered):
            confirmed.add(path)
    return confirmed


def is_name_path(path: str) -> bool:
    return path.rpartition(".")[2] == "name"


def settled_fields(data: Mapping[str, Any], settled: Collection[Decimal]) -> set[str]:
    """The totals whose value is one of the `settled` totals (`confirmed_fields`)."""
    flat = flatten(dict(data))
    return {path for path in SETTLED_FIELDS if flat.get(path) is not None and flat[path] in settled}
