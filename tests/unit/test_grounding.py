"""The grounding constraint: values can only be text of the document."""

import json

import numpy as np

from extractor.model.grounding import (
    CopySource,
    DocumentGrounding,
    GroundedCopyProcessor,
    TokenTable,
)
from extractor.model.json_cursor import JsonCursor
from schemas.kinds import FieldKind
from tests.fakes import VOCABULARY

DOCUMENT = 'Invoice No: RE-42\nMüller GmbH\nHauptstr. 1\n10115 Berlin\nSays "hi"'


def _write(wanted: str, source_text: str = DOCUMENT) -> tuple[str, GroundedCopyProcessor]:
    """Let a would-be model that prefers `wanted` write through the processor."""
    table = TokenTable([piece.encode() for piece in VOCABULARY])
    processor = GroundedCopyProcessor(
        DocumentGrounding(table, CopySource.from_text(source_text), max_value_chars=40)
    )
    ids = {piece: index for index, piece in enumerate(VOCABULARY)}
    written: list[int] = []
    for position in range(len(wanted)):
        scores = np.zeros(len(VOCABULARY), dtype=np.single)
        scores[ids[wanted[position]]] = 10.0
        scores[ids['"']] = 1.0  # the grammar would always allow closing the string
        scores = processor(np.asarray(written, dtype=np.intc), scores)
        written.append(int(np.argmax(scores)))
        if VOCABULARY[written[-1]] != wanted[position]:
            break
    return "".join(VOCABULARY[token] for token in written), processor


def test_line_breaks_read_as_comma_and_map_back() -> None:
    source = CopySource.from_text(DOCUMENT)
    span = source.find("Hauptstr. 1, 10115 Berlin")
    assert span is not None
    assert DOCUMENT[span[0] : span[1]] == "Hauptstr. 1\n10115 Berlin"


def test_quotes_cannot_be_copied() -> None:
    assert CopySource.from_text(DOCUMENT).find('"hi"') is None


def test_value_from_the_document_is_written_unchanged() -> None:
    text, processor = _write('{"invoice_number": "RE-42"}')
    assert text == '{"invoice_number": "RE-42"}'
    assert len(processor.field_probabilities["invoice_number"]) == len('"RE-42"')


def test_invented_value_is_impossible() -> None:
    text, _ = _write('{"invoice_number": "RE-43"}')
    assert text == '{"invoice_number": "RE-4"'  # the model had to stop where the text ends


def test_accented_text_is_copied() -> None:
    text, _ = _write('{"name": "Müller GmbH"}')
    assert text == '{"name": "Müller GmbH"}'


def test_keys_and_null_are_not_restricted() -> None:
    text, _ = _write('{"purchase_order": null}')
    assert json.loads(text) == {"purchase_order": None}


def test_value_length_is_capped() -> None:
    long_line = "x" * 100
    text, _ = _write('{"a": "' + "x" * 60 + '"}', long_line)
    assert text == '{"a": "' + "x" * 40 + '"'


def test_cursor_tracks_paths_in_nested_json() -> None:
    cursor = JsonCursor()
    touched: set[str] = set()
    for char in '{"seller": {"name": "A"}, "lines": [{"x": "1"}, {"x": null}]}':
        touched |= cursor.feed(char)
    assert touched == {"seller.name", "lines.0.x", "lines.1.x"}


def _typed(wanted: str, candidates: dict[FieldKind, list[str]]) -> str:
    table = TokenTable([piece.encode() for piece in VOCABULARY])
    grounding = DocumentGrounding(
        table,
        CopySource.from_text(DOCUMENT),
        max_value_chars=40,
        kinds={"iban": FieldKind.IBAN, "issue_date": FieldKind.DATE},
        candidates=candidates,
    )
    processor = GroundedCopyProcessor(grounding)
    ids = {piece: index for index, piece in enumerate(VOCABULARY)}
    written: list[int] = []
    for position in range(len(wanted)):
        scores = np.zeros(len(VOCABULARY), dtype=np.single)
        scores[ids[wanted[position]]] = 10.0
        scores[ids["n"]] = 1.0  # the grammar would allow null instead of a string
        scores = processor(np.asarray(written, dtype=np.intc), scores)
        written.append(int(np.argmax(scores)))
        if VOCABULARY[written[-1]] != wanted[position]:
            break
    return "".join(VOCABULARY[token] for token in written)


def test_typed_field_copies_a_whole_candidate() -> None:
    text = _typed('{"issue_date": "12.03.2024"}', {FieldKind.DATE: ["12.03.2024"]})
    assert text == '{"issue_date": "12.03.2024"}'


def test_typed_field_cannot_stop_inside_a_candidate() -> None:
    text = _typed('{"issue_date": "12.03"}', {FieldKind.DATE: ["12.03.2024"]})
    assert text == '{"issue_date": "12.03.'  # a closing quote was refused


def test_typed_field_without_candidates_can_only_be_null() -> None:
    text = _typed('{"iban": "RE', {FieldKind.IBAN: []})
    assert text == '{"iban": n'


def test_a_repeated_list_item_stops_generation_and_is_cut_off() -> None:
    table = TokenTable([piece.encode() for piece in VOCABULARY])
    processor = GroundedCopyProcessor(DocumentGrounding(table, CopySource.from_text("A B"), 40))
    ids = {piece: index for index, piece in enumerate(VOCABULARY)}
    wanted = '{"lines": [{"d": "A"}, {"d": "A"}, {"d": "B"}]}'
    written: list[int] = []
    for char in wanted:
        if processor.should_stop():
            break
        scores = np.zeros(len(VOCABULARY), dtype=np.single)
        scores[ids[char]] = 10.0
        processor(np.asarray(written, dtype=np.intc), scores)
        written.append(ids[char])
    assert processor.repaired_text == '{"lines": [{"d": "A"}]}'
    assert set(processor.field_probabilities) == {"lines.0.d"}


def test_a_first_item_without_values_means_an_empty_list() -> None:
    table = TokenTable([piece.encode() for piece in VOCABULARY])
    processor = GroundedCopyProcessor(DocumentGrounding(table, CopySource.from_text("A"), 40))
    written: list[int] = []
    for char in '{"lines": [{"d": null}, ':
        processor(np.asarray(written, dtype=np.intc), np.zeros(len(VOCABULARY), np.single))
        written.append(VOCABULARY.index(char))
    processor(np.asarray(written, dtype=np.intc), np.zeros(len(VOCABULARY), np.single))
    assert processor.repaired_text == '{"lines": []}'
