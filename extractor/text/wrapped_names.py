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
from itertools import pairwise

from extractor.read.page_words import PageWord, PageWords, word_key, word_lines
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
    geometry = word_lines(page.words)
    top, bottom = first, last
    while first - top < WRAP_LINES and top > 0:
        if has_legal_form(lines[top - 1].text):  # a whole name above: a company over its shop
            break
        if not _runs_on(lines[top - 1], lines[top], geometry, labels):
            break
        top -= 1
    while bottom - last < WRAP_LINES and bottom + 1 < len(lines):
        if has_legal_form(lines[bottom].text):  # the name ends in its legal form
            break
        if not _runs_on(lines[bottom], lines[bottom + 1], geometry, labels):
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


def _runs_on(
    upper: Line, lower: Line, geometry: Sequence[Sequence[PageWord]], labels: LabelIndex
) -> bool:
    """Whether the upper text line wraps onto the lower: both are words of a name (no
    number, no label), and on the page they are adjacent lines the printer wrapped
    (`wraps`)."""
    for line in (upper, lower):
        if not is_name(line.text) or DIGIT.search(line.text) or labels.hits(line):
            return False
    wanted = (_keys(upper.text), _keys(lower.text))
    words = [word for line in geometry for word in line]
    width = max(w.box[2] for w in words) - min(w.box[0] for w in words)
    return any(
        (_keys_of(above), _keys_of(below)) == wanted and wraps(above, below, width)
        for above, below in pairwise(geometry)
    )


def _fills(first: Line, last: Line, proposal: Proposal) -> bool:
    """Whether the printing spans whole lines (a name standing alone, not after a label)."""
    top, bottom = stripped(first, 0), stripped(last, 0)
    return (
        top is not None
        and bottom is not None
        and (top[1], bottom[2])
        == (
            proposal.start,
            proposal.end,
        )
    )


def _whole(line: Line) -> tuple[str, int, int]:
    span = stripped(line, 0)
    assert span is not None  # a name's line (`_runs_on`)
    return span


def _page(document: DocumentText, proposal: Proposal) -> PageWords | None:
    number = document.locate(proposal.start, proposal.end).page
    return document.words[number - 1] if number <= len(document.words) else None


def _height(line: Sequence[PageWord]) -> float:
    return sum(word.box[3] - word.box[1] for word in line) / len(line)


def _keys(text: str) -> list[str]:
    return [key for key in (word_key(part) for part in text.split()) if key]


def _keys_of(line: Sequence[PageWord]) -> list[str]:
    return [key for key in (word_key(word.text) for word in line) if key]
