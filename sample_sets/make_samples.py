"""Generate sample invoice PDFs with known ground truth for the extraction benchmark.

Each invoice is described once as data below; the script draws it with reportlab (real
text, byte-identical on every run), writes `<name>.truth.json` beside the PDF with the
values an extractor should return, and checks that pypdf extracts every printed value.
Run: python -m sample_sets.make_samples [--out DIR]
"""

import argparse
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from sample_sets import SAMPLES

CENT = Decimal("0.01")
LEFT, RIGHT, TOP, BOTTOM = 50.0, 545.0, 790.0, 110.0
EN_MONTHS = "January February March April May June July August September October November December"
FR_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"


@dataclass(frozen=True)
class Locale:
    labels: dict[str, str]
    date_pattern: str  # placeholders: d, dd, mm, month, mon (3 letters), yyyy
    group: str = ","
    decimal: str = "."
    money: str = "{sym}{num}"
    symbol: str = ""
    months: str = EN_MONTHS

    def number(self, value: Decimal) -> str:
        """Format with the value's own decimals: 42.5 stays 42.5, 1850.00 keeps its cents."""
        raw = f"{value:,f}"
        return raw.replace(",", "\0").replace(".", self.decimal).replace("\0", self.group)

    def amount(self, value: Decimal) -> str:
        return self.money.format(sym=self.symbol, num=self.number(value))

    def date(self, day: date) -> str:
        month = self.months.split()[day.month - 1]
        fields = {"d": day.day, "dd": f"{day.day:02d}", "mm": f"{day.month:02d}"}
        return self.date_pattern.format(**fields, month=month, mon=month[:3], yyyy=day.year)


@dataclass(frozen=True)
class Party:
    name: str
    address: tuple[str, ...]
    vat_id: str | None = None


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def net(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Invoice:
    name: str
    locale: Locale
    currency: str
    number: str
    issued: date
    due: date | None
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    tax_rate: Decimal
    iban: str | None = None
    purchase_order: str | None = None
    prepaid: Decimal = Decimal("0.00")
    note: str = ""
    layout: str = "blocks"  # "blocks": label/value pairs top right; "table": boxed header row
    boxed_totals: bool = False

    @property
    def net(self) -> Decimal:
        return sum((line.net for line in self.lines), Decimal("0.00"))

    @property
    def tax(self) -> Decimal:
        return (self.net * self.tax_rate / 100).quantize(CENT, ROUND_HALF_UP)

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax

    @property
    def amount_due(self) -> Decimal:
        return self.gross - self.prepaid


def mod97(code: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in code[4:] + code[:4])) % 97


def iban(country: str, bban: str) -> str:
    """Build an IBAN with the check digits computed for the given BBAN."""
    result = f"{country}{98 - mod97(country + '00' + bban):02d}{bban}"
    assert mod97(result) == 1
    return result


def grouped(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


class Sheet:
    """A canvas with a vertical cursor that starts a new page when the space runs out."""

    def __init__(self, path: Path, invoice: Invoice) -> None:
        self.canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
        self.invoice, self.labels = invoice, invoice.locale.labels
        self.canvas.setTitle(f"{self.labels['title']} {invoice.number}")
        self.page, self.y = 1, TOP

    def text(
        self, x: float, value: str, size: float = 9, *, bold: bool = False, right: bool = False
    ) -> None:
        self.canvas.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        (self.canvas.drawRightString if right else self.canvas.drawString)(x, self.y, value)

    def pair(self, x: float, label: str, value: str, *, bold: bool = False) -> None:
        self.text(x, label, bold=bold)
        self.text(RIGHT, value, bold=bold, right=True)
        self.y -= 14

    def footer(self) -> None:
        self.canvas.setFont("Helvetica", 8)
        self.canvas.drawCentredString(A4[0] / 2, 30, f"{self.labels['page']} {self.page}")

    def need(self, height: float) -> bool:
        """Start a new page if less than `height` is left; report whether it did."""
        if self.y - height >= BOTTOM:
            return False
        self.text(RIGHT, self.labels["continued"], 8, right=True)
        self.footer()
        self.canvas.showPage()
        self.page, self.y = self.page + 1, TOP
        title = f"{self.labels['title']} {self.invoice.number}"
        self.text(LEFT, f"{self.invoice.seller.name} - {title}", bold=True)
        self.y -= 30
        return True


def meta_rows(inv: Invoice) -> list[tuple[str, str]]:
    labels, loc = inv.locale.labels, inv.locale
    rows = [(labels["number"], inv.number), (labels["date"], loc.date(inv.issued))]
    if inv.due:
        rows.append((labels["due"], loc.date(inv.due)))
    if inv.purchase_order:
        rows.append((labels["po"], inv.purchase_order))
    return rows


def draw_party(sheet: Sheet, party: Party, size: float) -> None:
    sheet.text(LEFT, party.name, size, bold=True)
    vat = [f"{sheet.labels['vat']} {party.vat_id}"] if party.vat_id else []
    for row in (*party.address, *vat):
        sheet.y -= 12
        sheet.text(LEFT, row)


def draw_head(sheet: Sheet) -> None:
    sheet.text(RIGHT, sheet.labels["title"], 20, bold=True, right=True)
    draw_party(sheet, sheet.invoice.seller, 13)
    sheet.y = 680
    sheet.text(LEFT, sheet.labels["buyer"], 8, bold=True)
    sheet.y -= 13
    draw_party(sheet, sheet.invoice.buyer, 10)
    rows = meta_rows(sheet.invoice)
    if sheet.invoice.layout == "blocks":
        sheet.y = 760
        for label, value in rows:
            sheet.pair(345, label, value)
        sheet.y = 570
        return
    width, sheet.y = (RIGHT - LEFT) / len(rows), 590
    for i, (label, value) in enumerate(rows):
        x = LEFT + i * width
        sheet.canvas.rect(x, sheet.y - 20, width, 34)
        sheet.text(x + 5, label, 8, bold=True)
        sheet.y -= 14
        sheet.text(x + 5, value, 10)
        sheet.y += 14
    sheet.y = 540


def draw_table_head(sheet: Sheet) -> None:
    sheet.text(LEFT, sheet.labels["desc"], bold=True)
    for x, key in ((370, "qty"), (460, "price"), (RIGHT, "amount")):
        sheet.text(x, sheet.labels[key], bold=True, right=True)
    sheet.canvas.line(LEFT, sheet.y - 4, RIGHT, sheet.y - 4)
    sheet.y -= 18


def draw_lines(sheet: Sheet) -> None:
    number = sheet.invoice.locale.number
    draw_table_head(sheet)
    for line in sheet.invoice.lines:
        if sheet.need(14):
            draw_table_head(sheet)
        sheet.text(LEFT, line.description)
        for x, value in ((370, line.quantity), (460, line.unit_price), (RIGHT, line.net)):
            sheet.text(x, number(value), right=True)
        sheet.y -= 14


def total_rows(inv: Invoice) -> list[tuple[str, Decimal, bool]]:
    labels = inv.locale.labels
    rate = inv.locale.number(inv.tax_rate)
    rows = [
        (labels["net"], inv.net, False),
        (labels["tax"].format(rate=rate), inv.tax, False),
        (labels["gross"], inv.gross, True),
    ]
    if inv.prepaid:
        rows.append((labels["paid"], inv.prepaid, False))
    if inv.prepaid or "amount_due" in labels:
        rows.append((labels["amount_due"], inv.amount_due, True))
    return rows


def draw_totals(sheet: Sheet) -> None:
    inv, rows = sheet.invoice, total_rows(sheet.invoice)
    height = 14 * len(rows)
    sheet.need(height + 90)
    sheet.canvas.line(LEFT, sheet.y + 6, RIGHT, sheet.y + 6)
    sheet.y -= 12
    if inv.boxed_totals:
        sheet.canvas.rect(330, sheet.y - height + 8, RIGHT - 325, height + 8)
    for label, value, bold in rows:
        sheet.pair(340, label, inv.locale.amount(value), bold=bold)
    sheet.y -= 24
    if inv.iban:
        sheet.text(LEFT, f"IBAN: {grouped(inv.iban)}")
        sheet.y -= 12
    sheet.text(LEFT, inv.note, 8)


def render(inv: Invoice, path: Path) -> None:
    sheet = Sheet(path, inv)
    draw_head(sheet)
    draw_lines(sheet)
    draw_totals(sheet)
    sheet.footer()
    sheet.canvas.save()


def money(value: Decimal) -> str:
    return str(value.quantize(CENT))


def party_truth(party: Party) -> dict[str, str | None]:
    return {"name": party.name, "vat_id": party.vat_id, "address": ", ".join(party.address)}


def line_truth(line: Line) -> dict[str, str]:
    return {
        "description": line.description,
        "quantity": str(line.quantity),
        "unit_price": money(line.unit_price),
        "net_amount": money(line.net),
    }


def truth(inv: Invoice) -> dict[str, object]:
    return {
        "invoice_number": inv.number,
        "issue_date": inv.issued.isoformat(),
        "due_date": inv.due.isoformat() if inv.due else None,
        "currency": inv.currency,
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


def printed_values(inv: Invoice) -> Iterator[str]:
    """Every truth value in the form the PDF prints it, for the round-trip check."""
    number = inv.locale.number
    yield from (value for _, value in meta_rows(inv))
    for party in (inv.seller, inv.buyer):
        yield from (party.name, *party.address, *([party.vat_id] if party.vat_id else []))
    yield from [grouped(inv.iban)] if inv.iban else []
    for line in inv.lines:
        yield from (line.description, number(line.quantity), number(line.unit_price))
        yield number(line.net)
    yield from (inv.locale.amount(value) for _, value, _ in total_rows(inv))


def missing_after_extraction(inv: Invoice, path: Path) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return [value for value in printed_values(inv) if value not in text]


# Invoice data, kept dense and aligned by hand.
# fmt: off
D = Decimal
EN_GB = Locale({"title": "INVOICE", "number": "Invoice No.", "date": "Invoice date",
                "due": "Due date", "po": "PO number", "buyer": "BILL TO", "vat": "VAT No.",
                "desc": "Description", "qty": "Qty", "price": "Unit price", "amount": "Amount",
                "net": "Subtotal", "tax": "VAT {rate}%", "gross": "Total",
                "amount_due": "Amount due", "paid": "Paid", "page": "Page",
                "continued": "Continued on next page"},
               "{d} {month} {yyyy}", symbol="£")
EN_US = Locale({**EN_GB.labels, "po": "P.O. Number", "tax": "Sales Tax ({rate}%)",
                "amount_due": "Balance Due", "price": "Rate", "buyer": "Bill To"},
               "{month} {d}, {yyyy}", symbol="$")
EN_IE = Locale({k: v for k, v in EN_GB.labels.items() if k != "amount_due"},
               "{d} {mon} {yyyy}", symbol="€")
DE = Locale({"title": "Rechnung", "number": "Rechnungsnummer", "date": "Rechnungsdatum",
             "due": "Fällig am", "buyer": "Rechnungsempfänger", "vat": "USt-IdNr.",
             "desc": "Bezeichnung", "qty": "Menge", "price": "Einzelpreis", "amount": "Betrag",
             "net": "Nettobetrag", "tax": "MwSt. {rate}%", "gross": "Gesamtbetrag",
             "page": "Seite", "continued": "Fortsetzung auf der nächsten Seite"},
            "{dd}.{mm}.{yyyy}", ".", ",", "{num} {sym}", "€")
FR = Locale({"title": "Facture", "number": "N° de facture", "date": "Date",
             "due": "Échéance", "buyer": "Client", "vat": "N° TVA", "desc": "Désignation",
             "qty": "Qté", "price": "Prix unitaire HT", "amount": "Montant HT",
             "net": "Total HT", "tax": "TVA {rate} %", "gross": "Total TTC",
             "amount_due": "Net à payer", "page": "Page", "continued": "Suite page suivante"},
            "{d} {month} {yyyy}", " ", ",", "{num} {sym}", "€", FR_MONTHS)
NL = Locale({"title": "Factuur", "number": "Factuurnummer", "date": "Factuurdatum",
             "due": "Vervaldatum", "buyer": "Factuur aan", "vat": "BTW-nr.",
             "desc": "Omschrijving", "qty": "Aantal", "price": "Prijs", "amount": "Bedrag",
             "net": "Subtotaal", "tax": "BTW {rate}%", "gross": "Totaal",
             "paid": "Reeds betaald (voorschot)", "amount_due": "Te betalen", "page": "Pagina",
             "continued": "Zie volgende pagina"},
            "{dd}-{mm}-{yyyy}", ".", ",", "{sym} {num}", "€")

LAB_ITEMS = (("Nitrile gloves, size M (box of 100)", D("8.90")),
             ("Pipette tips 200 ul, racked (960)", D("42.50")),
             ("Centrifuge tubes 50 ml (pack of 500)", D("118.00")),
             ("Ethanol 70%, 5 L", D("23.75")), ("Petri dishes 90 mm (pack of 480)", D("96.40")),
             ("Lab coat, cotton, size L", D("31.20")), ("Cryovials 2 ml (pack of 100)", D("27.60")))
LAB_LINES = tuple(Line(f"DN-{4401 + i} {name}", D((i * 7) % 11 + 1), price)
                  for i, (name, price) in enumerate(LAB_ITEMS * 6))

INVOICES = (
    Invoice("en_gb_services", EN_GB, "GBP", "HF-2024-0317", date(2024, 3, 12),
            date(2024, 4, 11),
            Party("Hartwell & Finch Ltd", ("14 Cavendish Row", "Bristol BS1 4QA",
                                           "United Kingdom"), "GB123456789"),
            Party("Northgate Analytics Ltd", ("27 Deansgate", "Manchester M3 2BW",
                                              "United Kingdom"), "GB987654321"),
            (Line("Website redesign - discovery workshop", D("1"), D("1850.00")),
             Line("Front-end development (hours)", D("42.5"), D("75.00")),
             Line("Hosting setup and configuration", D("1"), D("320.00"))),
            D("20"), iban("GB", "BARC20041573849102"),
            note="Payment within 30 days by bank transfer. Please quote the invoice number."),
    Invoice("de_equipment", DE, "EUR", "RE-2024-00815", date(2024, 3, 12), date(2024, 4, 11),
            Party("Müller & Söhne GmbH", ("Industriestraße 42", "70565 Stuttgart",
                                          "Deutschland"), "DE294718365"),
            Party("Bäckerei Weißhaupt KG", ("Lindenallee 7", "80331 München", "Deutschland"),
                  "DE317560284"),
            (Line("Edelstahl-Arbeitstisch 1500 x 700 mm", D("2"), D("689.00")),
             Line("Spiralknetmaschine 40 L", D("1"), D("3249.00")),
             Line("Montage und Inbetriebnahme (Std.)", D("6.5"), D("85.00")),
             Line("Anfahrtspauschale", D("1"), D("95.00"))),
            D("19"), iban("DE", "600501017405551234"),
            note="Zahlbar innerhalb von 30 Tagen ohne Abzug.", layout="table",
            boxed_totals=True),
    Invoice("fr_lighting", FR, "EUR", "F2024-0142", date(2024, 3, 15), date(2024, 4, 14),
            Party("Atelier Lumière SARL", ("18 rue des Tanneurs", "69002 Lyon", "France"),
                  "FR01812345670"),
            Party("Brasserie du Vieux Port SAS", ("5 quai de Rive-Neuve", "13007 Marseille",
                                                  "France"), "FR32123456789"),
            (Line("Suspension laiton sur mesure", D("6"), D("245.00")),
             Line("Applique murale Étoile", D("12"), D("89.50")),
             Line("Pose et raccordement électrique", D("1"), D("1150.00"))),
            D("20"), iban("FR", "30004012340001234567842"),
            note="Paiement par virement à 30 jours. Pénalités de retard : 3 fois le taux légal.",
            boxed_totals=True),
    Invoice("us_software", EN_US, "USD", "INV-10482", date(2024, 3, 12), date(2024, 4, 11),
            Party("Pinecrest Software, Inc.", ("2150 Mission Street, Suite 400",
                                               "San Francisco, CA 94110", "USA")),
            Party("Bayside Logistics LLC", ("800 Terminal Way", "Oakland, CA 94607", "USA")),
            (Line("Annual license - Route Planner Pro (seats)", D("25"), D("480.00")),
             Line("Onboarding and training, remote (hours)", D("8"), D("150.00")),
             Line("Premium support plan, 12 months", D("1"), D("2400.00"))),
            D("8.625"), purchase_order="PO-2024-3391",
            note="Terms: Net 30. Make checks payable to Pinecrest Software, Inc.",
            layout="table"),
    Invoice("ie_two_page", EN_IE, "EUR", "ELS-24-03318", date(2024, 4, 4), date(2024, 5, 4),
            Party("Emerald Lab Supplies Ltd", ("Unit 12 Ballycoolin Business Park",
                                               "Dublin 15 D15 X2KA", "Ireland"), "IE9825613N"),
            Party("Corrib Biotech Ltd", ("Dangan Business Park", "Galway H91 T2K8", "Ireland"),
                  "IE4781236W"),
            LAB_LINES, D("23"), iban("IE", "AIBK93115212345678"),
            note="Deliveries for March 2024. Payment due within 30 days.", boxed_totals=True),
    Invoice("nl_prepaid", NL, "EUR", "2024-047", date(2024, 3, 12), date(2024, 3, 26),
            Party("Van Dijk Vertaalbureau", ("Prinsengracht 263", "1016 GV Amsterdam",
                                             "Nederland"), "NL854502130B01"),
            Party("De Groene Fiets B.V.", ("Oudegracht 118", "3511 AW Utrecht", "Nederland"),
                  "NL819364027B01"),
            (Line("Vertaling technische handleiding NL-EN (woorden)", D("12400"), D("0.09")),),
            D("21"), iban("NL", "INGB0007654321"), prepaid=D("500.00"),
            note="Graag betalen binnen 14 dagen onder vermelding van het factuurnummer.",
            layout="table"),
)
# fmt: on


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write sample invoice PDFs and truth JSON.")
    default = SAMPLES / "invoices"
    parser.add_argument("--out", type=Path, default=default, help=f"default: {default}")
    out: Path = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    for inv in INVOICES:
        pdf = out / f"{inv.name}.pdf"
        render(inv, pdf)
        body = json.dumps(truth(inv), indent=2, ensure_ascii=False) + "\n"
        (out / f"{inv.name}.truth.json").write_text(body, encoding="utf-8")
        missing = missing_after_extraction(inv, pdf)
        pages = len(PdfReader(pdf).pages)
        status = f"NOT EXTRACTED: {missing}" if missing else "every printed value extracted"
        print(f"{pdf.name}: {pages} page(s), {pdf.stat().st_size} bytes, {status}")


if __name__ == "__main__":
    main()
