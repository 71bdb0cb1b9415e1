"""A small invoice, written at start-up and extracted once before any real document, so that
the first real document finds the PDF reader process running, every lazy import done and
every pattern compiled (the first document then costs what the others cost).

The invoice is unambiguous on purpose: the rules decide every field, so warming up never
asks the model anything and never uses a scripted test model's answers.
"""

from pathlib import Path

WARM_UP_LINES = (
    "Seller: ACME Supplies Ltd",
    "1 High Street, London",
    "VAT: GB123456789",
    "INVOICE",
    "Invoice number: WARM-1",
    "Invoice date: 01.02.2024",
    "Bill to: Example Buyer GmbH",
    "Description Quantity Unit price Amount",
    "Paper A4 2 10,00 20,00",
    "Net total EUR 20,00",
    "VAT 20% 4,00",
    "Total EUR 24,00",
)


def write_warm_up_pdf(path: Path) -> Path:
    """A one-page PDF of `WARM_UP_LINES` in Helvetica, written byte by byte (no extra library)."""
    shown = b" ".join(b"(%s) Tj T*" % line.encode("latin-1") for line in WARM_UP_LINES)
    content = b"BT /F1 11 Tf 14 TL 56 780 Td " + shown + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table,
    )
    path.write_bytes(bytes(out))
    return path
