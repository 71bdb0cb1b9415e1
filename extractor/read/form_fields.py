"""Read a PDF's interactive form: every terminal field's value as text, and every widget's
place on its page.

Fields are found both through the catalog's /AcroForm tree and through the widgets on the
pages, so a form whose /AcroForm is missing or incomplete still reads. A field's name is
qualified by its parents' partial names ("patient.name"); its value and type may be inherited
from a parent. A button's value is its state name without the slash ("Yes", "M"; "Off" when
unchecked), from the field's /V or, without one, from the /AS of its checked widget.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, PdfObject

_MAX_DEPTH = 32  # parent chains and field trees deeper than this are malformed
_PUSHBUTTON = 1 << 16  # /Ff bit 17: a button that holds no value
_OFF = "Off"


@dataclass(frozen=True)
class Widget:
    """One widget annotation of a form field."""

    name: str  # the field's fully qualified name
    page: int  # page index, from 0
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points, normalised
    field_type: str  # "Tx", "Btn", "Ch", "Sig", or "" when none is given
    on_state: str | None  # a button widget's appearance state other than Off


def _resolve(value: PdfObject | None) -> PdfObject | None:
    return None if value is None else value.get_object()


def _dict(value: PdfObject | None) -> DictionaryObject | None:
    resolved = _resolve(value)
    return resolved if isinstance(resolved, DictionaryObject) else None


def _key(node: DictionaryObject) -> int:
    reference = node.indirect_reference
    return reference.idnum if reference is not None else id(node)


def _lineage(node: DictionaryObject) -> Iterator[DictionaryObject]:
    """The node, its parent, its parent's parent... (at most `_MAX_DEPTH`, no cycles)."""
    seen: set[int] = set()
    current: DictionaryObject | None = node
    while current is not None and len(seen) < _MAX_DEPTH and _key(current) not in seen:
        seen.add(_key(current))
        yield current
        current = _dict(current.get("/Parent"))


def _inherited(node: DictionaryObject, key: str) -> PdfObject | None:
    for ancestor in _lineage(node):
        if key in ancestor:
            return _resolve(ancestor.get(key))
    return None


def _qualified_name(field: DictionaryObject) -> str:
    parts = [str(_resolve(node.get("/T"))) for node in _lineage(field) if "/T" in node]
    return ".".join(reversed(parts))


def _field_of(widget: DictionaryObject) -> DictionaryObject:
    """The field a widget belongs to: itself when it carries a name, else its parent."""
    if "/T" in widget:
        return widget
    return _dict(widget.get("/Parent")) or widget


def _kids(node: DictionaryObject) -> list[DictionaryObject]:
    kids = _resolve(node.get("/Kids"))
    if not isinstance(kids, ArrayObject):
        return []
    return [kid for kid in (_dict(item) for item in kids) if kid is not None]


def _terminal_fields(nodes: list[DictionaryObject], depth: int = 0) -> Iterator[DictionaryObject]:
    """Fields with no named kids, from an /AcroForm /Fields array."""
    for node in nodes:
        named = [kid for kid in _kids(node) if "/T" in kid]
        if not named or depth >= _MAX_DEPTH:
            yield node
        else:
            yield from _terminal_fields(named, depth + 1)


def _acroform_fields(reader: PdfReader) -> list[DictionaryObject]:
    acroform = _dict(reader.root_object.get("/AcroForm"))
    fields = _resolve(acroform.get("/Fields")) if acroform is not None else None
    if not isinstance(fields, ArrayObject):
        return []
    return list(_terminal_fields([node for node in map(_dict, fields) if node is not None]))


def _page_widgets(reader: PdfReader) -> Iterator[tuple[int, DictionaryObject]]:
    for index, page in enumerate(reader.pages):
        annotations = _resolve(page.get("/Annots"))
        if not isinstance(annotations, ArrayObject):
            continue
        for item in annotations:
            annotation = _dict(item)
            if annotation is not None and annotation.get("/Subtype") == "/Widget":
                yield index, annotation


def _on_state(widget: DictionaryObject) -> str | None:
    appearances = _dict(widget.get("/AP"))
    normal = _dict(appearances.get("/N")) if appearances is not None else None
    if normal is None or "/Length" in normal:  # a single appearance stream: no states
        return None
    states = [str(name)[1:] for name in normal if name != "/Off"]
    return states[0] if states else None


def _rect(widget: DictionaryObject) -> tuple[float, float, float, float]:
    rect = _resolve(widget.get("/Rect"))
    if not isinstance(rect, ArrayObject) or len(rect) != 4:
        return (0.0, 0.0, 0.0, 0.0)
    x0, y0, x1, y1 = (float(value) for value in rect)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _field_type(field: DictionaryObject) -> str:
    value = _inherited(field, "/FT")
    return str(value)[1:] if isinstance(value, NameObject) else ""


def form_widgets(reader: PdfReader) -> list[Widget]:
    """Every widget on the pages, in page order."""
    return [
        Widget(
            _qualified_name(_field_of(widget)),
            index,
            _rect(widget),
            _field_type(_field_of(widget)),
            _on_state(widget),
        )
        for index, widget in _page_widgets(reader)
    ]


def _widgets_of(field: DictionaryObject) -> list[DictionaryObject]:
    if field.get("/Subtype") == "/Widget":
        return [field]
    return [kid for kid in _kids(field) if "/T" not in kid]


def _text(value: PdfObject | None) -> str:
    if value is None:
        return ""
    if isinstance(value, NameObject):
        return str(value)[1:]
    if isinstance(value, ArrayObject):
        return ", ".join(_text(_resolve(item)) for item in value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes):  # a string no text encoding could decode
        return value.decode("latin-1")
    return ""


def _value(field: DictionaryObject) -> str:
    value = _inherited(field, "/V")
    if _field_type(field) != "Btn":
        return _text(value)
    if value is not None:
        # some writers store a button's state as a string ("(/Yes)") instead of a name
        return _text(value).removeprefix("/")
    for widget in _widgets_of(field):
        state = _resolve(widget.get("/AS"))
        if isinstance(state, NameObject) and state != f"/{_OFF}":
            return str(state)[1:]
    return _OFF


def _holds_value(field: DictionaryObject) -> bool:
    flags = _inherited(field, "/Ff")
    pushbutton = isinstance(flags, int) and bool(flags & _PUSHBUTTON)
    return not (pushbutton and _field_type(field) == "Btn")


def read_form_fields(reader: PdfReader) -> dict[str, str]:
    """{fully qualified field name: value as text ("" when empty)} for every field that
    holds a value; push buttons hold none."""
    fields: dict[str, str] = {}
    candidates = [*_acroform_fields(reader), *(_field_of(w) for _, w in _page_widgets(reader))]
    for field in candidates:
        name = _qualified_name(field)
        if name and name not in fields and _holds_value(field):
            fields[name] = _value(field)
    return fields
