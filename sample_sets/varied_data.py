"""Random but reproducible invoice content for the varied set: regions, labels, parties, lines.

`build_invoices(count)` returns the same invoices on every run (fixed seed). Features are
spread evenly: each one is drawn from a list repeated to `count` entries and shuffled.

Arithmetic (all in Decimal, rounded half-up to cents):
- line net = quantity x unit price;
- items = sum of line nets; a discount is a percentage of `items`; shipping is a flat charge
  taxed at the standard rate; total_net = items - discount + shipping (EN 16931 BT-109), so
  the truth `lines` hold the item lines only and do not sum to total_net when a discount or a
  shipping charge is printed;
- tax is rounded per rate; total_tax = the sum; gross = net + tax; amount_due = gross - prepaid.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from sample_sets.varied_tables import (
    BANKS,
    BICS,
    CITIES,
    COLUMN_ORDERS,
    COUNTRY,
    EN_TAX,
    EXEMPT_NOTES,
    HEADERS,
    ITEMS,
    LABELS,
    MONTHS,
    NAMES,
    REGIONS,
    STREETS,
    TERMS,
    US_RATES,
    Region,
)

SEED = 20240315
CENT = Decimal("0.01")
D = Decimal
T = TypeVar("T")


@dataclass(frozen=True)
class Party:
    name: str
    address: tuple[str, ...]
    vat_id: str | None = None  # compact form, as normalisation gives it
    vat_printed: str | None = None
    salutation: str = ""  # a line above a person's name ("Herrn"); the truth includes it


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    unit: str
    rate: Decimal
    article: str

    @property
    def net(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Look:
    """How one invoice is printed."""

    group: str
    decimal: str
    date_pattern: str
    money: str
    labels: dict[str, str]
    header: str
    grid: bool
    columns: tuple[str, ...]
    totals_table: bool
    words: bool
    tax_base: bool
    carry: bool
    ttf: bool  # embedded DejaVu Sans subset, else the standard Helvetica (WinAnsi)


@dataclass(frozen=True)
class VariedInvoice:
    name: str
    region: Region
    look: Look
    number: str
    issued: date
    due: date | None
    delivered: date | None
    customer_no: str | None
    purchase_order: str | None
    seller: Party
    buyer: Party
    lines: tuple[Line, ...]
    rates: tuple[Decimal, ...]  # VAT rates that appear, standard first; (0,) when exempt
    discount_pct: Decimal | None
    shipping: Decimal | None
    prepaid: Decimal
    iban: str | None
    bic: str | None
    notes: tuple[str, ...]
    show_due_amount: bool
    extras: dict[str, str] = field(default_factory=dict)

    @property
    def items(self) -> Decimal:
        return sum((line.net for line in self.lines), D("0.00"))

    @property
    def discount(self) -> Decimal:
        if self.discount_pct is None:
            return D("0.00")
        return (self.items * self.discount_pct / 100).quantize(CENT, ROUND_HALF_UP)

    @property
    def net(self) -> Decimal:
        return self.items - self.discount + (self.shipping or D("0.00"))

    def base(self, rate: Decimal) -> Decimal:
        """Net amount taxed at `rate`: its lines, plus shipping and less discount at standard."""
        if len(self.rates) == 1:
            return self.net
        own = sum((line.net for line in self.lines if line.rate == rate), D("0.00"))
        return own + (self.shipping or D("0.00") if rate == self.rates[0] else D("0.00"))

    def tax_at(self, rate: Decimal) -> Decimal:
        return (self.base(rate) * rate / 100).quantize(CENT, ROUND_HALF_UP)

    @property
    def tax(self) -> Decimal:
        return sum((self.tax_at(rate) for rate in self.rates), D("0.00"))

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax

    @property
    def amount_due(self) -> Decimal:
        return self.gross - self.prepaid

    # formatting in the invoice's own notation
    def num(self, value: Decimal) -> str:
        raw = f"{value:,f}"
        group, decimal = self.look.group, self.look.decimal
        return raw.replace(",", "\0").replace(".", decimal).replace("\0", group)

    def money(self, value: Decimal) -> str:
        sign = "-" if value < 0 else ""
        return sign + self.look.money.format(num=self.num(abs(value)))

    def date(self, day: date) -> str:
        month = MONTHS[self.region.lang].split()[day.month - 1]
        return self.look.date_pattern.format(
            d=day.day,
            d1="1er" if day.day == 1 else day.day,
            dd=f"{day.day:02d}",
            m=day.month,
            mm=f"{day.month:02d}",
            month=month,
            mon=month[:3],
            yyyy=day.year,
            yy=f"{day.year % 100:02d}",
        )


def balanced(rng: random.Random, values: Sequence[T], count: int) -> list[T]:
    """`values` repeated to `count` entries and shuffled: each value about equally often."""
    spread = [values[i % len(values)] for i in range(count)]
    rng.shuffle(spread)
    return spread


# identifiers with real check digits
def mod97(code: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in code[4:] + code[:4])) % 97


def make_iban(country: str, bban: str) -> str:
    result = f"{country}{98 - mod97(country + '00' + bban):02d}{bban}"
    assert mod97(result) == 1
    return result


def digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def iban_for(rng: random.Random, region: str) -> str:
    bank = rng.choice(BANKS[region])
    if region == "DE":
        return make_iban("DE", bank + digits(rng, 10))
    if region == "CH":
        return make_iban("CH", bank + digits(rng, 12))
    if region == "GB":
        return make_iban("GB", bank + digits(rng, 6) + digits(rng, 8))
    branch, account = digits(rng, 5), digits(rng, 11)
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    return make_iban("FR", f"{bank}{branch}{account}{key:02d}")


def vat_for(rng: random.Random, region: str) -> tuple[str, str]:
    """A VAT id with valid check digits: (compact, as printed)."""
    if region == "DE":
        body, product = digits(rng, 8), 10
        for ch in body:
            total = (int(ch) + product) % 10 or 10
            product = 2 * total % 11
        vat = f"DE{body}{(11 - product) % 10}"
        return vat, rng.choice((vat, f"DE {vat[2:5]} {vat[5:8]} {vat[8:]}"))
    if region == "FR":
        base = digits(rng, 8)
        total = sum(sum(divmod(int(c) * (2 if i % 2 else 1), 10)) for i, c in enumerate(base))
        siren = base + str(-total % 10)
        vat = f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
        return vat, rng.choice((vat, f"FR {vat[2:4]} {siren}"))
    if region == "GB":
        body = digits(rng, 7)
        check = -sum(w * int(c) for w, c in zip(range(8, 1, -1), body, strict=True)) % 97
        vat = f"GB{body}{check:02d}"
        return vat, rng.choice((vat, f"GB {vat[2:5]} {vat[5:9]} {vat[9:]}"))
    while True:  # CH: UID with mod-11 check digit
        body = digits(rng, 8)
        check = (
            11 - sum(w * int(c) for w, c in zip((5, 4, 3, 2, 7, 6, 5, 4), body, strict=True)) % 11
        )
        if check != 10:
            vat = f"CHE{body}{check % 11}"
            return vat, f"CHE-{vat[3:6]}.{vat[6:9]}.{vat[9:]} MWST"


def party(rng: random.Random, region: str, used: set[str], *, vat: bool) -> Party:
    name, person = rng.choice([n for n in NAMES[region] if n[0] not in used])
    used.add(name)
    address = [rng.choice(STREETS[region]), rng.choice(CITIES[region])]
    if rng.random() < 0.4:
        address.append(COUNTRY[region])
    salutation = ""
    if person and region in ("DE", "CH") and rng.random() < 0.6:
        salutation = "Herrn" if name.startswith(("Jürgen", "Lukas")) else "Frau"
    vat_id, printed = (
        vat_for(rng, region) if vat and not person and region != "US" else (None, None)
    )
    return Party(name, tuple(address), vat_id, printed, salutation)


def invoice_number(rng: random.Random, region: str, day: date) -> str:
    n = rng.randint(12, 9999)
    options = {
        "GB": (f"INV-{day.year}-{n:04d}", f"{n:05d}", f"HF/{day.year % 100}/{n:03d}"),
        "US": (f"INV-{n + 10000}", f"{n:06d}", f"{day.year}-{n:04d}"),
        "DE": (f"RE-{day.year}-{n:05d}", f"R{day.year % 100}{n:05d}", f"{day.year}{n:04d}"),
        "CH": (f"RG-{day.year}-{n:04d}", f"{n + 20000}"),
        "FR": (
            f"F{day.year}-{n:04d}",
            f"FAC-{day.year % 100}{day.month:02d}-{n:03d}",
            f"{day.year}/{n:04d}",
        ),
    }
    return rng.choice(options[region])


def make_lines(
    rng: random.Random, region: Region, count: int, *, two_rates: bool, exempt: bool
) -> tuple[Line, ...]:
    pool = ITEMS[region.lang]
    lines = []
    for i in range(count):
        desc, unit, low, high, reduced, fractional = pool[rng.randrange(len(pool))]
        if two_rates and i < 2:  # make sure both rates occur
            desc, unit, low, high, reduced, fractional = rng.choice(
                [item for item in pool if item[4] == (i == 1)]
            )
        price = (D(rng.randint(low * 100, high * 100)) / 100).quantize(CENT)
        quantity = D(rng.randint(1, 3 if high > 500 else 16 if fractional else 12))
        if fractional and rng.random() < 0.6:
            quantity += rng.choice((D("0.5"), D("0.25"), D("0.75")))
        if exempt:
            rate = D("0")
        elif two_rates and reduced:
            rate = region.reduced_rate
        else:
            rate = region.standard_rate
        lines.append(Line(desc, quantity, price, unit, rate, f"{rng.randint(1000, 99999)}"))
    return tuple(lines)


def pick_labels(rng: random.Random, region: Region) -> dict[str, str]:
    labels = {key: rng.choice(values) for key, values in LABELS[region.lang].items()}
    if region.lang == "en":
        labels["tax"] = rng.choice(EN_TAX[region.code])
    return labels


def build_invoices(count: int = 30, seed: int = SEED) -> list[VariedInvoice]:
    rng = random.Random(seed)
    regions = [("GB", "US", "DE", "FR")[i % 4] for i in range(count)]
    regions = ["CH" if r == "DE" and (i // 4) % 3 == 2 else r for i, r in enumerate(regions)]
    headers = balanced(rng, HEADERS, count)
    grids = balanced(rng, (True, False), count)
    orders = balanced(rng, COLUMN_ORDERS, count)
    totals_tables = balanced(rng, (True, False), count)
    words = balanced(rng, (True, False, False), count)
    long_ones = balanced(rng, (True, False, False, False, False, False), count)
    vat_modes = balanced(rng, ("standard", "standard", "two_rates", "exempt"), count)
    extras = balanced(rng, ("discount", "shipping", "both", "none", "none", "none"), count)
    prepaids = balanced(rng, (True, False, False, False, False, False, False, False), count)
    has_po = balanced(rng, (True, False), count)
    has_due = balanced(rng, (True, True, False), count)
    ttfs = balanced(rng, (True, False, False), count)
    invoices = []
    for i in range(count):
        code = regions[i]
        region = REGIONS[code]
        mode = vat_modes[i]
        if code == "US" and mode == "two_rates":
            mode = "standard"
        group, decimal = rng.choice(region.numbers)
        issued = date(2023, 1, 1) + timedelta(days=rng.randint(0, 900))
        used: set[str] = set()
        seller = party(rng, code, used, vat=mode != "exempt" or rng.random() < 0.5)
        buyer_region = code
        if mode == "exempt" and code in ("DE", "FR", "GB") and rng.random() < 0.5:
            buyer_region = "FR" if code == "DE" else "DE"  # reverse charge across a border
        buyer = party(rng, buyer_region, used, vat=buyer_region != code or rng.random() < 0.5)
        exempt = mode == "exempt"
        n_lines = rng.randint(34, 44) if long_ones[i] else rng.randint(1, 8)
        lines = make_lines(
            rng,
            region,
            max(n_lines, 2 if mode == "two_rates" else 1),
            two_rates=mode == "two_rates",
            exempt=exempt,
        )
        if exempt:
            rates: tuple[Decimal, ...] = (D("0"),)
        elif mode == "two_rates":
            rates = (region.standard_rate, region.reduced_rate)
        else:
            rates = (rng.choice(US_RATES) if code == "US" else region.standard_rate,)
            lines = tuple(
                Line(ln.description, ln.quantity, ln.unit_price, ln.unit, rates[0], ln.article)
                for ln in lines
            )
        discount = D(rng.choice((2, 3, 5, 10))) if extras[i] in ("discount", "both") else None
        shipping = (
            (D(rng.randint(490, 4990)) / 100).quantize(CENT)
            if extras[i] in ("shipping", "both")
            else None
        )
        columns = orders[i]
        if mode == "two_rates":
            columns = (*columns[:-1], "rate", columns[-1])
        look = Look(
            group,
            decimal,
            rng.choice(region.dates),
            rng.choice(region.moneys),
            pick_labels(rng, region),
            headers[i],
            grids[i],
            columns,
            totals_tables[i],
            words[i],
            rng.random() < 0.5,
            long_ones[i] and rng.random() < 0.7,
            ttfs[i] or group == "\u202f",
        )
        notes = []
        if exempt:  # across a border: reverse charge, the last note of each region
            notes.append(
                EXEMPT_NOTES[code][-1] if buyer_region != code else rng.choice(EXEMPT_NOTES[code])
            )
        notes.append(rng.choice(TERMS[code]).format(seller=seller.name))
        iban = None if code == "US" or rng.random() < 0.15 else iban_for(rng, code)
        inv = VariedInvoice(
            name=f"{i + 1:02d}_{code.lower()}_{headers[i]}",
            region=region,
            look=look,
            number=invoice_number(rng, code, issued),
            issued=issued,
            due=issued + timedelta(days=rng.choice((14, 30, 45))) if has_due[i] else None,
            delivered=issued - timedelta(days=rng.randint(1, 9)) if rng.random() < 0.35 else None,
            customer_no=str(rng.randint(10000, 99999)) if rng.random() < 0.4 else None,
            purchase_order=rng.choice(
                (
                    f"PO-{issued.year}-{rng.randint(100, 9999)}",
                    f"45{digits(rng, 8)}",
                    f"BC-{rng.randint(100, 999)}",
                )
            )
            if has_po[i]
            else None,
            seller=seller,
            buyer=buyer,
            lines=lines,
            rates=rates,
            discount_pct=discount if mode != "two_rates" else None,
            shipping=shipping,
            prepaid=D("0.00"),
            iban=iban,
            bic=BICS[code] if iban else None,
            notes=tuple(notes),
            show_due_amount=rng.random() < 0.3,
        )
        if prepaids[i]:  # a round share of the gross, printed as paid
            prepaid = (inv.gross * D(rng.choice((20, 30, 50))) / 100).quantize(D("1"))
            inv = replace(inv, prepaid=prepaid + D("0.00"))
        invoices.append(inv)
    return invoices
