"""Invoice fields, aligned with EN 16931 (the BT/BG codes are in each field's metadata).

Field names are a contract: SQL views, exports and other tools depend on them.
Every field is optional: absent in the document means null, never invented.
"""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from schemas.kinds import FieldKind, spec

SCHEMA_NAME = "invoice"
SCHEMA_VERSION = 1


class Party(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, **spec(FieldKind.TEXT, "BT-27/BT-44", "company or person name"))
    vat_id: str | None = Field(
        None, **spec(FieldKind.VAT_ID, "BT-31/BT-48", "VAT number: VAT No, USt-IdNr, TVA, BTW")
    )
    address: str | None = Field(
        None, **spec(FieldKind.TEXT, "BG-5/BG-8", "street, postcode and city")
    )


class InvoiceLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(None, **spec(FieldKind.TEXT, "BT-153", "item name"))
    quantity: Decimal | None = Field(None, **spec(FieldKind.QUANTITY, "BT-129", "quantity"))
    unit_price: Decimal | None = Field(None, **spec(FieldKind.AMOUNT, "BT-146", "unit net price"))
    net_amount: Decimal | None = Field(None, **spec(FieldKind.AMOUNT, "BT-131", "line net amount"))


class Invoice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    invoice_number: str | None = Field(
        None,
        **spec(FieldKind.TEXT, "BT-1", "Invoice No, Rechnungsnummer, N° de facture, Factuurnummer"),
    )
    issue_date: date | None = Field(
        None, **spec(FieldKind.DATE, "BT-2", "Invoice date, Rechnungsdatum, Date, Factuurdatum")
    )
    due_date: date | None = Field(
        None, **spec(FieldKind.DATE, "BT-9", "Due date, Fällig am, Échéance, Vervaldatum")
    )
    currency: str | None = Field(
        None, pattern=r"^[A-Z]{3}$", **spec(FieldKind.CURRENCY, "BT-5", "currency symbol or code")
    )
    purchase_order: str | None = Field(
        None, **spec(FieldKind.TEXT, "BT-13", "PO number, Bestellnummer, Bon de commande")
    )
    seller: Party = Field(default_factory=Party, description="BG-4 seller: who issued the invoice")
    buyer: Party = Field(
        default_factory=Party, description="BG-7 buyer: Bill to, Rechnungsempfänger, Client"
    )
    iban: str | None = Field(None, **spec(FieldKind.IBAN, "BT-84", "IBAN"))
    total_net: Decimal | None = Field(
        None, **spec(FieldKind.AMOUNT, "BT-109", "Subtotal, Nettobetrag, Total HT, net total")
    )
    total_tax: Decimal | None = Field(
        None, **spec(FieldKind.AMOUNT, "BT-110", "VAT, MwSt, TVA, BTW, Tax amount")
    )
    total_gross: Decimal | None = Field(
        None, **spec(FieldKind.AMOUNT, "BT-112", "Total, Gesamtbetrag, Total TTC, total with VAT")
    )
    amount_due: Decimal | None = Field(
        None,
        **spec(
            FieldKind.AMOUNT,
            "BT-115",
            "Amount due, Balance due, Zahlbetrag, Net à payer, Te betalen",
        ),
    )
    lines: list[InvoiceLine] = Field(default_factory=list, description="BG-25 invoice lines")
