"""OASIS UBL 2.1 Invoice and CreditNote (EN 16931 / XRechnung UBL syntax), mapped onto the
invoice schema."""

from extractor.einvoice.xml_tree import (
    Collector,
    Element,
    XmlValue,
    compose_address,
    decimal_of,
    find,
    text_of,
)

_DOC = "urn:oasis:names:specification:ubl:schema:xsd"
INVOICE_ROOT = f"{{{_DOC}:Invoice-2}}Invoice"
CREDIT_NOTE_ROOT = f"{{{_DOC}:CreditNote-2}}CreditNote"
ROOTS = frozenset({INVOICE_ROOT, CREDIT_NOTE_ROOT})
NS = {
    "cac": f"{_DOC}:CommonAggregateComponents-2",
    "cbc": f"{_DOC}:CommonBasicComponents-2",
}


def parse_ubl(root: Element) -> tuple[str | None, list[XmlValue]]:
    """The customization id (profile) and the schema values of a UBL invoice or credit note."""
    out = Collector()
    credit = root.tag == CREDIT_NOTE_ROOT
    profile = text_of(root.find("cbc:CustomizationID", NS))
    out.text("invoice_number", root.find("cbc:ID", NS))
    out.iso_date("issue_date", root.find("cbc:IssueDate", NS))
    due = root.find("cbc:DueDate", NS)  # Invoice; a CreditNote only has the payment means one
    out.iso_date(
        "due_date", due if due is not None else root.find("cac:PaymentMeans/cbc:PaymentDueDate", NS)
    )
    currency = text_of(root.find("cbc:DocumentCurrencyCode", NS))
    out.text("currency", root.find("cbc:DocumentCurrencyCode", NS))
    out.text("purchase_order", root.find("cac:OrderReference/cbc:ID", NS))
    _party(out, "seller", root.find("cac:AccountingSupplierParty/cac:Party", NS))
    _party(out, "buyer", root.find("cac:AccountingCustomerParty/cac:Party", NS))
    out.code("iban", root.find("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID", NS))
    totals = root.find("cac:LegalMonetaryTotal", NS)
    out.amount("total_net", find(totals, "cbc:TaxExclusiveAmount", NS))
    out.amount("total_tax", _tax_total(root, currency))
    out.amount("total_gross", find(totals, "cbc:TaxInclusiveAmount", NS))
    out.amount("amount_due", find(totals, "cbc:PayableAmount", NS))
    line_tag, quantity_tag = (
        ("cac:CreditNoteLine", "cbc:CreditedQuantity")
        if credit
        else ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    )
    for index, line in enumerate(root.findall(line_tag, NS)):
        prefix = f"lines.{index}"
        out.text(f"{prefix}.description", line.find("cac:Item/cbc:Name", NS))
        quantity = line.find(quantity_tag, NS)
        if quantity is not None and text_of(quantity) is not None:
            out.add(f"{prefix}.quantity", decimal_of(quantity, f"{prefix}.quantity"), quantity)
        # BT-146 per one unit: PriceAmount divided by BaseQuantity (BT-149) unless that is 1.
        out.amount(
            f"{prefix}.unit_price",
            line.find("cac:Price/cbc:PriceAmount", NS),
            per=line.find("cac:Price/cbc:BaseQuantity", NS),
        )
        out.amount(f"{prefix}.net_amount", line.find("cbc:LineExtensionAmount", NS))
    return profile, out.values


def _party(out: Collector, role: str, party: Element | None) -> None:
    legal = find(party, "cac:PartyLegalEntity/cbc:RegistrationName", NS)
    out.text(
        f"{role}.name", legal if legal is not None else find(party, "cac:PartyName/cbc:Name", NS)
    )
    schemes = [] if party is None else party.findall("cac:PartyTaxScheme", NS)
    for scheme in schemes:
        if text_of(scheme.find("cac:TaxScheme/cbc:ID", NS)) == "VAT":
            out.code(f"{role}.vat_id", scheme.find("cbc:CompanyID", NS))
            break
    address = find(party, "cac:PostalAddress", NS)
    if address is None:
        return
    street = [
        text_of(address.find(tag, NS)) for tag in ("cbc:StreetName", "cbc:AdditionalStreetName")
    ]
    street += [text_of(line) for line in address.findall("cac:AddressLine/cbc:Line", NS)]
    composed = compose_address(
        street,
        text_of(address.find("cbc:PostalZone", NS)),
        text_of(address.find("cbc:CityName", NS)),
        text_of(address.find("cac:Country/cbc:IdentificationCode", NS)),
    )
    if composed is not None:
        out.add(f"{role}.address", composed, address)


def _tax_total(root: Element, currency: str | None) -> Element | None:
    """BT-110: the TaxTotal/TaxAmount in the document currency, or the only one there is."""
    amounts = root.findall("cac:TaxTotal/cbc:TaxAmount", NS)
    in_currency = [amount for amount in amounts if amount.get("currencyID") == currency]
    if in_currency:
        return in_currency[0]
    return amounts[0] if len(amounts) == 1 else None
