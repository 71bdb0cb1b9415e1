"""The varied invoice set in bench/samples/varied: reproducible, valid, adds up, and fair
(every value an extractor must copy is in the PDF's extracted text)."""

import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from extractor.read.pdf import read_pdf
from sample_sets.make_varied import DEFAULT_OUT, collapse, write_set
from sample_sets.varied_data import VariedInvoice, build_invoices, mod97
from schemas.invoice import Invoice

COUNT = 30
INVOICES = build_invoices(COUNT)


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEFAULT_OUT / f"{name}.truth.json").read_text("utf-8"))
    return data


def test_committed_set_is_complete() -> None:
    names = sorted(path.name for path in DEFAULT_OUT.iterdir())
    expected = sorted(
        f"{inv.name}{suffix}" for inv in INVOICES for suffix in (".pdf", ".truth.json")
    )
    assert names == expected


def test_regenerating_gives_identical_truth(tmp_path: Path) -> None:
    write_set(tmp_path, COUNT)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in DEFAULT_OUT.iterdir()
    )
    for truth in sorted(DEFAULT_OUT.glob("*.truth.json")):
        assert (tmp_path / truth.name).read_text("utf-8") == truth.read_text("utf-8"), truth.name


@pytest.mark.parametrize("inv", INVOICES, ids=lambda inv: inv.name)
def test_truth_validates_and_adds_up(inv: VariedInvoice) -> None:
    data = load(inv.name)
    truth = Invoice.model_validate(data)
    assert truth.total_net is not None and truth.total_tax is not None
    assert truth.total_net + truth.total_tax == truth.total_gross
    assert truth.amount_due == Decimal(data["total_gross"]) - inv.prepaid
    lines_sum = Decimal("0.00")
    for line in truth.lines:
        assert line.quantity is not None and line.unit_price is not None
        product = (line.quantity * line.unit_price).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert product == line.net_amount
        lines_sum += product
    # a discount or shipping charge is printed between the item lines and the net total
    assert lines_sum - inv.discount + (inv.shipping or 0) == truth.total_net
    if inv.discount_pct is None and inv.shipping is None:
        assert lines_sum == truth.total_net
    if truth.iban:
        assert mod97(truth.iban) == 1


@pytest.mark.parametrize("inv", INVOICES, ids=lambda inv: inv.name)
def test_pdf_text_holds_the_copied_values(inv: VariedInvoice) -> None:
    data = load(inv.name)
    text = read_pdf(DEFAULT_OUT / f"{inv.name}.pdf", max_pages=50, max_bytes=50_000_000).full
    text = collapse(text)
    for value in (data["invoice_number"], data["seller"]["name"], data["buyer"]["name"]):
        assert collapse(value) in text, value
    assert collapse(inv.money(inv.gross)) in text
