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

from extractor.json_cursor import JsonCursor
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
        self.by_piece: dict[str, list[int]] = defaultdict(list)
        self.quoted: list[tuple[int, str, str]] = []  # (id, text before quote, after quote)
        self.quoted_after: dict[str, list[int]] = defaultdict(list)  # text before the quote
        self.text: list[str] = []
        for token_id, raw in enumerate(pieces):
            piece = raw.decode("utf-8", errors="replace")
            self.text.append(piece)
            if not piece or "\ufffd" in piece:
                continue
            if '"' in piece:
                before, _, after = piece.partition('"')
                self.quoted.append((token_id, before, after))
                self.quoted_after[before].append(token_id)
            else:
                self.by_piece[piece].append(token_id)
        self.prefixes = {piece[:end] for piece in self.by_piece for end in range(1, len(piece))}

        self.max_piece = max((len(piece) for piece in self.by_piece), default=1)


class DocumentGrounding:
    """What the grounding constraint needs about one document, computed once per document.

    Text fields may copy any run of the document's text. Typed fields (dates, amounts, ...)
    may only copy one of their kind's candidates, whole; with no candidate they can only be
    null.
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
        self._refused: dict[FieldKind, npt.NDArray[np.bool_]] = {}
        self._allowed_openings: dict[FieldKind, npt.NDArray[np.bool_]] = {}
        self._first_text_tokens = self._scan_text("")

    def kind_of(self, path: str) -> FieldKind:
        return self._kinds.get(template_of(path), FieldKind.TEXT)

    def copies(self, value: str, kind: FieldKind = FieldKind.TEXT) -> bool:
        """Whether `value` may be the beginning of a value of this kind."""
        if kind in self._candidates:
            return any(candidate.startswith(value) for candidate in self._candidates[kind])
        return not value or (value in self.source.text and _BARRIER not in value)

    def allowed_openings(self, kind: FieldKind) -> npt.NDArray[np.bool_]:
        if kind not in self._allowed_openings:
            self._allowed_openings[kind] = ~self.refused_openings(kind)
        return self._allowed_openings[kind]

    def refused_openings(self, kind: FieldKind) -> npt.NDArray[np.bool_]:
        """Tokens that would open a value string with text this kind may not start with."""
        if kind not in self._refused:
            refused = np.zeros(self.table.size, dtype=bool)
            no_candidates = kind in self._candidates and not self._candidates[kind]
            for token_id, _, after in self.table.quoted:
                content, closed, _ = after.partition('"')
                complete = self._complete(content, kind) if closed else True
                if no_candidates or not (self.copies(content, kind) and complete):
                    refused[token_id] = True
            self._refused[kind] = refused
        return self._refused[kind]

    def continuations(self, content: str, kind: FieldKind = FieldKind.TEXT) -> list[int]:
        """Tokens that extend `content` along the document, or close the value string."""
        allowed = [
            token_id
            for before, token_ids in self.table.quoted_after.items()
            if self._complete(content + before, kind)
            for token_id in token_ids
        ]
        if len(content) >= self.max_value_chars:
            return allowed
        if kind in self._candidates:
            return allowed + self._scan_candidates(content, self._candidates[kind])
        return allowed + (self._first_text_tokens if not content else self._scan_text(content))

    def _complete(self, value: str, kind: FieldKind) -> bool:
        """Whether the value may end here: a whole candidate, or non-empty document text."""
        if kind in self._candidates:
            return value in self._candidates[kind]
        return bool(value.strip()) and self.copies(value)

    def _scan_candidates(self, content: str, candidates: Sequence[str]) -> list[int]:
        found: set[int] = set()
        for candidate in candidates:
            if candidate.startswith(content) and len(candidate) > len(content):
                found.update(self._pieces_starting(candidate, len(content)))
        return list(found)

    def _scan_text(self, content: str) -> list[int]:
        text = self.source.text
        found: set[int] = set()
        start = text_find(text, content, 0)
        while start >= 0:
            found.update(self._pieces_starting(text, start + len(content)))
            start = text_find(text, content, start + 1)
        return list(found)

    def _pieces_starting(self, text: str, position: int) -> Iterator[int]:
        """Token ids whose piece is the text at `position`, of any length."""
        for end in range(position + 1, min(len(text), position + self.table.max_piece) + 1):
            piece = text[position:end]
            yield from self.table.by_piece.get(piece, ())
            if piece not in self.table.prefixes:
                return


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
        keep = self._allowed()
        # Outside a value the next token is JSON structure: no field records its probability.
        self._last_probability = 1.0 if keep is None else self._restrict(scores, keep)
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

    def _allowed(self) -> npt.NDArray[np.intp] | npt.NDArray[np.bool_] | None:
        """The token ids that may come next inside a value string, or a mask of the tokens
        that may open the next value; None where the grammar alone decides."""
        cursor = self.cursor
        if cursor.in_value_string:
            kind = self.document.kind_of(cursor.current_path())
            return np.asarray(self.document.continuations(cursor.value_content, kind), np.intp)
        if cursor.expecting_value:
            return self.document.allowed_openings(self.document.kind_of(cursor.current_path()))
        return None

    def _restrict(
        self,
        scores: npt.NDArray[np.single],
        keep: npt.NDArray[np.intp] | npt.NDArray[np.bool_],
    ) -> float:
        """Mask every token outside `keep`; the probability of the most likely one left."""
        kept = scores[keep]
        finite = kept[np.isfinite(kept)]
        if finite.size == 0:
            self.ungrounded_steps += 1  # the grammar and the document disagree; the grammar wins
            return _greedy_probability(scores[np.isfinite(scores)])
        if keep.dtype == np.bool_:
            np.copyto(scores, -np.inf, where=~keep)
        else:
            scores.fill(-np.inf)
            scores[keep] = kept
        return _greedy_probability(finite)


def _repeats_or_empty(cursor: JsonCursor, array_path: str, index: int) -> bool:
    """An item with no value, or a copy of the one before: the model is looping."""
    item = cursor.item_values(array_path, index)
    if all(value is None for value in item.values()):
        return True
    return index > 0 and item == cursor.item_values(array_path, index - 1)


def text_find(text: str, value: str, start: int) -> int:
    """`str.find`, except that the empty value is found at every position."""
    if not value:
        return start if start < len(text) else -1
    return text.find(value, start)


def _greedy_probability(finite: npt.NDArray[np.single]) -> float:
    """The softmax probability of the largest of these (finite) scores."""
    if finite.size == 0:
        return 0.0
    shifted = finite.astype(np.float64) - float(finite.max())
    return float(1.0 / np.exp(shifted).sum())


def field_confidence(probabilities: Sequence[float]) -> float:
    """A field's model confidence: the least certain token that went into it."""
    return min(probabilities, default=0.0)
