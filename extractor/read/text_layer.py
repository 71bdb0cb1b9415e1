"""Decide, per page, whether the PDF's own text layer can be used or the page must be OCR'd.

A text layer is unusable when it is absent (a scan, or text drawn as outlines), nearly
empty on a page that carries an image (a scan with a stamp or page number as text), or
garbage: a font whose character map is missing or broken gives symbols, private-use
characters, or letters that form no words (each glyph mapped to the wrong letter).
"""

import re
import unicodedata

from pypdf import PageObject
from pypdf.generic import DictionaryObject

MIN_TEXT_CHARS = 40  # fewer visible characters on a page with an image: the image is the page
_MAX_ODD_SHARE = 0.1  # symbols, private-use and control characters among visible characters
_MIN_WORDLIKE_SHARE = 0.5  # letter runs of 3+ that hold a vowel, as words in our languages do
_LETTER_RUN = re.compile(r"[^\W\d_]{3,}")
_VOWELS = frozenset("aeiouyäöüàâéèêëîïôûùÿæœáíóúåø")
_ODD_CATEGORIES = frozenset({"Co", "Cn", "Cc", "Cs", "So"})
_MAX_XOBJECT_DEPTH = 3


def needs_ocr(page: PageObject, text: str) -> bool:
    """True when `text`, as read from `page`'s text layer, should be replaced by OCR."""
    visible = [char for char in text if not char.isspace()]
    if not visible:
        return True
    if len(visible) < MIN_TEXT_CHARS:
        return has_image(page)
    return is_garbage(text)


def is_garbage(text: str) -> bool:
    visible = [char for char in text if not char.isspace()]
    if not visible:
        return False
    odd = sum(unicodedata.category(char) in _ODD_CATEGORIES or char == "\ufffd" for char in visible)
    if odd / len(visible) > _MAX_ODD_SHARE:
        return True
    runs = _LETTER_RUN.findall(text.lower())
    if len(runs) < 3:
        return False  # a page of figures and codes: nothing to judge words by
    wordlike = sum(any(char in _VOWELS for char in run) for run in runs)
    return wordlike / len(runs) < _MIN_WORDLIKE_SHARE


def has_image(page: PageObject) -> bool:
    """Whether the page draws an image (directly or inside a form XObject)."""
    try:
        resources = page.get("/Resources")
        return _resources_have_image(resources, _MAX_XOBJECT_DEPTH)
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


def _resources_have_image(resources: object, depth: int) -> bool:
    if depth == 0 or resources is None:
        return False
    resources = getattr(resources, "get_object", lambda: resources)()
    if not isinstance(resources, DictionaryObject):
        return False
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, DictionaryObject):
        return False
    for reference in xobjects.values():
        xobject = reference.get_object()
        if not isinstance(xobject, DictionaryObject):
            continue
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            return True
        if subtype == "/Form" and _resources_have_image(xobject.get("/Resources"), depth - 1):
            return True
    return False
