"""A bounded fuzz test of the PDF stage: bytes of valid PDFs mutated by hypothesis, read
through the isolated reader; every outcome is a DocumentText or a typed InputError.

The budget is fixed (examples, not time), so the test is reproducible: hypothesis derives
its examples from the test's name unless told otherwise (`derandomize=True`)."""

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.errors import InputError
from extractor.read.isolation import IsolatedReader, ReadLimits
from extractor.read.pdf import DocumentText
from tests.conftest import SAMPLES
from tests.hostile import page_pdf

SEEDS = [
    (SAMPLES / "ie_two_page.pdf").read_bytes(),
    page_pdf(b"BT /F1 12 Tf 72 720 Td (Invoice 42 Total 12.50) Tj ET"),
    page_pdf(b"BT /F1 12 Tf 72 720 Td (plain) Tj ET", compress=False),
]
LIMITS = ReadLimits(max_pages=50, max_bytes=2_000_000, time_limit=5.0, memory_mb=256,
                    max_stream_bytes=4 << 20)  # fmt: skip


@pytest.fixture(scope="module")
def reader() -> Iterator[IsolatedReader]:
    reader = IsolatedReader(LIMITS)
    yield reader
    reader.close()


@st.composite
def mutated_pdf(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]))
        if action == "flip":
            data[position] = draw(st.integers(0, 255))
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=64))
        elif action == "delete":
            del data[position : position + draw(st.integers(1, 256))]
        elif action == "truncate":
            del data[max(position, 16) :]
        else:  # repeat a slice: duplicated objects, xref entries, nested structures
            chunk = data[position : position + draw(st.integers(1, 512))]
            data[position:position] = chunk * draw(st.integers(2, 20))
        if not data:
            data = bytearray(b"%PDF-")
    return bytes(data)


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=mutated_pdf())
def test_mutated_pdfs_end_as_text_or_a_typed_error(reader: IsolatedReader, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.pdf"
        path.write_bytes(data)
        try:
            outcome: object = reader.read(path)
        except InputError as error:
            outcome = error
    assert isinstance(outcome, DocumentText | InputError)
