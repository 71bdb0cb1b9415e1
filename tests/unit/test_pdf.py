"""PDF reading: text with offsets, and a typed error for every kind of unreadable input."""

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from extractor.errors import (
    DamagedPdfError,
    EncryptedPdfError,
    LimitExceededError,
    NotAPdfError,
)
from extractor.read.pdf import PAGE_SEPARATOR, read_pdf
from tests.conftest import SAMPLES

TWO_PAGE = SAMPLES / "ie_two_page.pdf"
LIMITS = {"max_pages": 50, "max_bytes": 10_000_000}


def _write(path: Path, writer: PdfWriter) -> Path:
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _encrypted(tmp_path: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(TWO_PAGE))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    return _write(tmp_path / "encrypted.pdf", writer)


def test_text_per_page_with_offsets() -> None:
    document = read_pdf(TWO_PAGE, **LIMITS)
    assert len(document.pages) == 2
    second_page_start = len(document.pages[0]) + len(PAGE_SEPARATOR)
    word = document.pages[1].split()[0]
    offset = document.full.index(word, second_page_start)
    location = document.locate(offset, offset + len(word))
    assert location.page == 2
    assert document.pages[1][location.start : location.end] == word


def test_empty_password_encryption_opens(tmp_path: Path) -> None:
    document = read_pdf(_encrypted(tmp_path, ""), **LIMITS)
    assert document.pages == read_pdf(TWO_PAGE, **LIMITS).pages


def test_real_password_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(EncryptedPdfError, match="password"):
        read_pdf(_encrypted(tmp_path, "secret"), **LIMITS)


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_text("Dear customer, this is plain text.")
    with pytest.raises(NotAPdfError):
        read_pdf(path, **LIMITS)


def test_truncated_pdf(tmp_path: Path) -> None:
    data = TWO_PAGE.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(DamagedPdfError):
        read_pdf(path, **LIMITS)


def test_damaged_pdf(tmp_path: Path) -> None:
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n%%EOF\n")
    with pytest.raises(DamagedPdfError):
        read_pdf(path, **LIMITS)


def test_too_many_pages() -> None:
    with pytest.raises(LimitExceededError, match="pages"):
        read_pdf(TWO_PAGE, max_pages=1, max_bytes=10_000_000)


def test_too_large() -> None:
    with pytest.raises(LimitExceededError, match="bytes"):
        read_pdf(TWO_PAGE, max_pages=50, max_bytes=100)
