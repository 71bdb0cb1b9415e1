"""Read a known supplier's fields where a reviewer confirmed them before.

The supplier is the one whose VAT id or IBAN the text prints, else the one whose name it
prints (the longest such name). Each remembered field is then looked for on its page:

- with label words: wherever those words stand on the page, the value is at the remembered
  offset from them, scaled by the size of the label now against then (a scan of another size
  or crop moves and scales everything alike), and the words found there must have that very
  label (so "TOTAL" is not taken for "SUB TOTAL");
- without label words (or where the "label" is another value, such as a number, or the
  supplier's own name): at the remembered offset from where the supplier's name (or
  identifier) stands now, for a value that stood within `ANCHOR_REACH` lines of it;
- for a date found neither way: the one date the page prints in the remembered shape.

A value that does not normalise as its field's kind is not recalled: the rules' value stays.
An amount on a page that prints a rounding adjustment is trusted less (`rounding_printed`),
unless its remembered label names the total after rounding or it is the total after an
adjustment the page prints, on a document that counts that one as its total (a receipt).
"""

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from extractor.errors import NormalizationError
from extractor.memory.memory import (
    LINE_SEPARATORS,
    FractionBox,
    Memory,
    compact_identifier,
    join_lines,
    normalised_name,
    shape,
)
from extractor.read.page_labels import MAX_LABEL_WORDS, label_of
from extractor.read.page_words import (
    Box,
    PageWord,
    PageWords,
    overlaps,
    union_box,
    word_key,
    word_lines,
    word_middle,
)
from extractor.read.pdf import DocumentText
from extractor.result import FieldRecord, Method
from extractor.values.normalize import normalize, normalize_text
from schemas.kinds import FieldKind

_STRENGTH = {"vat": 2, "iban": 2, "name": 1}
SEARCH_LINES = 2
SHAPED_KINDS = frozenset({FieldKind.DATE})
ROUNDING_FACTOR = 0.5  # a remembered amount on a page with a rounding adjustment
MAX_ADJUSTMENT = Decimal("0.05")  # the most a cash rounding moves a total (to 0.05 or 0.10)
ANCHOR_REACH = 15  # lines
_ROUNDED_LABEL = re.compile(r"round|adj")
_KEY_FIELDS = {"vat": "seller.vat_id", "iban": "iban", "name": "seller.name"}


def recall(
    document: DocumentText,
    kinds: dict[str, FieldKind],
    memories: Iterable[Memory],
    rounded: Collection[object] = (),
) -> list[FieldRecord]:
    """The fields the memory of the document's supplier finds on its pages; `kinds` gives
    the kind of each field the schema has. `rounded`: amounts known to be the total after
    a rounding adjustment, which the kind of document counts as its total (not in doubt)."""
    known = list(memories)
    supplier = supplier_of(document.full, {memory.supplier_key for memory in known})
    if supplier is None or not document.words:
        return []
    own = [memory for memory in known if memory.supplier_key == supplier]
    anchor = _anchor(supplier, own, document.words)
    records = []
    for memory in own:
        kind = kinds.get(memory.field)
        if kind is None or not 1 <= memory.page <= len(document.words):
            continue
        page = document.words[memory.page - 1]
        here = anchor if anchor is not None and anchor.page == memory.page else None
        found = recall_field(memory, page, kind, here)
        if found is not None:
            record = _record(memory, found, document)
            doubted = record.value not in rounded and not _says_rounded(memory)
            if kind is FieldKind.AMOUNT and doubted and rounding_printed(page):
                record = replace(record, confidence=record.confidence * ROUNDING_FACTOR)
            records.append(record)
    return records


def rounding_printed(page: PageWords) -> bool:
    """Whether the page prints a rounding adjustment other than zero (beside a word for
    rounding, an amount of at most `MAX_ADJUSTMENT`: "TOTAL ROUNDED 99.80" is a total): then
    it has a total before and one after rounding, and one confirmed document cannot tell
    which of the two a remembered place holds."""
    amounts: list[object] = []
    for word in page.words:
        try:
            amounts.append(normalize(FieldKind.AMOUNT, word.text))
        except NormalizationError:
            amounts.append(None)
    for label in page.words:
        if not word_key(label.text).startswith("round"):
            continue
        middle = word_middle(label)
        for word, amount in zip(page.words, amounts, strict=True):
            same_line = word.box[1] <= middle <= word.box[3] and word.box[0] > label.box[2]
            if same_line and isinstance(amount, Decimal) and 0 < abs(amount) <= MAX_ADJUSTMENT:
                return True
    return False


def _says_rounded(memory: Memory) -> bool:
    """Whether the remembered label names the total after rounding ("TOTAL ROUNDED", "AFTER
    ADJ"): then the reviewer chose that total, and the label finds it again."""
    return any(_ROUNDED_LABEL.match(word_key(word)) for word in memory.label_words)


@dataclass(frozen=True)
class Anchor:
    """Where the text the supplier was known by (its name, VAT id or IBAN) stands now, and
    where its field stood on the confirmed document."""

    field: str
    page: int
    then: FractionBox
    now: Box
    words: tuple[int, ...]  # indexes of its words on the page


def _anchor(supplier: str, memories: Sequence[Memory], pages: Sequence[PageWords]) -> Anchor | None:
    kind, _, value = supplier.partition(":")
    field = _KEY_FIELDS[kind]
    remembered = next((memory for memory in memories if memory.field == field), None)
    if remembered is None:
        return None
    page = pages[remembered.page - 1] if remembered.page <= len(pages) else None
    spelled = _spelled(page.words, value, kind) if page is not None else None
    if page is None or spelled is None:
        return None
    box = union_box([page.words[i].box for i in spelled])
    return Anchor(field, page.page, remembered.value_box, box, tuple(spelled))


def _spelled(words: Sequence[PageWord], value: str, kind: str) -> list[int] | None:
    """The indexes of the first run of words that spells the supplier's name or identifier."""
    fold = normalised_name if kind == "name" else compact_identifier
    for start in range(len(words)):
        text = ""
        for end in range(start, len(words)):
            text = fold(f"{text} {words[end].text}")
            if text == value:
                return list(range(start, end + 1))
            if not value.startswith(text):
                break
    return None


def supplier_of(text: str, keys: Iterable[str]) -> str | None:
    """The supplier key the text names: an identifier it prints over a name, a longer name
    over a shorter one; None when none is printed or two equal ones are."""
    compact = compact_identifier(text)
    words = f" {normalised_name(text)} "
    found: list[tuple[int, int, str]] = []
    for key in keys:
        kind, _, value = key.partition(":")
        if not value or kind not in _STRENGTH:
            continue
        printed = f" {value} " in words if kind == "name" else value in compact
        if printed:
            found.append((_STRENGTH[kind], len(value), key))
    found.sort(reverse=True)
    if not found or (len(found) > 1 and found[0][:2] == found[1][:2]):
        return None
    return found[0][2]


@dataclass(frozen=True)
class Found:
    value: object
    raw: str
    page: int
    box: Box
    sure: bool = True  # found as the supplier's own words or beside its remembered label


def recall_field(
    memory: Memory, page: PageWords, kind: FieldKind, anchor: Anchor | None = None
) -> Found | None:
    """The remembered field read on this page, or None: the anchor's own words for the
    field the supplier is known by, else by its label, else (a value without a printed
    label) by its place from the anchor, else by its shape (`_by_shape`). What is found by
    place or by shape alone is not `sure`: no printed word vouches for it."""
    if anchor is not None and memory.field == anchor.field:  # the name as printed, in order
        words = [page.words[i] for i in anchor.words]
        return _read(kind, words, page, " ".join(word.text for word in words))
    if memory.label_words and (
        not _printed_label(memory.label_words) or _labelled_by_anchor(memory, anchor)
    ):
        memory = replace(memory, label_words=(), label_box=None)  # found from the anchor
    for expected, label in _label_places(memory, page):
        for words in _candidates(page.words, expected, label, memory.value_lines):
            now = label_of(page.words, union_box([word.box for word in words]))
            if now is None or not _same_label(now.words, memory.label_words):
                continue
            found = _read(kind, words, page, separator=memory.line_separator)
            if found is not None:
                return found
    if (
        anchor is not None
        and not memory.label_words
        and _within_reach(memory.value_box, anchor.then)
    ):
        expected = _moved(memory.value_box, anchor.then, anchor.now, memory.page_size)
        taken = frozenset(anchor.words)
        for words in _candidates(page.words, expected, taken, memory.value_lines):
            found = _read(kind, words, page, separator=memory.line_separator)
            if found is not None:
                return replace(found, sure=False)
    by_shape = _by_shape(memory, page, kind)
    return replace(by_shape, sure=False) if by_shape is not None else None


def _by_shape(memory: Memory, page: PageWords, kind: FieldKind) -> Found | None:
    """The one value the page prints in the remembered shape ("99-99-99"), for a kind whose
    shape does not change with the value (a date, not an amount); None where there are none
    or several."""
    if kind not in SHAPED_KINDS or not memory.value_shape:
        return None
    size = len(memory.value_shape.split())
    found: dict[object, Found] = {}
    for start in range(len(page.words) - size + 1):
        words = page.words[start : start + size]
        if shape(" ".join(word.text for word in words)) != memory.value_shape:
            continue
        read = _read(kind, words, page, " ".join(word.text for word in words))
        if read is not None:
            found.setdefault(read.value, read)
    return next(iter(found.values())) if len(found) == 1 else None


def _read(
    kind: FieldKind,
    words: Sequence[PageWord],
    page: PageWords,
    raw: str | None = None,
    separator: str | None = None,
) -> Found | None:
    raw = raw if raw is not None else _reading_order_text(words, separator or LINE_SEPARATORS[0])
    try:
        value = normalize(kind, raw)
    except NormalizationError:
        return None
    if value is None or value == "":
        return None
    return Found(value, raw, page.page, union_box([word.box for word in words]))


def _label_places(memory: Memory, page: PageWords) -> Iterable[tuple[Box, frozenset[int]]]:
    """Where the value should be by each printing of its label on this page, with the
    indexes of the label's words: the printing of the remembered rank first (the second
    "TOTAL" of two stays the second on a receipt of more items), then the one nearest the
    remembered place."""
    if not memory.label_words or memory.label_box is None:
        return []
    places = []
    lx0, ly0 = memory.label_box[:2]
    for rank, (run, indexes) in enumerate(_ranked_runs(page.words, memory.label_words), start=1):
        other_rank = memory.label_rank is not None and rank != memory.label_rank
        distance = abs(run[1] / page.height - ly0) + abs(run[0] / page.width - lx0)
        expected = _moved(memory.value_box, memory.label_box, run, memory.page_size)
        places.append(((other_rank, distance), expected, indexes))
    return [(box, frozenset(indexes)) for _, box, indexes in sorted(places, key=lambda p: p[0])]


def label_rank(words: Sequence[PageWord], label: Sequence[str], box: Box) -> int | None:
    """Which printing of the label, top to bottom, is the one that stands at `box` (1: the
    first); None where none does."""
    for rank, (run, _) in enumerate(_ranked_runs(words, label), start=1):
        if overlaps(run, box):
            return rank
    return None


def _ranked_runs(words: Sequence[PageWord], label: Sequence[str]) -> list[tuple[Box, list[int]]]:
    """Each printing of the label (`_runs`), with its box, top to bottom."""
    runs = [
        (union_box([words[i].box for i in indexes]), indexes) for indexes in _runs(words, label)
    ]
    return sorted(runs, key=lambda run: (run[0][1], run[0][0]))


def _moved(
    value: FractionBox, then: FractionBox, now: Box, page_size: tuple[float, float] | None
) -> Box:
    """The value's box now, from where it stood against a reference box then (fractions of
    the page) and where that reference stands now (points): offset and size scaled alike,
    by the reference's width (a scan at another size or crop), where the confirmed page's
    size is known; else across by its width and down by its height."""
    scale_x = (now[2] - now[0]) / max(then[2] - then[0], 1e-6)
    scale_y = (now[3] - now[1]) / max(then[3] - then[1], 1e-6)
    if page_size is not None:
        width, height = page_size
        scale_y = scale_x * height / width  # points now per fraction of the page's height
    x0 = now[0] + (value[0] - then[0]) * scale_x
    y0 = now[1] + (value[1] - then[1]) * scale_y
    return (x0, y0, x0 + (value[2] - value[0]) * scale_x, y0 + (value[3] - value[1]) * scale_y)


def _within_reach(value: FractionBox, anchor: FractionBox) -> bool:
    """Whether a value stood near enough the anchor (down the page, in the anchor's line
    heights) to be found from it: the header moves with the name, a total below the items
    does not."""
    line = max(anchor[3] - anchor[1], 1e-6)
    return abs(value[1] - anchor[1]) <= ANCHOR_REACH * line


def _labelled_by_anchor(memory: Memory, anchor: Anchor | None) -> bool:
    """Whether the remembered label was the supplier's own name or identifier (the line
    above an address), whose place the anchor already knows, however many lines it took."""
    return (
        anchor is not None
        and memory.label_box is not None
        and overlaps(memory.label_box, anchor.then)
    )


def _printed_label(words: Sequence[str]) -> bool:
    """Whether label words are printed words, not another value (a number, an id): one of
    them at least is a word without digits ("TOTAL" in "TOTAL INCL. GST@6%"), where every
    word of a value ("05/SE200209/42193") carries some."""
    return any(
        any(character.isalpha() for character in word)
        and not any(character.isdigit() for character in word)
        for word in words
    )


def _runs(words: Sequence[PageWord], label: Sequence[str]) -> Iterable[list[int]]:
    """The indexes of each run of words that spells the label left to right on one line,
    whatever order the PDF drew them in and however it split them into words
    ("SALES(INCLUSIVE" or "SALES (INCLUSIVE"; punctuation standing alone is skipped)."""
    wanted = _spelling(label)
    keys = [_spelling([word.text]) for word in words]
    for first, key in enumerate(keys):
        if not wanted or not key or not wanted.startswith(key):
            continue
        box = words[first].box
        middle = (box[1] + box[3]) / 2
        after = sorted(
            (
                index
                for index, word in enumerate(words)
                if keys[index]
                and word.box[0] >= box[2] - 1e-3
                and word.box[1] <= middle <= word.box[3]
            ),
            key=lambda index: words[index].box[0],
        )
        run, spelled = [first], key
        for index in after:
            if spelled == wanted or not wanted.startswith(spelled + keys[index]):
                break
            run.append(index)
            spelled += keys[index]
        if spelled == wanted:
            yield run


def _candidates(
    words: Sequence[PageWord], box: Box, exclude: frozenset[int], spans: int | None = None
) -> list[list[PageWord]]:
    """The word sets the value may be, nearest the box first. A value of several lines is
    the words that overlap the box across and whose middle lies within it down the page
    (give or take half a line); where more lines than the `spans` it spanned stand there
    (the lines stand closer, and the line below reaches in), the run of that many lines whose
    top stands nearest the box's: a value's first line stands level with its label or at its
    old distance below the name it follows. A value of one line is one line of the words
    that overlap the box across, within `SEARCH_LINES` lines of it down the page: a
    receipt's paper stretches, and its lines drift from where they stood before."""
    x0, y0, x1, y1 = box
    line = median((w.box[3] - w.box[1] for w in words), default=0.0) or 1.0
    several = y1 - y0 > 1.5 * line
    reach = line / 2 if several else SEARCH_LINES * line
    across = [
        word
        for index, word in enumerate(words)
        if index not in exclude
        and word.box[0] < x1
        and word.box[2] > x0
        and y0 - reach <= word_middle(word) <= y1 + reach
    ]
    if several and spans is not None:
        return _nearest_run(across, y0, spans)
    if several or not across:
        return [across] if across else []
    middle = (y0 + y1) / 2
    lines: list[list[PageWord]] = []
    for word in sorted(across, key=lambda w: abs(word_middle(w) - middle)):
        home = next(
            (held for held in lines if abs(word_middle(held[0]) - word_middle(word)) <= line / 2),
            None,
        )
        if home is None:
            lines.append([word])
        else:
            home.append(word)
    return lines


def _nearest_run(words: Sequence[PageWord], top: float, size: int) -> list[list[PageWord]]:
    """The words of the `size` consecutive lines whose top stands nearest `top`."""
    lines = word_lines(words)
    if len(lines) <= size:
        return [list(words)] if words else []
    first = min(range(len(lines) - size + 1), key=lambda i: abs(_top(lines[i]) - top))
    return [[word for line in lines[first : first + size] for word in line]]


def _top(line: Sequence[PageWord]) -> float:
    return min(word.box[1] for word in line)


def _reading_order_text(words: Sequence[PageWord], separator: str) -> str:
    """The words in geometric order (`word_lines`), lines joined as the reviewer joined
    them (`join_lines`; by default by commas, as the rules write an address)."""
    texts = [normalize_text(" ".join(word.text for word in line)) for line in word_lines(words)]
    return join_lines([text for text in texts if text], separator)


def _same_label(now: Sequence[str], then: Sequence[str]) -> bool:
    """Whether two labels read alike. A label is its last `MAX_LABEL_WORDS` words, and the
    PDF may split the same text into other words ("SALES(INCLUSIVE OF GST) :" then, "SALES
    (INCLUSIVE OF GST) :" now, cut to its last four): where one was cut, the other need only
    end the same, and it is the cut one that may lack a beginning. "SUB TOTAL" and "TOTAL"
    are not cut, and differ; nor does "(EXCLUDED GST) SUB TOTAL (RM) :" cut to its last four
    words read as the whole label "TOTAL (RM) :"."""
    spelled_now, spelled_then = _spelling(now), _spelling(then)
    if spelled_now == spelled_then:
        return True
    (shorter, cut), (longer, _) = sorted(
        ((spelled_now, len(now) == MAX_LABEL_WORDS), (spelled_then, len(then) == MAX_LABEL_WORDS)),
        key=lambda spelled: len(spelled[0]),
    )
    return cut and bool(shorter) and longer.endswith(shorter)


def _spelling(words: Sequence[str]) -> str:
    """A label's letters and digits, case folded: how it reads whatever the word breaks."""
    return "".join(
        character for word in words for character in word.casefold() if character.isalnum()
    )


def median(values: Iterable[float], default: float) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else default


def _record(memory: Memory, found: Found, document: DocumentText) -> FieldRecord:
    text = document.pages[found.page - 1]
    start = text.find(found.raw)
    return FieldRecord(
        memory.field,
        found.value,  # type: ignore[arg-type]
        Method.MEMORY,
        memory.confidence,
        page=found.page,
        start=start if start >= 0 else None,
        end=start + len(found.raw) if start >= 0 else None,
        raw=found.raw,
        box=found.box,
        confirmed=found.sure,
    )
