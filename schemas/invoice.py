"""Invoice fields, aligned with EN 16931 (the BT/BG codes are in each field's metadata).

Field names are a contract: SQL views, exports and other tools depend on them.
Every field is optional: absent in the document means null, never invented.
"""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from schemas.kinds import DataClass, DocumentKind, FieldKind, spec

SCHEMA_NAME = "invoice"
SCHEMA_VERSION = 1


class Party(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        None, **spec(FieldKind.TEXT, "BT-27/BT-44", "company or person name", DataClass.NAME)
    )
    vat_id: str | None = Field(
        None,
        **spec(
            FieldKind.VAT_ID,
            "BT-31/BT-48",
            "VAT number: VAT No, USt-IdNr, TVA, BTW",
            DataClass.IDENTIFIER,
        ),
    )
    address: str | None = Field(
        None, **spec(FieldKind.TEXT, "BG-5/BG-8", "street, postcode and city", DataClass.CONTACT)
    )


class InvoiceLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(
        None, **spec(FieldKind.TEXT, "BT-153", "item name", DataClass.FINANCIAL)
    )
    quantity: Decimal | None = Field(
        None, **spec(FieldKind.QUANTITY, "BT-129", "quantity", DataClass.FINANCIAL)
    )
    unit_price: Decimal | None = Field(
        None, **spec(FieldKind.AMOUNT, "BT-146", "unit net price", DataClass.FINANCIAL)
    )
    net_amount: Decimal | None = Field(
        None, **spec(FieldKind.AMOUNT, "BT-131", "line net amount", DataClass.FINANCIAL)
    )


class Invoice(BaseModel):
    """An invoice or credit note: seller, buyer, dates, VAT and totals."""

    model_config = ConfigDict(extra="forbid")

    invoice_number: str | None = Field(
        None,
        **spec(
            FieldKind.TEXT,
            "BT-1",
            "Invoice No, Rechnungsnummer, N° de facture, Factuurnummer",
            DataClass.IDENTIFIER,
        ),
    )
    issue_date: date | None = Field(
        None,
        **spec(
            FieldKind.DATE,
            "BT-2",
            "Invoice date, Rechnungsdatum, Date, Factuurdatum",
            DataClass.DATE,
        ),
    )
    due_date: date | None = Field(
        None,
        **spec(
            FieldKind.DATE, "BT-9", "Due date, Fällig am, Échéance, Vervaldatum", DataClass.DATE
        ),
    )
    currency: str | None = Field(
        None,
        pattern=r"^[A-Z]{3}$",
        **spec(FieldKind.CURRENCY, "BT-5", "currency symbol or code", DataClass.FINANCIAL),
    )
    purchase_order: str | None = Field(
        None,
        **spec(
            FieldKind.TEXT,
            "BT-13",
            "PO number, Bestellnummer, Bon de commande",
            DataClass.IDENTIFIER,
        ),
    )
    seller: Party = Field(default_factory=Party, description="BG-4 seller: who issued the invoice")
    buyer: Party = Field(
        default_factory=Party, description="BG-7 buyer: Bill to, Rechnungsempfänger, Client"
    )
    iban: str | None = Field(None, **spec(FieldKind.IBAN, "BT-84", "IBAN", DataClass.FINANCIAL))
    total_net: Decimal | None = Field(
        None,
        **spec(
            FieldKind.AMOUNT,
            "BT-109",
            "Subtotal, Nettobetrag, Total HT, net total",
            DataClass.FINANCIAL,
        ),
    )
    total_tax: Decimal | None = Field(
        None,
        **spec(FieldKind.AMOUNT, "BT-110", "VAT, MwSt, TVA, BTW, Tax amount", DataClass.FINANCIAL),
    )
    total_gross: Decimal | None = Field(
        None,
        **spec(
            FieldKind.AMOUNT,
            "BT-112",
            "Total, Gesamtbetrag, Total TTC, total with VAT",
            DataClass.FINANCIAL,
        ),
    )
    amount_due: Decimal | None = Field(
        None,
        **spec(
            FieldKind.AMOUNT,
            "BT-115",
            "Amount due, Balance due, Zahlbetrag, Net à payer, Te betalen",
            DataClass.FINANCIAL,
        ),
    )
    lines: list[InvoiceLine] = Field(default_factory=list, description="BG-25 invoice lines")


# The fields every invoice has; accuracy targets and the evaluation harness are about these.
CORE_FIELDS = (
    "invoice_number",
    "issue_date",
    "currency",
    "seller.name",
    "buyer.name",
    "total_net",
    "total_tax",
    "total_gross",
)

# A total named by what it says of the tax: "Total without VAT", "Summe ohne MwSt.",
# "Montant hors taxes", "Subtotaal excl. BTW" are net; "Total with VAT", "inkl. MwSt.", "toutes
# taxes comprises", "incl. BTW" are gross. Composed from the two word lists, in every language
# the product reads, rather than listed phrase by phrase; each ends on the tax word, so it
# outruns the bare "VAT" label that ends at the same place.
TAX_WORDS = r"(?:vat|gst|sst|tax(?:es|e)?|mwst|ust|umsatzsteuer|tva|btw|iva)\b\.?"
WITHOUT_TAX = (
    r"(?:without|excl\.?|excluding|exclusive\s+of|before|ex\.|ohne|exkl\.?|hors|sans|zonder|"
    r"exclusief)"
)
WITH_TAX = (
    r"(?:with|incl\.?|including|includes|inclusive(?:\s+of)?|after|inkl\.?|mit|avec|met|"
    r"inclusief)"
)
NET_BY_TAX = rf"\b{WITHOUT_TAX}\s*{TAX_WORDS}"
GROSS_BY_TAX = rf"\b{WITH_TAX}\s*{TAX_WORDS}"

# Labels printed before a value, as case-insensitive regular expressions, in the languages
# the product supports (de, en, fr, nl). A value belongs to the nearest label before it on
# its line; "_other" labels name values that look alike but are something else (a delivery
# date, an order number), so they claim those values instead of a field.
LABELS: dict[str, tuple[str, ...]] = {
    "invoice_number": (
        r"rechnungs?[- ]?(?:nummer|nr\.?)",
        r"\w*rechnung(?:skorrektur)?(?: des versicherers)?\s+(?:nr\.?|nummer|#)",
        r"gutschrift(?:\s*\([^)]*\))?\s+(?:nr\.?|nummer)",
        r"beleg(?:nummer|-?nr\.?)",
        r"invoice\s*(?:no\.?|number|num\.?|#|nr\.?)",
        r"\binv\.?\s*(?:no\.?|#)",
        r"^\s*(?:tax\s+)?invoice",
        r"credit\s+note\s*(?:no\.?|number|#)?",
        r"(?:n°|no\.?|numéro|référence)\s*(?:de\s*)?facture",
        r"^\s*facture\s*(?:n°|no\.?|numéro)?",
        r"^\s*avoir\s*(?:n°|no\.?)?",
        r"factuur\s*(?:nummer|nr\.?)",
        r"^\s*ref\.?\s*no\.?",
    ),
    "issue_date": (
        r"rechnungsdatum",
        r"belegdatum",
        r"ausstellungsdatum",
        r"^\s*datum",
        r"\b(?:nr\.?|nummer)\s*\S+\s+vom",
        r"^\s*vom",
        r"invoice\s+date",
        r"date\s+of\s+issue",
        r"issue\s+date",
        r"issued\s*(?:at|on)?",
        r"^\s*date",
        r"date\s+(?:de\s+)?(?:la\s+)?facture",
        r"date\s+d'émission",
        r"factuurdatum",
    ),
    "due_date": (
        r"fällig(?:keit|keitsdatum)?(?:\s+am)?",
        r"zahlbar\s+bis",
        r"netto\s+bis",
        r"due\s+date",
        r"(?:payment\s+)?\bdue(?:\s+(?:on|by))?\b",
        r"zahlungsziel",
        r"payable\s+(?:by|until)",
        r"remit\s+until",
        r"date\s+d'échéance",
        r"échéance",
        r"vervaldatum",
    ),
    "purchase_order": (
        r"bestell(?:nummer|-?nr\.?)",
        r"bestellung\s+(?:nr\.?|nummer)",
        r"(?:ihre\s+)?bestellung",
        r"(?:your\s+)?order\s+ref(?:erence)?\.?",
        r"(?:réf\.?|référence)\s+(?:de\s+)?commande",
        r"votre\s+commande",
        r"(?:your\s+)?order\s*(?:no\.?|number|#)?",
        r"purchase\s+order\s*(?:no\.?|number|#)?",
        r"\bpo\s*(?:no\.?|number|#)?",
        r"\bp\.\s?o\.\s*(?:no\.?|number|#)?",
        r"bon\s+de\s+commande\s*(?:n°)?",
        r"votre\s+référence",
        r"commande\s*(?:n°)?",
    ),
    "currency": (r"währung", r"currency", r"devise", r"valuta"),
    "seller.vat_id": (
        r"ust\.?\s*-?\s*id\.?\s*-?\s*(?:nr\.?)?",
        r"umsatzsteuer-?\s*id\w*",
        r"vat\s*(?:reg(?:istration)?\.?\s*)?(?:no\.?|number|id)",
        r"vat-id",
        r"n°\s*(?:de\s+)?tva(?:\s+intracommunautaire)?",
        r"tva\s+intracom\w*",
        r"numéro\s+de\s+tva",
        r"btw(?:-nummer|\s*nr\.?)",
        r"^\s*tva\s*:",
    ),
    "buyer.vat_id": (
        r"(?:n°\s*)?tva\s+client",
        r"customer\s+vat\s*(?:number|no\.?|id)?",
        r"kunden-?\s*ust-?\s*id\w*",
        r"ihre\s+ust-?\s*id\w*",
        r"your\s+vat\s*(?:no\.?|number|id)?",
    ),
    "iban": (r"iban",),
    "total_net": (
        r"netto(?:betrag|summe)?",
        r"summe\s+netto",
        r"zwischensumme",
        r"gesamt\s+netto",
        r"net\s+total",
        r"total\s+net",
        r"subtotal",
        r"sub-total",
        r"tax\s+basis",
        NET_BY_TAX,
        r"total\s+ht",
        r"montant\s+ht",
        r"sous-total",
        r"subtotaal",
    ),
    "total_tax": (
        r"steuerbetrag(?:\s+in\s+[a-z]{3})?",
        r"(?:summe\s+)?(?:mwst|ust|umsatzsteuer|mehrwertsteuer)\.?(?:-?betrag)?",
        r"total\s+(?:vat|tax|taxes)",
        r"vat\s+(?:total|amount)",
        r"(?:sales\s+)?tax(?:\s+amount)?",
        r"vat",
        r"total\s+(?:tva|taxes)",
        r"montant\s+(?:de\s+la\s+)?tva",
        r"tva",
        r"btw",
    ),
    "total_gross": (
        r"bruttosumme",
        r"brutto(?:betrag)?",
        r"gesamtbetrag",
        r"rechnungsbetrag",
        r"rechnungssumme",
        r"endbetrag",
        r"gesamtsumme",
        r"summe\s+brutto",
        GROSS_BY_TAX,
        r"toutes\s+taxes\s+comprises",
        r"grand\s+total",
        r"invoice\s+total",
        r"^\s*total",
        r"total\s+ttc",
        r"montant\s+ttc",
        r"^\s*totaal",
    ),
    "amount_due": (
        r"zahlbetrag",
        r"zu\s+zahlen(?:der\s+betrag)?",
        r"offener\s+betrag",
        r"amount\s+due",
        r"balance\s+due",
        r"due\s+payable",
        r"total\s+due",
        r"net\s+à\s+payer",
        r"solde\s+à\s+payer",
        r"reste\s+à\s+payer",
        r"te\s+betalen",
    ),
    "_other": (
        r"^\s*(?:rechnung|factuur|gutschrift|rechnungskorrektur|credit\s+note)\s*$",  # titles
        r"liefer-?\s*(?:und\s+)?leistungsdatum",
        r"lieferdatum",
        r"leistungsdatum",
        r"bestellung\s+(?:nr\.?\s*\S+\s+)?vom",
        r"date\s+of\s+delivery",
        r"delivery\s+date",
        r"order\s+date",
        r"date\s+de\s+livraison",
        r"skonto",
        r"positionssumme",
        r"summe\s+positionen",
        r"(?:goods|items?|lines?)\s+total",
        r"total\s+(?:des\s+)?(?:lignes|articles)",
        r"übertrag",
        r"carried\s+forward",
        r"report\s+à\s+nouveau",
        r"gesamtbetrag\s+der\s+(?:zuschläge|abschläge)",
        r"erhaltene\s+anzahlungen",
        r"anzahlung",
        r"steuernummer",
        r"kunden-?\s*(?:nummer|nr\.?)",
        r"customer\s*(?:no\.?|number|#|id)",
        r"facture\s+liée",
        r"stylesheet-version",
        r"codelisten-version",
        r"zugferd-version",
        r"version",
        r"basisbetrag",
        r"warenwert",
    ),
}

# "Bill to", "Invoice issued for", "Rechnung an", "Factuur aan", "Facturé à" open the buyer's
# block; "Bill from", "Invoiced by" the seller's: a billing word and a direction word.
BILLING_WORDS = r"(?:bill(?:ed)?|invoice[ds]?|issued|sold|rechnung|factuur|facture|facturé)"
BILLED_TO = rf"{BILLING_WORDS}\s+(?:issued\s+)?(?:to|for|an|aan|à|pour)"
BILLED_BY = rf"{BILLING_WORDS}\s+(?:from|by|von|door|par)"

# Labels that open a block whose first line names a party; "_delivery" opens a ship-to
# block, whose name is weak evidence for the buyer.
PARTY_LABELS: dict[str, tuple[str, ...]] = {
    "seller": (
        r"verkäufer",
        r"lieferant",
        r"rechnungssteller",
        r"leistungserbringer",
        r"provider",
        r"seller",
        r"supplier",
        r"vendor",
        r"from",
        r"von",
        r"absender",
        r"vendeur",
        r"fournisseur",
        r"émetteur",
        r"leverancier",
        BILLED_BY,
    ),
    "buyer": (
        r"käufer(?:/leistungsempfänger)?",
        r"rechnungsempfänger",
        r"rechnungsadresse",
        r"leistungsempfänger",
        BILLED_TO,
        r"kunde",
        r"customer",
        r"buyer",
        r"client",
        r"acheteur",
        r"adresse\s+de\s+facturation",
        r"destinataire",
        r"klant",
    ),
    "_delivery": (
        r"lieferanschrift",
        r"lieferadresse",
        r"abweichender\s+warenempfänger",
        r"warenempfänger",
        r"delivery\s+address",
        r"ship\s+to",
        r"deliver\s+to",
        r"adresse\s+de\s+livraison",
        r"livré\s+à",
        r"afleveradres",
    ),
}

ROUTING_CUES = (
    r"\binvoice\b",
    r"\brechnung\b",
    r"\bfacture\b",
    r"\bfactuur\b",
    r"\bgutschrift\b",
    r"credit\s+note",
    r"\b(?:vat|mwst|ust|tva|btw)\b",
    r"\biban\b",
)

# A receipt has no buyer and often no number; the words of a till slip tell it from an
# invoice (two of them at least: "cash" alone is on many invoices; a cashier works a till).
RECEIPT_CUES = (
    r"\breceipt\b",
    r"\bcash\b",
    r"\bcashier\b",
    r"\bchange\b",
    r"\bround(?:ing|ed)\b",
    r"\bthank\s+you\b",
    r"\bgoods\s+sold\b",
    r"\bkassenbon\b|\bquittung\b",
    r"\bticket\s+de\s+caisse\b",
)
KINDS = (
    DocumentKind(
        "receipt",
        ("seller.name", "issue_date", "total_gross"),
        cues=RECEIPT_CUES,
        min_cues=2,
        # a till slip prints several totals (subtotal, rounded, cash, change) and its first
        # lines hold a cashier's or a branch's name as often as the shop's: the total read
        # counts only when arithmetic confirms it, the name when it carries a legal form
        confirmed=("seller.name", "total_gross"),
        total_after_rounding=True,
    ),
    DocumentKind(
        "invoice",
        ("invoice_number", "issue_date", "seller.name", "buyer.name", "total_gross", "currency"),
        core=CORE_FIELDS,
        # a tax total is read beside a net and a gross total that it adds up with; one that
        # no arithmetic ties to them (the net missing, say) may be any amount near "VAT"
        confirmed=("total_tax",),
    ),
)
