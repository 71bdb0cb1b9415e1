"""Open a PDF with pypdf under limits and return its text per page, with offsets; pages
without a usable text layer are OCR'd (`extractor.read.ocr.engine`) when OCR options are given.

Every failure is translated here into one of the typed `InputError`s, so callers never see
a pypdf or PDFium exception.
"""

import logging
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2
from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from extractor.errors import DamagedPdfError, EncryptedPdfError, LimitExceededError, NotAPdfError
from extractor.read.attachments import Attachments, xml_attachments
from extractor.read.cms1500_form import (
    PAGE_SIZE,
    flattened_form_values,
    is_cms1500,
    is_drawn_cms1500,
    page_fragments,
)
from extractor.read.form_fields import read_form_fields
from extractor.read.ocr.engine import (
    OcrOptions,
    OcrPage,
    OcrPageError,
    OcrUnavailableError,
    check_engine,
    ocr_page,
)
from extractor.read.page_words import PageWords, document_words
from extractor.read.text_layer import needs_ocr

PAGE_SEPARATOR = "\n\n"
_PDF_MAGIC = b"%PDF-"
_MAGIC_WINDOW = 1024
# pypdf's default (200) splits words in PDFs whose fonts lack a space width ("Liefer ant");
# on the shared corpus 260-380 splits none and joins none, 420 starts joining words.
_SPACE_WIDTH = 300.0
_MIN_CHARS_FOR_SPACING = 200
_MIN_SPACE_RATIO = 0.05  # prose and invoices alike run at 0.12-0.25 spaces per character
_RUN_OF_SPACES = re.compile(" {2,}")
_SURROGATES = re.compile("[\ud800-\udfff]")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpan:
    """Where a value came from: 1-based page number and a character span in that page's text."""

    page: int
    start: int
    end: int


@dataclass(frozen=True)
class UnreadPage:
    """A page without a usable text layer that OCR did not read, and why."""

    page: int
    reason: str


@dataclass(frozen=True)
class DocumentText:
    """Page texts, and the same text joined into one string with known page offsets; and the
        XML files the PDF carries (an e-invoice, for one). `ocr` holds,
        per page, the OCR words where the text came from OCR (empty when no page was OCR'd).
        `form` holds the values of filled form fields; `drawn_form` the text drawn in the boxes
        of a flattened CMS-1500, by the name of the form field each box had. `words` holds every
    page's words with their boxes (`extractor.read.page_words`), from OCR or the text layer."""

    pages: tuple[str, ...]
    attachments: Attachments = field(default_factory=Attachments)
    ocr: tuple[OcrPage | None, ...] = ()
    unread: tuple[UnreadPage, ...] = ()
    form: Mapping[str, str] = field(default_factory=dict)  # filled form fields: name -> value
    drawn_form: Mapping[str, str] = field(default_factory=dict)  # a flattened CMS-1500's boxes
    words: tuple[PageWords, ...] = ()  # each page's words with their boxes (none: unread)

    def ocr_page(self, page: int) -> OcrPage | None:
        """The OCR words of 1-based `page`, when its text came from OCR."""
        return self.ocr[page - 1] if page <= len(self.ocr) else None

    @property
    def full(self) -> str:
        return PAGE_SEPARATOR.join(self.pages)

    @property
    def page_offsets(self) -> tuple[int, ...]:
        offsets, position = [], 0
        for text in self.pages:
            offsets.append(position)
            position += len(text) + len(PAGE_SEPARATOR)
        return tuple(offsets)

    def locate(self, start: int, end: int) -> PageSpan:
        """Turn a span in `full` into a page number and a span in that page's text."""
        offsets = self.page_offsets
        index = bisect_right(offsets, start) - 1
        return PageSpan(page=index + 1, start=start - offsets[index], end=end - offsets[index])


def read_pdf(
    path: Path,
    *,
    max_pages: int,
    max_bytes: int,
    password: str | None = None,
    ocr: OcrOptions | None = None,
    on_ocr_page: Callable[[int], None] | None = None,
) -> DocumentText:
    """Read a PDF's text. Raises an `InputError` subclass for anything that is not readable.
    Pages whose text layer is unusable are OCR'd with `ocr` (None: OCR is off), calling
    `on_ocr_page(page number)` before each."""
    size = path.stat().st_size
    if size > max_bytes:
        raise LimitExceededError(f"file has {size} bytes, limit is {max_bytes}")
    with path.open("rb") as handle:
        if _PDF_MAGIC not in handle.read(_MAGIC_WINDOW):
            raise NotAPdfError("no PDF header in the first 1024 bytes")
    try:
        reader = PdfReader(path, strict=False)
        _decrypt(reader, password)
        page_count = len(reader.pages)
        if page_count > max_pages:
            raise LimitExceededError(
                f"document has {page_count} pages, limit is {max_pages}", reason="pages"
            )
        if page_count == 0:
            raise DamagedPdfError("document has no pages")
        texts = [_clean(_page_text(page)) for page in reader.pages]
        attachments = xml_attachments(reader)
        form = read_form_fields(reader)
        # A filled CMS-1500's boxes are its values; OCR of the form's printed picture adds
        # nothing but seconds.
        wanted = [
            i
            for i, page in enumerate(reader.pages)
            if not is_cms1500(form) and needs_ocr(page, texts[i])
        ]
        scanned = _read_scans(path, password, wanted, ocr, on_ocr_page or (lambda page: None))
        ocr_pages: list[OcrPage | None] = [None] * page_count
        unread: list[UnreadPage] = []
        for index in wanted:
            outcome = scanned[index]
            if isinstance(outcome, OcrPage):
                ocr_pages[index], texts[index] = outcome, _clean(outcome.text)
            else:
                unread.append(UnreadPage(index + 1, outcome))
                texts[index] = ""  # a broken character map's letters are not the page's
        return DocumentText(
            pages=tuple(texts),
            attachments=attachments,
            ocr=tuple(ocr_pages) if wanted else (),
            unread=tuple(unread),
            form=form,
            drawn_form=_drawn_claim_form(reader) if not form else {},
            words=_read_words(path, password, ocr_pages),
        )
    except (EncryptedPdfError, LimitExceededError, DamagedPdfError):
        raise
    except FileNotDecryptedError as error:
        raise EncryptedPdfError("document is encrypted and could not be decrypted") from error
    except DependencyError as error:
        raise EncryptedPdfError("encryption method is not supported") from error
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        ArithmeticError,
        AssertionError,
    ) as error:
        logger.debug("pypdf failed: %s", type(error).__name__)
        raise DamagedPdfError(f"damaged or truncated PDF ({type(error).__name__})") from error


def _read_scans(
    path: Path,
    password: str | None,
    indexes: list[int],
    options: OcrOptions | None,
    on_page: Callable[[int], None],
) -> dict[int, OcrPage | str]:
    """Each page index's OCR reading, or why there is none."""
    if not indexes:
        return {}
    if options is None:
        return dict.fromkeys(indexes, "no usable text layer, and OCR is off")
    try:
        check_engine(options.languages)
        document = pypdfium2.PdfDocument(path, password=password)
    except OcrUnavailableError as error:
        return dict.fromkeys(indexes, f"no usable text layer: {error}")
    except pypdfium2.PdfiumError as error:
        logger.debug("PDFium failed: %s", type(error).__name__)
        return dict.fromkeys(indexes, "no usable text layer, and the page could not be rendered")
    outcomes: dict[int, OcrPage | str] = {}
    try:
        for index in indexes:
            on_page(index + 1)
            try:
                outcomes[index] = ocr_page(document, index, options)
            except OcrPageError as error:
                outcomes[index] = f"no usable text layer: {error}"
            except pypdfium2.PdfiumError:
                outcomes[index] = "no usable text layer, and the page could not be rendered"
    finally:
        document.close()
    return outcomes


def _read_words(
    path: Path, password: str | None, ocr_pages: list[OcrPage | None]
) -> tuple[PageWords, ...]:
    """The pages' words with their boxes; none where PDFium cannot open what pypdf read (the
    text still stands, only the geometry is missing)."""
    try:
        document = pypdfium2.PdfDocument(path, password=password)
    except pypdfium2.PdfiumError:
        logger.debug("PDFium could not open the document for its words")
        return ()
    try:
        return document_words(document, ocr_pages)
    except pypdfium2.PdfiumError:
        logger.debug("PDFium could not read the words")
        return ()
    finally:
        document.close()


def _drawn_claim_form(reader: PdfReader) -> dict[str, str]:
    """The values drawn in the boxes of a flattened CMS-1500 (one US letter page, no form
    fields left; the form itself is a picture, so only the positions of the text tell)."""
    if len(reader.pages) != 1:
        return {}
    page = reader.pages[0]
    if (round(float(page.mediabox.width)), round(float(page.mediabox.height))) != PAGE_SIZE:
        return {}
    fragments = page_fragments(page, 0)
    return flattened_form_values(fragments) if is_drawn_cms1500(fragments) else {}


def _decrypt(reader: PdfReader, password: str | None) -> None:
    """The given password (user or owner) first, then the empty one."""
    if not reader.is_encrypted:
        return
    for candidate in (password, ""):
        if candidate is not None and reader.decrypt(candidate):
            return
    raise EncryptedPdfError(
        "document is protected by a password"
        if password is None
        else "document could not be decrypted with the given password"
    )


def _page_text(page: PageObject) -> str:
    """The page's text; laid out from glyph positions when the text operators carry no
    spaces at all (some generators place every glyph and never write a space)."""
    text = page.extract_text(space_width=_SPACE_WIDTH) or ""
    if len(text) < _MIN_CHARS_FOR_SPACING or text.count(" ") / len(text) >= _MIN_SPACE_RATIO:
        return text
    laid_out = page.extract_text(extraction_mode="layout") or ""
    return "\n".join(_RUN_OF_SPACES.sub(" ", line).strip() for line in laid_out.splitlines())


def _clean(text: str) -> str:
    """PostgreSQL refuses NUL characters and UTF-8 cannot encode lone surrogates (broken font
    maps produce both); neither carries meaning in a page's text."""
    return _SURROGATES.sub("", text.replace("\x00", ""))
