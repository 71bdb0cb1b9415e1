"""Kinds of document, required fields, what decides `succeeded`, and documents of no kind."""

from decimal import Decimal
from pathlib import Path

from reportlab.pdfgen import canvas

from extractor.pipeline import Extractor
from extractor.result import Status
from extractor.settings import load_settings
from extractor.text.registration import is_registration, printed_with_registration
from extractor.values.confirm import confirmed_fields, has_legal_form
from extractor.values.kinds import document_kind, missing_required, not_of_kind
from extractor.values.validate import validate_invoice
from schemas import get_schema
from schemas.invoice import Invoice
from tests.conftest import SAMPLES
from tests.fakes import ScriptedBackend

INVOICE = get_schema("invoice")
LAB = get_schema("lab_report")
RECEIPT_TEXT = "ACME MART SDN BHD\nCASH BILL\nTOTAL: 9.00\nCASH 10.00\nCHANGE 1.00\nTHANK YOU"


def _pdf(path: Path, lines: list[str]) -> Path:
    page = canvas.Canvas(str(path))
    for number, line in enumerate(lines):
        page.drawString(72, 760 - 16 * number, line)
    page.save()
    return path


def _extract(path: Path) -> object:
    return Extractor(ScriptedBackend({}), load_settings(use_model=False)).extract(path, INVOICE)


def test_a_till_slip_is_a_receipt_and_an_invoice_is_the_default_kind() -> None:
    receipt = document_kind(INVOICE, RECEIPT_TEXT)
    assert receipt is not None and receipt.name == "receipt"
    assert "buyer.name" not in receipt.required
    invoice = document_kind(INVOICE, "Invoice 17\nPaid in cash\nTotal 20.00")  # one cue only
    assert invoice is not None and invoice.name == "invoice"
    assert {"invoice_number", "issue_date", "seller.name", "total_gross", "currency"} <= set(
        invoice.required
    )


def test_missing_required_fields_are_named_list_items_included() -> None:
    invoice = document_kind(INVOICE, "Invoice")
    assert invoice is not None
    data = {"invoice_number": "17", "seller": {"name": "Acme"}, "total_gross": Decimal("0")}
    assert missing_required(invoice, data) == ("issue_date", "buyer.name", "currency")
    lab = LAB.cues.kinds[0]
    assert missing_required(lab, {"patient": {"name": "A"}, "results": [{"test_name": None}]}) == (
        "results.*.test_name",
    )
    assert missing_required(lab, {"patient": {"name": "A"}, "results": [{"test_name": "Hb"}]}) == ()


def test_no_cue_or_no_required_field_means_no_invoice() -> None:
    assert not_of_kind(INVOICE, "Attention is all you need. Abstract", {"seller": {"name": "X"}})
    assert not_of_kind(INVOICE, "Invoice", {})  # an empty result is never an answer
    assert not_of_kind(INVOICE, "Invoice", {"purchase_order": "PO-1"})  # nothing it requires
    assert not_of_kind(INVOICE, "Invoice", {"invoice_number": "17"}) is None


def test_a_title_printed_letter_spaced_is_its_word() -> None:
    seller = {"seller": {"name": "Hudson Valley Printworks LLC"}}
    assert not_of_kind(INVOICE, "Hudson Valley\nI N V O I C E\nRef no: #7", seller) is None
    assert not_of_kind(INVOICE, "Hudson Valley\nI N V O I C E S\nRef no: #7", seller)
    assert not_of_kind(INVOICE, "Section A B C\nRef no: #7", seller)


def test_a_paper_run_as_invoice_is_other_kind(tmp_path: Path) -> None:
    lines = ["On the Shape of Small Models", "Abstract", "We study how small language models",
             "generalise to layouts they never saw. Version 10x of the method improves",
             "results by 3.5 points. Table 1 lists the totals per set."]  # fmt: skip
    result = _extract(_pdf(tmp_path / "paper.pdf", lines))
    assert result.status == Status.OTHER_KIND  # type: ignore[attr-defined]
    assert result.errors[0].code == "other_kind"  # type: ignore[attr-defined]


def test_a_missing_required_field_sends_the_result_to_review(tmp_path: Path) -> None:
    lines = ["Acme GmbH", "Invoice", "Invoice number: 2024-117", "Total: 119.00 EUR"]
    result = _extract(_pdf(tmp_path / "no-date.pdf", lines))
    assert result.status == Status.NEEDS_REVIEW  # type: ignore[attr-defined]
    codes = {error.code: error for error in result.errors}  # type: ignore[attr-defined]
    assert "issue_date" in codes["missing_required"].fields


def test_a_receipt_total_needs_arithmetic_to_confirm_it(tmp_path: Path) -> None:
    # no change printed: nothing says what was paid
    lines = ["ACME MART SDN BHD", "CASH BILL", "DATE: 15/01/2019", "TOTAL: 9.00", "CASH 10.00",
             "THANK YOU"]  # fmt: skip
    result = _extract(_pdf(tmp_path / "receipt.pdf", lines))
    assert result.kind == "receipt"  # type: ignore[attr-defined]
    assert result.status == Status.NEEDS_REVIEW  # type: ignore[attr-defined]
    codes = {error.code for error in result.errors}  # type: ignore[attr-defined]
    assert "unconfirmed" in codes and "missing_required" not in codes


def test_arithmetic_and_legal_forms_confirm_but_shapes_do_not() -> None:
    invoice = Invoice(
        seller={"name": "Acme Trading SDN BHD"},  # type: ignore[arg-type]
        buyer={"name": "Zoë Blackwood"},  # type: ignore[arg-type]
        total_net=Decimal("100.00"),
        total_tax=Decimal("19.00"),
        total_gross=Decimal("119.00"),
    )
    confirmed = confirmed_fields(invoice.model_dump(), validate_invoice(invoice))
    assert {"total_net", "total_tax", "total_gross", "seller.name"} <= confirmed
    assert "buyer.name" not in confirmed  # a plausible name is not a confirmed one
    assert has_legal_form("Müller Feinmechanik GmbH") and not has_legal_form("Zoë Blackwood")
    assert has_legal_form("MAKASSAR FRESH MARKET SDN BHD")
    assert has_legal_form("99 SPEED MART S/B")  # Sendirian Berhad, abbreviated: not in cleanco
    assert has_legal_form("SEGI CASH & CARRY SDN.BHD")  # printed unspaced
    assert not has_legal_form("MR. D.I.Y")
    # cleanco drops a trailing colon or bracket too: those are no legal form, and a total's
    # label read as a name is not confirmed by them
    assert not has_legal_form("TOTAL PAYABLE:")
    assert not has_legal_form("TOTAL 6% SUPPLIES (INC. GST)")


def test_a_total_the_payment_pays_is_confirmed_and_another_is_not() -> None:
    receipt = Invoice(seller={"name": "Kedai Runcit"}, total_gross=Decimal("42.90"))  # type: ignore[arg-type]
    data = receipt.model_dump()
    assert "total_gross" in confirmed_fields(data, [], settled=[Decimal("42.90")])
    assert "total_gross" not in confirmed_fields(data, [], settled=[Decimal("42.95")])
    assert "total_gross" not in confirmed_fields(data, [])


def test_a_till_slips_payment_confirms_its_total_end_to_end(tmp_path: Path) -> None:
    lines = [
        "KEDAI RUNCIT MAJU",
        "Date: 17-03-18",
        "BISKUT 9.50",
        "KOPI 22.90",
        "GULA 10.50",
        "TOTAL INCL. GST@6%",
        "RM 42.90",
        "CASH",
        "RM 50.00",
        "CHANGE",
        "RM 7.10",
    ]
    result = _extract(_pdf(tmp_path / "till.pdf", lines))
    codes = {(error.code, error.fields) for error in result.errors}  # type: ignore[attr-defined]
    assert result.data["total_gross"] == Decimal("42.90")  # type: ignore[attr-defined]
    assert ("unconfirmed", ("total_gross",)) not in codes


def test_a_receipts_total_after_a_printed_adjustment_is_confirmed(tmp_path: Path) -> None:
    lines = ["KEDAI RUNCIT MAJU", "Date: 17-03-18", "CASH", "THANK YOU", "TOTAL AMOUNT: RM8.48",
             "ROUNDING: RM0.02", "NETT TOTAL: RM8.50"]  # fmt: skip
    result = _extract(_pdf(tmp_path / "receipt.pdf", lines))
    codes = {(error.code, error.fields) for error in result.errors}  # type: ignore[attr-defined]
    assert result.kind == "receipt"  # type: ignore[attr-defined]
    assert result.data["total_gross"] == Decimal("8.50")  # type: ignore[attr-defined]
    assert ("unconfirmed", ("total_gross",)) not in codes
    # no payment printed, so without the adjustment nothing confirms the total
    plain = _extract(_pdf(tmp_path / "plain.pdf", [*lines[:4], "NETT TOTAL: RM8.50"]))
    codes = {(error.code, error.fields) for error in plain.errors}  # type: ignore[attr-defined]
    assert ("unconfirmed", ("total_gross",)) in codes


def test_a_total_the_pdf_draws_last_is_settled_by_the_page_read_in_order(tmp_path: Path) -> None:
    # a till whose PDF draws its labels, then the amounts beside them, the total before
    # rounding last: in the text's order it does not stand before the adjustment
    labels = ["KEDAI RUNCIT MAJU", "Date: 17-03-18", "CASH", "TOTAL SALES (INCLUSIVE GST) RM",
              "ROUNDING ADJUSTMENT RM", "ROUNDING RM", "THANK YOU"]  # fmt: skip
    page = canvas.Canvas(str(tmp_path / "till.pdf"))
    for number, line in enumerate(labels):
        page.drawString(72, 760 - 16 * number, line)
    for number, amount in ((4, ".02"), (5, "182.00"), (3, "181.98")):
        page.drawString(400, 760 - 16 * number, amount)
    page.save()
    result = _extract(tmp_path / "till.pdf")
    codes = {(error.code, error.fields) for error in result.errors}  # type: ignore[attr-defined]
    assert result.data["total_gross"] == Decimal("182.00")  # type: ignore[attr-defined]
    assert ("unconfirmed", ("total_gross",)) not in codes  # 181.98 + .02, in geometric order


def test_a_registration_number_is_told_from_phones_postcodes_and_tax_ids() -> None:
    numbers = ("(JM0517726)", "JM0325955-V", "002043319-W", "(81109-A)", "(1179227A)",
               "(002022599 - U)", "COMPANY REG. NO. : 001055194X", "(CO. NO: 20154-T)")  # fmt: skip
    for number in numbers:
        assert is_registration(number), number
    for other in ("03-55423228", "3-1708032", "47500", "81750 MASAI", "NO 290",
                  "GST NO: 001147981824", "TABLE:T10", "TOTAL 9.00"):  # fmt: skip
        assert not is_registration(other), other


def test_a_name_printed_with_its_registration_number_is_confirmed(tmp_path: Path) -> None:
    text = "TAN WOON YANN\nYONGFATT ENTERPRISE\n(JM0517726)\nNO 122 JALAN DEDAP 13"
    assert printed_with_registration("YONGFATT ENTERPRISE", text)
    assert not printed_with_registration("TAN WOON YANN", text)  # the cashier, above it
    assert printed_with_registration(
        "KHE ELECTRICAL TRADING", "KHE ELECTRICAL TRADING (001465242-V)"
    )
    # wrapped by the printer, a banner between the name and its number
    assert printed_with_registration(
        "TSH POWER HARDWARE TRADING", "TSH POWER HARDWARE\nTRADING\n002458685-T"
    )
    banner = "YONG TAT HARDWARE TRADING\nGOODS SOLD ARE NOT RETURNABLE\n(JM0292487-D)"
    assert printed_with_registration("YONG TAT HARDWARE TRADING", banner)
    assert not printed_with_registration("YONG TAT", banner)  # part of a line is no name on it
    data = {"seller": {"name": "YONGFATT ENTERPRISE"}, "buyer": {"name": "TAN WOON YANN"}}
    confirmed = confirmed_fields(data, [], registered={"YONGFATT ENTERPRISE"})
    assert "seller.name" in confirmed and "buyer.name" not in confirmed
    # end to end: the receipt's name is confirmed by its number, its total by the payment
    lines = ["YONGFATT ENTERPRISE", "(JM0517726)", "NO 122 JALAN DEDAP 13", "CASH BILL",
             "DATE: 15/01/2019", "TOTAL: 9.00", "CASH 10.00", "CHANGE 1.00",
             "THANK YOU"]  # fmt: skip
    result = _extract(_pdf(tmp_path / "receipt.pdf", lines))
    codes = {(error.code, error.fields) for error in result.errors}  # type: ignore[attr-defined]
    assert result.data["seller"]["name"] == "YONGFATT ENTERPRISE"  # type: ignore[attr-defined]
    assert ("unconfirmed", ("seller.name",)) not in codes
    unregistered = _extract(_pdf(tmp_path / "plain.pdf", [lines[0], *lines[2:]]))
    codes = {(error.code, error.fields) for error in unregistered.errors}  # type: ignore[attr-defined]
    assert ("unconfirmed", ("seller.name",)) in codes


def test_a_till_that_names_its_cashier_is_a_receipt_even_titled_tax_invoice() -> None:
    text = "RESTORAN MAJU\nTAX INVOICE\nINV NO.: 1207108\nCASHIER: NICOLE\nTOTAL: 4.60\nCASH : 4.60"
    kind = document_kind(INVOICE, text)
    assert kind is not None and kind.name == "receipt"


def test_a_shipped_sample_invoice_still_succeeds() -> None:
    result = _extract(SAMPLES / "de_equipment.pdf")
    assert result.status == Status.SUCCEEDED, result.errors  # type: ignore[attr-defined]
    assert result.kind == "invoice"  # type: ignore[attr-defined]
