"""Read a page without a usable text layer: render it with PDFium, clean the image, and run
Tesseract on it. Words come back with their place on the page and Tesseract's confidence.

Tesseract is a Debian package (`tesseract-ocr`, with the Latin-script model
`tesseract-ocr-script-latn` used by default, and `-eng`, `-deu`, `-fra`), run locally as a
subprocess (`extractor.read.ocr.tesseract`); nothing is fetched. The page text is laid out from the
word boxes in reading order, one line per run of words, so everything downstream
(candidates, spans, the model) treats it like a text layer.
"""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from math import cos, radians, sin
from typing import Any

import pypdfium2
from PIL import Image

from extractor.read.ocr import tesseract
from extractor.read.ocr.scan_image import prepare

# Tesseract's automatic page layout: it recognises columns side by side correctly, where
# a single-column layout (4) reads an address window and the details beside it as one
# garbled line. The reading order is then rebuilt from the word boxes (`_reading_order`).
_PAGE_LAYOUT = 3
_COLUMN_GAP = 2.0  # a space wider than twice the word's height separates columns
_PARAGRAPH = 1.0  # an empty strip across the region this many line heights tall
_GUTTER = 1.0  # an empty vertical strip this many line heights wide can separate columns
_SAME_ROW = 0.3  # lines whose middles are within this share of a line height share a row
_ALIGNED_SHARE = 0.6  # blocks whose lines share rows this often are one table
_SPECK = 0.5  # a mark less than half as tall as a typical line
_FAX_ENLARGEMENT = 1.5
_MAX_PIXELS = 60_000_000  # a page rendered larger than this is rendered at a lower resolution
_POINTS_PER_INCH = 72


DEBIAN_PACKAGES = (
    "tesseract-ocr",
    "tesseract-ocr-script-latn",
    "tesseract-ocr-eng",
    "tesseract-ocr-deu",
    "tesseract-ocr-fra",
)


class OcrUnavailableError(Exception):
    """Tesseract or one of the configured languages is not installed."""


class OcrPageError(Exception):
    """Tesseract failed or ran out of time on one page."""


BLANK_LEVEL = 240  # greyscale; a page whose darkest pixel is lighter than this prints nothing


@dataclass(frozen=True)
class OcrOptions:
    languages: str  # Tesseract's form: "Latin", "eng+deu+fra"
    dpi: int
    page_seconds: float


@dataclass(frozen=True)
class OcrWord:
    """One recognised word: its character span in the page text, its box in points from the
    top-left corner of the page as displayed (x0, y0, x1, y1), and Tesseract's confidence."""

    start: int
    end: int
    box: tuple[float, float, float, float]
    confidence: float  # 0..1

    def to_json(self) -> list[Any]:
        return [self.start, self.end, list(self.box), self.confidence]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> "OcrWord":
        start, end, box, confidence = data
        x0, y0, x1, y1 = (float(v) for v in box)
        return cls(int(start), int(end), (x0, y0, x1, y1), float(confidence))


@dataclass(frozen=True)
class OcrPage:
    text: str
    words: tuple[OcrWord, ...]
    angle: float  # degrees the scan was straightened by

    def confidence_of(self, start: int, end: int) -> float | None:
        """The lowest confidence of the words a span touches; None when it touches none."""
        touched = [word.confidence for word in self.words if word.start < end and start < word.end]
        return min(touched) if touched else None

    def box_of(self, start: int, end: int) -> tuple[float, float, float, float] | None:
        """The box around the words a span touches."""
        boxes = [word.box for word in self.words if word.start < end and start < word.end]
        if not boxes:
            return None
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "words": [word.to_json() for word in self.words],
            "angle": self.angle,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "OcrPage":
        words = tuple(OcrWord.from_json(word) for word in data["words"])
        return cls(str(data["text"]), words, float(data["angle"]))


def check_engine(languages: str) -> None:
    """Raise `OcrUnavailableError` naming what is missing."""
    try:
        installed = tesseract.languages()
    except tesseract.TesseractMissingError as error:
        raise OcrUnavailableError(str(error)) from error
    missing = [language for language in languages.split("+") if language not in installed]
    if missing:
        raise OcrUnavailableError(
            f"OCR languages not installed: {', '.join(missing)} "
            "(Debian: apt-get install tesseract-ocr-<language>)"
        )


def engine_version() -> str:
    try:
        return tesseract.version()
    except tesseract.TesseractMissingError as error:
        raise OcrUnavailableError(str(error)) from error


def ocr_page(document: pypdfium2.PdfDocument, index: int, options: OcrOptions) -> OcrPage:
    """Render page `index` (0-based) and read it."""
    page = document[index]
    width, height = page.get_size()
    scale = _render_dpi(page, options.dpi) / _POINTS_PER_INCH
    pixels = width * height * scale * scale
    if pixels > _MAX_PIXELS:
        scale *= (_MAX_PIXELS / pixels) ** 0.5
    image = page.render(scale=scale, grayscale=True).to_pil()
    return read_image(image, scale, options)


def _render_dpi(page: pypdfium2.PdfPage, wanted: int) -> float:
    """A black-and-white scan (a fax) is enlarged by half at most: its hard pixel steps,
    enlarged further, make Tesseract misread (200 dpi faxes, all core fields right on 16,
    22 and 10 of 30 read at 200, 300 and 400 dpi); greyscale, colour and vector pages are
    read at `wanted`."""
    for image in page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        metadata = image.get_metadata()
        if metadata.bits_per_pixel != 1 or metadata.horizontal_dpi <= 0:
            continue
        shown_width = metadata.width / metadata.horizontal_dpi * _POINTS_PER_INCH
        if shown_width >= page.get_width() / 2:  # the scan, not a small black-and-white logo
            return float(min(wanted, _FAX_ENLARGEMENT * metadata.horizontal_dpi))
    return float(wanted)


def read_image(image: Image.Image, scale: float, options: OcrOptions) -> OcrPage:
    """OCR a page image rendered at `scale` pixels per point; a blank page (every pixel near
    white: an e-invoice's empty last page) reads as no text, without the seconds of OCR."""
    darkest, _ = image.convert("L").getextrema()  # one band: (lowest, highest)
    if isinstance(darkest, int | float) and darkest >= BLANK_LEVEL:
        return OcrPage("", (), 0.0)
    prepared = prepare(image, round(scale * _POINTS_PER_INCH))
    try:
        data = tesseract.words(
            prepared.image,
            languages=options.languages,
            layout=_PAGE_LAYOUT,
            seconds=options.page_seconds,
        )
    except (tesseract.TesseractRunError, tesseract.TesseractMissingError) as error:
        raise OcrPageError(str(error)) from error
    unturn = _Unturn(prepared.angle, image.width, image.height, scale)
    return _laid_out(data, unturn, prepared.angle)


@dataclass(frozen=True)
class _Unturn:
    """Maps a pixel of the straightened image back to points on the page."""

    angle: float
    width: int
    height: int
    scale: float

    def box(self, left: int, top: int, width: int, height: int) -> tuple[float, ...]:
        corners = [(left, top), (left + width, top), (left, top + height)]
        corners.append((left + width, top + height))
        points = [self._point(x, y) for x, y in corners]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs), min(ys), max(xs), max(ys))

    def _point(self, x: float, y: float) -> tuple[float, float]:
        theta = radians(self.angle)
        cx, cy = self.width / 2, self.height / 2
        dx, dy = x - cx, y - cy
        # PIL turned the scan counter-clockwise by `angle` (y grows downwards): undo it
        original_x = cx + dx * cos(theta) - dy * sin(theta)
        original_y = cy + dx * sin(theta) + dy * cos(theta)
        return (round(original_x / self.scale, 2), round(original_y / self.scale, 2))


@dataclass
class _Segment:
    """Words of one Tesseract line with no wide gap between them, in image pixels."""

    indexes: list[int]
    left: int
    right: int
    top: int
    bottom: int

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> int:
        return self.bottom - self.top


def _laid_out(data: dict[str, list[Any]], unturn: _Unturn, angle: float) -> OcrPage:
    """The page text in reading order, one segment per line, words joined by spaces."""
    lines: list[str] = []
    words: list[OcrWord] = []
    offset = 0
    for segment in _reading_order(_without_specks(_segments(data), data)):
        texts = [str(data["text"][i]).strip() for i in segment.indexes]
        for i, text in zip(segment.indexes, texts, strict=True):
            x0, y0, x1, y1 = unturn.box(
                data["left"][i], data["top"][i], data["width"][i], data["height"][i]
            )
            confidence = max(0.0, float(data["conf"][i])) / 100
            words.append(OcrWord(offset, offset + len(text), (x0, y0, x1, y1), confidence))
            offset += len(text) + 1
        lines.append(" ".join(texts))
    return OcrPage("\n".join(lines), tuple(words), angle)


def _segments(data: dict[str, list[Any]]) -> list[_Segment]:
    """Tesseract's lines, cut where a gap is wider than `_COLUMN_GAP` word heights (between
    columns, or between a label and its value), as the text layers of such layouts have it."""
    segments: list[_Segment] = []
    current: tuple[int, int, int] | None = None
    right_edge = 0
    for i, raw in enumerate(data["text"]):
        if not str(raw).strip():
            continue
        line = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        left, top = data["left"][i], data["top"][i]
        width, height = data["width"][i], data["height"][i]
        # the gap is measured in the line's height so far: a dot or a dash is barely tall
        same_line = segments and line == current
        if same_line and left - right_edge <= _COLUMN_GAP * max(height, segments[-1].height):
            segment = segments[-1]
            segment.indexes.append(i)
            segment.right = left + width
            segment.top, segment.bottom = min(segment.top, top), max(segment.bottom, top + height)
        else:
            segments.append(_Segment([i], left, left + width, top, top + height))
        current, right_edge = line, left + data["width"][i]
    return segments


def _without_specks(segments: list[_Segment], data: dict[str, list[Any]]) -> list[_Segment]:
    """Segments without the marks at their ends that are far smaller than text and hold no
    letter or digit: scanner noise read as ':' or '.' (a '·' between words stays)."""
    if not segments:
        return segments
    typical = statistics.median(data["height"][i] for s in segments for i in s.indexes)

    def speck(index: int) -> bool:
        text = str(data["text"][index])
        small = data["height"][index] < _SPECK * typical
        return small and not any(char.isalnum() for char in text)

    kept = []
    for segment in segments:
        indexes = list(segment.indexes)
        while indexes and speck(indexes[0]):
            indexes.pop(0)
        while indexes and speck(indexes[-1]):
            indexes.pop()
        if indexes:
            segment.indexes = indexes
            kept.append(segment)
    return kept


def _reading_order(segments: list[_Segment]) -> list[_Segment]:
    """A recursive XY-cut. The region is first cut at every empty strip across it as tall
    as a line (paragraph breaks); a region without one is cut at its widest empty gutter
    into columns read one after the other (an address window beside a block of invoice
    details), unless the lines on both sides sit on the same rows (a table, labels beside
    their values). What cannot be cut is read row by row, left to right."""
    if len(segments) < 2:
        return segments
    bands = _paragraph_cuts(segments)
    if len(bands) > 1:
        return [s for band in bands for s in _reading_order(band)]
    columns = _gutter_cut(segments)
    if columns is not None:
        return [s for column in columns for s in _reading_order(column)]
    return _by_rows(segments)


def _paragraph_cuts(segments: list[_Segment]) -> list[list[_Segment]]:
    ordered = sorted(segments, key=lambda s: s.top)
    minimum = _PARAGRAPH * statistics.median(s.height for s in segments)
    bands, reach = [[ordered[0]]], ordered[0].bottom
    for segment in ordered[1:]:
        if segment.top - reach >= minimum:
            bands.append([])
        bands[-1].append(segment)
        reach = max(reach, segment.bottom)
    return bands


def _gutter_cut(segments: list[_Segment]) -> tuple[list[_Segment], list[_Segment]] | None:
    ordered = sorted(segments, key=lambda s: s.left)
    minimum = _GUTTER * statistics.median(s.height for s in segments)
    best: tuple[int, int] | None = None  # (gap, index of the first segment on the right)
    reach = ordered[0].right
    for index in range(1, len(ordered)):
        gap = ordered[index].left - reach
        if gap >= minimum and (best is None or gap > best[0]):
            best = (gap, index)
        reach = max(reach, ordered[index].right)
    if best is None:
        return None
    left, right = ordered[: best[1]], ordered[best[1] :]
    return None if _rows_align(left, right) else (left, right)


def _rows_align(left: list[_Segment], right: list[_Segment]) -> bool:
    """Whether most lines of the smaller side have a line on the other side on the same row
    (middles within a third of a line height), as table cells do and independent blocks
    of text rarely do."""
    smaller, larger = sorted((left, right), key=len)
    aligned = sum(
        any(abs(other.middle - segment.middle) <= segment.height * _SAME_ROW for other in larger)
        for segment in smaller
    )
    return aligned >= _ALIGNED_SHARE * len(smaller)


def _by_rows(segments: list[_Segment]) -> list[_Segment]:
    """Top to bottom by rows, left to right within a row; neighbours in a row with no wide
    gap between them are one segment, whichever lines Tesseract put them in."""
    rows: list[list[_Segment]] = []
    for segment in sorted(segments, key=lambda s: (s.top, s.left)):
        row = rows[-1] if rows else None
        if row is not None and row[0].top <= segment.middle <= row[0].bottom:
            row.append(segment)
        else:
            rows.append([segment])
    ordered: list[_Segment] = []
    for row in rows:
        joined: list[_Segment] = []
        for segment in sorted(row, key=lambda s: s.left):
            last = joined[-1] if joined else None
            gap = segment.left - last.right if last is not None else 0
            if last is not None and gap <= _COLUMN_GAP * max(last.height, segment.height):
                last.indexes.extend(segment.indexes)
                last.right = max(last.right, segment.right)
                last.top, last.bottom = min(last.top, segment.top), max(last.bottom, segment.bottom)
            else:
                joined.append(segment)
        ordered.extend(joined)
    return ordered
