"""Renders invoice PDFs with three PyPI invoice generators, for make_thirdparty.py.

    /tmp/tp-gen/venv/bin/python py_render.py JOBS.json > PRINTED.json

Runs in the scratch virtual environment that holds pyinvoice, larzpdf and InvoiceGenerator
(never the project's). JOBS.json is a list of {generator, out, ...} objects made by
make_thirdparty.py; for each job the script prints the values the generator computed itself
(totals, rounded as the generator rounds them) so that the truth is what the PDF prints.
Standard library only besides the generators; nothing reaches the network.
"""

import json
import os
import sys
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

# reportlab (under pyinvoice and InvoiceGenerator) writes the time and a random id into
# every PDF unless told to be invariant: rebuilds must write the same bytes.
from reportlab import rl_config

rl_config.invariant = 1


def _date(iso):
    return date.fromisoformat(iso) if iso else None


def render_pyinvoice(job):
    from pyinvoice.models import ClientInfo, InvoiceInfo, Item, ServiceProviderInfo
    from pyinvoice.templates import SimpleInvoice

    doc = SimpleInvoice(job["out"])
    doc.invoice_info = InvoiceInfo(
        job["number"], _date(job["issue_date"]), _date(job.get("due_date"))
    )
    doc.service_provider_info = ServiceProviderInfo(**job["provider"])
    doc.client_info = ClientInfo(**job["client"])
    for line in job["lines"]:
        doc.add_item(Item(line["name"], line["description"], line["units"], line["unit_price"]))
    if job.get("tax_rate") is not None:
        doc.set_item_tax_rate(job["tax_rate"])
    doc.finish()
    # What finish() printed, computed as it computes it.
    subtotal = sum((item.amount for item in doc.items), Decimal(0))
    tax = subtotal * (Decimal(str(job["tax_rate"])) / Decimal("100"))
    q = Decimal("0.01")
    return {
        "amounts": [str(item.amount) for item in doc.items],
        "subtotal": str(doc.getroundeddecimal(subtotal, q)),
        "tax": str(doc.getroundeddecimal(tax, q)),
        "total": str(doc.getroundeddecimal(subtotal + tax, q)),
    }


def render_larzpdf(job):
    import larzpdf

    inv = larzpdf.Invoice(
        job["number"],
        date=job["date"],
        seller=job["seller"],
        buyer=job["buyer"],
        currency=job["symbol"],
        title=job.get("title", "INVOICE"),
        notes=job.get("notes"),
    )
    for line in job["lines"]:
        inv.item(line["description"], qty=line["qty"], price=line["price"])
    inv.tax(job["tax_rate"], label=job["tax_label"])
    inv.save(job["out"])
    from larzpdf.document import _q2

    return {
        "amounts": [str(_q2(q * p)) for _, q, p in inv.items],
        "subtotal": str(inv.subtotal()),
        "tax": str(inv.tax_amount()),
        "total": str(inv.total()),
    }


def render_invoicegenerator(job):
    os.environ["INVOICE_LANG"] = job["lang"]
    from InvoiceGenerator.api import Client, Creator, Invoice, Item, Provider
    from InvoiceGenerator.pdf import SimpleInvoice

    client = Client(**job["client"])
    provider = Provider(**job["provider"])
    creator = Creator(job["creator"])
    inv = Invoice(client, provider, creator)
    inv.currency = job["currency"]
    inv.currency_locale = job["currency_locale"]
    inv.use_tax = job["use_tax"]
    inv.number = job["number"]
    inv.date = _date(job["issue_date"])
    inv.payback = _date(job.get("due_date"))
    inv.title = job.get("title", "")
    if job.get("iban"):
        inv.iban = job["iban"]
    if job.get("swift"):
        inv.swift = job["swift"]
    if job.get("paytype"):
        inv.paytype = job["paytype"]
    for line in job["lines"]:
        inv.add_item(
            Item(
                line["count"],
                line["price"],
                description=line["description"],
                unit=line.get("unit", ""),
                tax=line.get("tax", 0),
            )
        )
    SimpleInvoice(inv).gen(job["out"])

    # babel prints amounts rounded half-even to the currency's 2 decimals.
    def r(value):
        return str(Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))

    breakdown = inv.generate_breakdown_vat()
    return {
        "line_net": [r(item.total) for item in inv.items],
        "line_gross": [r(item.total_tax) for item in inv.items],
        "unit_prices": [r(item.price) for item in inv.items],
        "net": r(inv.price),
        "gross": r(inv.price_tax),
        "tax_by_rate": {str(rate): r(v["tax"]) for rate, v in breakdown.items()},
        "net_by_rate": {str(rate): r(v["total"]) for rate, v in breakdown.items()},
    }


RENDERERS = {
    "pyinvoice": render_pyinvoice,
    "larzpdf": render_larzpdf,
    "invoicegenerator": render_invoicegenerator,
}


def main():
    jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    printed = []
    for job in jobs:
        Path(job["out"]).parent.mkdir(parents=True, exist_ok=True)
        printed.append(RENDERERS[job["generator"]](job))
    json.dump(printed, sys.stdout)


if __name__ == "__main__":
    main()
