"""Grounded copying: every value string the model writes must be text of the document.

`GroundedCopyProcessor` is a logits processor that runs after the grammar's. While the
model is inside a JSON value string it allows only tokens that continue some occurrence of
the value-so-far in the document (or close the string), so a value can never be invented.
It also records, per field path, the probability of each token chosen for that field,
which is the model's own confidence under both constraints.
"""

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from extractor.model.json_cursor import JsonCursor
from extractor.schema_walk import template_of
from schemas.kinds import FieldKind

LINE_BREAK_AS = ", "
_BARRIER = "\x00"  # stands in for characters a value may not copy (quotes, backslashes)


@dataclass(frozen=True)
class CopySource:
    """The document text as values may copy it: a run of line breaks reads as ", "."""

    text: str
    origin: tuple[int, ...]  # position in `text` -> position in the original text

    @classmethod
    def from_text(cls, original: str) -> "CopySource":
        chars: list[str] = []
        origin: list[int] = []
        index = 0
        while index < len(original):
            char = original[index]
            if char in "\r\n\f":
                start = index
                while index < len(original) and original[index] in "\r\n\f":
                    index += 1
                chars.extend(LINE_BREAK_AS)
                origin.extend([start] * len(LINE_BREAK_AS))
                continue
            chars.append(_BARRIER if char in '"\\' or (ord(char) < 32 and char != "\t") else char)
            if char == "\t":
                chars[-1] = " "
            origin.append(index)
            index += 1
        origin.append(len(original))
        return cls("".join(chars), tuple(origin))

    def find(self, value: str) -> tuple[int, int] | None:
        """The span in the original text of the first occurrence of a copied value."""
        if not value:
            return None
        start = self.text.find(value)
        if start < 0:
            return None
        end = start + len(value)
        return self.origin[start], self.origin[end - 1] + 1


class TokenTable:
    """A vocabulary's token pieces as text, indexed for the lookups grounding needs."""

    def __init__(self, pieces: Sequence[bytes]) -> None:
        self.size = len(pieces)
        self.text: list[str] = []
        # Pieces without a quote, and the pieces with one keyed by the text before the quote.
        self.by_piece = _PieceIndex()
        self.quoted_after = _PieceIndex()
        self.quoted: list[tuple[int, str, str]] = []  # (id, text before quote, after quote)
        for token_id, raw in enumerate(pieces):
            piece = raw.decode("utf-8", errors="replace")
            self.text.append(piece)
            if not piece or "\ufffd" in piece or _BARRIER in piece:
                continue
            if '"' in piece:
                before, _, after = piece.partition('"')
                self.quoted.append((token_id, before, after))
                self.quoted_after.add(before, token_id)
            else:
                self.by_piece.add(piece, token_id)


class _PieceIndex:
    """Token ids by piece text, answering "which pieces does the text at this position
    start with?" by walking the text only as far as some piece continues."""

    def __init__(self) -> None:
        self.ids: dict[str, list[int]] = defaultdict(list)
        self._prefixes: set[str] = set()
        self._longest = 0

    def add(self, piece: str, token_id: int) -> None:
        self.ids[piece].append(token_id)
        self._prefixes.update(piece[:end] for end in range(1, len(piece)))
        self._longest = max(self._longest, len(piece))

    def starting_at(self, text: str, position: int) -> Iterator[int]:
        yield from self.ids.get("", ())
        for end in range(position + 1, min(len(text), position + self._longest) + 1):
            piece = text[position:end]
            yield from self.ids.get(piece, ())
            if piece not in self._prefixes:
                return


@dataclass(frozen=True)
class TokenRule:
    """What the grounding constraint lets through at one step."""

    ids: npt.NDArray[np.intp]
    refused: bool  # True: `ids` are the tokens refused; False: the only tokens allowed


class DocumentGrounding:
    """What the grounding constraint needs about one document, computed once per document.

    Text fields may copy any run of the document's text. Typed fields (dates, amounts, ...)
    may only copy one of their kind's candidates, whole; with no candidate they can only be
    null. Answers are remembered: a generation revisits the same value prefixes and the same
    document positions many times (list items, repeated names).
    """

    def __init__(
        self,
        table: TokenTable,
        source: CopySource,
        max_value_chars: int,
        kinds: Mapping[str, FieldKind] | None = None,
        candidates: Mapping[FieldKind, Sequence[str]] | None = None,
    ) -> None:
        self.table = table
        self.source = source
        self.max_value_chars = max_value_chars
        self._kinds = kinds or {}
        self._candidates = {kind: tuple(values) for kind, values in (candidates or {}).items()}
        self._openings: dict[FieldKind, TokenRule] = {}
        self._continuations: dict[tuple[str, FieldKind], TokenRule] = {}
        self._pieces_at: dict[int, tuple[int, ...]] = {}
        self._closers_at: dict[int, tuple[int, ...]] = {}

    def kind_of(self, path: str) -> FieldKind:
        return self._kinds.get(template_of(path), FieldKind.TEXT)

    def copies(self, value: str, kind: FieldKind = FieldKind.TEXT) -> bool:
        """Whether `value` may be the beginning of a value of this kind."""
        if kind in self._candidates:
            return any(candidate.startswith(value) for candidate in self._candidates[kind])
        return not value or (value in self.source.text and _BARRIER not in value)

    def openings(self, kind: FieldKind) -> TokenRule:
        """Refuses the tokens that would open a value string with text this kind may not
        start with."""
        if kind not in self._openings:
            no_candidates = kind in self._candidates and not self._candidates[kind]
            refused = []
            for token_id, _, after in self.table.quoted:
                content, closed, _ = after.partition('"')
                complete = self._complete(content, kind) if closed else True
                if no_candidates or not (self.copies(content, kind) and complete):
                    refused.append(token_id)
            self._openings[kind] = TokenRule(np.asarray(refused, np.intp), refused=True)
        return self._openings[kind]

    def continuations(self, content: str, kind: FieldKind = FieldKind.TEXT) -> TokenRule:
        """Allows the tokens that extend `content` along the document, or close the string."""
        key = (content, kind)
        if key not in self._continuations:
            allowed = sorted(set(self._continue(content, kind)))
            self._continuations[key] = TokenRule(np.asarray(allowed, np.intp), refused=False)
        return self._continuations[key]

    def _continue(self, content: str, kind: FieldKind) -> Iterator[int]:
        may_grow = len(content) < self.max_value_chars
        if kind in self._candidates or not content.strip():
            for before, token_ids in self.table.quoted_after.ids.items():
                if self._complete(content + before, kind):
                    yield from token_ids
            if not may_grow:
                return
            if kind in self._candidates:
                yield from self._scan_candidates(content, self._candidates[kind])
            else:
                for start in _occurrences(self.source.text, content):
                    yield from self._pieces(start + len(content))
            return
        for start in _occurrences(self.source.text, content):
            end = start + len(content)
            yield from self._closers(end)
            if may_grow:
                yield from self._pieces(end)

    def _pieces(self, position: int) -> tuple[int, ...]:
        """Tokens whose piece (without a quote) is the document text at `position`."""
        if position not in self._pieces_at:
            self._pieces_at[position] = tuple(
                self.table.by_piece.starting_at(self.source.text, position)
            )
        return self._pieces_at[position]

    def _closers(self, position: int) -> tuple[int, ...]:
        """Tokens that copy the document text at `position` up to a quote closing the value."""
        if position not in self._closers_at:
            self._closers_at[position] = tuple(
                self.table.quoted_after.starting_at(self.source.text, position)
            )
        return self._closers_at[position]

    def _complete(self, value: str, kind: FieldKind) -> bool:
        """Whether the value may end here: a whole candidate, or non-empty document text."""
        if kind in self._candidates:
            return value in self._candidates[kind]
        return bool(value.strip()) and self.copies(value)

    def _scan_candidates(self, content: str, candidates: Sequence[str]) -> Iterator[int]:
        for candidate in candidates:
            if candidate.startswith(content) and len(candidate) > len(content):
                yield from self.table.by_piece.starting_at(candidate, len(content))


@dataclass
class GroundedCopyProcessor:
    """llama-cpp-python logits processor; one instance per generation."""

    document: DocumentGrounding
    cursor: JsonCursor = field(default_factory=JsonCursor)
    field_probabilities: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    ungrounded_steps: int = 0
    # Set when the model started repeating list items: the output up to the last good item,
    # closed. Generation should stop (see `should_stop`) and this replaces its text.
    repaired_text: str | None = None
    _written: list[str] = field(default_factory=list)
    _started: bool = False
    _last_probability: float = 1.0

    def should_stop(self) -> bool:
        return self.repaired_text is not None

    def __call__(
        self, input_ids: npt.NDArray[np.intc], scores: npt.NDArray[np.single]
    ) -> npt.NDArray[np.single]:
        if self._started and self.repaired_text is None:
            piece = self.document.table.text[int(input_ids[-1])]
            self._written.append(piece)
            for path in self.cursor.feed(piece):
                self.field_probabilities[path].append(self._last_probability)
            self._check_for_loop()
        self._started = True
        rule = self._rule()
        # Outside a value the next token is JSON structure: no field records its probability.
        self._last_probability = 1.0 if rule is None else self._restrict(scores, rule)
        return scores

    def _check_for_loop(self) -> None:
        finished = self.cursor.last_finished_item
        if finished is None or not _repeats_or_empty(self.cursor, *finished):
            return
        array_path, index = finished
        end, closers = self.cursor.item_ends[(array_path, index - 1)]
        self.repaired_text = "".join(self._written)[:end] + closers
        for path in [path for path in self.field_probabilities if path.startswith(array_path)]:
            if int(path[len(array_path) + 1 :].partition(".")[0]) >= index:
                del self.field_probabilities[path]

    def _rule(self) -> TokenRule | None:
        """The tokens that may continue the value string the model is in, or open the next
        value; None where the grammar alone decides."""
        cursor = self.cursor
        if cursor.in_value_string:
            kind = self.document.kind_of(cursor.current_path())
            return self.document.continuations(cursor.value_content, kind)
        if cursor.expecting_value:
            return self.document.openings(self.document.kind_of(cursor.current_path()))
        return None

    def _restrict(self, scores: npt.NDArray[np.single], rule: TokenRule) -> float:
        """Mask the tokens the rule does not let through; the probability of the most likely
        one left. Where that leaves nothing, the grammar and the document disagree: the
        grammar wins and the step is counted as ungrounded."""
        if rule.refused:
            saved = scores[rule.ids]
            scores[rule.ids] = -np.inf
            if np.isfinite(scores.max()):
                return _greedy_probability(scores)
            scores[rule.ids] = saved
        else:
            kept = scores[rule.ids]
            if np.isfinite(kept).any():
                scores.fill(-np.inf)
                scores[rule.ids] = kept
                return _greedy_probability(kept)
        self.ungrounded_steps += 1
        return _greedy_probability(scores)


def _repeats_or_empty(cursor: JsonCursor, array_path: str, index: int) -> bool:
    """An item with no value, or a copy of the one before: the model is looping."""
    item = cursor.item_values(array_path, index)
    if all(value is None for value in item.values()):
        return True
    return index > 0 and item == cursor.item_values(array_path, index - 1)


def _occurrences(text: str, value: str) -> Iterator[int]:
    """Every position where `value` starts in `text` (every position for the empty value)."""
    if not value:
        yield from range(len(text))
        return
    start = text.find(value)
    while start >= 0:
        yield start
        start = text.find(value, start + 1)


def _greedy_probability(scores: npt.NDArray[np.single]) -> float:
    """The softmax probability of the largest score (masked tokens are -inf)."""
    best = scores.max() if scores.size else -np.inf
    if not np.isfinite(best):
        return 0.0
    return float(1.0 / np.exp(scores - best).sum(dtype=np.float64))


def field_confidence(probabilities: Sequence[float]) -> float:
    """A field's model confidence: the least certain token that went into it."""
    return min(probabilities, default=0.0)
