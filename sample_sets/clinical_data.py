"""Random but reproducible clinical content: patients, physicians, laboratories, analytes,
diagnoses, medications, procedures and CMS-1500 claims.

`build_lab_reports`, `build_letters` and `build_claims` return the same documents on every
run (fixed seed). Codes are real: LOINC codes and ICD-10-CM codes of the named tests and
conditions, CPT codes with typical charges, place-of-service codes, NPIs with their Luhn check
digit, EINs with an IRS campus prefix. Lab flags agree with the printed reference range.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sample_sets.varied_data import balanced

SEED = 20240612


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    middle: str  # an initial, or ""
    birth: date
    sex: str  # "male" or "female", as FHIR codes it
    mrn: str
    street: str
    city: str
    state: str
    zip_code: str


@dataclass(frozen=True)
class Physician:
    first: str
    last: str
    credential: str  # "MD", "DO"
    npi: str


@dataclass(frozen=True)
class Analyte:
    name: str
    german: str
    loinc: str
    unit: str  # "" for a ratio without unit
    german_unit: str
    low: Decimal | None  # None: only an upper limit ("<200")
    high: Decimal | None  # None: only a lower limit (">40")
    decimals: int


@dataclass(frozen=True)
class LabResult:
    analyte: Analyte
    value: Decimal
    flag: str | None  # "H" above the range, "L" below it, None inside


@dataclass(frozen=True)
class LabReport:
    name: str
    layout: str  # "us_table", "two_column" or "laborbefund"
    patient: Person
    physician: Physician
    lab: str
    collected: date
    reported: date
    results: tuple[LabResult, ...]
    date_style: str
    rows_on_first_page: int  # the table continues on page 2 after this many rows


@dataclass(frozen=True)
class Diagnosis:
    text: str
    icd10: str


@dataclass(frozen=True)
class Medication:
    name: str
    dose: str
    frequency: str


@dataclass(frozen=True)
class Procedure:
    text: str
    day: date


@dataclass(frozen=True)
class Letter:
    name: str
    kind: str  # "referral" or "discharge"
    layout: str  # "sections" or "correspondence"
    patient: Person
    author: Physician
    recipient: Physician
    specialty: str  # what a referral asks the recipient to assess; "" for a discharge
    hospital: str
    written: date
    admitted: date | None
    discharged: date | None
    diagnoses: tuple[Diagnosis, ...]
    medications: tuple[Medication, ...]
    procedures: tuple[Procedure, ...]
    follow_up: str
    date_style: str


@dataclass(frozen=True)
class ServiceLine:
    date_from: date
    date_to: date | None  # None: the "to" date boxes are left empty
    place: str
    cpt: str
    modifiers: tuple[str, ...]
    pointer: str
    unit_charge: Decimal
    units: int
    rendering_npi: str

    @property
    def charge(self) -> Decimal:
        return self.unit_charge * self.units


@dataclass(frozen=True)
class BillingProvider:
    name: str
    street: str
    location: str
    phone: str
    npi: str
    tax_id: str  # as printed
    tax_kind: str  # "EIN" or "SSN"


@dataclass(frozen=True)
class Payer:
    name: str
    street: str
    location: str
    program: str  # the box 1 state: Medicare, Medicaid, Tricare, Champva, Group, Feca, Other


@dataclass(frozen=True)
class Claim:
    name: str
    variant: str  # "acroform", "no_acroform", "as_only" or "flat"
    patient: Person
    insured: Person
    relation: str  # box 6 state: S(elf), M (spouse), C(hild), O(ther)
    insured_id: str
    group_number: str
    payer: Payer
    diagnoses: tuple[str, ...]  # ICD-10-CM codes, dotted
    lines: tuple[ServiceLine, ...]
    billing: BillingProvider
    account: str
    signed: date
    icd_dot: bool  # diagnosis codes printed with their dot
    split_cents: bool  # charges as "125 00" (the form's dollars | cents boxes), else "125.00"
    short_birth_year: bool  # box 3 year as two digits

    @property
    def total(self) -> Decimal:
        return sum((line.charge for line in self.lines), Decimal("0.00"))


FEMALE_FIRST = (
    "María", "Anna", "Zoë", "Chloé", "Grace", "Aisha", "Mei", "Olivia",
    "Sophie", "Ingrid", "Fatima", "Renée", "Hannah", "Léa", "Priya", "Emily",
)  # fmt: skip
MALE_FIRST = (
    "José", "Jürgen", "Liam", "Noah", "François", "Ahmed", "Lukas", "Björn",
    "Daniel", "Hiroshi", "Mateo", "Samuel", "Oliver", "Tomás", "Ethan", "Kwame",
)  # fmt: skip
LAST_NAMES = (
    "García", "Müller", "Nguyen", "Smith", "O'Connor", "Okafor", "Kowalski", "Lefèvre",
    "Johansson", "Patel", "Schmidt-Rüdiger", "Lewis-Hart", "Brown", "Rossi", "Yamamoto",
    "Fischer", "Martínez-López", "Dubois", "Andersen", "Baker", "Hoffmann", "Campbell",
)  # fmt: skip
PLACES = (
    ("412 Maple Avenue", "Springfield", "IL", "62704"),
    ("88 Harbor Road", "Portland", "ME", "04101"),
    ("1570 Sunset Blvd", "Tucson", "AZ", "85705"),
    ("23 Elm Street", "Dayton", "OH", "45402"),
    ("901 Lakeview Drive", "Madison", "WI", "53703"),
    ("7 Birch Lane", "Albany", "NY", "12203"),
    ("3300 Riverside Pkwy", "Austin", "TX", "78741"),
    ("640 Pine Court", "Boise", "ID", "83702"),
)
PHYSICIANS = (
    ("Sarah", "Chen", "MD"), ("Michael", "Okoye", "MD"), ("Laura", "Becker", "MD"),
    ("Rajesh", "Iyer", "DO"), ("Elena", "Petrova", "MD"), ("David", "Goldberg", "MD"),
    ("Amara", "Mensah", "MD"), ("Thomas", "Wagner", "MD"), ("Julia", "Santos", "DO"),
    ("Kenji", "Watanabe", "MD"), ("Claire", "Dupont", "MD"), ("Martin", "Novak", "MD"),
)  # fmt: skip
LABS = {
    "us_table": (
        "Riverbend Diagnostic Laboratory", "Summit Clinical Labs", "Lakeside Pathology Associates",
    ),
    "two_column": (
        "Northgate Hospital Pathology", "St. Aidan's Clinical Laboratory", "Meridian Lab Services",
    ),
    "laborbefund": (
        "MVZ Labor Dr. Weber & Kollegen", "Labor am Stadtpark GmbH",
        "Medizinisches Labor Nordheide",
    ),
}  # fmt: skip
HOSPITALS = (
    "St. Mary's General Hospital", "Riverside Medical Center", "Mercy Regional Hospital",
    "Lakeshore University Hospital",
)  # fmt: skip

D = Decimal
# name, German name, LOINC, unit, German unit, low, high, decimals
ANALYTES = tuple(
    Analyte(*row)
    for row in (
        ("Glucose, fasting", "Glukose nüchtern", "1558-6", "mg/dL", "mg/dl", D(70), D(99), 0),
        ("Hemoglobin A1c", "HbA1c", "4548-4", "%", "%", D("4.0"), D("5.6"), 1),
        ("Sodium", "Natrium", "2951-2", "mmol/L", "mmol/l", D(136), D(145), 0),
        ("Potassium", "Kalium", "2823-3", "mmol/L", "mmol/l", D("3.5"), D("5.1"), 1),
        ("Chloride", "Chlorid", "2075-0", "mmol/L", "mmol/l", D(98), D(107), 0),
        ("Creatinine", "Kreatinin", "2160-0", "mg/dL", "mg/dl", D("0.60"), D("1.20"), 2),
        ("Urea nitrogen (BUN)", "Harnstoff-N", "3094-0", "mg/dL", "mg/dl", D(7), D(20), 0),
        ("Calcium", "Calcium", "17861-6", "mg/dL", "mg/dl", D("8.6"), D("10.3"), 1),
        ("ALT", "GPT (ALT)", "1742-6", "U/L", "U/l", D(7), D(56), 0),
        ("AST", "GOT (AST)", "1920-8", "U/L", "U/l", D(10), D(40), 0),
        (
            "Alkaline phosphatase",
            "Alkalische Phosphatase",
            "6768-6",
            "U/L",
            "U/l",
            D(44),
            D(147),
            0,
        ),
        ("Bilirubin, total", "Bilirubin gesamt", "1975-2", "mg/dL", "mg/dl", D("0.1"), D("1.2"), 1),
        ("Albumin", "Albumin", "1751-7", "g/dL", "g/dl", D("3.5"), D("5.0"), 1),
        ("Cholesterol, total", "Cholesterin gesamt", "2093-3", "mg/dL", "mg/dl", None, D(200), 0),
        ("HDL cholesterol", "HDL-Cholesterin", "2085-9", "mg/dL", "mg/dl", D(40), None, 0),
        ("LDL cholesterol", "LDL-Cholesterin", "13457-7", "mg/dL", "mg/dl", None, D(100), 0),
        ("Triglycerides", "Triglyceride", "2571-8", "mg/dL", "mg/dl", None, D(150), 0),
        ("TSH", "TSH basal", "3016-3", "mIU/L", "mU/l", D("0.40"), D("4.00"), 2),
        ("WBC", "Leukozyten", "6690-2", "10^3/uL", "/nl", D("4.5"), D("11.0"), 1),
        ("RBC", "Erythrozyten", "789-8", "10^6/uL", "/pl", D("4.50"), D("5.90"), 2),
        ("Hemoglobin", "Hämoglobin", "718-7", "g/dL", "g/dl", D("13.5"), D("17.5"), 1),
        ("Hematocrit", "Hämatokrit", "4544-3", "%", "%", D(41), D(53), 0),
        ("Platelets", "Thrombozyten", "777-3", "10^3/uL", "/nl", D(150), D(400), 0),
        ("C-reactive protein", "CRP", "1988-5", "mg/L", "mg/l", None, D("5.0"), 1),
        ("Ferritin", "Ferritin", "2276-4", "ng/mL", "ng/ml", D(30), D(400), 0),
        ("Vitamin D, 25-hydroxy", "25-OH-Vitamin D", "1989-3", "ng/mL", "ng/ml", D(30), D(100), 0),
        ("INR", "INR", "6301-6", "", "", D("0.8"), D("1.2"), 1),
    )
)
DIAGNOSES = tuple(
    Diagnosis(text, code)
    for text, code in (
        ("Type 2 diabetes mellitus without complications", "E11.9"),
        ("Essential (primary) hypertension", "I10"),
        ("Pneumonia, unspecified organism", "J18.9"),
        ("Urinary tract infection, site not specified", "N39.0"),
        ("Unspecified acute appendicitis", "K35.80"),
        ("Chronic obstructive pulmonary disease with (acute) exacerbation", "J44.1"),
        ("Unspecified atrial fibrillation", "I48.91"),
        ("Heart failure, unspecified", "I50.9"),
        ("Hyperlipidemia, unspecified", "E78.5"),
        ("Acute kidney failure, unspecified", "N17.9"),
        ("Non-ST elevation (NSTEMI) myocardial infarction", "I21.4"),
        ("Calculus of gallbladder without cholecystitis without obstruction", "K80.20"),
        ("Unilateral primary osteoarthritis, right knee", "M17.11"),
        ("Unspecified asthma, uncomplicated", "J45.909"),
        ("Major depressive disorder, single episode, unspecified", "F32.9"),
        ("Hypothyroidism, unspecified", "E03.9"),
        ("Iron deficiency anemia, unspecified", "D50.9"),
        ("Chest pain, unspecified", "R07.9"),
        ("Sepsis, unspecified organism", "A41.9"),
        ("Gastro-esophageal reflux disease without esophagitis", "K21.9"),
        ("Cellulitis of right lower limb", "L03.115"),
        ("Cerebral infarction, unspecified", "I63.9"),
        ("Obesity, unspecified", "E66.9"),
        ("Low back pain, unspecified", "M54.50"),
        ("Migraine, unspecified, not intractable, without status migrainosus", "G43.909"),
    )
)
MEDICATIONS = (
    ("Metformin", ("500 mg", "1000 mg"), ("twice daily",)),
    ("Lisinopril", ("10 mg", "20 mg"), ("once daily",)),
    ("Atorvastatin", ("20 mg", "40 mg"), ("once daily at night",)),
    ("Amlodipine", ("5 mg", "10 mg"), ("once daily",)),
    ("Levothyroxine", ("50 mcg", "75 mcg"), ("once daily before breakfast",)),
    ("Apixaban", ("5 mg", "2.5 mg"), ("twice daily",)),
    ("Furosemide", ("40 mg", "20 mg"), ("once daily", "twice daily")),
    ("Omeprazole", ("20 mg", "40 mg"), ("once daily",)),
    ("Amoxicillin", ("500 mg",), ("three times daily",)),
    ("Metoprolol succinate", ("25 mg", "50 mg"), ("once daily",)),
    ("Albuterol inhaler", ("2 puffs",), ("every 4 to 6 hours as needed",)),
    ("Sertraline", ("50 mg", "100 mg"), ("once daily",)),
    ("Acetaminophen", ("1 g", "500 mg"), ("every 6 hours as needed",)),
    ("Insulin glargine", ("20 units", "14 units"), ("once daily at bedtime",)),
    ("Nitrofurantoin", ("100 mg",), ("twice daily",)),
    ("Ferrous sulfate", ("325 mg",), ("once daily",)),
    ("Aspirin", ("81 mg",), ("once daily",)),
)
# discharge scenarios: primary diagnosis code, procedures done in hospital, follow-up
WOUND = "Outpatient clinic appointment in 6 weeks; wound check by the practice nurse in 10 days."
GP_REVIEW = "See the GP in 2 weeks; return to the emergency department if symptoms recur."
CARDIO = "Follow-up with cardiology in 4 weeks with a repeat echocardiogram."
CHEST = "Repeat chest X-ray in 6 weeks to confirm resolution."
RENAL = "Please review in the general practice within 7 days and repeat renal function tests."
SCENARIOS = (
    ("K35.80", ("Laparoscopic appendectomy", "CT abdomen and pelvis with contrast"), WOUND),
    ("J18.9", ("Chest X-ray, two views", "Blood cultures"), CHEST),
    ("I21.4", ("Coronary angiography with drug-eluting stent", "Transthoracic echocardiogram"),
     CARDIO),
    ("K80.20", ("Laparoscopic cholecystectomy", "Abdominal ultrasound"), WOUND),
    ("J44.1", ("Chest X-ray, two views", "Arterial blood gas analysis"), CHEST),
    ("I50.9", ("Transthoracic echocardiogram",), CARDIO),
    ("A41.9", ("Blood cultures", "Central venous catheter insertion"), GP_REVIEW),
    ("L03.115", ("Incision and drainage of abscess, right leg",), WOUND),
    ("I63.9", ("MRI brain without contrast", "Carotid duplex ultrasound"),
     "Stroke clinic review in 6 weeks; physiotherapy and speech therapy as arranged."),
    ("N17.9", ("Renal ultrasound",), RENAL),
    ("M17.11", ("Total knee arthroplasty, right",),
     "Physiotherapy twice weekly and orthopaedic review in 6 weeks."),
    ("I48.91", ("Electrical cardioversion", "Transesophageal echocardiogram"), CARDIO),
)  # fmt: skip
REFERRALS = (
    ("E11.9", "endocrinology", ("HbA1c measurement",)),
    ("R07.9", "cardiology", ("Resting 12-lead ECG",)),
    ("D50.9", "gastroenterology", ()),
    ("G43.909", "neurology", ()),
    ("M54.50", "physiotherapy", ("Lumbar spine X-ray",)),
    ("F32.9", "psychiatry", ()),
    ("E03.9", "endocrinology", ("Thyroid ultrasound",)),
    ("J45.909", "pulmonology", ("Spirometry",)),
    ("K21.9", "gastroenterology", ()),
    ("I48.91", "cardiology", ("Resting 12-lead ECG", "24-hour Holter monitoring")),
    ("N39.0", "urology", ("Urine culture",)),
    ("E66.9", "bariatric surgery", ()),
)
COMORBIDITIES = ("I10", "E78.5", "E11.9", "E66.9", "K21.9", "E03.9", "J45.909")
REFERRAL_FOLLOW_UPS = (
    "I would be grateful if you could see the patient within the next 4 weeks.",
    "Please assess and advise on further management; I will continue to monitor in the practice.",
    "Kindly see the patient at your earliest convenience and send a copy of your report.",
    "I would appreciate your opinion on further investigation and treatment.",
)
# CPT/HCPCS code, usual charge per unit, usual units, place-of-service codes it is billed at
SERVICES = (
    ("99213", D("125.00"), 1, ("11",)),
    ("99214", D("185.00"), 1, ("11", "02")),
    ("99203", D("165.00"), 1, ("11",)),
    ("99204", D("245.00"), 1, ("11", "22")),
    ("99283", D("310.00"), 1, ("23",)),
    ("36415", D("15.00"), 1, ("11", "81")),
    ("80053", D("45.00"), 1, ("11", "81")),
    ("85025", D("35.00"), 1, ("11", "81")),
    ("83036", D("40.00"), 1, ("11", "81")),
    ("93000", D("60.00"), 1, ("11", "22")),
    ("71046", D("95.00"), 1, ("22", "11")),
    ("81002", D("12.00"), 1, ("11",)),
    ("90471", D("25.00"), 1, ("11",)),
    ("90686", D("30.00"), 1, ("11",)),
    ("97110", D("55.00"), 3, ("11", "22")),
    ("20610", D("150.00"), 1, ("11", "22")),
    ("J1885", D("8.50"), 2, ("11",)),
)
MODIFIERS = ((), (), (), ("25",), ("59",), ("RT",), ("LT",), ("25", "59"), ("GT", "95"))
PAYERS = (
    Payer("MEDICARE PART B", "PO BOX 6702", "FARGO ND 58108", "Medicare"),
    Payer("BLUE CROSS BLUE SHIELD", "PO BOX 105187", "ATLANTA GA 30348", "Group"),
    Payer("AETNA", "PO BOX 981106", "EL PASO TX 79998", "Group"),
    Payer("STATE MEDICAID PROGRAM", "PO BOX 3000", "SPRINGFIELD IL 62708", "Medicaid"),
    Payer("TRICARE EAST", "PO BOX 7981", "MADISON WI 53707", "Tricare"),
    Payer("UNITED HEALTHCARE", "PO BOX 740800", "ATLANTA GA 30374", "Other"),
)
PRACTICES = (
    "RIVERSIDE FAMILY MEDICINE PC", "NORTHSIDE INTERNAL MEDICINE LLC", "LAKEVIEW PEDIATRICS",
    "SUMMIT ORTHOPEDIC GROUP", "BAYSHORE CARDIOLOGY ASSOCIATES", "OAK HILL PRIMARY CARE",
)  # fmt: skip
MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"
EIN_PREFIXES = ("10", "12", "20", "23", "27", "36", "45", "46", "47", "52", "61", "84", "86")


def luhn_check_digit(payload: str) -> str:
    """The digit that makes `payload` + digit pass the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return str((10 - total % 10) % 10)


def make_npi(rng: random.Random) -> str:
    """Ten digits, starting with 1 or 2; the last is the Luhn digit over "80840" + the nine."""
    body = rng.choice("12") + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return body + luhn_check_digit("80840" + body)


def make_ein(rng: random.Random, *, hyphen: bool) -> str:
    prefix, serial = rng.choice(EIN_PREFIXES), f"{rng.randint(0, 9999999):07d}"
    return f"{prefix}-{serial}" if hyphen else prefix + serial


def make_mrn(rng: random.Random) -> str:
    return f"{rng.randint(0, 99_999_999):08d}"


def make_person(rng: random.Random, sex: str, *, born: tuple[int, int] = (1938, 2005)) -> Person:
    first = rng.choice(FEMALE_FIRST if sex == "female" else MALE_FIRST)
    birth = date(born[0], 1, 1) + timedelta(days=rng.randint(0, (born[1] - born[0]) * 365))
    street, city, state, zip_code = rng.choice(PLACES)
    middle = rng.choice("ABCDEFGHJKLMNPRSTW") if rng.random() < 0.6 else ""
    return Person(
        first, rng.choice(LAST_NAMES), middle, birth, sex, make_mrn(rng), street, city, state,
        zip_code,
    )  # fmt: skip


def make_physicians(rng: random.Random) -> list[Physician]:
    return [Physician(first, last, cred, make_npi(rng)) for first, last, cred in PHYSICIANS]


def reading_value(rng: random.Random, analyte: Analyte) -> LabResult:
    """A plausible value: mostly inside the range, sometimes above or below it."""
    low, high = analyte.low, analyte.high
    if low is None and high is not None:
        low = high * D("0.6")
    if high is None and low is not None:
        high = low * D("1.8")
    assert low is not None and high is not None
    span = high - low
    roll = rng.random()
    if roll < 0.2 and analyte.high is not None:
        raw = high + span * D(str(rng.uniform(0.05, 0.6)))
    elif roll < 0.35 and analyte.low is not None:
        raw = low - span * D(str(rng.uniform(0.05, 0.3)))
    else:
        raw = low + span * D(str(rng.uniform(0.05, 0.95)))
    value = max(raw, low / 2).quantize(D(1).scaleb(-analyte.decimals), ROUND_HALF_UP)
    return LabResult(analyte, value, range_flag(analyte, value))


def range_flag(analyte: Analyte, value: Decimal) -> str | None:
    """H above the range, L below it; a value on a limit is inside ("<200" for 200 too), as
    `extractor.clinical.checks` reads a printed range."""
    if analyte.high is not None and value > analyte.high:
        return "H"
    if analyte.low is not None and value < analyte.low:
        return "L"
    return None


def some_day(rng: random.Random) -> date:
    return date(2023, 9, 1) + timedelta(days=rng.randint(0, 300))


def date_style(rng: random.Random, styles: Sequence[str], dates: Sequence[date]) -> str:
    """A month-first numeric style ("us") only where some date shows the order (a day above
    12), so that every document can be read unambiguously."""
    return rng.choice([s for s in styles if s != "us" or any(d.day > 12 for d in dates)])


LAB_DATE_STYLES = {
    "us_table": ("us", "iso"),
    "two_column": ("month_name", "iso", "us"),
    "laborbefund": ("german",),
}


def build_lab_reports(count: int) -> list[LabReport]:
    rng = random.Random(SEED)
    physicians = make_physicians(rng)
    layouts = balanced(rng, tuple(LAB_DATE_STYLES), count)
    reports = []
    for index, layout in enumerate(layouts, start=1):
        two_pages = index % 4 == 0
        many = two_pages or index % 3 == 0
        results = tuple(
            reading_value(rng, analyte)
            for analyte in rng.sample(ANALYTES, rng.randint(8, 15) if many else rng.randint(3, 7))
        )
        patient = make_person(rng, rng.choice(("male", "female")))
        collected = some_day(rng)
        reported = collected + timedelta(days=rng.randint(0, 3))
        reports.append(
            LabReport(
                name=f"lab_{index:02d}_{layout}",
                layout=layout,
                patient=patient,
                physician=rng.choice(physicians),
                lab=rng.choice(LABS[layout]),
                collected=collected,
                reported=reported,
                results=results,
                date_style=date_style(
                    rng, LAB_DATE_STYLES[layout], (patient.birth, collected, reported)
                ),
                rows_on_first_page=len(results) // 2 if two_pages else len(results),
            )
        )
    return reports


def _diagnosis(code: str) -> Diagnosis:
    return next(d for d in DIAGNOSES if d.icd10 == code)


def _medications(rng: random.Random, count: int) -> tuple[Medication, ...]:
    chosen = rng.sample(MEDICATIONS, count)
    return tuple(
        Medication(name, rng.choice(doses), rng.choice(freqs)) for name, doses, freqs in chosen
    )


def _secondary(rng: random.Random, primary: str) -> list[Diagnosis]:
    codes = [code for code in COMORBIDITIES if code != primary]
    return [_diagnosis(code) for code in rng.sample(codes, rng.randint(0, 3))]


def build_letters(count: int) -> list[Letter]:
    rng = random.Random(SEED + 1)
    physicians = make_physicians(rng)
    kinds = ["referral", "discharge"] * (count // 2) + ["referral"] * (count % 2)
    letters = []
    for index, kind in enumerate(kinds, start=1):
        layout = ("sections", "correspondence")[(index - 1) // 2 % 2]
        author, recipient = rng.sample(physicians, 2)
        admitted: date | None = None
        discharged: date | None = None
        procedure_names: tuple[str, ...]
        if kind == "discharge":
            primary, procedure_names, follow_up = SCENARIOS[(index // 2 - 1) % len(SCENARIOS)]
            admitted = some_day(rng)
            discharged = admitted + timedelta(days=rng.randint(1, 9))
            written = discharged + timedelta(days=rng.randint(0, 2))
            stay = (discharged - admitted).days
            procedures = tuple(
                Procedure(text, admitted + timedelta(days=rng.randint(0, stay)))
                for text in procedure_names
            )
            specialty = ""
        else:
            primary, specialty, procedure_names = REFERRALS[(index // 2) % len(REFERRALS)]
            written = some_day(rng)
            procedures = tuple(
                Procedure(text, written - timedelta(days=rng.randint(3, 40)))
                for text in procedure_names
            )
            follow_up = rng.choice(REFERRAL_FOLLOW_UPS)
        patient = make_person(rng, rng.choice(("male", "female")))
        dates = [patient.birth, written, *(p.day for p in procedures)]
        dates += [day for day in (admitted, discharged) if day is not None]
        letters.append(
            Letter(
                name=f"letter_{index:02d}_{kind}_{layout}",
                kind=kind,
                layout=layout,
                patient=patient,
                author=author,
                recipient=recipient,
                specialty=specialty,
                hospital=rng.choice(HOSPITALS),
                written=written,
                admitted=admitted,
                discharged=discharged,
                diagnoses=(_diagnosis(primary), *_secondary(rng, primary)),
                medications=_medications(rng, rng.randint(1, 5)),
                procedures=procedures,
                follow_up=follow_up,
                date_style=date_style(rng, ("month_name", "iso", "us", "long"), dates),
            )
        )
    return letters


def _service_lines(
    rng: random.Random, day: date, pointers: int, npi: str, count: int
) -> tuple[ServiceLine, ...]:
    lines = []
    for position, (cpt, charge, units, places) in enumerate(rng.sample(SERVICES, count)):
        served = day + timedelta(days=position // 3)
        letters = "ABCDEFGHIJKL"[:pointers]
        pointer = "".join(sorted(rng.sample(letters, min(len(letters), rng.randint(1, 3)))))
        lines.append(
            ServiceLine(
                date_from=served,
                date_to=served if rng.random() < 0.7 else None,
                place=rng.choice(places),
                cpt=cpt,
                modifiers=rng.choice(MODIFIERS),
                pointer=pointer,
                unit_charge=charge,
                units=units if units == 1 else rng.randint(1, units),
                rendering_npi=npi,
            )
        )
    return tuple(lines)


def _billing(rng: random.Random) -> BillingProvider:
    street, city, state, zip_code = rng.choice(PLACES)
    tax_kind = "EIN" if rng.random() < 0.85 else "SSN"
    tax_id = (
        make_ein(rng, hyphen=rng.random() < 0.4)
        if tax_kind == "EIN"
        else f"{rng.randint(100, 665)}{rng.randint(10, 99)}{rng.randint(1000, 9999)}"
    )
    return BillingProvider(
        name=rng.choice(PRACTICES),
        street=street.upper(),
        location=f"{city.upper()} {state} {zip_code}",
        phone=f"{rng.randint(201, 989)} {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        npi=make_npi(rng),
        tax_id=tax_id,
        tax_kind=tax_kind,
    )


def _insured_id(rng: random.Random, payer: Payer) -> str:
    if payer.program == "Medicare":
        # a Medicare Beneficiary Identifier: C(ommon digit 1-9), N(umeric), A(lphabetic without
        # S L O I B Z), X (either)
        pools = {
            "C": "123456789",
            "N": "0123456789",
            "A": MBI_LETTERS,
            "X": MBI_LETTERS + "0123456789",
        }
        return "".join(rng.choice(pools[kind]) for kind in "CAXNAXNAANN")
    return rng.choice(("XKJ", "W", "YPB", "H")) + str(rng.randint(10**8, 10**9 - 1))


def build_claims(variants: Sequence[str]) -> list[Claim]:
    rng = random.Random(SEED + 2)
    claims = []
    for index, variant in enumerate(variants, start=1):
        patient = make_person(rng, rng.choice(("male", "female")))
        relation = rng.choice(("S", "S", "S", "M", "C"))
        insured = patient
        if relation == "M":
            insured = make_person(rng, "male" if patient.sex == "female" else "female")
        elif relation == "C":
            child = make_person(rng, patient.sex, born=(2008, 2020))
            patient = replace(
                child,
                last=insured.last,
                street=insured.street,
                city=insured.city,
                state=insured.state,
                zip_code=insured.zip_code,
            )
        payer = rng.choice(PAYERS)
        primary = rng.sample([d.icd10 for d in DIAGNOSES], rng.randint(1, 8))
        billing = _billing(rng)
        rendering = make_npi(rng) if rng.random() < 0.6 else billing.npi
        day = some_day(rng)
        claims.append(
            Claim(
                name=f"claim_{index:02d}_{variant}",
                variant=variant,
                patient=patient,
                insured=insured,
                relation=relation,
                insured_id=_insured_id(rng, payer),
                group_number=f"GRP{rng.randint(10000, 99999)}",
                payer=payer,
                diagnoses=tuple(primary),
                lines=_service_lines(rng, day, len(primary), rendering, rng.randint(1, 6)),
                billing=billing,
                account=f"ACCT{rng.randint(100000, 999999)}",
                signed=day + timedelta(days=rng.randint(1, 14)),
                icd_dot=rng.random() < 0.3,
                split_cents=rng.random() < 0.6,
                short_birth_year=index % 7 == 0,
            )
        )
    return claims
