"""Content tables for the varied invoice set: regions with their number, date and money
notations, label synonyms per language, notes, party names, addresses and line items."""

from dataclasses import dataclass
from decimal import Decimal

D = Decimal

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}


@dataclass(frozen=True)
class Region:
    code: str  # GB US DE CH FR
    lang: str
    currency: str
    dates: tuple[str, ...]  # placeholders: d, d1 (1er), dd, m, mm, month, mon, yyyy, yy
    numbers: tuple[tuple[str, str], ...]  # (group, decimal) separators
    moneys: tuple[str, ...]  # "{num}" with the symbol or code around it
    standard_rate: Decimal
    reduced_rate: Decimal


REGIONS = {
    "GB": Region(
        "GB",
        "en",
        "GBP",
        ("{dd}/{mm}/{yyyy}", "{d} {month} {yyyy}", "{d} {mon} {yyyy}", "{yyyy}-{mm}-{dd}"),
        ((",", "."), ("", ".")),
        ("£{num}", "{num} GBP", "GBP {num}"),
        D("20"),
        D("5"),
    ),
    "US": Region(
        "US",
        "en",
        "USD",
        ("{mm}/{dd}/{yyyy}", "{m}/{d}/{yyyy}", "{month} {d}, {yyyy}", "{mon} {d}, {yyyy}"),
        ((",", "."),),
        ("${num}", "USD {num}", "$ {num}"),
        D("8.25"),
        D("0"),
    ),
    "DE": Region(
        "DE",
        "de",
        "EUR",
        ("{dd}.{mm}.{yyyy}", "{d}. {month} {yyyy}", "{yyyy}-{mm}-{dd}", "{dd}.{mm}.{yy}"),
        ((".", ","), ("", ",")),
        ("{num} €", "{num} EUR", "EUR {num}", "€ {num}"),
        D("19"),
        D("7"),
    ),
    "CH": Region(
        "CH",
        "de",
        "CHF",
        ("{dd}.{mm}.{yyyy}", "{d}. {month} {yyyy}"),
        (("'", "."), ("\u2019", ".")),
        ("CHF {num}", "{num} CHF"),
        D("8.1"),
        D("2.6"),
    ),
    "FR": Region(
        "FR",
        "fr",
        "EUR",
        ("{dd}/{mm}/{yyyy}", "{d1} {month} {yyyy}", "{dd}-{mm}-{yyyy}"),
        (("\u202f", ","), ("\u00a0", ","), (" ", ",")),
        ("{num} €", "{num} EUR", "{num}€"),
        D("20"),
        D("5.5"),
    ),
}
US_RATES = (D("8.25"), D("7.5"), D("6.25"), D("8.875"), D("9.5"))

# Label synonyms; one is picked per invoice. "{rate}" is the VAT rate in local notation.
LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "title": ("INVOICE", "Invoice", "TAX INVOICE"),
        "number": ("Invoice No.", "Invoice #", "Invoice number", "Invoice no:"),
        "date": ("Date", "Invoice date", "Date of issue"),
        "due": ("Due date", "Payment due", "Due"),
        "po": ("PO number", "P.O. #", "Your order ref.", "Purchase order"),
        "customer": ("Customer ID", "Account no.", "Customer no."),
        "delivery": ("Delivery date", "Date of supply", "Ship date"),
        "buyer": ("Bill to", "BILL TO", "Invoice to", "Customer"),
        "vat": ("VAT No.", "VAT Reg. No.", "VAT number"),
        "pos": ("#", "No."),
        "art": ("Item", "SKU"),
        "desc": ("Description", "Item description", "Details"),
        "qty": ("Qty", "Quantity", "Hours/Qty"),
        "unit": ("Unit",),
        "price": ("Unit price", "Rate", "Price"),
        "rate": ("VAT",),
        "amount": ("Amount", "Line total", "Net"),
        "items": ("Items total", "Goods total"),
        "discount": ("Discount {pct}%", "Less {pct}% discount"),
        "shipping": ("Shipping", "Delivery charge", "Carriage"),
        "net": ("Subtotal", "Net total", "Total excl. VAT"),
        "gross": ("Total", "Invoice total", "TOTAL"),
        "paid": ("Deposit paid", "Less payment received"),
        "due_amount": ("Amount due", "Balance due", "Amount payable"),
        "words": ("In words: {words}", "Amount in words: {words}"),
        "page": ("Page {n}",),
        "carried": ("Carried forward",),
        "brought": ("Brought forward",),
        "on": (" on {base}",),
    },
    "de": {
        "title": ("Rechnung", "RECHNUNG"),
        "number": ("Rechnungsnummer", "Rechnungs-Nr.", "Rechnung Nr.", "Rechnungsnr."),
        "date": ("Rechnungsdatum", "Datum"),
        "due": ("Fällig am", "Zahlbar bis", "Fälligkeitsdatum"),
        "po": ("Bestellnummer", "Ihre Bestellung", "Bestell-Nr."),
        "customer": ("Kundennummer", "Kunden-Nr."),
        "delivery": ("Lieferdatum", "Leistungsdatum"),
        "buyer": ("Rechnungsempfänger", "Rechnungsadresse", "Kunde"),
        "vat": ("USt-IdNr.", "USt-ID", "UID"),
        "pos": ("Pos.", "Nr."),
        "art": ("Art.-Nr.", "Artikel"),
        "desc": ("Bezeichnung", "Beschreibung", "Leistung"),
        "qty": ("Menge", "Anzahl"),
        "unit": ("Einheit", "ME"),
        "price": ("Einzelpreis", "E-Preis", "Preis/Einheit"),
        "rate": ("USt.", "MwSt."),
        "amount": ("Betrag", "Gesamtpreis", "Gesamt"),
        "items": ("Summe Positionen", "Warenwert"),
        "discount": ("abzgl. {pct} % Rabatt", "Rabatt {pct} %"),
        "shipping": ("Versandkosten", "Fracht und Verpackung"),
        "net": ("Nettobetrag", "Summe netto", "Zwischensumme"),
        "tax": ("MwSt. {rate} %", "Umsatzsteuer {rate}%", "zzgl. USt. {rate} %"),
        "gross": ("Gesamtbetrag", "Rechnungsbetrag", "Endbetrag"),
        "paid": ("abzgl. Anzahlung", "bereits bezahlt"),
        "due_amount": ("Zahlbetrag", "Noch zu zahlen"),
        "words": ("Betrag in Worten: {words}", "In Worten: {words}"),
        "page": ("Seite {n}",),
        "carried": ("Übertrag",),
        "brought": ("Übertrag",),
        "on": (" auf {base}", " von {base}"),
    },
    "fr": {
        "title": ("FACTURE", "Facture"),
        "number": ("Facture n°", "N° de facture", "Facture N°", "Numéro de facture"),
        "date": ("Date de facture", "Date", "Date d'émission"),
        "due": ("Échéance", "Date d'échéance", "À payer avant le"),
        "po": ("Bon de commande", "Votre commande", "Réf. commande"),
        "customer": ("Code client", "N° client"),
        "delivery": ("Date de livraison", "Date de la prestation"),
        "buyer": ("Client", "Facturé à", "Adresse de facturation", "Destinataire"),
        "vat": ("N° TVA", "TVA intracom.", "N° TVA intracommunautaire"),
        "pos": ("N°", "Réf."),
        "art": ("Code", "Réf. article"),
        "desc": ("Désignation", "Description"),
        "qty": ("Qté", "Quantité"),
        "unit": ("Unité", "U."),
        "price": ("Prix unitaire HT", "P.U. HT", "Prix unit."),
        "rate": ("TVA",),
        "amount": ("Montant HT", "Total HT", "Montant"),
        "items": ("Total brut HT", "Sous-total"),
        "discount": ("Remise {pct} %", "Remise commerciale {pct} %"),
        "shipping": ("Frais de port", "Frais de livraison"),
        "net": ("Total HT", "Total net HT", "Montant HT"),
        "tax": ("TVA {rate} %", "TVA ({rate}%)", "Montant TVA {rate} %"),
        "gross": ("Total TTC", "Montant TTC"),
        "paid": ("Acompte versé", "Déjà réglé"),
        "due_amount": ("Net à payer", "Reste à payer"),
        "words": (
            "Arrêté la présente facture à la somme de {words}.",
            "Soit en toutes lettres : {words}.",
        ),
        "page": ("Page {n}",),
        "carried": ("À reporter",),
        "brought": ("Report",),
        "on": (" sur {base}",),
    },
}
EN_TAX = {
    "GB": ("VAT {rate}%", "VAT @ {rate}%", "VAT ({rate}%)"),
    "US": ("Sales tax ({rate}%)", "Sales Tax {rate}%", "Tax ({rate}%)"),
}
EXEMPT_NOTES = {
    "GB": ("Reverse charge: customer to account for VAT to HMRC.",),
    "US": ("Tax exempt sale - resale certificate on file.",),
    "DE": (
        "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet (Kleinunternehmer).",
        "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge, § 13b UStG).",
    ),
    "CH": ("Von der Mehrwertsteuer befreit (Umsatz unter CHF 100'000).",),
    "FR": ("TVA non applicable, art. 293 B du CGI", "Autoliquidation - art. 283-2 du CGI"),
}
TERMS = {
    "GB": ("Payment within 30 days by bank transfer.", "Please quote the invoice number."),
    "US": ("Terms: Net 30.", "Thank you for your business!", "Make checks payable to: {seller}"),
    "DE": ("Zahlbar innerhalb von 14 Tagen ohne Abzug.", "Vielen Dank für Ihren Auftrag!"),
    "CH": ("Zahlbar innert 30 Tagen netto.", "Besten Dank für Ihren Auftrag."),
    "FR": (
        "Paiement à 30 jours par virement.",
        "Pénalités de retard : 3 fois le taux d'intérêt légal. Indemnité forfaitaire de 40 €.",
    ),
}

# Parties: (name, is_person); addresses: (street, "postcode city") pools; country line.
NAMES = {
    "GB": (
        ("Hartwell & Finch Ltd", False),
        ("Pemberton Joinery Ltd", False),
        ("Ashdown Consulting Ltd", False),
        ("Cotswold Print Works Ltd", False),
        ("Brontë Interiors Ltd", False),
        ("Zoë Blackwood", True),
        ("Renée Hargreaves", True),
        ("Thames Valley Café Ltd", False),
    ),
    "US": (
        ("Pinecrest Software, Inc.", False),
        ("Bayside Logistics LLC", False),
        ("Redwood Analytics Inc.", False),
        ("Crème Brûlée Bakery LLC", False),
        ("Summit Ridge Consulting LLC", False),
        ("José Martínez", True),
        ("Lakeshore Supply Inc.", False),
        ("Chloé Anderson", True),
    ),
    "DE": (
        ("Müller & Söhne GmbH", False),
        ("Schäfer Haustechnik GmbH", False),
        ("Weißbach Logistik AG", False),
        ("Bäckerei Krüger e.K.", False),
        ("Jäger Metallbau GmbH & Co. KG", False),
        ("Hoffmann Druck KG", False),
        ("Özdemir Elektrotechnik e.K.", False),
        ("Kühne Software AG", False),
        ("Jürgen Weiß", True),
        ("Sabine Köhler", True),
    ),
    "CH": (
        ("Zürcher Feinmechanik GmbH", False),
        ("Käserei Brügger AG", False),
        ("Bergmann Uhren AG", False),
        ("Lukas Grünig", True),
    ),
    "FR": (
        ("Atelier Lumière SARL", False),
        ("Boulangerie Dupré SAS", False),
        ("Éditions du Châtelet SA", False),
        ("Menuiserie Lefèvre SARL", False),
        ("Garçon & Fils SAS", False),
        ("Transports Bénard SA", False),
        ("Hélène Fournier", True),
        ("François Lefèvre", True),
    ),
}
STREETS = {
    "GB": (
        "14 Cavendish Row",
        "27 Deansgate",
        "Unit 4, Riverside Industrial Estate",
        "9 Market Street",
        "112 Kingsway",
    ),
    "US": (
        "2150 Mission Street, Suite 400",
        "800 Terminal Way",
        "1600 Elm Avenue",
        "45 Broad Street, Floor 12",
        "77 Lake Shore Drive",
    ),
    "DE": (
        "Industriestraße 42",
        "Lindenallee 7",
        "Hauptstraße 118",
        "Am Mühlbach 3a",
        "Königsallee 92",
        "Schloßstraße 15",
    ),
    "CH": ("Bahnhofstrasse 21", "Seestrasse 104", "Marktgasse 8"),
    "FR": (
        "18 rue des Tanneurs",
        "5 quai de Rive-Neuve",
        "42 avenue Jean-Jaurès",
        "7 place de la République",
        "3 boulevard Haussmann",
        "12 impasse des Lilas",
    ),
}
CITIES = {
    "GB": (
        "Bristol BS1 4QA",
        "Manchester M3 2BW",
        "Leeds LS1 5DL",
        "Edinburgh EH2 2ER",
        "London EC1V 9HX",
    ),
    "US": (
        "San Francisco, CA 94110",
        "Oakland, CA 94607",
        "Austin, TX 78701",
        "Chicago, IL 60601",
        "Boston, MA 02110",
    ),
    "DE": (
        "70565 Stuttgart",
        "80331 München",
        "50667 Köln",
        "20095 Hamburg",
        "04109 Leipzig",
        "60311 Frankfurt am Main",
    ),
    "CH": ("8001 Zürich", "3011 Bern", "4051 Basel"),
    "FR": (
        "69002 Lyon",
        "13007 Marseille",
        "75009 Paris",
        "33000 Bordeaux",
        "31000 Toulouse",
        "67000 Strasbourg",
    ),
}
COUNTRY = {
    "GB": "United Kingdom",
    "US": "USA",
    "DE": "Deutschland",
    "CH": "Schweiz",
    "FR": "France",
}
BANKS = {
    "GB": ("BARC", "LOYD", "NWBK", "HBUK"),
    "DE": ("37040044", "50010517", "60050101"),
    "CH": ("00762", "00230", "80808"),
    "FR": ("30004", "30002", "10107"),
}
BICS = {"GB": "BARCGB22", "DE": "COBADEFFXXX", "CH": "UBSWCHZH80A", "FR": "BNPAFRPPXXX"}

# Items: (description, unit, low price, high price, reduced VAT, fractional quantity)
ITEMS = {
    "en": (
        ("Website redesign - discovery workshop", "day", 900, 1900, False, False),
        ("Front-end development", "hrs", 60, 110, False, True),
        ("Hosting setup and configuration", "pcs", 150, 400, False, False),
        ("Oak dining chair, hand finished", "pcs", 120, 260, False, False),
        ("Printed brochures A5, 16 pages (box)", "box", 80, 240, False, False),
        ("Cookery books - Spring edition", "pcs", 12, 30, True, False),
        ("Energy-saving insulation material", "m2", 8, 25, True, True),
        ("Consulting services", "hrs", 85, 175, False, True),
        ("Annual software licence (seat)", "pcs", 180, 600, False, False),
        ("On-site support visit", "day", 450, 800, False, False),
        ("Carbon steel brackets (pack of 50)", "pack", 14, 40, False, False),
        ("Children's car seat, group 1", "pcs", 90, 160, True, False),
    ),
    "de": (
        ("Edelstahl-Arbeitstisch 1500 x 700 mm", "Stk.", 450, 900, False, False),
        ("Spiralknetmaschine 40 L", "Stk.", 2400, 3800, False, False),
        ("Montage und Inbetriebnahme", "Std.", 65, 110, False, True),
        ("Anfahrtspauschale", "pausch.", 45, 120, False, False),
        ("Fachbuch Lebensmittelhygiene", "Stk.", 25, 60, True, False),
        ("Kaffeebohnen Espresso, 1 kg", "kg", 14, 28, True, True),
        ("Beratungsleistung Steuerrecht", "Std.", 95, 180, False, True),
        ("Wartungsvertrag Heizungsanlage", "Jahr", 240, 600, False, False),
        ("Kupferrohr 22 mm, 5 m", "Stk.", 30, 70, False, False),
        ("Brötchen-Sortiment (Großgebinde)", "Karton", 18, 45, True, False),
        ("Softwarepflege Modul Lager", "Monat", 80, 260, False, False),
        ("Druck Flyer DIN lang, 4/4-farbig", "Tsd.", 40, 95, False, False),
    ),
    "fr": (
        ("Suspension laiton sur mesure", "u", 180, 320, False, False),
        ("Applique murale Étoile", "u", 60, 120, False, False),
        ("Pose et raccordement électrique", "forfait", 600, 1500, False, False),
        ("Livre « Cuisine des régions »", "u", 18, 45, True, False),
        ("Prestation de conseil", "h", 70, 140, False, True),
        ("Déplacement technicien", "forfait", 45, 95, False, False),
        ("Fourniture de pains spéciaux", "kg", 4, 9, True, True),
        ("Maintenance annuelle chaudière", "an", 180, 420, False, False),
        ("Traduction français-allemand", "page", 25, 45, False, False),
        ("Plateau de fromages affinés", "u", 22, 48, True, False),
        ("Développement site vitrine", "jour", 380, 650, False, True),
        ("Étagère en chêne massif 120 cm", "u", 140, 320, False, False),
    ),
}

HEADERS = ("single", "two_col", "two_col_rev", "din", "meta_table")
COLUMN_ORDERS = (
    ("desc", "qty", "price", "amount"),
    ("pos", "desc", "qty", "unit", "price", "amount"),
    ("qty", "desc", "price", "amount"),
    ("pos", "art", "desc", "qty", "price", "amount"),
)
