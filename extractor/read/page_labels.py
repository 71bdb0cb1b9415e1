"""The label of a value on the page: the words left of its box on the same line (a till slip
prints "TOTAL" far left of its amount), or, if there are none, the words of the nearest line
above that overlap it horizontally."""

from collections.abc import Sequence
from dataclasses import dataclass

from extractor.read.page_words import Box, PageWord

MAX_LABEL_WORDS = 4
MAX_LABEL_GAP = 20  # line heights between a value and the label left of it: a till slip
# prints its labels at the left edge and its amounts at the right, 80 mm apart
MAX_WORD_GAP = 3  # line heights between two words of one label


@dataclass(frozen=True)
class Label:
    words: tuple[str, ...]
    box: Box


def label_of(words: Sequence[PageWord], value: Box) -> Label | None:
    outside = [word for word in words if not _inside(word.box, value)]
    return _left_of(outside, value) or _above(outside, value)


def _left_of(words: Sequence[PageWord], value: Box) -> Label | None:
    height = value[3] - value[1]
    centre = (value[1] + value[3]) / 2
    line = sorted(
        (
            word
            for word in words
            if word.box[1] <= centre <= word.box[3] and word.box[2] <= value[0]
        ),
        key=lambda word: word.box[0],
    )
    picked: list[PageWord] = []
    edge = value[0]
    for word in reversed(line):
        # a colon standing alone before the value ("TOTAL        :  4.90") is no label: the
        # label's words may stand as far off as a label may, and the colon is not one of them
        worded = any(character.isalnum() for chosen in picked for character in chosen.text)
        gap = (MAX_WORD_GAP if worded else MAX_LABEL_GAP) * max(height, 1.0)
        if edge - word.box[2] > gap or len(picked) == MAX_LABEL_WORDS:
            break
        if picked and not worded and edge - word.box[2] > MAX_WORD_GAP * max(height, 1.0):
            picked = []
        picked.insert(0, word)
        edge = word.box[0]
    return _label(picked)


def _above(words: Sequence[PageWord], value: Box) -> Label | None:
    overlapping = [
        word
        for word in words
        if word.box[3] <= value[1] and word.box[0] < value[2] and word.box[2] > value[0]
    ]
    if not overlapping:
        return None
    nearest = max(word.box[3] for word in overlapping)
    height = max(value[3] - value[1], 1.0)
    if value[1] - nearest > MAX_WORD_GAP * height:
        return None
    line = [word for word in overlapping if nearest - word.box[3] < height / 2]
    return _label(sorted(line, key=lambda word: word.box[0])[:MAX_LABEL_WORDS])


def _label(words: Sequence[PageWord]) -> Label | None:
    if not words:
        return None
    box = (
        min(word.box[0] for word in words),
        min(word.box[1] for word in words),
        max(word.box[2] for word in words),
        max(word.box[3] for word in words),
    )
    return Label(tuple(word.text for word in words), box)


def _inside(word: Box, value: Box) -> bool:
    x = (word[0] + word[2]) / 2
    y = (word[1] + word[3]) / 2
    return value[0] <= x <= value[2] and value[1] <= y <= value[3]
