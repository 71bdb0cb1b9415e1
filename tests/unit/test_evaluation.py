from datetime import date
from decimal import Decimal

from extractor.evaluate.compare import AccuracyTable, compare, comparison_folds
from schemas.invoice import Invoice


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


def test_items_beyond_the_truths_list_count_as_wrong() -> None:
    truth = {"lines": [{"net_amount": "60.00", "description": None}]}
    extracted = {
        "lines": [
            {"net_amount": "60.00", "description": None},
            {"net_amount": "12.00", "description": "invented"},
            {"net_amount": None, "description": None},
        ]
    }
    assert compare(extracted, truth) == {
        "lines.0.net_amount": True,
        "lines.0.description": True,
        "lines.1.net_amount": False,
        "lines.1.description": False,
    }


def test_a_list_the_truth_does_not_give_is_not_judged() -> None:
    assert compare({"lines": [{"net_amount": "5"}], "iban": None}, {"iban": None}) == {"iban": True}
    assert compare({"lines": [{"net_amount": "5"}]}, {"lines": []}) == {"lines.0.net_amount": False}


def test_names_compare_without_a_legal_form_but_otherwise_exactly() -> None:
    folds = comparison_folds(Invoice)
    assert "seller.name" in folds and "seller.vat_id" not in folds
    truth = {"seller": {"name": "Au bon moulin"}, "buyer": {"name": "Ma jolie boutique"}}
    right = {"seller": {"name": "Au bon moulin SARL"}, "buyer": {"name": "Ma jolie boutique"}}
    wrong = {"seller": {"name": "Au bon moulin SARL"}, "buyer": {"name": "MA JOLIE BOUTIQUE"}}
    assert compare(right, truth, folds=folds) == {"seller.name": True, "buyer.name": True}
    assert compare(wrong, truth, folds=folds) == {"seller.name": True, "buyer.name": False}
    assert compare(right, truth) == {"seller.name": False, "buyer.name": True}


def test_addresses_compare_their_country_by_code() -> None:
    folds = comparison_folds(Invoice)
    truth = {"seller": {"address": "Lieferantenstraße 20, 80333 München, DE"}}
    for printed, same in [
        ("Lieferantenstraße 20, DE 80333 München", True),
        ("Lieferantenstraße 20, 80333 München, Deutschland", True),
        ("Lieferantenstraße 20, 80333 München", False),
        ("Lieferantenstraße 22, DE 80333 München", False),
    ]:
        assert compare({"seller": {"address": printed}}, truth, folds=folds) == {
            "seller.address": same
        }
    us = {"buyer": {"address": "77 Lake Shore Drive, San Francisco, CA 94110, USA"}}
    assert compare(us, us, folds=folds) == {"buyer.address": True}
