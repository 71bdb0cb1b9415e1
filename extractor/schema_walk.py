"""Walk a schema's pydantic model: its leaves, their kinds, and the grammar the model fills.

The model never writes typed values. It copies text: every leaf of the generation schema
is `string | null`, and normalisation turns the copied text into dates, amounts and codes.
"""

import json
import typing
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from pydantic import BaseModel

from schemas.kinds import DataClass, FieldKind

ITEM = "*"  # stands for a list index in a leaf's path template


@dataclass(frozen=True)
class Leaf:
    template: str  # dotted path, `*` for list items: "lines.*.net_amount"
    kind: FieldKind
    code: str
    description: str
    data_class: DataClass


def _nested_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model inside an annotation, and whether it is a list of that model."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item, True
    return None, False


def leaves(model: type[BaseModel], prefix: str = "") -> list[Leaf]:
    found: list[Leaf] = []
    for name, info in model.model_fields.items():
        nested, is_list = _nested_model(info.annotation)
        path = f"{prefix}{name}"
        if nested is not None:
            found.extend(leaves(nested, f"{path}.{ITEM}." if is_list else f"{path}."))
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        found.append(
            Leaf(
                path,
                FieldKind(str(extra["kind"])),
                str(extra["code"]),
                info.description or "",
                DataClass(str(extra["data_class"])),
            )
        )
    return found


def generation_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A JSON schema with the model's shape whose leaves are copied text or null."""
    properties: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        nested, is_list = _nested_model(info.annotation)
        if nested is None:
            properties[name] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
        elif is_list:
            properties[name] = {"type": "array", "items": generation_schema(nested)}
        else:
            properties[name] = generation_schema(nested)
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def template_of(path: str) -> str:
    """`lines.3.net_amount` -> `lines.*.net_amount`."""
    return ".".join(ITEM if part.isdigit() else part for part in path.split("."))


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested JSON -> {dotted path: leaf value}."""
    if isinstance(data, dict):
        flat: dict[str, Any] = {}
        for key, value in data.items():
            flat.update(flatten(value, f"{prefix}{key}."))
        return flat
    if isinstance(data, list):
        flat = {}
        for index, value in enumerate(data):
            flat.update(flatten(value, f"{prefix}{index}."))
        return flat
    return {prefix.rstrip("."): data}


def unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    """{dotted path: value} -> nested dicts, with numeric parts becoming list indices."""
    root: dict[str, Any] = {}
    for path, value in flat.items():
        parts = path.split(".")
        node: Any = root
        for part, following in pairwise(parts):
            node = _child(node, part, is_list=following.isdigit())
        if isinstance(node, list):
            _grow(node, int(parts[-1]), lambda: None)
            node[int(parts[-1])] = value
        else:
            node[parts[-1]] = value
    return root


def _child(node: Any, part: str, *, is_list: bool) -> Any:
    make: Callable[[], Any] = list if is_list else dict
    if isinstance(node, list):
        _grow(node, int(part), make)
        return node[int(part)]
    return node.setdefault(part, make())


def _grow(items: list[Any], index: int, make: Callable[[], Any]) -> None:
    while len(items) <= index:
        items.append(make())


@dataclass(frozen=True)
class GenerationPart:
    """One top-level field of a schema, generated on its own: `{"<name>": ...}`."""

    name: str
    description: str
    json_schema: str
    is_list: bool


def generation_parts(model: type[BaseModel]) -> list[GenerationPart]:
    whole = generation_schema(model)
    parts = []
    for name, info in model.model_fields.items():
        schema = {
            "type": "object",
            "properties": {name: whole["properties"][name]},
            "required": [name],
            "additionalProperties": False,
        }
        parts.append(
            GenerationPart(
                name,
                info.description or name,
                json.dumps(schema, separators=(",", ":")),
                is_list=_nested_model(info.annotation)[1],
            )
        )
    return parts
