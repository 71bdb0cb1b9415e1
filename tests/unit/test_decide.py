"""The layout rules and the arithmetic, on small texts shaped like pypdf's output."""

from datetime import date
from decimal import Decimal

import pytest

from extractor.schema_walk import leaves
from extractor.text.decide import Ranking, rank_fields
from extractor.text.totals import (
    adjusted_totals,
    payment_totals,
    rate_rows,
    rounded_totals,
    taxed_totals,
)
from extractor.values.candidates import find_spans
from schemas import get_schema
from schemas.kinds import FieldKind

INVOICE = get_schema("invoice")


def _rank(text: str) -> dict[str, Ranking]:
    return rank_fields(text, leaves(INVOICE.model), INVOICE.cues)


def _best(rankings: dict[str, Ranking], path: str) -> object:
    options = rankings[path].options
    return options[0].value if options else None


def test_the_nearest_label_claims_a_value() -> None:
    text = "Lieferdatum: 01.03.2024\nRechnungsdatum: 05.03.2024\nRechnung Nr. 4711"
    rankings = _rank(text)
    assert _best(rankings, "issue_date") == date(2024, 3, 5)
    assert _best(rankings, "invoice_number") == "4711"


def test_a_run_of_label_lines_pairs_with_the_value_lines_in_order() -> None:
    text = (
        "Invoice number\nDate of issue\nDelivery date\nDue\n"
        "INV-7\n22/05/2025\n16/05/2025\n06/07/2025"
    )
    rankings = _rank(text)
    assert _best(rankings, "invoice_number") == "INV-7"
    assert _best(rankings, "issue_date") == date(2025, 5, 22)
    assert _best(rankings, "due_date") == date(2025, 7, 6)


def test_totals_come_from_the_triple_that_adds_up() -> None:
    text = (
        "Pos 1 Beratung 3 100,00 300,00\nPos 2 Papier 1 19,00 19,00\n"
        "Summe netto\n319,00\nMwSt. 19 %\n60,61\nGesamtbetrag\n379,61\nZahlbetrag 379,61"
    )
    rankings = _rank(text)
    assert [_best(rankings, f) for f in ("total_net", "total_tax", "total_gross")] == [
        Decimal("319.00"),
        Decimal("60.61"),
        Decimal("379.61"),
    ]
    assert "sum" in rankings["total_gross"].options[0].cues


@pytest.mark.parametrize(
    ("tax", "net"),
    [("Total Tax £2,985.07", None), ("Total Tax £0.00", Decimal("17910.43"))],
)
def test_a_subtotal_equal_to_the_gross_beside_a_tax_is_no_net(
    tax: str, net: Decimal | None
) -> None:
    text = f"Subtotal £17,910.43\n{tax}\nGrand Total £17,910.43"
    rankings = _rank(text)
    assert _best(rankings, "total_net") == net
    assert _best(rankings, "total_gross") == Decimal("17910.43")


def test_a_tax_total_of_two_rates_is_their_sum_and_names_its_parts() -> None:
    text = (
        "Summe netto 1.000,00\nUmsatzsteuer 19% 152,00\nUmsatzsteuer 7% 14,00\n"
        "Gesamtbetrag 1.166,00"
    )
    option = _rank(text)["total_tax"].options[0]
    assert option.value == Decimal("166.00")
    assert option.first.text == "152,00 + 14,00"


def test_a_tax_summary_row_names_the_net_and_the_tax_by_its_rate() -> None:
    till_slip = (  # a receipt's GST summary, its cells one to a line in the PDF's text order
        "TOTAL INCL. GST@6%\nRM 37.10\nCASH\nRM 50.00\nCHANGE\nRM 12.90\n"
        "GST SUMMARY\nAMT(RM)\nTAX(RM)\nGST S@6%\n35.00\n2.10\n14-03-18 21:49"
    )
    rankings = _rank(till_slip)
    assert [_best(rankings, f) for f in ("total_net", "total_tax", "total_gross")] == [
        Decimal("35.00"),
        Decimal("2.10"),
        Decimal("37.10"),
    ]
    spans = find_spans("VAT 20% 50.00 12.00", FieldKind.AMOUNT)
    assert rate_rows("VAT 20% 50.00 12.00", spans) == []  # 12.00 is not 20% of 50.00
    spans = find_spans("MwSt. 19% auf 100,00 EUR 19,00 EUR", FieldKind.AMOUNT)
    assert rate_rows("MwSt. 19% auf 100,00 EUR 19,00 EUR", spans) == [
        (Decimal("100.00"), Decimal("19.00"))
    ]


def _paid(text: str) -> list[Decimal]:
    return payment_totals(text, find_spans(text, FieldKind.AMOUNT))


def test_the_amount_tendered_less_the_change_is_the_total_paid() -> None:
    scrambled = (  # the labels in one run, the amounts in the next, as pypdf reads the slip
        "SUMMER CUP 48X230ML\n1\nTOTAL INCLUDES GST 6%\nCUSTOMER'S PAYMENT\nCASH\nCHANGE\n"
        "GST SUMMARY\n9.00\n9.00\n50.00\n41.00\nSR\n8.49\n0.51"
    )
    assert _paid(scrambled) == [Decimal("9.00")]
    rankings = _rank(scrambled)
    assert _best(rankings, "total_gross") == _best(rankings, "amount_due") == Decimal("9.00")
    assert "payment" in rankings["total_gross"].options[0].cues
    # a rounding adjustment: a receipt's gross is the total after it, which was paid
    rounded = (
        "SUBTOTAL 75.91\nGST 6% 4.55\nTOTAL 80.46\nROUNDING -0.01\nTOTAL ROUNDED 80.45\n"
        "CASH 100.00\nCHANGE 19.55"
    )
    rankings = _rank(rounded)
    assert _best(rankings, "total_gross") == _best(rankings, "amount_due") == Decimal("80.45")
    assert {"rounding", "payment"} <= rankings["total_gross"].options[0].cues


def test_a_change_label_in_a_run_of_labels_pairs_with_its_amount_further_down() -> None:
    labels = (
        "TAKEOUT TOTAL (INCL GST)\nTOTAL ROUNDED\nCASH TENDERED\nCHANGE\nTOTAL INCLUDES 6% GST\n"
    )
    items = "MCCHICKEN\nSUNDAE\n"
    text = labels + items + "15.90\n4.00\n6.40\n1.90\n28.20\n28.20\n100.00\n71.80\n1.60"
    assert _paid(text) == [Decimal("28.20")]


def test_no_payment_without_change_or_with_a_larger_amount_before_the_total() -> None:
    assert _paid("TOTAL 9.00\nCASH 50.00\nBALANCE 41.00") == []  # no change given
    assert _paid("Item 12.00\nTOTAL 9.00\nCASH 50.00\nCHANGE 41.00") == []  # 12 > total
    far = "TOTAL 9.00\nCHANGE\n" + "note\n" * 13 + "50.00\n41.00"
    assert _paid(far) == []  # the change's label is too far above its amount


def test_month_first_dates_are_read_month_first_in_a_us_document() -> None:
    text = "Invoice # 1001\nInvoice date 05/06/2025\nDue 11/29/2025\nTotal $10.00"
    rankings = _rank(text)
    assert _best(rankings, "issue_date") == date(2025, 5, 6)
    assert _best(rankings, "due_date") == date(2025, 11, 29)


@pytest.mark.parametrize(
    ("place", "issue"),
    [
        ("Springfield, IL 62704", date(2025, 5, 6)),  # a state and a ZIP code: month first
        ("CASHIER: CS 10217", date(2025, 6, 5)),  # a till's number, no US state
        ("TEL NO\n58244 KUALA LUMPUR", date(2025, 6, 5)),  # a word over a postcode
    ],
)
def test_a_us_address_makes_slashed_dates_month_first_and_a_look_alike_does_not(
    place: str, issue: date
) -> None:
    assert (
        _best(_rank(f"TAX INVOICE\n{place}\nDATE: 05/06/2025\nTOTAL 10.00"), "issue_date") == issue
    )


def test_party_blocks_side_by_side_pair_in_label_order() -> None:
    text = (
        "INVOICE\nFrom\nBill to\nRedwood Analytics Inc.\nLakeshore Supply Inc.\n"
        "77 Main St\n1 Bay Rd"
    )
    rankings = _rank(text)
    assert _best(rankings, "seller.name") == "Redwood Analytics Inc."
    assert _best(rankings, "buyer.name") == "Lakeshore Supply Inc."


def test_a_labelled_block_skips_key_value_lines_and_keeps_a_salutation() -> None:
    text = (
        "Verkäufer:\nNummer : 549910\nLieferant GmbH\nStraße 1\nKäufer:\nHerrn\nMax Muster\nWeg 2"
    )
    rankings = _rank(text)
    assert _best(rankings, "seller.name") == "Lieferant GmbH"
    assert _best(rankings, "buyer.name") == "Herrn Max Muster"


def test_sender_line_names_the_seller_and_the_window_below_the_buyer() -> None:
    text = "Kühne Software AG · Königsallee 92 · 50667 Köln\nBäckerei Krüger e.K.\nHauptstr. 1"
    rankings = _rank(text)
    assert _best(rankings, "seller.name") == "Kühne Software AG"
    assert _best(rankings, "buyer.name") == "Bäckerei Krüger e.K."


def test_vat_ids_in_a_buyer_block_belong_to_the_buyer() -> None:
    text = (
        "Lieferant GmbH\nUSt-IdNr. DE123456789\nRechnungsadresse\nKunde AG\nWeg 2\n"
        "USt-IdNr. DE 987 654 321"
    )
    rankings = _rank(text)
    assert _best(rankings, "seller.vat_id") == "DE123456789"
    assert _best(rankings, "buyer.vat_id") == "DE987654321"


def test_a_vat_number_whose_check_digits_pass_is_the_sellers_under_any_label() -> None:
    text = "Brontë Interiors Ltd\nVat/Tax number: GB284716390\nBill To\nKunde AG\nTotal 12.00"
    rankings = _rank(text)
    assert _best(rankings, "seller.vat_id") == "GB284716390"
    assert _best(_rank(text.replace("GB284716390", "GB284716391")), "seller.vat_id") is None
    # in the buyer's block, or labelled as the buyer's, it is the buyer's
    buyer = "Brontë Interiors Ltd\nBill To\nKunde Ltd\nVAT: GB284716390\nTotal 12.00"
    assert _best(_rank(buyer), "seller.vat_id") is None
    assert _best(_rank(buyer), "buyer.vat_id") == "GB284716390"
    labelled = "Brontë Interiors Ltd\nCustomer VAT number: GB284716390\nTotal 12.00"
    assert _best(_rank(labelled), "seller.vat_id") is None


def test_a_field_no_label_points_at_gets_open_options_only_if_core() -> None:
    rankings = _rank("Alpha GmbH\nBeta AG\nReference 77-A")
    assert rankings["invoice_number"].options  # open options for the model to choose among
    assert all("open" in option.cues for option in rankings["invoice_number"].options)
    assert not rankings["purchase_order"].options


@pytest.mark.parametrize(
    ("line", "path"),
    [
        ("Total without VAT 9,881.54 USD", "total_net"),
        ("Rechnungssumme ohne USt. 9.881,54", "total_net"),
        ("Montant hors taxes : 9 881,54", "total_net"),
        ("Subtotaal excl. BTW: 9.881,54 EUR", "total_net"),
        ("Total Sales (Excluding GST) 9,881.54", "total_net"),
        ("Total with VAT 9,881.54 USD", "total_gross"),
        ("Totaal incl. BTW: 9.881,54 EUR", "total_gross"),
        ("TOTAL SALES (INCLUSIVE OF GST) 9,881.54", "total_gross"),
        ("Gesamt inkl. MwSt. 9.881,54", "total_gross"),
        ("VAT 20% 9,881.54", "total_tax"),
    ],
)
def test_what_a_total_label_says_of_the_tax_names_the_total(line: str, path: str) -> None:
    rankings = _rank(f"Invoice 17\n{line}")
    found = {p for p in ("total_net", "total_tax", "total_gross") if _best(rankings, p)}
    assert found == {path}
    assert _best(rankings, path) == Decimal("9881.54")


@pytest.mark.parametrize(
    "opener", ["Bill to:", "Invoice issued for:", "Factuur aan:", "Rechnung an", "Facturé à :"]
)
def test_a_billing_word_and_a_direction_open_the_buyer_block(opener: str) -> None:
    rankings = _rank(f"Alpha Trading GmbH\nMain St 1\n{opener}\nBeta Logistik AB\nWeg 2")
    assert _best(rankings, "buyer.name") == "Beta Logistik AB"


def test_a_name_ends_where_a_labelled_value_of_its_row_begins() -> None:
    text = (
        "Alpha Trading GmbH\nFactuur aan:\nÅkesson Logistik AB Factuurnummer: 2025-297\n"
        "Drottninggatan 71, 111 36 Stockholm Vervaldatum: 31-05-2025\n"
        "Bill from: VAT Consulting Ltd"
    )
    rankings = _rank(text)
    assert _best(rankings, "buyer.name") == "Åkesson Logistik AB"
    assert _best(rankings, "invoice_number") == "2025-297"
    assert _best(rankings, "seller.name") == "VAT Consulting Ltd"  # no value after "VAT"


def test_a_provider_heading_opens_the_sellers_block() -> None:
    text = (
        "Invoice num.: INV-2024-7982\n+420 555 123 456\nProvider\nOfficine Galilei S.r.l.\n"
        "Via della Spiga 31\nCustomer\nAtelier Bérénice Côté\n8 Place Bellecour"
    )
    rankings = _rank(text)
    assert _best(rankings, "seller.name") == "Officine Galilei S.r.l."
    assert _best(rankings, "buyer.name") == "Atelier Bérénice Côté"


def test_the_number_sign_belongs_to_the_label() -> None:
    assert _best(_rank("Rechnungsnr.: #F2025/207"), "invoice_number") == "F2025/207"
    assert _best(_rank("Facture N°F-20240000014"), "invoice_number") == "F-20240000014"
    assert _best(_rank("Invoice No.: No.4711-A"), "invoice_number") == "4711-A"


@pytest.mark.parametrize(
    ("letterhead", "name"),
    [
        ("GARDENIA BAKERIES (KL) SDN BHD (139386 X)", "GARDENIA BAKERIES (KL) SDN BHD"),
        ("DION REALTIES SDN BHD (CO. NO:20154-T)", "DION REALTIES SDN BHD"),
        ("Müller Feinmechanik GmbH, Hauptstr. 5", "Müller Feinmechanik GmbH"),
        ("CHECKERS HYPERMARKET SDN BHD (JALAN KLANG LAMA)", None),  # a branch: kept
        ("Studio 54 Ltd", None),  # the number stands before the legal form
    ],
)
def test_a_company_name_ends_at_its_legal_form_before_a_registration(
    letterhead: str, name: str | None
) -> None:
    rankings = _rank(f"{letterhead}\nTAX INVOICE\nTotal 12.00")
    names = {option.value for option in rankings["seller.name"].options}
    assert (name or letterhead) in names
    assert name is None or letterhead not in names


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("POPULAR BOOK\nCO. (M) SDN BHD\n(CO. NO. 113825-W)", "POPULAR BOOK CO. (M) SDN BHD"),
        (
            "THE COFFEE BEAN\n& TEA LEAF (M) SDN. BHD.\nLOT F36",
            "THE COFFEE BEAN & TEA LEAF (M) SDN. BHD.",
        ),
        (
            "PASAR RAYA MEGA MAJU\n(SEMENYIH) SDN BHD\n(767840-W)",
            "PASAR RAYA MEGA MAJU (SEMENYIH) SDN BHD",
        ),
        ("HOME MASTER HARDWARE &\nELECTRICAL\nNO.113G & 115G", "HOME MASTER HARDWARE & ELECTRICAL"),
        ("ACME TRADING (SETIA\nALAM) SDN BHD\n822737-X", "ACME TRADING (SETIA ALAM) SDN BHD"),
        # whole lines: a brand over its company, a company over its branch
        ("PREMIO\nPREMIO STATIONERY SDN BHD\n(1234-X)", "PREMIO"),
        ("HERO DISTRIBUTION SDN BHD\n(SUBANG JASA)\n666770-U", "HERO DISTRIBUTION SDN BHD"),
        # a line that is a name once its registration is cut; a legal form alone is none
        ("99 SPEED MART S/B (519537-X)\nLOT P.T. 33198", "99 SPEED MART S/B"),
        ("#000002 ACME (M) SDN BHD\nCOMPANY NO(814198-X)\nDAISO JAPAN", "DAISO JAPAN"),
    ],
)
def test_a_letterhead_broken_mid_way_goes_on_over_its_lines(header: str, name: str) -> None:
    rankings = _rank(f"{header}\nTAX INVOICE\nTotal 12.00")
    letterhead = next(
        option.value for option in rankings["seller.name"].options if "letterhead" in option.cues
    )
    assert letterhead == name


@pytest.mark.parametrize(
    "banner",
    [
        "THANK YOU. PLEASE COME AGAIN.\nGOODS SOLD ARE NOT RETURNABLE.",
        "**** PROMO ****",
        "YOUR ORDER NUMBER IS\n7290",
        "ACCOUNT'S COPY",
    ],
)
def test_a_banner_over_a_till_slip_is_no_letterhead_nor_an_open_option(banner: str) -> None:
    rankings = _rank(f"{banner}\nSEGI CASH & CARRY SDN.BHD\n(317041-W)\nTAX INVOICE\nTotal 12.00")
    letterhead = [
        option.value for option in rankings["seller.name"].options if "letterhead" in option.cues
    ]
    assert letterhead in ([], ["SEGI CASH & CARRY SDN.BHD"])
    banner_lines = set(banner.splitlines())
    assert not banner_lines & {option.value for option in rankings["buyer.name"].options}
    assert rankings["seller.name"].options[0].value == "SEGI CASH & CARRY SDN.BHD"


def _rounded(text: str) -> dict[Decimal, Decimal]:
    return rounded_totals(text, find_spans(text, FieldKind.AMOUNT))


def test_a_rounding_adjustment_pairs_the_totals_before_and_after_it() -> None:
    assert _rounded("TOTAL\nRM 30.91\nROUNDING ADJUSTMENT\nRM 0.01\nTOTAL ROUNDED\nRM 30.90") == {
        Decimal("30.91"): Decimal("30.90")
    }
    text = "TOTAL AMOUNT: RM7.72\nGST @0%: RM0.00\nROUNDING: -RM0.02\nNETT TOTAL: RM7.70"
    assert _rounded(text) == {Decimal("7.72"): Decimal("7.70")}
    text = "TOTAL SALES RM\n45.34\nROUNDING ADJUSTMENT RM\n.01\nROUNDING RM\n45.35"
    assert _rounded(text) == {Decimal("45.34"): Decimal("45.35")}  # ".01" is no amount
    assert _rounded("TOTAL 65.72\nROUNDING ADJ -0.02\nTOTAL 65.74") == {}  # the wrong way
    # a till that prints its labels, then its amounts: the adjustment alone as ".02"
    labels = "TOTAL SALES (INCLUSIVE GST) RM\nROUNDING ADJUSTMENT RM\nROUNDING RM\nCHANGE RM\n"
    assert _rounded(f"{labels}42.33\n.02\n42.35\n.00") == {Decimal("42.33"): Decimal("42.35")}
    assert _rounded(f"{labels}42.33\n.03\n42.35\n.00") == {}  # it must be their difference
    assert _rounded(f"{labels}42.37\n.02-\n42.35\n.00") == {Decimal("42.37"): Decimal("42.35")}
    assert _rounded("TOTAL 65.72\nDISCOUNT -0.02\nTOTAL 65.70") == {}  # no rounding named


def test_arithmetic_confirms_the_total_after_a_printed_adjustment_only() -> None:
    def adjusted(text: str) -> set[Decimal]:
        return adjusted_totals(text, find_spans(text, FieldKind.AMOUNT))

    text = "TOTAL AMOUNT: RM8.48\nGST @0%: RM0.00\nROUNDING: RM0.02\nNETT TOTAL: RM8.50"
    assert adjusted(text) == {Decimal("8.50")}  # 8.48 + 0.02
    text = "TOTAL SALES RM\n45.34\nROUNDING ADJUSTMENT RM\n.01\nROUNDING RM\n45.35"
    assert adjusted(text) == {Decimal("45.35")}  # ".01" reads as no amount, but adds up
    # the page read in geometric order: the fraction ends its label's line
    text = "TOTAL SALES (INCLUSIVE GST) RM 181.98\nROUNDING ADJUSTMENT RM   .02\nROUNDING RM 182.00"
    assert adjusted(text) == {Decimal("182.00")}
    assert adjusted("TOTAL RM 181.98\nROUNDING .02 RM\nROUNDING RM 182.00") == set()
    # the total before rounding not printed: the net and its tax right before the adjustment
    text = "SUB TOTAL 14.00\nGST 6% 0.84\nROUNDING ADJ 0.01\nNET TOTAL 14.85\nCASH 14.85"
    assert adjusted(text) == {Decimal("14.85")}
    text = "SUB-TOTAL (EX) : 26.00\nTOTAL TAX : 1.56\nROUNDING : -0.01\nTOTAL : 27.55"
    assert adjusted(text) == {Decimal("27.55")}
    text = "SUB TOTAL 313.50\nDISCOUNT 0.00\nTOTAL GST 18.81\nROUNDING -0.01\nTOTAL 332.30"
    assert adjusted(text) == {Decimal("332.30")}
    assert adjusted("SUB TOTAL 14.00\nGST 0.84\nROUNDING ADJ 0.02\nTOTAL 14.85") == set()
    assert adjusted("TOTAL 30.91\nTOTAL ROUNDED 30.90") == set()  # paired by its label only
    assert adjusted("TOTAL 8.48\nDISCOUNT 0.02\nTOTAL 8.50") == set()  # no rounding named


def test_a_tax_beside_its_rate_confirms_the_one_gross_it_is_the_tax_of() -> None:
    def taxed(text: str) -> set[Decimal]:
        return taxed_totals(text, find_spans(text, FieldKind.AMOUNT))

    included = "TOTAL INCL. GST@6%\nRM 31.20\nEDC\nRM 31.20\nGST @6% INCLUDED IN TOTAL\nRM 1.77"
    assert taxed(included) == {Decimal("31.20")}  # 31.20 * 6 / 106 = 1.766
    summary = "SUBTOTAL 13.78\nTOTAL (GST INCL) 13.78\nCASH 20.00\nGST S 6% 13.00 0.78"
    assert taxed(summary) == {Decimal("13.78")}
    added = "Net 100,00\nUSt. 19 % 19,00\nGesamt 119,00"  # the tax added to a net
    assert taxed(added) == {Decimal("119.00")}
    # the totals before and after rounding both fit the tax: it confirms neither
    rounded = "TOTAL 30.91\nROUNDING -0.01\nTOTAL ROUNDED 30.90\nGST 6% 1.75"
    assert taxed(rounded) == set()
    assert taxed("TOTAL 31.50\nGST @6% RM 1.77") == set()  # no printed amount has that tax
    assert taxed("TOTAL 31.20\nTAX 1.77") == set()  # no rate printed


@pytest.mark.parametrize(("cues", "gross"), [("CASH\nTHANK YOU", "65.70"), ("INVOICE 7", "65.72")])
def test_a_receipts_gross_is_the_total_after_rounding_an_invoices_before(
    cues: str, gross: str
) -> None:
    text = (
        f"KEDAI MAJU\n{cues}\nTOTAL (EXCLUDING GST): 62.00\nGST 6%: 3.72\n"
        "TOTAL (INCLUSIVE OF GST): 65.72\nROUNDING ADJ: -0.02\nTOTAL: 65.70"
    )
    assert _best(_rank(text), "total_gross") == Decimal(gross)


def test_a_line_that_is_a_company_name_is_an_option_for_either_party() -> None:
    text = (
        "GARDENIA BAKERIES (KL) SDN BHD (139386 X)\nLOT 3\nTAX INVOICE\n"
        "CASH INV NO.: 7721F711\nMAKASSAR FRESH MARKET SDN BHD\nJALAN SS 15/4B\n"
        "TOTAL 6% SUPPLIES (INC. GST): 25.44\nTOTAL PAYABLE: 33.05"
    )
    buyers = [option.value for option in _rank(text)["buyer.name"].options]
    # cleanco's legal forms (SDN BHD), a registration number cut off; a legal form's letters
    # in an address ("SS") or a label ("INC.") make no name
    assert "MAKASSAR FRESH MARKET SDN BHD" in buyers
    assert "GARDENIA BAKERIES (KL) SDN BHD" in buyers
    assert not any("JALAN" in name or "TOTAL" in name for name in buyers)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12 rue des Lices, 49100 Angers\nFACTURE\nN° FX-2026-0042", "FX-2026-0042"),
        ("Test Street 1, 10115 Berlin\nINVOICE\nNo. RE-2024-0001", "RE-2024-0001"),
        ("Kundennummer:101\nRechnung # RE-20151029/4 von 29.10.2015", "RE-20151029/4"),
        ("Invoicing\n31000 Toulouse\nRéférence facture : NovemberRain01", "NovemberRain01"),
    ],
)
def test_an_invoice_number_after_its_title_or_a_number_sign(text: str, number: str) -> None:
    assert _best(_rank(text), "invoice_number") == number


def test_totals_named_by_their_basis_and_the_invoice_sum() -> None:
    english = _rank("Subtotal (lines) 100,00\nTax basis 115,00\nVAT (19%) 21,85\nTOTAL DUE 136,85")
    assert _best(english, "total_net") == Decimal("115.00")
    assert _best(english, "total_tax") == Decimal("21.85")
    german = _rank("Rechnung Nr. 7\nSumme Waren 9,90\nRechnungssumme 9,90")
    assert _best(german, "total_gross") == Decimal("9.90")


def test_party_labels_joined_by_a_slash_open_one_block() -> None:
    text = "Verkäufer\nMUSTERLIEFERANT GMBH\nBahnhofstr. 9\nKäufer / Leistungsempfänger\nKUNDE AG"
    rankings = _rank(text)
    assert _best(rankings, "seller.name") == "MUSTERLIEFERANT GMBH"
    assert _best(rankings, "buyer.name") == "KUNDE AG"
