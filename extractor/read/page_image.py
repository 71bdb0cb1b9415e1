"""One page of a PDF rendered as a PNG at a requested width (for the review app)."""

import io

from extractor.read.page_words import open_page

MIN_WIDTH = 100
MAX_WIDTH = 2400  # pixels; a page is never rendered larger than this


def render_page_png(pdf: bytes, page_number: int, width: int) -> bytes:
    """Page `page_number` (1-based) as a PNG `width` pixels wide (clamped to
    MIN_WIDTH..MAX_WIDTH); an `IndexError` for a page the document lacks."""
    width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    output = io.BytesIO()
    with open_page(pdf, page_number) as page:
        page_width, _ = page.get_size()
        page.render(scale=width / page_width, rotation=0).to_pil().save(output, format="PNG")
    return output.getvalue()
