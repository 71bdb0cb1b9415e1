"""Fields confirmed by evidence that does not depend on the layout: an amount that arithmetic
ties to other amounts (a check that passed), a total that a till's payment pays (the amount
tendered less the change), a name that carries a company's legal form (GmbH, SDN BHD, SARL).
A kind of document may ask for some fields to be confirmed, not only read
(`DocumentKind.confirmed`).
"""

import re
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

from cleanco import basename

from extractor.schema_walk import flatten
from extractor.values.validate import CheckResult

_WORD = re.compile(r"\w+")
ARITHMETIC = frozenset({"totals_add_up", "lines_sum_to_net", "line_arithmetic"})
PAID_FIELDS = ("total_gross", "amount_due")


def has_legal_form(name: str) -> bool:
    """Whether the name ends in a company's legal form (cleanco's list of them). Its words
    are compared: cleanco also drops a trailing ":" or ")", which is no legal form."""
    return _WORD.findall(trimmed_by_cleanco(name).casefold()) != _WORD.findall(name.casefold())


def trimmed_by_cleanco(name: str) -> str:
    """The name as cleanco's `basename` leaves it: without a trailing legal form, and without
    a trailing ":" or ")"."""
    stripped: str = basename(name)
    return stripped.strip()


def confirmed_fields(
    data: Mapping[str, Any], checks: Sequence[CheckResult], paid: Collection[Decimal] = ()
) -> set[str]:
    """The amounts an arithmetic check that passed ties together, the totals equal to what a
    payment printed on the page paid (`paid`, `extractor.text.totals.payment_totals`), and the
    names with a legal form. (A value of the right shape is not confirmed by that alone.)"""
    confirmed = {
        path
        for check in checks
        if check.passed and check.rule in ARITHMETIC
        for path in check.fields
    }
    flat = flatten(dict(data))
    confirmed.update(
        path for path in PAID_FIELDS if flat.get(path) is not None and flat[path] in paid
    )
    for path, value in flat.items():
        if path.rpartition(".")[2] == "name" and isinstance(value, str) and has_legal_form(value):
            confirmed.add(path)
    return confirmed
