"""List fields in a review (invoice lines, lab results, diagnoses ...): which lists a schema
has, the item a path belongs to, and the items renumbered 0, 1, 2 ... after rows were
removed or added, so the views' line numbers have no gaps."""

from collections.abc import Iterable
from dataclasses import dataclass

from extractor.schema_walk import ITEM
from extractor.store.models import FieldValue
from schemas.kinds import FieldKind

MAX_ITEMS = 500  # the highest item index a form may add


@dataclass(frozen=True)
class ReviewList:
    name: str  # "lines"
    leaves: tuple[tuple[str, FieldKind], ...]  # ("description", TEXT), ...
    next_index: int  # the index a new row gets


def review_lists(kinds: dict[str, FieldKind], paths: Iterable[str]) -> tuple[ReviewList, ...]:
    lists: dict[str, list[tuple[str, FieldKind]]] = {}
    for template, kind in kinds.items():
        name, star, leaf = template.partition(f".{ITEM}.")
        if star:
            lists.setdefault(name, []).append((leaf, kind))
    used = [item_of(path) for path in paths]
    return tuple(
        ReviewList(
            name,
            tuple(leaves),
            1
            + max(
                (int(i.split(".")[1]) for i in used if i and i.startswith(f"{name}.")), default=-1
            ),
        )
        for name, leaves in lists.items()
    )


def item_of(path: str) -> str | None:
    """`lines.3.net_amount` -> `lines.3`; None for a field outside lists."""
    parts = path.split(".")
    index = next((i for i, part in enumerate(parts) if part.isdigit()), None)
    return ".".join(parts[: index + 1]) if index is not None else None


def renumber(rows: list[FieldValue]) -> None:
    """Items of each list numbered from 0 in their order, their paths rewritten to match."""
    indexes: dict[str, set[int]] = {}
    for row in rows:
        item = item_of(row.path)
        if item is not None:
            name, index = item.rsplit(".", 1)
            indexes.setdefault(name, set()).add(int(index))
    numbers = {
        name: {old: new for new, old in enumerate(sorted(found))} for name, found in indexes.items()
    }
    for row in rows:
        item = item_of(row.path)
        if item is None:
            continue
        name, index = item.rsplit(".", 1)
        new = numbers[name][int(index)]
        row.item_index = new
        row.path = f"{name}.{new}{row.path[len(item) :]}"
