"""A party's name that the printer wrapped onto more lines, found by the page's geometry.

A line wraps where the next word did not fit: the line above a name, in the same type, is so
wide that the name's first word would not have fit after it within the page's text
("AIK HUAT HARDWARE / ENTERPRISE (SETIA / ALAM) SDN BHD"), or the name's last line is
so wide that the next line's first word would not have ("LIAN CHI PU TIAN VEGETARIAN /
RESTAURANT SDN BHD"). A brand over its company is two lines the printer broke on purpose:
the company's first word would have fit after the brand ("WATSONS / WATSON'S PERSONAL
CARE STORES SDN BHD")."""

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property
from itertools import pairwise

from extractor.read.page_words import PageWord, PageWords, union_box, word_keys, word_lines
from extractor.read.pdf import DocumentText
from extractor.text.decide import Option, option_value
from extractor.text.locate import DIGIT, LabelIndex, Line, Proposal, is_name, stripped
from extractor.values.confirm import has_legal_form
from schemas.kinds import FieldKind

WRAP_LINES = 2  # further lines, each way, that a wrapped name may run onto
SAME_TYPE = 0.8  # of two lines' heights, the smaller over the larger: the same type size


def unwrapped(
    option: Option, lines: Sequence[Line], document: DocumentText, labels: LabelIndex
) -> Option:
    """The option with its first printing grown over the lines the printer wrapped it onto
    (`wraps`); the option itself where the name fills no whole lines or nothing wraps. A
    line that holds a label ("SIMPLIFIED TAX INVOICE") is no part of a name."""
    proposal = option.first
    starts = [line.start for line in lines]
    first = bisect_right(starts, proposal.start) - 1
    last = bisect_right(starts, max(proposal.end - 1, proposal.start)) - 1
    if not _fills(lines[first], lines[last], proposal):
        return option
    page = _page(document, proposal)
    if page is None or not page.words:
        return option
    page_lines = _PageLines(page)
    top, bottom = first, last
    while first - top < WRAP_LINES and top > 0:
        if has_legal_form(lines[top - 1].text):  # a whole name above: a company over its shop
            break
        if not _runs_on(lines[top - 1], lines[top], page_lines, labels):
            break
        top -= 1
    while bottom - last < WRAP_LINES and bottom + 1 < len(lines):
        if has_legal_form(lines[bottom].text):  # the name ends in its legal form
            break
        if not _runs_on(lines[bottom], lines[bottom + 1], page_lines, labels):
            break
        bottom += 1
    if (top, bottom) == (first, last):
        return option
    start, end = _whole(lines[top])[1], _whole(lines[bottom])[2]
    value = option_value(FieldKind.TEXT, document.full[start:end], month_first=False)
    if value is None:
        return option
    grown = replace(proposal, text=document.full[start:end], start=start, end=end)
    others = tuple(p for p in option.proposals if p is not proposal)
    return Option(value, (grown, *others), option.support)


def wraps(upper: Sequence[PageWord], lower: Sequence[PageWord], width: float) -> bool:
    """Whether the upper line of words wrapped onto the lower: both in the same type, and
    the lower's first word would not have fit after the upper (a space between) within
    `width`, the page's text width."""
    heights = [_height(upper), _height(lower)]
    if min(heights) < SAME_TYPE * max(heights):
        return False
    text = " ".join(word.text for word in upper)
    used = upper[-1].box[2] - upper[0].box[0]
    space = used / max(len(text), 1)
    return used + space + (lower[0].box[2] - lower[0].box[0]) > width


class _PageLines:
    """A page's lines by geometry, each with its words' keys, and the page's text width:
    read from its words when first asked (most names rule wrapping out by their text)."""

    def __init__(self, page: PageWords) -> None:
        self._page = page

    @cached_property
    def _lines(self) -> tuple[tuple[tuple[str, ...], Sequence[PageWord]], ...]:
        lines = word_lines(self._page.words)
        return tuple((_keys(" ".join(word.text for word in line)), line) for line in lines)

    @cached_property
    def _width(self) -> float:
        left, _, right, _ = union_box([word.box for word in self._page.words])
        return right - left

    def wrapped(self, upper: str, lower: str) -> bool:
        """Whether the page's line spelling `upper` wraps onto the next, spelling `lower`."""
        wanted = (_keys(upper), _keys(lower))
        return any(
            (above[0], below[0]) == wanted and wraps(above[1], below[1], self._width)
            for above, below in pairwise(self._lines)
        )


def _runs_on(upper: Line, lower: Line, page: _PageLines, labels: LabelIndex) -> bool:
    """Whether the upper text line wraps onto the lower: both are words of a name (no
    number, no label), the lower does not start the upper's words over (a brand over its
    company: "OLD TOWN WHITE COFFE / OLD TOWN KOPITIAM SDN BHD"), and on the page they are
    adjacent lines the printer wrapped (`wraps`)."""
    for line in (upper, lower):
        if not is_name(line.text) or DIGIT.search(line.text) or labels.hits(line):
            return False
    if upper.text.split()[0].casefold() == lower.text.split()[0].casefold():
        return False
    return page.wrapped(upper.text, lower.text)


def _fills(first: Line, last: Line, proposal: Proposal) -> bool:
    """Whether the printing spans whole lines (a name standing alone, not after a label)."""
    top, bottom = stripped(first, 0), stripped(last, 0)
    if top is None or bottom is None:
        return False
    return (top[1], bottom[2]) == (proposal.start, proposal.end)


def _whole(line: Line) -> tuple[str, int, int]:
    span = stripped(line, 0)
    assert span is not None  # a name's line (`_runs_on`)
    return span


def _page(document: DocumentText, proposal: Proposal) -> PageWords | None:
    number = document.locate(proposal.start, proposal.end).page
    return document.words[number - 1] if number <= len(document.words) else None


def _height(line: Sequence[PageWord]) -> float:
    return sum(word.box[3] - word.box[1] for word in line) / len(line)


def _keys(text: str) -> tuple[str, ...]:
    return tuple(word_keys(text))
