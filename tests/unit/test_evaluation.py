from datetime import date
from decimal import Decimal

from extractor.evaluation import AccuracyTable, compare


def test_compare_normalises_types_and_counts_missing_lines_as_wrong() -> None:
    truth = {
        "issue_date": "2024-03-12",
        "total_net": "100.00",
        "seller": {"name": "ACME  Ltd"},
        "lines": [{"net_amount": "60.00"}, {"net_amount": "40.00"}],
        "iban": None,
    }
    extracted = {
        "issue_date": date(2024, 3, 12),
        "total_net": Decimal("100.0"),
        "seller": {"name": "ACME Ltd"},
        "lines": [{"net_amount": Decimal("60")}],
        "iban": "DE89370400440532013000",
    }
    assert compare(extracted, truth) == {
        "issue_date": True,
        "total_net": True,
        "seller.name": True,
        "lines.0.net_amount": True,
        "lines.1.net_amount": False,
        "iban": False,
    }


def test_accuracy_table_pools_lines() -> None:
    table = AccuracyTable()
    table.add({"lines.0.net_amount": True, "lines.1.net_amount": False, "iban": True})
    assert table.rate("lines.*.net_amount") == 0.5
    assert table.rate("iban") == 1.0
    assert table.overall == 2 / 3
