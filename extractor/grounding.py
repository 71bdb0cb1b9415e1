"""Grounded copying: every value string the model writes must be text of the document.

`GroundedCopyProcessor` is a logits processor that runs after the grammar's. While the
model is inside a JSON value string it allows only tokens that continue some occurrence of
the value-so-far in the document (or close the string), so a value can never be invented.
It also records, per field path, the probability of each token chosen for that field,
which is the model's own confidence under both constraints.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from extractor.json_cursor import JsonCursor

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
        self.text: list[str] = []
        for token_id, raw in enumerate(pieces):
            piece = raw.decode("utf-8", errors="replace")
            self.text.append(piece)
            if not piece or "\ufffd" in piece:
                continue
            if '"' in piece:
                before, _, after = piece.partition('"')
                self.quoted.append((token_id, before, after))
            else:
                self.by_piece[piece].append(token_id)
        self.prefixes = {piece[:end] for piece in self.by_piece for end in range(1, len(piece))}
        self.max_piece = max((len(piece) for piece in self.by_piece), default=1)


class DocumentGrounding:
    """What the grounding constraint needs about one document, computed once per document."""

    def __init__(self, table: TokenTable, source: CopySource, max_value_chars: int) -> None:
        self.table = table
        self.source = source
        self.max_value_chars = max_value_chars
        self.refused_openings = np.zeros(table.size, dtype=bool)
        for token_id, _, after in table.quoted:
            if not self.copies(after.partition('"')[0]):
                self.refused_openings[token_id] = True
        self._first_tokens = self._scan_continuations("")

    def copies(self, value: str) -> bool:
        return not value or (value in self.source.text and _BARRIER not in value)

    def continuations(self, content: str) -> list[int]:
        """Tokens that extend `content` along the document, or close the value string."""
        allowed = [tid for tid, before, _ in self.table.quoted if self.copies(content + before)]
        if len(content) >= self.max_value_chars:
            return allowed
        return allowed + (self._first_tokens if not content else self._scan_continuations(content))

    def _scan_continuations(self, content: str) -> list[int]:
        text, table = self.source.text, self.table
        found: set[int] = set()
        start = text_find(text, content, 0)
        while start >= 0:
            position = start + len(content)
            for end in range(position + 1, min(len(text), position + table.max_piece) + 1):
                piece = text[position:end]
                found.update(table.by_piece.get(piece, ()))
                if piece not in table.prefixes:
                    break
            start = text_find(text, content, start + 1)
        return list(found)


@dataclass
class GroundedCopyProcessor:
    """llama-cpp-python logits processor; one instance per generation."""

    document: DocumentGrounding
    cursor: JsonCursor = field(default_factory=JsonCursor)
    field_probabilities: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    ungrounded_steps: int = 0
    _started: bool = False
    _last_probability: float = 1.0

    def __call__(
        self, input_ids: npt.NDArray[np.intc], scores: npt.NDArray[np.single]
    ) -> npt.NDArray[np.single]:
        if self._started:
            piece = self.document.table.text[int(input_ids[-1])]
            for path in self.cursor.feed(piece):
                self.field_probabilities[path].append(self._last_probability)
        self._started = True
        if self.cursor.in_value_string:
            keep = np.zeros(scores.shape[-1], dtype=bool)
            allowed = self.document.continuations(self.cursor.value_content)
            keep[np.asarray(allowed, dtype=np.intp)] = True
            self._restrict(scores, keep)
        elif self.cursor.expecting_value:
            self._restrict(scores, ~self.document.refused_openings)
        self._last_probability = _greedy_probability(scores)
        return scores

    def _restrict(self, scores: npt.NDArray[np.single], keep: npt.NDArray[np.bool_]) -> None:
        if not np.isfinite(scores[keep]).any():
            self.ungrounded_steps += 1  # the grammar and the document disagree; the grammar wins
            return
        scores[~keep] = -np.inf


def text_find(text: str, value: str, start: int) -> int:
    """`str.find`, except that the empty value is found at every position."""
    if not value:
        return start if start < len(text) else -1
    return text.find(value, start)


def _greedy_probability(scores: npt.NDArray[np.single]) -> float:
    finite = scores[np.isfinite(scores)]
    if finite.size == 0:
        return 0.0
    shifted = finite.astype(np.float64) - float(finite.max())
    return float(1.0 / np.exp(shifted).sum())


def field_confidence(probabilities: Sequence[float]) -> float:
    """A field's model confidence: the least certain token that went into it."""
    return min(probabilities, default=0.0)
