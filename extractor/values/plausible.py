"""Whether a value has the shape of what it claims to be, whatever layout it came from: a
party name is not a sentence, a disclaimer or a software banner; a document number is not a
version, a page count, a phone number, a date or an amount; a date lies in a sane range.

These are the checks that hold on layouts never seen: the rules that found a value were
written for some layouts, its shape does not depend on any.
"""

import re
from datetime import date, timedelta

OLDEST_DATE = date(1990, 1, 1)
FUTURE_DAYS = 366  # an issue date more than a year ahead is a misread
LONGEST_TERM = timedelta(days=3 * 366)  # due dates further after the issue date are misreads
_MAX_NAME_WORDS = 10
_MAX_NAME_CHARS = 80
# Words a sentence has and a name rarely has more than two of (en, de, fr, nl).
# fmt: off
_STOP_WORDS = frozenset({
    "the", "of", "and", "or", "is", "are", "to", "for", "with", "by", "this", "that", "please",
    "be", "will", "all", "any", "our", "your", "der", "die", "das", "und", "ist", "sind", "mit",
    "von", "für", "bitte", "le", "la", "les", "des", "et", "est", "pour", "avec", "par", "een",
    "het", "van", "en", "zijn", "voor", "met",
})
# Words that head a party block rather than name a party (en, de, fr, nl).
_LABEL_WORDS = frozenset({
    "name", "customer", "client", "buyer", "seller", "supplier", "vendor", "bill", "billed",
    "ship", "sold", "to", "from", "invoice", "recipient", "kunde", "käufer", "lieferant",
    "verkäufer", "rechnungsempfänger", "empfänger", "rechnung", "an", "fournisseur",
    "acheteur", "destinataire", "facture", "klant", "leverancier", "factuur", "aan", "van",
    "address", "adresse", "anschrift", "adres",
})
# Label words that hardly ever stand in a company's name: two of them make a label, not a name.
_HEADING_WORDS = _LABEL_WORDS - {"name", "bill", "ship", "sold", "to", "from", "an", "aan", "van"}
# fmt: on
_NUMBER_MARK = re.compile(r"^(?:n[°º]|no|nr|num|\w+-nr)$")  # "N°", "Nr.", "Art-Nr."
_COMPOUND_LABEL = re.compile(r"\wempfänger$")  # "Leistungsempfänger", "Warenempfänger"
_SENTENCE_END = re.compile(r"\b[a-zà-ÿ]{2,}[.!?]$")  # a lower-case word, not "SDN. BHD."
_LABEL_MARK = re.compile(r"\w\s*:|#")
# a total's label ("TOTAL 6% SUPPLIES (INC. GST)", "TOTAL INCLUSIVE GST"), not a party
_AMOUNT_LABEL = re.compile(
    r"^(?:sub\s*|grand\s+)?total\b.*\b(?:gst|vat|tax|incl|excl|inclusive|exclusive|amount|due)\b"
    r"|\d\s*%",
    re.IGNORECASE,
)
_BANNER = re.compile(
    r"\b(?:generated|created|produced|powered|printed|rendered|made)\s+(?:by|with|using)\b"
    r"|\bpage\s+\d|\bseite\s+\d|\bcopyright\b|©|\ball\s+rights\s+reserved\b"
    r"|https?://|www\.|@\w+\.\w",
    re.IGNORECASE,
)
# what a till slip or a letter says to its reader, not who it is from: "THANK YOU. PLEASE
# COME AGAIN.", "GOODS SOLD ARE NOT RETURNABLE", "YOUR ORDER NUMBER IS", "ACCOUNT'S COPY",
# a copy's stamp alone ("DUPLICATA", "KOPIE"), and lines framed by decoration ("**** PROMO
# ****", "===== VISIT US AGAIN =====")
_ADDRESSED = re.compile(
    r"\bthank(?:s|\s+you)\b|\bplease\b|\bwelcome\s+to\b|\bcome\s+again\b|\bvisit\s+us\b"
    r"|\bgoods\s+sold\b|\bnot\s+(?:returnable|refundable|exchangeable)\b"
    r"|\bfor\s+(?:feedback|complaints?|enquiries)\b"
    r"|\bdanke\b|\bvielen\s+dank\b|\bmerci\b|\bbedankt\b"
    r"|^\s*your\s+(?:order|receipt|bill|invoice|reference|copy)\b"
    r"|\b(?:customer|merchant|account|store)(?:'?s)?\s+copy\b"
    r"|^\s*(?:duplicata|duplicate|duplikat|zweitschrift|copie|copy|kopie|original)\s*$"
    r"|^\s*(?:[*=~#]\s*){2,}|(?:[*=~#]\s*){2,}$|^\s*\*.*\*\s*$",
    re.IGNORECASE,
)
_VERSION = re.compile(r"^v(?:ersion)?\s*\d+(?:\.\d+)*$|^\d+\.\d+\.\d+(?:\.\d+)?$", re.IGNORECASE)
_PAGE = re.compile(
    r"^(?:page|seite|p\.|pg\.?)\s*\d+|^\d+\s*(?:/|of|von|sur|de)\s*\d+$", re.IGNORECASE
)
_PHONE = re.compile(r"^(?:\+|00)\d[\d\s()/.-]{6,}$|^\(?0\d{1,4}\)?[\s/-]\d[\d\s/-]{4,}$")
_PHONE_DIGITS = 9
_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_AMOUNT = re.compile(r"^[-+]?\d{1,3}(?:[.,' ]\d{3})*[.,]\d{2}$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def is_plausible_name(name: str) -> bool:
    """A company or person name, not a sentence, disclaimer, banner, label or address line."""
    words = name.split()
    if not any(ch.isalpha() for ch in name) or len(name) > _MAX_NAME_CHARS:
        return False
    if _LABEL_MARK.search(name) or name.count(",") >= 2:  # "Name: ...", "Firm, Street 1, City"
        return False
    if _AMOUNT_LABEL.search(name):
        return False
    tokens = [token for word in words if (token := word.casefold().strip(":#.,/()"))]
    if all(_is_label(token) for token in tokens):  # "Invoice to", "Facture N°", "Art-Nr."
        return False
    if sum(token in _HEADING_WORDS or bool(_COMPOUND_LABEL.search(token)) for token in tokens) >= 2:
        return False  # "Käufer / Leistungsempfänger ACME GMBH", "Seller name Adresse du Client"
    if len(words) > _MAX_NAME_WORDS or _BANNER.search(name) or addresses_reader(name):
        return False
    stop_words = sum(word.casefold().strip(",.;:") in _STOP_WORDS for word in words)
    if stop_words >= 3 and len(words) >= 6:
        return False
    return not (len(words) >= 6 and _SENTENCE_END.search(name.rstrip()))


def addresses_reader(line: str) -> bool:
    """A line that speaks to the reader (thanks, a request, a policy, which copy this is) or
    is framed by decoration: a banner, never a party's name."""
    return bool(_ADDRESSED.search(line))


def _is_label(token: str) -> bool:
    return token in _LABEL_WORDS or bool(_NUMBER_MARK.match(token) or _COMPOUND_LABEL.search(token))


def is_plausible_document_number(number: str) -> bool:
    """An invoice or receipt number, not a version, page, phone number, date, amount or year."""
    text = number.strip()
    if len(text) < 2 or not any(ch.isalnum() for ch in text):
        return False
    if _PHONE.match(text) and sum(ch.isdigit() for ch in text) >= _PHONE_DIGITS:
        return False
    shapes = (_VERSION, _PAGE, _DATE, _AMOUNT, _YEAR)
    return not any(shape.match(text) for shape in shapes)


def is_plausible_issue_date(issued: date, today: date | None = None) -> bool:
    latest = (today or date.today()) + timedelta(days=FUTURE_DAYS)
    return OLDEST_DATE <= issued <= latest


def is_plausible_term(issued: date, due: date) -> bool:
    """A due date not absurdly far after the issue date (its order is checked apart)."""
    return due - issued <= LONGEST_TERM
