"""The grounding constraint: values can only be text of the document."""

import json

import numpy as np

from extractor.grounding import CopySource, DocumentGrounding, GroundedCopyProcessor, TokenTable
from extractor.json_cursor import JsonCursor
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
