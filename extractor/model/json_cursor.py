"""Follow JSON text as a model writes it, character by character.

The cursor knows at every point whether the writer is inside a value string (and which
field path it belongs to) or in the structure around it. The grounding constraint uses
it to decide which tokens are allowed; confidence uses it to attribute token probabilities
to fields.
"""

from dataclasses import dataclass, field


@dataclass
class _Frame:
    is_object: bool
    key: str = ""
    index: int = 0
    expecting_key: bool = True
    has_value: bool = False


@dataclass
class JsonCursor:
    """Incremental reader of one JSON document; feed it text, ask where it is."""

    _stack: list[_Frame] = field(default_factory=list)
    _in_string: bool = False
    _string_is_key: bool = False
    _escaped: bool = False
    _content: list[str] = field(default_factory=list)
    _literal_path: str | None = None
    values: dict[str, str | None] = field(default_factory=dict)  # completed leaves by path
    consumed: int = 0  # characters fed so far
    # Where each finished array item ends (item -1: where the array opened), and the brackets
    # that would close the whole document at that point.
    item_ends: dict[tuple[str, int], tuple[int, str]] = field(default_factory=dict)
    last_finished_item: tuple[str, int] | None = None

    @property
    def in_value_string(self) -> bool:
        return self._in_string and not self._string_is_key

    @property
    def value_content(self) -> str:
        """What has been written so far of the value string the cursor is in."""
        return "".join(self._content) if self.in_value_string else ""

    @property
    def expecting_value(self) -> bool:
        """True between a key's colon (or an array's comma) and the start of its value."""
        if self._in_string or self._literal_path is not None or not self._stack:
            return False
        top = self._stack[-1]
        return not top.has_value and not (top.is_object and top.expecting_key)

    def current_path(self) -> str:
        parts: list[str] = []
        for frame in self._stack:
            parts.append(frame.key if frame.is_object else str(frame.index))
        return ".".join(part for part in parts if part)

    def feed(self, text: str) -> set[str]:
        """Consume text; return the value paths that any of its characters belonged to."""
        touched: set[str] = set()
        for char in text:
            path = self._feed_char(char)
            self.consumed += 1
            if path:
                touched.add(path)
        return touched

    def item_values(self, array_path: str, index: int) -> dict[str, str | None]:
        """The completed leaves of one array item, keyed by their path inside the item."""
        prefix = f"{array_path}.{index}." if array_path else f"{index}."
        return {
            path[len(prefix) :]: value
            for path, value in self.values.items()
            if path.startswith(prefix)
        }

    def _feed_char(self, char: str) -> str | None:
        if self._in_string:
            return self._string_char(char)
        if self._literal_path is not None:
            if char.isalnum() or char in "+-.":
                return self._literal_path
            self.values[self._literal_path] = None
            self._literal_path = None
            self._value_done()
        return self._structure_char(char)

    def _closers(self) -> str:
        return "".join("}" if frame.is_object else "]" for frame in reversed(self._stack))

    def _value_done(self) -> None:
        if self._stack:
            self._stack[-1].has_value = True

    def _string_char(self, char: str) -> str | None:
        path = None if self._string_is_key else self.current_path()
        if self._escaped:
            self._escaped = False
            self._content.append(char)
        elif char == "\\":
            self._escaped = True
        elif char == '"':
            self._in_string = False
            if self._string_is_key:
                self._stack[-1].key = "".join(self._content)
            else:
                self.values[self.current_path()] = "".join(self._content)
                self._value_done()
        else:
            self._content.append(char)
        return path

    def _structure_char(self, char: str) -> str | None:
        top = self._stack[-1] if self._stack else None
        if char == '"':
            self._in_string, self._content = True, []
            self._string_is_key = top is not None and top.is_object and top.expecting_key
            return None if self._string_is_key else self.current_path()
        if char in "{[":
            path = self.current_path()
            self._stack.append(_Frame(is_object=char == "{"))
            if char == "[":
                self.item_ends[(path, -1)] = (self.consumed + 1, self._closers())
        elif char in "}]":
            self._stack.pop()
            self._value_done()
            top = self._stack[-1] if self._stack else None
            if char == "}" and top is not None and not top.is_object:
                item = (self.current_path().rpartition(".")[0], top.index)
                self.item_ends[item] = (self.consumed + 1, self._closers())
                self.last_finished_item = item
        elif char == ":" and top is not None:
            top.expecting_key = False
        elif char == "," and top is not None:
            top.has_value = False
            if top.is_object:
                top.expecting_key = True
            else:
                top.index += 1
        elif not char.isspace():
            self._literal_path = self.current_path()
            return self._literal_path
        return None
