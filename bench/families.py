"""The labelled development sets and each document's family: the program, template or shop
that made its layout. Out-of-family figures hold a whole family out of everything fitted.

- `invoices-dev/`: sample pack (its top folder) and the PDF's producer.
- `invoices-more/`: `layout_group` of its INDEX.tsv. With its XML removed it is two sets: the
  families rules may be written on (`studied`) and the rest, never tuned on.
- `sroie-train/`: the shop (its labelled name, case and punctuation folded).
- our generated sets: the layout (`varied`: the file name's layout part; the shipped samples
  share one generator layout).
- the third-party generated sets: FAMILIES.tsv beside them.
"""

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLES = ROOT / "bench" / "samples"
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_VARIED_LAYOUT = re.compile(r"^\d+_[a-z]{2}_(?P<layout>.+)$")


@dataclass(frozen=True)
class LabelledSet:
    name: str
    folder: Path
    families: dict[Path, str]  # every labelled PDF of the set -> its family
    without_xml: bool  # scored on the text path: the embedded XML is the truth, not the input
    tuning: str  # whether rules were written while looking at it, shown beside its figures


NEVER_TUNED = "never tuned on"  # added after the rules were written; nobody tuned a rule on it
TUNED = "rules written on it"


def _producer(pdf: Path) -> str:
    try:
        info = PdfReader(pdf).metadata or {}
        return str(info.get("/Producer") or "unknown").split("(")[0].strip() or "unknown"
    except Exception:  # a damaged info dictionary still leaves the file a family
        return "unknown"


def invoices_dev(corpus: Path = CORPUS, *, without_xml: bool = True) -> LabelledSet:
    folder = corpus / "invoices-dev"
    families = {
        pdf: f"{pdf.relative_to(folder).parts[0]} / {_producer(pdf)}"
        for pdf in sorted(folder.rglob("*.pdf"))
    }
    name = "invoices-dev, XML removed" if without_xml else "invoices-dev, embedded XML"
    return LabelledSet(name, folder, families, without_xml=without_xml, tuning=TUNED)


STUDIED = "studied"
HELD_OUT = "held out"


def studied(family: str) -> bool:
    """Whether rules may be written while looking at the family's documents: half of
    invoices-more's families by a hash of the name (from 2026-12-07, fourth session, 13
    one-document families), the rest stay never tuned on."""
    return hashlib.sha256(family.encode()).digest()[0] % 2 == 0


def invoices_more(
    corpus: Path = CORPUS, *, without_xml: bool = True, part: str | None = None
) -> LabelledSet:
    """The set, or with `part` its studied or its held-out families (`studied`)."""
    folder = corpus / "invoices-more"
    with (folder / "INDEX.tsv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    families = {
        folder / row["file"]: row["layout_group"]
        for row in rows
        if part is None or (part == STUDIED) == studied(row["layout_group"])
    }
    name = f"invoices-more{f', {part}' if part else ''}, " + (
        "XML removed" if without_xml else "embedded XML"
    )
    # one of its documents was read on 2026-12-06 when it became a wrong `succeeded`, and the
    # glued "N°" of its invoice number joined the number-sign rule (`extractor.text.locate`);
    # on 2026-12-07 the fields and confidences of its wrong `succeeded` (`--mistakes`, no
    # values) showed three documents each unsure on three fields, which led to judging a
    # document's fields together (`extractor.model.confidence.jointly_unsure`)
    tuning = f"{NEVER_TUNED} but for two rules (2026-12-06, 2026-12-07)"
    if part == STUDIED:
        tuning = f"{TUNED} (2026-12-07, fourth session)"
    return LabelledSet(name, folder, families, without_xml=without_xml, tuning=tuning)


def shop(name: str) -> str:
    return _NOT_WORD.sub(" ", name.casefold()).strip()


def sroie(corpus: Path = CORPUS) -> LabelledSet:
    folder = corpus / "sroie-train"
    families = {}
    for truth in sorted(folder.glob("*.truth.json")):
        seller = json.loads(truth.read_text()).get("seller") or {}
        pdf = truth.with_name(truth.name.removesuffix(".truth.json") + ".pdf")
        families[pdf] = shop(seller.get("name") or "") or "unknown shop"
    # rules were written while looking at it on 2026-12-05 (a legal form's currency code, a
    # column heading's currency, a tax summary's rate row, a till slip's label gap)
    return LabelledSet("sroie-train", folder, families, without_xml=False, tuning=TUNED)


def varied() -> LabelledSet:
    folder = SAMPLES / "varied"
    families = {}
    for pdf in sorted(folder.glob("*.pdf")):
        match = _VARIED_LAYOUT.match(pdf.stem)
        families[pdf] = f"varied {match['layout'] if match else pdf.stem}"
    return LabelledSet("varied (generated)", folder, families, without_xml=False, tuning=TUNED)


def shipped_samples() -> LabelledSet:
    folder = SAMPLES / "invoices"
    families = dict.fromkeys(sorted(folder.glob("*.pdf")), "make_samples")
    return LabelledSet("samples (generated)", folder, families, without_xml=False, tuning=TUNED)


def third_party() -> LabelledSet | None:
    folder = SAMPLES / "thirdparty"
    index = folder / "FAMILIES.tsv"
    if not index.is_file():
        return None
    with index.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    families = {folder / row["path"]: row["family"] for row in rows}
    # rules were written while looking at it on 2026-12-06 (what a total's label says of the
    # tax, billing words that open a party's block, a name cut where a labelled value of its
    # row begins, the number sign)
    tuning = f"{TUNED} (2026-12-06)"
    return LabelledSet("third-party generated", folder, families, without_xml=False, tuning=tuning)


def all_sets(corpus: Path = CORPUS) -> list[LabelledSet]:
    sets = [
        invoices_dev(corpus),
        invoices_more(corpus, part=STUDIED),
        invoices_more(corpus, part=HELD_OUT),
        sroie(corpus),
        varied(),
        shipped_samples(),
        invoices_dev(corpus, without_xml=False),
        invoices_more(corpus, without_xml=False),
    ]
    extra = third_party()
    return [*sets, extra] if extra is not None else sets
