"""Generated invoice lines are held to the net total: a repeat past it is dropped."""

from decimal import Decimal

from extractor.result import FieldRecord, Method
from extractor.text.totals import lines_up_to_net_total


def _line(index: int, net: str) -> list[FieldRecord]:
    return [
        FieldRecord(f"lines.{index}.description", f"item {index}", Method.MODEL, 0.4),
        FieldRecord(f"lines.{index}.net_amount", Decimal(net), Method.MODEL, 0.4),
    ]


def _kept(generated: list[FieldRecord], total: str | None) -> set[str]:
    decided = [FieldRecord("total_net", Decimal(total) if total else None, Method.RULES, 0.9)]
    return {record.path for record in lines_up_to_net_total(generated, decided)}


def test_lines_past_the_net_total_are_dropped() -> None:
    repeated = _line(0, "1163.40") + _line(1, "1163.40")
    assert _kept(repeated, "1163.40") == {"lines.0.description", "lines.0.net_amount"}
    two = _line(0, "60.00") + _line(1, "40.00") + _line(2, "40.00")
    assert _kept(two, "100.00") == {
        f"lines.{i}.{f}" for i in (0, 1) for f in ("description", "net_amount")
    }


def test_lines_are_kept_when_the_total_is_unknown_or_never_reached() -> None:
    lines = _line(0, "60.00") + _line(1, "40.00")
    everything = {record.path for record in lines}
    assert _kept(lines, None) == everything
    assert _kept(lines, "99.00") == everything
    assert _kept(lines, "100.00") == everything
