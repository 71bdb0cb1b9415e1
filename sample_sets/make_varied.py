"""Generate a varied, multilingual invoice set with known true values.

A second corpus beside `bench/samples/invoices`, so accuracy work is not tuned to one set:
English (UK, US), German (Germany, Switzerland) and French invoices with synonym labels,
local number/date/currency formats, five header layouts, gridded or plain item tables in
several column orders, totals as pairs or a table, amounts in words, two-page invoices,
discounts, shipping, two VAT rates, VAT-exempt invoices, prepayments. Content comes from
`sample_sets/varied_data.py` (fixed seed: re-running gives identical files), drawing from
`sample_sets/varied_layouts.py`. Each `NAME.pdf` gets a `NAME.truth.json` in the shape of
`schemas.invoice.Invoice`, and every PDF is checked to extract its key printed values.
Run: python -m sample_sets.make_varied [--out DIR] [--count N]
"""

import argparse
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from extractor.read.pdf import read_pdf
from sample_sets import SAMPLES
from sample_sets.varied_data import CENT, Line, Party, VariedInvoice, build_invoices
from sample_sets.varied_layouts import grouped, meta_rows, render, total_rows

DEFAULT_OUT = SAMPLES / "varied"


def money(value: Decimal) -> str:
    return str(value.quantize(CENT))


def party_truth(party: Party) -> dict[str, str | None]:
    # The salutation line printed above a person's name is part of the name, as in the
    # EN 16931 samples ("Herrn\nMax Mustermann" in BT-44), so both sets agree.
    name = f"{party.salutation} {party.name}" if party.salutation else party.name
    return {"name": name, "vat_id": party.vat_id, "address": ", ".join(party.address)}


def line_truth(line: Line) -> dict[str, str]:
    return {
        "description": line.description,
        "quantity": str(line.quantity),
        "unit_price": money(line.unit_price),
        "net_amount": money(line.net),
    }


def truth(inv: VariedInvoice) -> dict[str, object]:
    return {
        "invoice_number": inv.number,
        "issue_date": inv.issued.isoformat(),
        "due_date": inv.due.isoformat() if inv.due else None,
        "currency": inv.region.currency,
        "purchase_order": inv.purchase_order,
        "seller": party_truth(inv.seller),
        "buyer": party_truth(inv.buyer),
        "iban": inv.iban,
        "total_net": money(inv.net),
        "total_tax": money(inv.tax),
        "total_gross": money(inv.gross),
        "amount_due": money(inv.amount_due),
        "lines": [line_truth(line) for line in inv.lines],
    }


def collapse(text: str) -> str:
    return " ".join(text.split())


def printed_values(inv: VariedInvoice) -> Iterator[str]:
    """Values in the form the PDF prints them, for the round-trip check."""
    yield from (value for _, value in meta_rows(inv))
    for party in (inv.seller, inv.buyer):
        yield from (party.name, *party.address)
        yield from [party.vat_printed] if party.vat_printed else []
    yield from [grouped(inv.iban)] if inv.iban else []
    yield from (value for _, value, _ in total_rows(inv))
    for line in inv.lines:
        yield from (line.description, inv.num(line.unit_price), inv.num(line.net))


def missing_after_extraction(inv: VariedInvoice, pdf: Path) -> list[str]:
    text = collapse(read_pdf(pdf, max_pages=50, max_bytes=50_000_000).full)
    return [value for value in printed_values(inv) if collapse(value) not in text]


def write_set(out: Path, count: int) -> list[VariedInvoice]:
    out.mkdir(parents=True, exist_ok=True)
    invoices = build_invoices(count)
    for inv in invoices:
        render(inv, out / f"{inv.name}.pdf")
        body = json.dumps(truth(inv), indent=2, ensure_ascii=False) + "\n"
        (out / f"{inv.name}.truth.json").write_text(body, encoding="utf-8")
    return invoices


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write varied invoice PDFs and truth JSON.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    parser.add_argument("--count", type=int, default=30, help="number of invoices (30)")
    args = parser.parse_args(argv)
    for inv in write_set(args.out, args.count):
        pdf = args.out / f"{inv.name}.pdf"
        missing = missing_after_extraction(inv, pdf)
        status = f"NOT EXTRACTED: {missing}" if missing else "every key value extracted"
        print(f"{pdf.name}: {pdf.stat().st_size} bytes, {status}")


if __name__ == "__main__":
    main()
