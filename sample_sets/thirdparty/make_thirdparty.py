"""Third-party generated invoice sets: labelled PDFs from invoice generators nobody on this
project designed (`bench/samples/thirdparty/`).

Run with (exact versions this set was built with; everything installs from npm and PyPI and
runs offline):

    # npm generators, into a scratch folder outside the repository, from the pinned lock file
    mkdir -p /tmp/tp-gen && cp sample_sets/thirdparty/package.json \
        sample_sets/thirdparty/package-lock.json /tmp/tp-gen/
    npm ci --prefix /tmp/tp-gen --ignore-scripts
    #   (= npm install --prefix /tmp/tp-gen microinvoice@1.0.6 \
    #        @h1dd3nsn1p3r/pdf-invoice@1.0.12 jspdf-invoice-template-nodejs@1.4.40;
    #    resolved: pdfkit 0.12.3, pdfmake 0.2.23, @foliojs-fork/pdfkit 0.15.3, jspdf 2.5.2)
    # PyPI generators, into a scratch virtual environment (never the project's .venv)
    python3 -m venv /tmp/tp-gen/venv
    /tmp/tp-gen/venv/bin/pip install -r sample_sets/thirdparty/requirements.txt
    #   (= pyinvoice==0.1.7 larzpdf==0.1.0 InvoiceGenerator==1.2.0; reportlab 5.1.0,
    #    babel 2.19.0, qrcode 8.2, qrplatba 1.2.0, pillow 13.0.0)
    # build, write the truth files and FAMILIES.tsv, and check every truth value is printed
    .venv/bin/python -m sample_sets.thirdparty.make_thirdparty
    # only re-check the committed PDFs against their truth (needs neither node nor the venv)
    .venv/bin/python -m sample_sets.thirdparty.make_thirdparty --verify-only

Built with Node v20.20.2, npm 11.19.1 and CPython 3.11.7 (scratch venv).

Every value is drawn by a seeded RNG (one per family), so a rebuild writes the same files.
The truth is what the PDF prints: where a generator computes line totals, tax or totals
itself, the renderers (`node_render.js`, `py_render.py`) report the values it printed and
the truth takes them; a field the document does not print is null. After writing, every
non-null truth value is looked for in the text pypdf extracts, in the form the generator
prints it (its date format, its number format, its currency sign); a value not found stops
the build with an error.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "bench" / "samples" / "thirdparty"
SCRATCH = Path(os.environ.get("TP_GEN_DIR", "/tmp/tp-gen"))
NODE_MODULES = SCRATCH / "node_modules"
SCRATCH_PYTHON = SCRATCH / "venv" / "bin" / "python"

VERSIONS = {
    "microinvoice": "microinvoice@1.0.6",
    "pdf-invoice": "@h1dd3nsn1p3r/pdf-invoice@1.0.12",
    "jspdf-invoice-template": "jspdf-invoice-template-nodejs@1.4.40",
    "pyinvoice": "pyinvoice==0.1.7",
    "larzpdf": "larzpdf==0.1.0",
    "invoicegenerator": "InvoiceGenerator==1.2.0",
}
NODE_GENERATORS = {"microinvoice", "pdf-invoice", "jspdf-invoice-template"}

# ---------------------------------------------------------------------------------------
# Content pools
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Company:
    name: str
    street: str
    postcode: str
    city: str
    country: str
    vat_id: str | None
    state: str | None = None
    iban: str | None = None

    def city_line(self, style: str = "postcode_first") -> str:
        """The postcode and city as the country writes them."""
        if style == "postcode_first":
            return f"{self.postcode} {self.city}"
        if style == "us":
            return f"{self.city}, {self.state} {self.postcode}"
        return f"{self.city} {self.postcode}"  # "gb": Manchester M3 2BW


# Country -> city-line style used when the family writes the address itself.
CITY_STYLE = {
    "United Kingdom": "gb",
    "Ireland": "gb",
    "United States": "us",
}

COMPANIES = [
    Company(
        "Brontë Interiors Ltd",
        "14 Whitworth Street",
        "M1 3NR",
        "Manchester",
        "United Kingdom",
        "GB284716390",
        iban="GB33BUKB20201555555555",
    ),
    Company(
        "Harrow & Finch Consulting Ltd",
        "221 Baker Street",
        "NW1 6XE",
        "London",
        "United Kingdom",
        "GB193847562",
        iban="GB29NWBK60161331926819",
    ),
    Company(
        "Müller Feinmechanik GmbH",
        "Königstraße 27",
        "70173",
        "Stuttgart",
        "Germany",
        "DE287361945",
        iban="DE89370400440532013000",
    ),
    Company(
        "Schäfer & Söhne KG",
        "Hafenstraße 112",
        "20457",
        "Hamburg",
        "Germany",
        "DE131904872",
        iban="DE44500105175407324931",
    ),
    Company(
        "Société Lumière SARL",
        "12 Rue de Rivoli",
        "75001",
        "Paris",
        "France",
        "FR40303265045",
        iban="FR7630006000011234567890189",
    ),
    Company(
        "Atelier Bérénice Côté",
        "8 Place Bellecour",
        "69002",
        "Lyon",
        "France",
        "FR83404833048",
        iban="FR1420041010050500013M02606",
    ),
    Company(
        "Van Dijk Vertaalbureau B.V.",
        "Prinsengracht 263",
        "1016 GV",
        "Amsterdam",
        "Netherlands",
        "NL854502130B01",
        iban="NL91ABNA0417164300",
    ),
    Company(
        "De Groene Fiets B.V.",
        "Oudegracht 118",
        "3511 AW",
        "Utrecht",
        "Netherlands",
        "NL819364027B01",
        iban="NL20INGB0001234567",
    ),
    Company(
        "Ó Briain Engineering Ltd",
        "45 Grafton Street",
        "D02 VK65",
        "Dublin",
        "Ireland",
        "IE6388047V",
        iban="IE29AIBK93115212345678",
    ),
    Company(
        "Zürcher Präzision AG",
        "Bahnhofstrasse 54",
        "8001",
        "Zürich",
        "Switzerland",
        "CHE-116.281.710 MWST",
        iban="CH9300762011623852957",
    ),
    Company(
        "Österreichische Holzbau GmbH",
        "Mariahilfer Straße 88",
        "1070",
        "Wien",
        "Austria",
        "ATU13585627",
        iban="AT611904300234573201",
    ),
    Company(
        "Distribuciones Peñalver S.L.",
        "Calle de Alcalá 150",
        "28009",
        "Madrid",
        "Spain",
        "ESB12345674",
        iban="ES9121000418450200051332",
    ),
    Company(
        "Officine Galilei S.r.l.",
        "Via della Spiga 31",
        "20121",
        "Milano",
        "Italy",
        "IT01234567897",
        iban="IT60X0542811101000000123456",
    ),
    Company(
        "Åkesson Logistik AB",
        "Drottninggatan 71",
        "111 36",
        "Stockholm",
        "Sweden",
        "SE556677889901",
        iban="SE4550000000058398257466",
    ),
    Company(
        "Brasserie Lefèvre SPRL",
        "Rue Neuve 33",
        "1000",
        "Bruxelles",
        "Belgium",
        "BE0477472701",
        iban="BE68539007547034",
    ),
    Company(
        "Cascade Analytics Inc.",
        "500 Market Street",
        "94105",
        "San Francisco",
        "United States",
        None,
        state="CA",
    ),
    Company(
        "Hudson Valley Printworks LLC",
        "82 Main Street",
        "12601",
        "Poughkeepsie",
        "United States",
        None,
        state="NY",
    ),
    Company(
        "Lone Star Fixtures Inc.",
        "1201 Elm Street",
        "75270",
        "Dallas",
        "United States",
        None,
        state="TX",
    ),
]

ITEMS_EN = [
    "Website maintenance (monthly)",
    "On-site installation",
    "Annual software licence",
    "Consulting, strategy workshop",
    "Technical translation",
    "Office chairs, ergonomic",
    "LED panel 60x60",
    "Hosting plan, business tier",
    "Data migration service",
    "Steel brackets, galvanised",
    "Training session (half day)",
    "Copywriting, product pages",
    "Replacement filter cartridge",
    "Network switch, 24 ports",
    "Support hours",
    "Photography, product shoot",
    "Crème brûlée ramekins (set of 6)",
    "Café table, oak",
]
ITEMS_DE = [
    "Wartungsvertrag (monatlich)",
    "Montage vor Ort",
    "Softwarelizenz, jährlich",
    "Beratung, Strategieworkshop",
    "Fachübersetzung DE-EN",
    "Bürostuhl, ergonomisch",
    "Edelstahlschrauben M8",
    "Schulung (halber Tag)",
    "Datenmigration",
    "Kühlaggregat",
    "Prüfbericht nach DIN 1946",
    "Fräsarbeiten, Stunden",
]
ITEMS_NL = [
    "Onderhoudscontract (maandelijks)",
    "Installatie op locatie",
    "Softwarelicentie, jaarlijks",
    "Advies, strategiesessie",
    "Vertaling NL-EN",
    "Bureaustoel, ergonomisch",
    "Fietsonderhoud, grote beurt",
    "Training (halve dag)",
    "Datamigratie",
    "Koelunit",
]


def one_line_address(c: Company) -> str:
    """Street, city line and country on one line, the city line as the country writes it."""
    return f"{c.street}, {c.city_line(CITY_STYLE.get(c.country, 'postcode_first'))}, {c.country}"


def ascii_only(text: str) -> str:
    """For generators whose fonts cannot draw accents: Brontë -> Bronte, ß -> ss."""
    text = text.replace("ß", "ss").replace("Ø", "O").replace("ø", "o")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Draw:
    """One invoice's content, before a family lays it out."""

    number: str
    issue: date
    due: date | None
    seller: Company
    buyer: Company
    lines: list[tuple[str, int, Decimal]]  # description, quantity, unit price
    tax_rate: int


def draw_content(
    rng: random.Random,
    *,
    items: list[str],
    numbers: Callable[[random.Random, date], str],
    sellers: list[Company] | None = None,
    buyers: list[Company] | None = None,
    rates: tuple[int, ...] = (20,),
    due_days: tuple[int, ...] | None = (14, 30, 30, 45),
    max_lines: int = 5,
    max_price: int = 900,
) -> Draw:
    sellers = sellers or COMPANIES
    buyers = buyers or COMPANIES
    seller = rng.choice(sellers)
    buyer = rng.choice([c for c in buyers if c != seller])
    issue = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 700))
    due = issue + timedelta(days=rng.choice(due_days)) if due_days else None
    count = rng.randint(1, max_lines)
    lines = []
    for desc in rng.sample(items, count):
        qty = rng.choice((1, 1, 2, 3, 4, 5, 8, 10, 12, 24, 40))
        cents = rng.randint(150, max_price * 100)
        if rng.random() < 0.3:
            cents = cents // 100 * 100  # whole amounts too
        lines.append((desc, qty, Decimal(cents) / 100))
    return Draw(
        number=numbers(rng, issue),
        issue=issue,
        due=due,
        seller=seller,
        buyer=buyer,
        lines=lines,
        tax_rate=rng.choice(rates),
    )


def num_inv(rng: random.Random, d: date) -> str:
    return f"INV-{d.year}-{rng.randint(1, 9999):04d}"


def num_re(rng: random.Random, d: date) -> str:
    return f"RE-{d.year % 100:02d}{rng.randint(100, 99999)}"


def num_f(rng: random.Random, d: date) -> str:
    return f"F{d.year}/{rng.randint(1, 999):03d}"


def num_plain(rng: random.Random, d: date) -> str:
    return f"{d.year}-{rng.randint(1, 999):03d}"


def num_mixed(rng: random.Random, d: date) -> str:
    return rng.choice((num_inv, num_re, num_f, num_plain))(rng, d)


# ---------------------------------------------------------------------------------------
# Number and date styles: how a family prints them (used to draw and to verify)
# ---------------------------------------------------------------------------------------


def fmt_number(value: Decimal | str, style: str) -> str:
    """'en' 1,234.50 | 'plain' 1234.50 | 'de' 1.234,50 | 'ch' 1'234.50"""
    d = Decimal(value)
    sign = "-" if d < 0 else ""
    whole, frac = f"{abs(d):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    if style == "plain":
        return f"{sign}{''.join(groups)}.{frac}"
    if style == "en":
        return f"{sign}{','.join(groups)}.{frac}"
    if style == "de":
        return f"{sign}{'.'.join(groups)},{frac}"
    if style == "fr":
        return f"{sign}{' '.join(groups)},{frac}"
    raise ValueError(style)


MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def fmt_date(d: date, style: str) -> str:
    months = MONTHS
    if style == "iso":
        return d.isoformat()
    if style == "dmy_dot":
        return d.strftime("%d.%m.%Y")
    if style == "dmy_slash":
        return d.strftime("%d/%m/%Y")
    if style == "mdy_slash":
        return d.strftime("%m/%d/%Y")
    if style == "dmy_dash":
        return d.strftime("%d-%m-%Y")
    if style == "d_mon_y":
        return f"{d.day} {months[d.month - 1][:3]} {d.year}"
    if style == "month_d_y":
        return f"{months[d.month - 1]} {d.day}, {d.year}"
    if style == "mon_d_y":  # babel's medium English date
        return f"{months[d.month - 1][:3]} {d.day}, {d.year}"
    raise ValueError(style)


CURRENCY_SIGNS = {
    "EUR": ("EUR", "€"),
    "GBP": ("GBP", "£"),
    "USD": ("USD", "$"),
    "CHF": ("CHF",),
    "SEK": ("SEK", "kr"),
}


# ---------------------------------------------------------------------------------------
# Families
# ---------------------------------------------------------------------------------------


@dataclass
class Doc:
    """One document: the job for its renderer and a function from what the renderer printed
    to the truth."""

    job: dict[str, Any]
    truth: Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Family:
    generator: str
    layout: str
    count: int
    seed: int
    build: Callable[[random.Random, int, Path], Doc]
    number_styles: tuple[str, ...]
    date_styles: tuple[str, ...]
    note: str = ""

    @property
    def family_id(self) -> str:
        return f"{self.generator}-{self.layout}"


def party(name: str | None, vat_id: str | None, address: str | None) -> dict[str, Any]:
    return {"name": name, "vat_id": vat_id, "address": address}


def truth_doc(
    d: Draw,
    *,
    currency: str | None,
    seller: dict[str, Any],
    buyer: dict[str, Any],
    net: str | None,
    tax: str | None,
    gross: str | None,
    due_printed: bool,
    lines: list[dict[str, Any]],
    number: str | None = None,
    iban: str | None = None,
    amount_due: str | None = "gross",
) -> dict[str, Any]:
    return {
        "invoice_number": number if number is not None else d.number,
        "issue_date": d.issue.isoformat(),
        "due_date": d.due.isoformat() if (due_printed and d.due) else None,
        "currency": currency,
        "purchase_order": None,
        "seller": seller,
        "buyer": buyer,
        "iban": iban,
        "total_net": net,
        "total_tax": tax,
        "total_gross": gross,
        "amount_due": gross if amount_due == "gross" else amount_due,
        "lines": lines,
    }


def exact_totals(d: Draw) -> tuple[list[Decimal], Decimal, Decimal, Decimal]:
    """Line nets, net, tax (rounded once on the net, half up) and gross, as we print them
    for generators that print what they are given."""
    nets = [q2(qty * price) for _, qty, price in d.lines]
    net = sum(nets, Decimal(0))
    tax = q2(net * d.tax_rate / Decimal(100))
    return nets, net, tax, net + tax


# --- microinvoice (npm, PDFKit): header block, seller/customer blocks, one table --------


def microinvoice_family(lang: str) -> Callable[[random.Random, int, Path], Doc]:
    de = lang == "de"
    num_style = "de" if de else "en"
    date_style = "dmy_dot" if de else "d_mon_y"

    def build(rng: random.Random, i: int, out: Path) -> Doc:
        d = draw_content(
            rng,
            items=ITEMS_DE if de else ITEMS_EN,
            numbers=num_re if de else num_inv,
            rates=(19, 7) if de else (20, 21, 23, 0),
            max_lines=6,
        )
        currency = "EUR" if de else rng.choice(("EUR", "GBP", "USD", "CHF"))
        nets, net, tax, gross = exact_totals(d)

        def amt(x: Decimal) -> str:
            return fmt_number(x, num_style)

        def addr_lines(c: Company) -> list[str]:
            return [c.street, c.city_line(CITY_STYLE.get(c.country, "postcode_first")), c.country]

        with_buyer_vat = d.buyer.vat_id is not None and rng.random() < 0.6
        seller_block = [
            {
                "label": "Rechnungssteller" if de else "Bill From",
                "value": [d.seller.name, *addr_lines(d.seller)],
            }
        ]
        if d.seller.vat_id:
            seller_block.append(
                {"label": "USt-IdNr." if de else "VAT Number", "value": d.seller.vat_id}
            )
        customer_block = [
            {
                "label": "Rechnungsempfänger" if de else "Bill To",
                "value": [d.buyer.name, *addr_lines(d.buyer)],
            }
        ]
        if with_buyer_vat:
            customer_block.append(
                {
                    "label": "Ihre USt-IdNr." if de else "Customer VAT Number",
                    "value": d.buyer.vat_id,
                }
            )
        header = [
            {"label": "Rechnungsnummer" if de else "Invoice Number", "value": d.number},
            {
                "label": "Rechnungsdatum" if de else "Invoice Date",
                "value": fmt_date(d.issue, date_style),
            },
        ]
        if d.due:
            header.append(
                {"label": "Fällig am" if de else "Due Date", "value": fmt_date(d.due, date_style)}
            )
        if de:  # three columns: description, quantity, amount (no unit price printed)
            table_header = [{"value": "Beschreibung"}, {"value": "Menge"}, {"value": "Betrag"}]
            parts = [
                [{"value": desc}, {"value": qty}, {"value": amt(n), "price": True}]
                for (desc, qty, _), n in zip(d.lines, nets, strict=True)
            ]
        else:
            table_header = [
                {"value": "Description"},
                {"value": "Unit price"},
                {"value": "Quantity"},
                {"value": "Amount"},
            ]
            parts = [
                [
                    {"value": desc},
                    {"value": amt(price), "price": True},
                    {"value": qty},
                    {"value": amt(n), "price": True},
                ]
                for (desc, qty, price), n in zip(d.lines, nets, strict=True)
            ]
        totals = [
            {
                "label": "Nettobetrag" if de else "Total without VAT",
                "value": amt(net),
                "price": True,
            },
            {"label": "MwSt-Satz" if de else "VAT Rate", "value": f"{d.tax_rate}%"},
            {"label": "MwSt" if de else "VAT", "value": amt(tax), "price": True},
            {
                "label": "Gesamtbetrag" if de else "Total with VAT",
                "value": amt(gross),
                "price": True,
            },
        ]
        options = {
            "data": {
                "invoice": {
                    "name": "Rechnung" if de else "Invoice",
                    "header": header,
                    "currency": currency,
                    "customer": customer_block,
                    "seller": seller_block,
                    "legal": [
                        {
                            "value": (
                                "Zahlbar ohne Abzug innerhalb der Frist."
                                if de
                                else "Thank you for your business."
                            ),
                            "weight": "bold",
                            "color": "primary",
                        }
                    ],
                    "details": {"header": table_header, "parts": parts, "total": totals},
                }
            }
        }
        job = {"generator": "microinvoice", "out": str(out), "options": options}
        lines = [
            {
                "description": desc,
                "quantity": str(qty),
                "unit_price": None if de else money(price),
                "net_amount": money(n),
            }
            for (desc, qty, price), n in zip(d.lines, nets, strict=True)
        ]

        def truth(_printed: dict[str, Any]) -> dict[str, Any]:
            return truth_doc(
                d,
                currency=currency,
                seller=party(d.seller.name, d.seller.vat_id, ", ".join(addr_lines(d.seller))),
                buyer=party(
                    d.buyer.name,
                    d.buyer.vat_id if with_buyer_vat else None,
                    ", ".join(addr_lines(d.buyer)),
                ),
                net=money(net),
                tax=money(tax),
                gross=money(gross),
                due_printed=True,
                lines=lines,
            )

        return Doc(job, truth)

    return build


# --- @h1dd3nsn1p3r/pdf-invoice (npm, pdfmake): totals computed by the library ----------

PDF_INVOICE_STRINGS_DE = {
    "invoice": "R E C H N U N G",
    "refNumber": "Rechnungsnr.",
    "date": "Rechnungsdatum",
    "dueDate": "Fällig am",
    "status": "Status",
    "billTo": "Rechnung an",
    "item": "Artikel",
    "quantity": "Menge",
    "price": "Preis",
    "discount": "Rabatt",
    "tax": "MwSt",
    "total": "Summe",
    "subTotal": "Zwischensumme",
    "totalTax": "MwSt gesamt",
    "totalDiscount": "Rabatt gesamt",
    "fee": "Gebühr",
    "grandTotal": "Gesamtbetrag",
}
PDF_INVOICE_STRINGS_EN = {
    "invoice": "I N V O I C E",
    "refNumber": "Ref no",
    "date": "Date",
    "dueDate": "Due Date",
    "status": "Status",
    "billTo": "Bill To",
    "item": "Item",
    "quantity": "Qty",
    "price": "Price",
    "discount": "Discount",
    "tax": "Tax",
    "total": "Total",
    "subTotal": "Subtotal",
    "totalTax": "Total Tax",
    "totalDiscount": "Total Discount",
    "fee": "Total Fee",
    "grandTotal": "Grand Total",
}


def pdf_invoice_family(variant: str) -> Callable[[random.Random, int, Path], Doc]:
    # variant -> (locale, currency, font, date style, strings, items, rates)
    conf = {
        "us": (
            "en-US",
            "USD",
            "Helvetica",
            "mdy_slash",
            PDF_INVOICE_STRINGS_EN,
            ITEMS_EN,
            (0, 6, 8),
        ),
        "de": ("de-DE", "EUR", "Times", "dmy_dot", PDF_INVOICE_STRINGS_DE, ITEMS_DE, (19, 7)),
        "gb": ("en-GB", "GBP", "Courier", "dmy_slash", PDF_INVOICE_STRINGS_EN, ITEMS_EN, (20, 5)),
    }[variant]
    locale, currency, font, date_style, strings, items, rates = conf
    countries = {
        "us": {"United States"},
        "de": {"Germany", "Austria"},
        "gb": {"United Kingdom", "Ireland"},
    }[variant]

    def build(rng: random.Random, i: int, out: Path) -> Doc:
        home = [c for c in COMPANIES if c.country in countries]
        d = draw_content(
            rng,
            items=items,
            numbers=num_mixed,
            sellers=home,
            rates=rates,
            max_lines=5,
            max_price=2500,
        )
        style = CITY_STYLE.get(d.seller.country, "postcode_first")
        seller_addr = f"{d.seller.street}, {d.seller.city_line(style)}, {d.seller.country}"
        bstyle = CITY_STYLE.get(d.buyer.country, "postcode_first")
        buyer_addr = f"{d.buyer.street}, {d.buyer.city_line(bstyle)}, {d.buyer.country}"
        # The customer block has a person's name, then the company: the buyer is the company.
        contact = rng.choice(
            (
                "Anna Schmidt",
                "James O'Neill",
                "Chloé Martin",
                "Lars Åberg",
                "María Núñez",
                "Tom Baker",
            )
        )
        seller_tax = d.seller.vat_id
        buyer_tax = d.buyer.vat_id if rng.random() < 0.5 else None
        payload = {
            "company": {
                "name": d.seller.name,
                "address": seller_addr,
                "phone": "Tel: +44 20 7946 0000"
                if variant == "gb"
                else "Tel: +49 711 123456"
                if variant == "de"
                else "Tel: (415) 555-0199",
            },
            "customer": {"name": contact, "company": d.buyer.name, "address": buyer_addr},
            "invoice": {
                "number": d.number,
                "date": fmt_date(d.issue, date_style),
                "dueDate": fmt_date(d.due, date_style),
                "status": "Offen" if variant == "de" else "Due",
                "locale": locale,
                "currency": currency,
            },
            "items": [
                {"name": desc, "quantity": qty, "price": float(price), "tax": d.tax_rate}
                for desc, qty, price in d.lines
            ],
        }
        if seller_tax:
            payload["company"]["taxId"] = (
                "USt-IdNr.: " if variant == "de" else "VAT: "
            ) + seller_tax
        if buyer_tax:
            payload["customer"]["taxId"] = (
                "USt-IdNr.: " if variant == "de" else "VAT: "
            ) + buyer_tax
        config = {"string": strings, "style": {"font": font}}
        job = {"generator": "pdf-invoice", "out": str(out), "payload": payload, "config": config}

        def truth(printed: dict[str, Any]) -> dict[str, Any]:
            # The "Total" column and the "Subtotal" row include tax (the library adds each
            # line's tax into its total), so neither a line net nor a net total is printed.
            # At a 0% rate the two are the net amounts, and are taken as such.
            gross = printed["grand_total"]
            untaxed = d.tax_rate == 0
            lines = [
                {
                    "description": desc,
                    "quantity": str(qty),
                    "unit_price": up,
                    "net_amount": total if untaxed else None,
                }
                for (desc, qty, _), up, total in zip(
                    d.lines, printed["item_prices"], printed["item_totals"], strict=True
                )
            ]
            return truth_doc(
                d,
                currency=currency,
                number=f"{d.number}",
                seller=party(d.seller.name, seller_tax, seller_addr),
                buyer=party(d.buyer.name, buyer_tax, buyer_addr),
                net=printed["sub_total"] if untaxed else None,
                tax=printed["total_tax"],
                gross=gross,
                due_printed=True,
                lines=lines,
            )

        return Doc(job, truth)

    return build


# --- jspdf-invoice-template-nodejs (npm, jsPDF): free table, free total rows ------------


def jspdf_family(variant: str) -> Callable[[random.Random, int, Path], Doc]:
    nl = variant == "landscape-nl"
    num_style = "de" if nl else "en"
    date_style = "dmy_dash" if nl else "month_d_y"

    def build(rng: random.Random, i: int, out: Path) -> Doc:
        d = draw_content(
            rng,
            items=ITEMS_NL if nl else ITEMS_EN,
            numbers=num_plain if nl else num_inv,
            rates=(21, 9) if nl else (20, 10, 0),
            max_lines=7,
        )
        currency = "EUR" if nl else rng.choice(("GBP", "USD", "EUR"))
        nets, net, tax, gross = exact_totals(d)

        def amt(x: Decimal) -> str:
            return fmt_number(x, num_style)

        def addr(c: Company) -> str:
            return one_line_address(c)

        seller_addr, buyer_addr = addr(d.seller), addr(d.buyer)
        if nl:
            header = [
                {"title": "#", "style": {"width": 10}},
                {"title": "Omschrijving", "style": {"width": 120}},
                {"title": "Aantal"},
                {"title": "Prijs"},
                {"title": "Bedrag"},
            ]
            table = [
                [k + 1, desc, str(qty), amt(price), amt(n)]
                for k, ((desc, qty, price), n) in enumerate(zip(d.lines, nets, strict=True))
            ]
            rows = [
                {
                    "col1": "Subtotaal excl. BTW:",
                    "col2": amt(net),
                    "col3": "EUR",
                    "style": {"fontSize": 10},
                },
                {
                    "col1": f"BTW {d.tax_rate}%:",
                    "col2": amt(tax),
                    "col3": "EUR",
                    "style": {"fontSize": 10},
                },
                {
                    "col1": "Totaal incl. BTW:",
                    "col2": amt(gross),
                    "col3": "EUR",
                    "style": {"fontSize": 14},
                },
            ]
        else:
            header = [
                {"title": "#", "style": {"width": 10}},
                {"title": "Description", "style": {"width": 80}},
                {"title": "Unit price"},
                {"title": "Quantity"},
                {"title": "Amount"},
            ]
            table = [
                [k + 1, desc, amt(price), str(qty), amt(n)]
                for k, ((desc, qty, price), n) in enumerate(zip(d.lines, nets, strict=True))
            ]
            rows = [
                {
                    "col1": "Subtotal:",
                    "col2": amt(net),
                    "col3": currency,
                    "style": {"fontSize": 10},
                },
                {
                    "col1": f"VAT ({d.tax_rate}%):",
                    "col2": amt(tax),
                    "col3": currency,
                    "style": {"fontSize": 10},
                },
                {"col1": "Total:", "col2": amt(gross), "col3": currency, "style": {"fontSize": 14}},
            ]
        business = {
            "name": d.seller.name,
            "address": seller_addr,
            "phone": "+31 20 555 0101" if nl else "+44 161 555 0123",
            "email": "billing@example.com",
            "email_1": (("BTW-nr: " if nl else "VAT No: ") + d.seller.vat_id)
            if d.seller.vat_id
            else "",
            "website": "",
        }
        props = {
            "fileName": "invoice",
            "orientationLandscape": nl,
            "compress": True,
            "business": business,
            "contact": {
                "label": "Factuur aan:" if nl else "Invoice issued for:",
                "name": d.buyer.name,
                "address": buyer_addr,
                "phone": "",
                "email": "",
                "otherInfo": "",
            },
            "invoice": {
                "label": "Factuurnummer: " if nl else "Invoice #: ",
                "num": d.number,
                "invDate": (
                    ("Vervaldatum: " if nl else "Due Date: ") + fmt_date(d.due, date_style)
                ),
                "invGenDate": (
                    ("Factuurdatum: " if nl else "Invoice Date: ") + fmt_date(d.issue, date_style)
                ),
                "headerBorder": False,
                "tableBodyBorder": False,
                "header": header,
                "table": table,
                "additionalRows": rows,
                "invDescLabel": "Opmerking" if nl else "Note",
                "invDesc": (
                    "Gelieve te betalen binnen de termijn."
                    if nl
                    else "Please pay by bank transfer within the payment term."
                ),
            },
            "footer": {
                "text": (
                    "Deze factuur is elektronisch opgesteld."
                    if nl
                    else "This invoice was created electronically."
                )
            },
            "pageEnable": True,
            "pageLabel": "Pagina " if nl else "Page ",
        }
        job = {"generator": "jspdf-invoice-template", "out": str(out), "props": props}
        lines = [
            {
                "description": desc,
                "quantity": str(qty),
                "unit_price": money(price),
                "net_amount": money(n),
            }
            for (desc, qty, price), n in zip(d.lines, nets, strict=True)
        ]

        def truth(_printed: dict[str, Any]) -> dict[str, Any]:
            return truth_doc(
                d,
                currency=currency,
                seller=party(d.seller.name, d.seller.vat_id, seller_addr),
                buyer=party(d.buyer.name, None, buyer_addr),
                net=money(net),
                tax=money(tax),
                gross=money(gross),
                due_printed=True,
                lines=lines,
            )

        return Doc(job, truth)

    return build


# --- pyinvoice (PyPI, reportlab platypus): labelled address rows, no currency -----------

PYINVOICE_DESCS = ITEMS_EN


def pyinvoice_build(rng: random.Random, i: int, out: Path) -> Doc:
    d = draw_content(
        rng, items=PYINVOICE_DESCS, numbers=num_mixed, rates=(20, 19, 21, 10), max_lines=6
    )

    # The library prints a unit price as given and an amount as units x price, unrounded:
    # prices with exactly two decimals keep both at two.
    def rows(c: Company, *, seller: bool) -> dict[str, Any]:
        r = {
            "name": c.name,
            "street": c.street,
            "city": c.city,
            "state": c.state,
            "country": c.country,
            "post_code": c.postcode,
        }
        if seller:
            r["vat_tax_number"] = c.vat_id
        return r

    provider, client = rows(d.seller, seller=True), rows(d.buyer, seller=False)
    # The template's two-column party table drops client rows when the client has more rows
    # than the provider: give the client at most as many as the provider.
    n_provider = sum(1 for v in provider.values() if v)
    if sum(1 for v in client.values() if v) > n_provider:
        client["state"] = None
    lines = [
        {
            "name": f"{chr(65 + k)}{rng.randint(100, 999)}",
            "description": desc.replace("&", "&amp;"),
            "units": qty,
            "unit_price": f"{price:.2f}",
        }
        for k, (desc, qty, price) in enumerate(d.lines)
    ]
    job = {
        "generator": "pyinvoice",
        "out": str(out),
        "number": d.number,
        "issue_date": d.issue.isoformat(),
        "due_date": d.due.isoformat() if d.due else None,
        "provider": provider,
        "client": client,
        "lines": lines,
        "tax_rate": d.tax_rate,
    }

    def addr(r: dict[str, Any]) -> str:
        # Printed as rows Street, City, State, Country, Post code, in that order.
        return ", ".join(
            str(r[k]) for k in ("street", "city", "state", "country", "post_code") if r.get(k)
        )

    def truth(printed: dict[str, Any]) -> dict[str, Any]:
        tl = [
            {
                "description": desc,
                "quantity": str(qty),
                "unit_price": f"{price:.2f}",
                "net_amount": money(Decimal(a)),
            }
            for (desc, qty, price), a in zip(d.lines, printed["amounts"], strict=True)
        ]
        return truth_doc(
            d,
            currency=None,
            seller=party(d.seller.name, d.seller.vat_id, addr(provider)),
            buyer=party(d.buyer.name, None, addr(client)),
            net=printed["subtotal"],
            tax=printed["tax"],
            gross=printed["total"],
            due_printed=True,
            lines=tl,
        )

    return Doc(job, truth)


# --- larzpdf (PyPI, its own PDF writer): base-14 fonts without an encoding: ASCII only --


def larzpdf_build(rng: random.Random, i: int, out: Path) -> Doc:
    companies = [
        Company(
            ascii_only(c.name),
            ascii_only(c.street),
            c.postcode,
            ascii_only(c.city),
            c.country,
            c.vat_id,
            c.state,
            c.iban,
        )
        for c in COMPANIES
    ]
    d = draw_content(
        rng,
        items=[ascii_only(x) for x in ITEMS_EN],
        numbers=num_mixed,
        sellers=companies,
        buyers=companies,
        rates=(20, 8, 10, 21),
        due_days=None,
        max_lines=6,
    )
    currency, symbol = rng.choice((("USD", "$"), ("GBP", "£"), ("EUR", "EUR "), ("CHF", "CHF ")))
    date_style = rng.choice(("iso", "month_d_y", "d_mon_y"))

    addr = one_line_address

    seller = {
        "name": d.seller.name,
        "address": addr(d.seller),
        "email": "accounts@" + re.sub(r"[^a-z]", "", d.seller.name.lower())[:12] + ".com",
    }
    if d.seller.vat_id:
        seller["tax_id"] = "VAT ID: " + d.seller.vat_id
    buyer = {"name": d.buyer.name, "address": addr(d.buyer)}
    job = {
        "generator": "larzpdf",
        "out": str(out),
        "number": d.number,
        "date": fmt_date(d.issue, date_style),
        "seller": seller,
        "buyer": buyer,
        "symbol": symbol,
        "tax_rate": str(Decimal(d.tax_rate) / 100),
        "tax_label": "Sales tax" if currency == "USD" else "VAT",
        "notes": "Payment within 30 days. Thank you!",
        "lines": [
            {"description": desc, "qty": qty, "price": f"{price:.2f}"}
            for desc, qty, price in d.lines
        ],
    }

    def truth(printed: dict[str, Any]) -> dict[str, Any]:
        tl = [
            {
                "description": desc,
                "quantity": str(qty),
                "unit_price": f"{price:.2f}",
                "net_amount": a,
            }
            for (desc, qty, price), a in zip(d.lines, printed["amounts"], strict=True)
        ]
        return truth_doc(
            d,
            currency=currency,
            seller=party(d.seller.name, d.seller.vat_id, addr(d.seller)),
            buyer=party(d.buyer.name, None, addr(d.buyer)),
            net=printed["subtotal"],
            tax=printed["tax"],
            gross=printed["total"],
            due_printed=False,
            lines=tl,
        )

    return Doc(job, truth)


# --- InvoiceGenerator (PyPI, reportlab canvas, DejaVu fonts, babel formats) -------------


def invoicegenerator_family(*, use_tax: bool) -> Callable[[random.Random, int, Path], Doc]:
    def build(rng: random.Random, i: int, out: Path) -> Doc:
        if use_tax:
            currency, loc = rng.choice(
                (
                    ("EUR", "de_DE"),
                    ("EUR", "fr_FR"),
                    ("GBP", "en_GB"),
                    ("EUR", "en_IE"),
                    ("CHF", "de_CH"),
                )
            )
        else:
            currency, loc = "USD", "en_US"
        d = draw_content(
            rng,
            items=ITEMS_EN,
            numbers=num_mixed,
            rates=(20, 19, 21, 23, 8) if use_tax else (0,),
            max_lines=6,
            max_price=1500,
        )

        def addr(c: Company) -> dict[str, Any]:
            return {
                "summary": c.name,
                "address": c.street,
                "city": c.city,
                "zip_code": c.postcode,
                "country": c.country,
                "vat_id": (c.vat_id or "") if use_tax else "",
            }

        provider = addr(d.seller)
        provider.update(
            {
                "bank_name": "Bank",
                "bank_account": "2600420569",
                "bank_code": "2010",
                "phone": "+420 555 123 456",
                "email": "billing@example.com",
            }
        )
        client = addr(d.buyer)
        iban = d.seller.iban if rng.random() < 0.8 else None
        job = {
            "generator": "invoicegenerator",
            "out": str(out),
            "lang": "en",
            "currency": currency,
            "currency_locale": loc,
            "use_tax": use_tax,
            "number": d.number,
            "issue_date": d.issue.isoformat(),
            "due_date": d.due.isoformat() if d.due else None,
            "client": client,
            "provider": provider,
            "creator": "Jana Nováková",
            "iban": iban,
            "paytype": "Bank transfer",
            "lines": [
                {"count": qty, "price": f"{price:.2f}", "description": desc, "tax": d.tax_rate}
                for desc, qty, price in d.lines
            ],
        }

        def a(c: Company) -> str:
            # Printed: street, "zip city", country.
            return f"{c.street}, {c.postcode} {c.city}, {c.country}"

        def truth(printed: dict[str, Any]) -> dict[str, Any]:
            tl = [
                {"description": desc, "quantity": str(qty), "unit_price": up, "net_amount": n}
                for (desc, qty, _), up, n in zip(
                    d.lines, printed["unit_prices"], printed["line_net"], strict=True
                )
            ]
            if use_tax:
                net, gross = printed["net"], printed["gross"]
                (tax,) = printed["tax_by_rate"].values()
            else:
                # Without tax the document prints one "Total", the sum of the lines: no tax
                # and no separate net total.
                net, tax, gross = None, None, printed["net"]
            return truth_doc(
                d,
                currency=currency,
                seller=party(d.seller.name, d.seller.vat_id if use_tax else None, a(d.seller)),
                buyer=party(d.buyer.name, d.buyer.vat_id if use_tax else None, a(d.buyer)),
                net=net,
                tax=tax,
                gross=gross,
                due_printed=True,
                lines=tl,
                iban=iban,
            )

        return Doc(job, truth)

    return build


FAMILIES = [
    Family(
        "microinvoice",
        "en-4col",
        10,
        101,
        microinvoice_family("en"),
        ("en",),
        ("d_mon_y",),
        "English labels; description, unit price, quantity, amount; code after amounts",
    ),
    Family(
        "microinvoice",
        "de-3col",
        10,
        102,
        microinvoice_family("de"),
        ("de",),
        ("dmy_dot",),
        "German labels; description, quantity, amount (no unit price printed)",
    ),
    Family(
        "pdf-invoice",
        "us-helvetica",
        9,
        201,
        pdf_invoice_family("us"),
        ("en",),
        ("mdy_slash",),
        "en-US, USD, Helvetica; library computes line totals and totals",
    ),
    Family(
        "pdf-invoice",
        "de-times",
        9,
        202,
        pdf_invoice_family("de"),
        ("de",),
        ("dmy_dot",),
        "de-DE, EUR, Times, German labels; library computes totals",
    ),
    Family(
        "pdf-invoice",
        "gb-courier",
        8,
        203,
        pdf_invoice_family("gb"),
        ("en",),
        ("dmy_slash",),
        "en-GB, GBP, Courier; library computes totals",
    ),
    Family(
        "jspdf-invoice-template",
        "portrait-en",
        10,
        301,
        jspdf_family("portrait-en"),
        ("en",),
        ("month_d_y",),
        "portrait, English labels",
    ),
    Family(
        "jspdf-invoice-template",
        "landscape-nl",
        10,
        302,
        jspdf_family("landscape-nl"),
        ("de",),
        ("dmy_dash",),
        "landscape, Dutch labels, 1.234,50 amounts",
    ),
    Family(
        "pyinvoice",
        "simple",
        10,
        401,
        pyinvoice_build,
        ("plain",),
        ("iso",),
        "labelled party rows side by side; no currency printed; library totals",
    ),
    Family(
        "larzpdf",
        "invoice",
        10,
        501,
        larzpdf_build,
        ("en",),
        ("iso", "month_d_y", "d_mon_y"),
        "ASCII only; no due date; library totals",
    ),
    Family(
        "invoicegenerator",
        "vat",
        10,
        601,
        invoicegenerator_family(use_tax=True),
        ("de", "fr", "en", "ch"),
        ("mon_d_y",),
        "tax invoice: VAT breakdown, babel currency formats of five locales",
    ),
    Family(
        "invoicegenerator",
        "simple",
        8,
        602,
        invoicegenerator_family(use_tax=False),
        ("en",),
        ("mon_d_y",),
        "no tax columns: a single Total; US dollars",
    ),
]


# ---------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------


def run_renderer(generator_kind: str, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not jobs:
        return []
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(jobs, fh, ensure_ascii=False)
        path = fh.name
    try:
        if generator_kind == "node":
            if not NODE_MODULES.is_dir():
                sys.exit(
                    f"no {NODE_MODULES}: install the npm generators (see the top of "
                    f"{Path(__file__).name})"
                )
            env = dict(os.environ, NODE_PATH=str(NODE_MODULES))
            cmd = ["node", str(HERE / "node_render.js"), path]
        else:
            if not SCRATCH_PYTHON.exists():
                sys.exit(
                    f"no {SCRATCH_PYTHON}: install the PyPI generators (see the top of "
                    f"{Path(__file__).name})"
                )
            env = dict(os.environ)
            cmd = [str(SCRATCH_PYTHON), str(HERE / "py_render.py"), path]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed:\n{result.stderr}")
        return json.loads(result.stdout)
    finally:
        Path(path).unlink()


def build_all(out_root: Path, only: set[str] | None) -> None:
    families = [f for f in FAMILIES if not only or f.family_id in only or f.generator in only]
    docs: list[tuple[Family, Path, Doc]] = []
    for fam in families:
        rng = random.Random(fam.seed)
        fam_dir = out_root / fam.family_id
        if fam_dir.exists():
            shutil.rmtree(fam_dir)
        fam_dir.mkdir(parents=True)
        for i in range(1, fam.count + 1):
            pdf = fam_dir / f"{i:02d}.pdf"
            docs.append((fam, pdf, fam.build(rng, i, pdf)))
    node = [(f, p, d) for f, p, d in docs if f.generator in NODE_GENERATORS]
    py = [(f, p, d) for f, p, d in docs if f.generator not in NODE_GENERATORS]
    for kind, group in (("node", node), ("python", py)):
        printed = run_renderer(kind, [d.job for _, _, d in group])
        for (_fam, pdf, doc), values in zip(group, printed, strict=True):
            truth = doc.truth(values)
            pdf.with_suffix("").with_suffix(".truth.json").write_text(
                json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
    write_families(out_root)


def truth_path(pdf: Path) -> Path:
    return pdf.with_name(pdf.stem + ".truth.json")


def write_families(out_root: Path) -> None:
    rows = ["path\tgenerator\tlayout\tfamily"]
    by_id = {f.family_id: f for f in FAMILIES}
    for pdf in sorted(out_root.glob("*/*.pdf")):
        fam = by_id[pdf.parent.name]
        rows.append(
            f"{pdf.relative_to(out_root).as_posix()}\t{VERSIONS[fam.generator]}\t"
            f"{fam.layout}\t{fam.family_id}"
        )
    (out_root / "FAMILIES.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Verification: every non-null truth value is in the PDF's text, as the generator prints it
# ---------------------------------------------------------------------------------------

SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def norm(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def amount_forms(value: str, styles: tuple[str, ...]) -> set[str]:
    forms = set()
    for style in styles:
        if style == "ch":
            forms.add(fmt_number(value, "en").replace(",", "\u2019"))
            forms.add(fmt_number(value, "en").replace(",", "'"))
        else:
            forms.add(norm(fmt_number(value, style)))
    return forms


def has_token(text: str, token: str) -> bool:
    """token in text, not as part of a longer number."""
    pattern = r"(?<![\d.,'\u2019])" + re.escape(token) + r"(?![\d]|[.,]\d)"
    return re.search(pattern, text) is not None


def extract_text(pdf: Path) -> str:
    from pypdf import PdfReader

    return norm(" ".join(page.extract_text() or "" for page in PdfReader(pdf).pages))


def document_checks(fam: Family, truth: dict[str, Any], text: str) -> list[tuple[str, bool]]:
    """One (value, found) pair for every non-null truth value of a document."""
    checks: list[tuple[str, bool]] = []

    def text_value(name: str, value: str | None) -> None:
        if value is not None:
            checks.append((f"{name}={value!r}", norm(value) in text))

    def amount_value(name: str, value: str | None) -> None:
        if value is not None:
            forms = amount_forms(value, fam.number_styles)
            found = any(has_token(text, f) for f in forms)
            checks.append((f"{name}={value} as {sorted(forms)}", found))

    def date_value(name: str, value: str | None) -> None:
        if value is not None:
            d = date.fromisoformat(value)
            forms = {fmt_date(d, s) for s in fam.date_styles}
            checks.append((f"{name}={value} as {sorted(forms)}", any(f in text for f in forms)))

    text_value("invoice_number", truth["invoice_number"])
    date_value("issue_date", truth["issue_date"])
    date_value("due_date", truth["due_date"])
    if truth["currency"] is not None:
        signs = CURRENCY_SIGNS[truth["currency"]]
        found = any(s in text for s in signs)
        checks.append((f"currency={truth['currency']} as {signs}", found))
    text_value("purchase_order", truth["purchase_order"])
    for role in ("seller", "buyer"):
        p = truth[role]
        text_value(f"{role}.name", p["name"])
        text_value(f"{role}.vat_id", p["vat_id"])
        if p["address"] is not None:
            # Parts may be printed on separate lines, or beside the other party's.
            found = all(norm(part) in text for part in p["address"].split(", "))
            checks.append((f"{role}.address={p['address']!r}", found))
    text_value("iban", truth["iban"])
    for key in ("total_net", "total_tax", "total_gross", "amount_due"):
        amount_value(key, truth[key])
    for k, line in enumerate(truth["lines"]):
        text_value(f"lines[{k}].description", line["description"])
        if line["quantity"] is not None:
            found = has_token(text, line["quantity"])
            checks.append((f"lines[{k}].quantity={line['quantity']}", found))
        amount_value(f"lines[{k}].unit_price", line["unit_price"])
        amount_value(f"lines[{k}].net_amount", line["net_amount"])
    return checks


def verify(out_root: Path) -> tuple[int, int]:
    """Checks every PDF's truth against its text; returns (documents, values checked)."""
    by_id = {f.family_id: f for f in FAMILIES}
    failures: list[str] = []
    n_docs = n_values = 0
    for pdf in sorted(out_root.glob("*/*.pdf")):
        truth = json.loads(truth_path(pdf).read_text(encoding="utf-8"))
        checks = document_checks(by_id[pdf.parent.name], truth, extract_text(pdf))
        n_docs += 1
        n_values += len(checks)
        failures += [
            f"{pdf.relative_to(out_root)}: {name} not in the text" for name, ok in checks if not ok
        ]
    if failures:
        raise SystemExit("truth values missing from the PDF text:\n  " + "\n  ".join(failures))
    return n_docs, n_values


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", action="append", help="a generator or family id (repeatable)")
    parser.add_argument(
        "--verify-only",
        action="store_true",
        help="only check the PDFs already there against their truth",
    )
    args = parser.parse_args(argv)
    if not args.verify_only:
        build_all(args.out, set(args.only) if args.only else None)
    docs, values = verify(args.out)
    size = sum(p.stat().st_size for p in args.out.glob("*/*.pdf"))
    print(
        f"thirdparty: {docs} PDFs, {values} truth values found in their text, "
        f"{size / 1e6:.2f} MB of PDF"
    )


if __name__ == "__main__":
    main()
