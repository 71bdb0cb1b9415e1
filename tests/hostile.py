"""Hostile PDFs made on the fly: decompression bombs and slow content streams."""

import zlib
from pathlib import Path


def page_pdf(content: bytes, *, compress: bool = True) -> bytes:
    """A one-page PDF whose page content stream is `content` (Flate-compressed if asked)."""
    data = zlib.compress(content, 9) if compress else content
    filters = b"/Filter /FlateDecode " if compress else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< " + filters + b"/Length " + str(len(data)).encode() + b" >>\nstream\n"
        + data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]  # fmt: skip
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def bomb(path: Path, expanded_mb: int) -> Path:
    """A content stream that inflates from about a kilobyte per megabyte to `expanded_mb` MB."""
    path.write_bytes(page_pdf(b" " * (expanded_mb * 1024 * 1024)))
    return path


def slow_text(path: Path, operators: int) -> Path:
    """Valid text, but `operators` show-text operations for pypdf to parse in pure Python."""
    body = b"BT /F1 12 Tf 72 720 Td " + b"(x) Tj " * operators + b"ET"
    path.write_bytes(page_pdf(body))
    return path
