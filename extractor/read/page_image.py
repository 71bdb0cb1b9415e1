"""One page of a PDF rendered as a PNG at a requested width (for the review app)."""

import io

import pypdfium2

MIN_WIDTH = 100
MAX_WIDTH = 2400  # pixels; a page is never rendered larger than this


def render_page_png(pdf: bytes, page_number: int, width: int) -> bytes:
    """Page `page_number` (1-based) as a PNG `width` pixels wide (clamped to
    MIN_WIDTH..MAX_WIDTH); an `IndexError` for a page the document lacks."""
    width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    document = pypdfium2.PdfDocument(pdf)
    try:
        if not 1 <= page_number <= len(document):
            raise IndexError(page_number)
        page = document[page_number - 1]
        page_width, _ = page.get_size()
        bitmap = page.render(scale=width / page_width, rotation=0)
        image = bitmap.to_pil()
        output = io.BytesIO()
        image.save(output, format="PNG")
        page.close()
        return output.getvalue()
    finally:
        document.close()
