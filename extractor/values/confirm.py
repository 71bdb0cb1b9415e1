"""Fields confirmed by evidence that does not depend on the layout: an amount that arithmetic
ties to other amounts (a check that passed), a name that carries a company's legal form
(GmbH, SDN BHD, SARL). A kind of document may ask for some fields to be confirmed, not only
read (`DocumentKind.confirmed`).
"""

from collections.abc import Mapping, Sequence
from typing import Any

from cleanco import basename

from extractor.schema_walk import flatten
from extractor.values.validate import CheckResult

ARITHMETIC = frozenset({"totals_add_up", "lines_sum_to_net", "line_arithmetic"})


def has_legal_form(name: str) -> bool:
    """Whether the name ends in a company's legal form (cleanco's list of them)."""
    stripped: str = basename(name)
    return stripped.strip() != name.strip()


def confirmed_fields(data: Mapping[str, Any], checks: Sequence[CheckResult]) -> set[str]:
    """The amounts an arithmetic check that passed ties together, and the names with a
    legal form. (A value of the right shape is not confirmed by that alone.)"""
    confirmed = {
        path
        for check in checks
        if check.passed and check.rule in ARITHMETIC
        for path in check.fields
    }
    for path, value in flatten(dict(data)).items():
        if path.rpartition(".")[2] == "name" and isinstance(value, str) and has_legal_form(value):
            confirmed.add(path)
    return confirmed
