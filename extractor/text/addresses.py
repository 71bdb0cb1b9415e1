"""A party's postal address: the lines printed under (or beside) its name, from the street to
the postcode and city, and the country if it follows. The value is those parts joined by
", " as printed; it is only read where the address is one run of the text, so its raw text
is a span of the document."""

import re
from collections.abc import Iterator, Sequence

from extractor.text.locate import KEY_VALUE, Line
from extractor.text.parties import SENDER_SEPARATORS
from extractor.values.candidates import Span
from extractor.values.countries import country_code

ADDRESS_EVIDENCE = 0.6  # layout only: the lines under a name that end in a postcode and city
_MAX_SKIPPED = 2  # lines between name and street (a contact person, a trade name)
_MAX_PARTS = 4
_CONTACT = re.compile(
    r"https?:|www\.|@|\+\d|\b(?:tel|fax|phone|telefon|e-?mail)\b|\d{3,}[ /]\d{3,}", re.IGNORECASE
)
_POSTCODE_CITY = re.compile(
    r"^(?:[A-Z]{1,2}[- ])?\d{4,5}(?:\s?[A-Z]{2})?\s+[^\W\d_]"  # 80333 München, DE 80333, 1016 GV
    r"|,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?$"  # Boston, MA 02110
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}$"  # Manchester M3 2BW
    r"|^[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\s+[^\W\d_]"  # SW1B 3BN London
    r"|\b[A-Z]\d{2}\s?[A-Z\d]{4}$"  # Dublin 15 D15 X2KA
)
_STREET = re.compile(r"(?=.*\d)(?=.*[^\W\d_]{3})")


def address_after(lines: Sequence[Line], name_end: int, stop_at: frozenset[str]) -> Span | None:
    """The address that follows a name ending at `name_end`; None if the lines there do not
    run from a street to a postcode and city. `stop_at` are texts that end the search (the
    parties' names). A street can start with a number that looks like a postcode ("1242
    chemin de l'olive"), so the address ends at the last of consecutive postcode-and-city
    parts, and takes the country after it."""
    run: list[Span] = []
    skipped = 0
    for part in _parts_after(lines, name_end):
        if part.text in stop_at or len(run) > _MAX_PARTS:
            break
        if run and _POSTCODE_CITY.search(run[-1].text) and not _POSTCODE_CITY.search(part.text):
            run.append(part)  # only a country may follow the place (checked below)
            break
        noise = _CONTACT.search(part.text) or KEY_VALUE.match(part.text)
        if run and noise:
            break
        if run or (not noise and (_STREET.search(part.text) or _POSTCODE_CITY.search(part.text))):
            run.append(part)
            continue
        skipped += 1
        if skipped > _MAX_SKIPPED:
            return None
    places = [index for index, part in enumerate(run) if _POSTCODE_CITY.search(part.text)]
    if not places:
        return None
    end = places[-1] + 1
    if end < len(run) and country_code(run[end].text) is not None:
        end += 1
    parts = run[:end]
    value = ", ".join(part.text.rstrip(" ,") for part in parts)
    return Span(value, parts[0].start, parts[-1].end)


def _parts_after(lines: Sequence[Line], name_end: int) -> Iterator[Span]:
    """The segments after the name: the rest of its line (a sender line "Name · Street ·
    City"), then the following lines, each split at such separators."""
    for line in lines:
        if line.end < name_end:
            continue
        begin = max(line.start, name_end)
        text = line.text[begin - line.start :]
        position = begin
        for piece in SENDER_SEPARATORS.split(text):
            offset = text.find(piece, position - begin)
            stripped = piece.strip(" \t,·•")
            if stripped:
                start = begin + offset + piece.find(stripped)
                yield Span(stripped, start, start + len(stripped))
            position = begin + offset + len(piece)


def interleaved_column(lines: Sequence[Line], name_line: int, other_line: int) -> list[Line]:
    """Blocks printed side by side come out of the PDF one line of each in turn ("Name A",
    "Name B", "Street A", "Street B"...): this party's lines after both names."""
    first = max(name_line, other_line) + 1 + (0 if name_line < other_line else 1)
    return list(lines[first::2])
