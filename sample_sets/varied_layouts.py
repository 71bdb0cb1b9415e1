"""Draw a `VariedInvoice` with reportlab: five header styles, gridded or plain item tables in
several column orders, totals as right-aligned pairs or as a boxed table, amounts in words.

Header styles: `single` (everything in one column), `two_col` / `two_col_rev` (seller and
buyer side by side, drawn row by row as many generators do), `din` (German DIN 5008 letter:
sender line above the address window, info block on the right, bank details in a footer),
`meta_table` (invoice number, dates... as a boxed table: labels in one row, values below).
"""

from pathlib import Path

import reportlab.rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from sample_sets.varied_data import Line, Party, VariedInvoice
from sample_sets.varied_words import words

reportlab.rl_config.invariant = 1
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
LEFT, RIGHT, TOP = 50.0, 545.0, 795.0
ROW = 15.0
WIDTHS = {"pos": 28, "art": 48, "qty": 48, "unit": 44, "price": 72, "rate": 42, "amount": 78}
NUMERIC = {"pos", "qty", "price", "rate", "amount"}
INTRO = {
    "en": "Thank you for your order. We invoice you as follows:",
    "de": "Sehr geehrte Damen und Herren, wir berechnen Ihnen folgende Leistungen:",
    "fr": "Nous vous remercions de votre confiance et vous facturons :",
}
SELLER_HEAD = {"en": "From", "de": "Von", "fr": "Émetteur"}


def register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def colon(label: str, lang: str) -> str:
    if label.endswith((":", "#", "°")):
        return label
    return f"{label} :" if lang == "fr" else f"{label}:"


class Sheet:
    """A canvas, the invoice, and a vertical cursor `y`."""

    def __init__(self, path: Path, inv: VariedInvoice) -> None:
        register_fonts()
        self.canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
        self.inv, self.labels, self.lang = inv, inv.look.labels, inv.region.lang
        self.canvas.setTitle(f"{self.labels['title']} {inv.number}")
        self.page, self.y = 1, TOP
        self.bottom = 135.0 if inv.look.header == "din" else 90.0
        self.regular, self.bold = (FONT, BOLD) if inv.look.ttf else ("Helvetica", "Helvetica-Bold")

    def text(
        self,
        x: float,
        value: str,
        size: float = 9,
        *,
        bold: bool = False,
        right: bool = False,
        width: float = 0,
    ) -> None:
        """Draw at the cursor; with a `width`, shrink the font until the text fits."""
        font = self.bold if bold else self.regular
        while width and size > 5.5 and pdfmetrics.stringWidth(value, font, size) > width:
            size -= 0.5
        self.canvas.setFont(font, size)
        (self.canvas.drawRightString if right else self.canvas.drawString)(x, self.y, value)

    def wrapped(self, value: str, size: float = 8.5, width: float = RIGHT - LEFT) -> None:
        for part in simpleSplit(value, self.regular, size, width):
            self.text(LEFT, part, size)
            self.y -= size + 3

    def end_page(self) -> None:
        self.canvas.setFont(self.regular, 7.5)
        self.canvas.drawCentredString(A4[0] / 2, 22, self.labels["page"].format(n=self.page))
        if self.inv.look.header == "din":
            din_footer(self)
        self.canvas.showPage()
        self.page += 1

    def new_page(self) -> None:
        self.end_page()
        self.y = TOP
        self.text(LEFT, self.inv.seller.name, 9, bold=True)
        self.text(RIGHT, f"{self.labels['title']} {self.inv.number}", 9, right=True)
        self.y -= 35


# parties and invoice data
def vat_line(sheet: Sheet, party: Party) -> list[str]:
    return [f"{sheet.labels['vat']} {party.vat_printed}"] if party.vat_printed else []


def party_rows(sheet: Sheet, party: Party) -> list[str]:
    head = [party.salutation] if party.salutation else []
    return [*head, party.name, *party.address, *vat_line(sheet, party)]


def meta_rows(inv: VariedInvoice) -> list[tuple[str, str]]:
    labels = inv.look.labels
    rows = [(labels["number"], inv.number), (labels["date"], inv.date(inv.issued))]
    optional = (
        ("delivery", inv.delivered and inv.date(inv.delivered)),
        ("due", inv.due and inv.date(inv.due)),
        ("customer", inv.customer_no),
        ("po", inv.purchase_order),
    )
    rows += [(labels[key], value) for key, value in optional if value]
    return rows


def draw_block(sheet: Sheet, x: float, rows: list[str], bold_row: int, size: float = 9) -> None:
    for i, row in enumerate(rows):
        sheet.text(x, row, size + (1 if i == bold_row else 0), bold=i == bold_row)
        sheet.y -= size + 4


# header styles; each leaves sheet.y where the item table starts
def head_single(sheet: Sheet) -> None:
    inv = sheet.inv
    sheet.text(LEFT, inv.seller.name, 15, bold=True)
    sheet.y -= 16
    draw_block(sheet, LEFT, [*inv.seller.address, *vat_line(sheet, inv.seller)], -1)
    sheet.y -= 16
    sheet.text(LEFT, inv.look.labels["title"], 18, bold=True)
    sheet.y -= 22
    for label, value in meta_rows(inv):
        sheet.text(LEFT, f"{colon(label, sheet.lang)} {value}")
        sheet.y -= 13
    sheet.y -= 10
    sheet.text(LEFT, sheet.labels["buyer"], 8, bold=True)
    sheet.y -= 13
    rows = party_rows(sheet, inv.buyer)
    draw_block(sheet, LEFT, rows, rows.index(inv.buyer.name))
    sheet.y -= 20


def head_two_col(sheet: Sheet) -> None:
    """Seller and buyer side by side, drawn row by row (left cell, then right cell)."""
    inv, x_right = sheet.inv, 320.0
    sheet.text(LEFT, inv.look.labels["title"], 22, bold=True)
    sheet.y -= 40
    seller = [SELLER_HEAD[sheet.lang], inv.seller.name, *inv.seller.address]
    seller += vat_line(sheet, inv.seller)
    buyer = [sheet.labels["buyer"], *party_rows(sheet, inv.buyer)]
    left, right = (seller, buyer) if inv.look.header == "two_col" else (buyer, seller)
    for i in range(max(len(left), len(right))):
        for x, rows in ((LEFT, left), (x_right, right)):
            if i < len(rows):
                heading = i == 0
                name = rows[i] in (inv.seller.name, inv.buyer.name)
                sheet.text(x, rows[i], 8 if heading else 10 if name else 9, bold=heading or name)
        sheet.y -= 13
    sheet.y -= 14
    meta = meta_rows(inv)
    half = (len(meta) + 1) // 2
    for i in range(half):
        for x, index in ((LEFT, i), (x_right, i + half)):
            if index < len(meta):
                sheet.text(x, meta[index][0], bold=True, width=110)
                sheet.text(x + 115, meta[index][1], width=110)
        sheet.y -= 13
    sheet.y -= 22


def head_din(sheet: Sheet) -> None:
    inv = sheet.inv
    sheet.text(RIGHT, inv.seller.name, 16, bold=True, right=True)
    sheet.y -= 14
    sheet.text(RIGHT, " · ".join(inv.seller.address[:2]), 8, right=True)
    sheet.y = 722
    sender = " · ".join([inv.seller.name, *inv.seller.address[:2]])
    sheet.text(LEFT, sender, 6.5)
    sheet.canvas.line(LEFT, sheet.y - 2, LEFT + 230, sheet.y - 2)
    sheet.y -= 18
    rows = party_rows(sheet, inv.buyer)
    draw_block(sheet, LEFT, rows, -1, 10)
    sheet.y = 712
    for label, value in meta_rows(inv):
        sheet.text(360, label, 8.5, width=92)
        sheet.text(RIGHT, value, 8.5, right=True, width=85)
        sheet.y -= 13
    sheet.y = min(sheet.y, 620.0) - 20
    sheet.text(LEFT, f"{inv.look.labels['title']} {inv.number}", 14, bold=True)
    sheet.y -= 22
    sheet.text(LEFT, INTRO[sheet.lang])
    sheet.y -= 22


def din_footer(sheet: Sheet) -> None:
    """Three small columns at the page foot, each drawn top to bottom."""
    inv, y = sheet.inv, sheet.y
    bank = [f"IBAN {grouped(inv.iban)}", f"BIC {inv.bic}"] if inv.iban else []
    columns = (
        [inv.seller.name, *inv.seller.address],
        bank,
        [*vat_line(sheet, inv.seller), f"{sheet.labels['number']} {inv.number}"],
    )
    sheet.canvas.line(LEFT, 88, RIGHT, 88)
    for x, rows in zip((LEFT, 215.0, 380.0), columns, strict=True):
        sheet.y = 78
        for row in rows:
            sheet.text(x, row, 7)
            sheet.y -= 9
    sheet.y = y


def head_meta_table(sheet: Sheet) -> None:
    inv = sheet.inv
    sheet.text(RIGHT, inv.look.labels["title"], 20, bold=True, right=True)
    rows = [inv.seller.name, *inv.seller.address, *vat_line(sheet, inv.seller)]
    draw_block(sheet, LEFT, rows, 0, 9)
    sheet.y = min(sheet.y, 700.0) - 14
    sheet.text(LEFT, sheet.labels["buyer"], 8, bold=True)
    sheet.y -= 13
    rows = party_rows(sheet, inv.buyer)
    draw_block(sheet, LEFT, rows, rows.index(inv.buyer.name))
    sheet.y -= 18
    meta = meta_rows(inv)
    width = (RIGHT - LEFT) / len(meta)
    sheet.canvas.rect(LEFT, sheet.y - 20, RIGHT - LEFT, 34)
    for i, (label, _) in enumerate(meta):
        sheet.canvas.line(LEFT + i * width, sheet.y - 20, LEFT + i * width, sheet.y + 14)
        sheet.text(LEFT + i * width + 4, label, 7.5, bold=True, width=width - 8)
    sheet.y -= 14
    for i, (_, value) in enumerate(meta):
        sheet.text(LEFT + i * width + 4, value, 9, width=width - 8)
    sheet.y -= 36


HEADS = {
    "single": head_single,
    "two_col": head_two_col,
    "two_col_rev": head_two_col,
    "din": head_din,
    "meta_table": head_meta_table,
}


# item table
def column_xs(columns: tuple[str, ...]) -> list[tuple[str, float, float]]:
    """(key, left, right) per column; the description takes the remaining width."""
    widths = [float(WIDTHS.get(key, 0)) for key in columns]
    desc = RIGHT - LEFT - sum(widths)
    result, x = [], LEFT
    for key, width in zip(columns, widths, strict=True):
        width = width or desc
        result.append((key, x, x + width))
        x += width
    return result


def cell(inv: VariedInvoice, key: str, index: int, line: Line) -> str:
    values = {
        "pos": str(index + 1),
        "art": line.article,
        "desc": line.description,
        "qty": inv.num(line.quantity),
        "unit": line.unit,
        "price": inv.num(line.unit_price),
        "rate": f"{inv.num(line.rate)} %",
        "amount": inv.num(line.net),
    }
    return values[key]


def table_row(sheet: Sheet, cells: dict[str, str], *, bold: bool = False) -> None:
    grid, size = sheet.inv.look.grid, 8.5
    for key, left, right in column_xs(sheet.inv.look.columns):
        value, width = cells.get(key, ""), right - left - 6
        if key in NUMERIC:
            sheet.text(right - 3, value, size, bold=bold, right=True, width=width)
        else:
            sheet.text(left + 3, value, size, bold=bold, width=width)
        if grid:
            sheet.canvas.rect(left, sheet.y - 4, right - left, ROW)
    if not grid and bold:
        sheet.canvas.line(LEFT, sheet.y - 4, RIGHT, sheet.y - 4)
    sheet.y -= ROW


def table_head(sheet: Sheet) -> None:
    table_row(sheet, {key: sheet.labels[key] for key in sheet.inv.look.columns}, bold=True)


def draw_table(sheet: Sheet) -> None:
    inv = sheet.inv
    table_head(sheet)
    running = inv.items * 0
    for index, line in enumerate(inv.lines):
        if sheet.y < sheet.bottom + ROW:
            if inv.look.carry:
                table_row(sheet, {"desc": sheet.labels["carried"], "amount": inv.num(running)})
            sheet.new_page()
            table_head(sheet)
            if inv.look.carry:
                table_row(sheet, {"desc": sheet.labels["brought"], "amount": inv.num(running)})
        table_row(sheet, {key: cell(inv, key, index, line) for key in inv.look.columns})
        running += line.net
    sheet.y -= 10


# totals and what follows them
def total_rows(inv: VariedInvoice) -> list[tuple[str, str, bool]]:
    labels = inv.look.labels
    rows = []
    if inv.discount_pct is not None or inv.shipping is not None:
        rows.append((labels["items"], inv.money(inv.items), False))
    if inv.discount_pct is not None:
        label = labels["discount"].format(pct=inv.num(inv.discount_pct))
        rows.append((label, inv.money(-inv.discount), False))
    if inv.shipping is not None:
        rows.append((labels["shipping"], inv.money(inv.shipping), False))
    rows.append((labels["net"], inv.money(inv.net), False))
    for rate in inv.rates:
        label = labels["tax"].format(rate=inv.num(rate))
        if inv.look.tax_base and len(inv.rates) > 1:
            label += labels["on"].format(base=inv.num(inv.base(rate)))
        rows.append((label, inv.money(inv.tax_at(rate)), False))
    rows.append((labels["gross"], inv.money(inv.gross), True))
    if inv.prepaid:
        rows.append((labels["paid"], inv.money(-inv.prepaid), False))
    if inv.prepaid or inv.show_due_amount:
        rows.append((labels["due_amount"], inv.money(inv.amount_due), True))
    return rows


def draw_totals(sheet: Sheet) -> None:
    inv, rows = sheet.inv, total_rows(sheet.inv)
    if sheet.y - ROW * len(rows) - 110 < sheet.bottom:
        sheet.new_page()
    if inv.look.totals_table:
        for label, value, bold in rows:
            sheet.canvas.rect(300, sheet.y - 4, 150, ROW)
            sheet.canvas.rect(450, sheet.y - 4, RIGHT - 450, ROW)
            sheet.text(304, label, 8.5, bold=bold, width=142)
            sheet.text(RIGHT - 4, value, 8.5, bold=bold, right=True)
            sheet.y -= ROW
    else:
        for label, value, bold in rows:
            if bold:
                sheet.canvas.line(330, sheet.y + 11, RIGHT, sheet.y + 11)
            sheet.text(330, label, 9, bold=bold)
            sheet.text(RIGHT, value, 9, bold=bold, right=True)
            sheet.y -= 14
    sheet.y -= 16


def grouped(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def draw_after(sheet: Sheet) -> None:
    inv = sheet.inv
    if inv.look.words:
        said = words(inv.gross, inv.region.lang, inv.region.currency)
        if inv.region.code == "US":
            said = words(inv.gross, "en", "USD", british=False)
        sheet.wrapped(inv.look.labels["words"].format(words=said))
        sheet.y -= 4
    for note in inv.notes:
        sheet.wrapped(note)
    if inv.iban and inv.look.header != "din":
        sheet.y -= 6
        sheet.text(LEFT, f"{colon('IBAN', sheet.lang)} {grouped(inv.iban)}   BIC: {inv.bic}")
    if inv.region.code == "US":
        sheet.y -= 6
        sheet.text(LEFT, "Remit by ACH: routing 121000248, account 4417 2290 3318")


def render(inv: VariedInvoice, path: Path) -> None:
    sheet = Sheet(path, inv)
    HEADS[inv.look.header](sheet)
    draw_table(sheet)
    draw_totals(sheet)
    draw_after(sheet)
    sheet.end_page()
    sheet.canvas.save()
