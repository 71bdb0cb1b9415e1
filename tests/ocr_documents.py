"""Small PDFs for the OCR tests: text pages, scans of them, pages whose text layer is
garbage, and mixed documents."""

from pathlib import Path

import numpy as np
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject
from reportlab.pdfgen import canvas

from sample_sets.make_scans import KINDS, scan_pdf

PAGE_LINES = [
    "INVOICE",
    "Invoice number: INV-7731",
    "Invoice date: 14 March 2025",
    "Seller: Harbour Lights Ltd",
    "Total excl. VAT 1,200.00 GBP",
    "VAT 20% 240.00 GBP",
    "Invoice total 1,440.00 GBP",
]
# A character map that sends every printable code to the private use area, as fonts
# with a broken /ToUnicode do.
_BROKEN_CMAP = b"""/CIDInit /ProcSet findresource begin
12 dict begin begincmap
/CMapName /Broken def /CMapType 2 def
1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfrange <20> <7E> <E020> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def text_pdf(path: Path, lines: list[str] = PAGE_LINES, *, box_total: bool = False) -> Path:
    """One A4 page with these lines in 12 pt Helvetica, the last one boxed if asked."""
    drawing = canvas.Canvas(str(path), pagesize=(595, 842))
    drawing.setFont("Helvetica", 12)
    for number, line in enumerate(lines):
        drawing.drawString(72, 760 - 24 * number, line)
    if box_total:
        bottom = 760 - 24 * (len(lines) - 1) - 7
        drawing.rect(66, bottom, 300, 22)
    drawing.save()
    return path


def scanned(source: Path, target: Path, *, kind: str = "300dpi", angle: float = 0.0) -> Path:
    scan_pdf(source, target, KINDS[kind], angle=angle, rng=np.random.default_rng(7))
    return target


def with_broken_character_map(source: Path, target: Path) -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            cmap = DecodedStreamObject()
            cmap.set_data(_BROKEN_CMAP)
            font.get_object()[NameObject("/ToUnicode")] = writer._add_object(cmap)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def joined(parts: list[Path], target: Path) -> Path:
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(part))
    with target.open("wb") as handle:
        writer.write(handle)
    return target
