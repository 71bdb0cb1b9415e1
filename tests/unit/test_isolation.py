"""The isolated PDF reader: limits that hold inside C code and pure-Python loops, a stuck
child killed and replaced, and typed errors for everything."""

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from extractor.errors import EncryptedPdfError, LimitExceededError, NotAPdfError
from extractor.read.isolation import IsolatedReader, ReaderPool, ReadLimits
from extractor.read.pdf import read_pdf
from tests.conftest import SAMPLES
from tests.hostile import bomb, slow_text

TWO_PAGE = SAMPLES / "ie_two_page.pdf"
LIMITS = ReadLimits(
    max_pages=50, max_bytes=10_000_000, time_limit=3.0, memory_mb=256, max_stream_bytes=8 << 20
)


@pytest.fixture
def reader() -> Iterator[IsolatedReader]:
    reader = IsolatedReader(LIMITS)
    yield reader
    reader.close()


def test_text_is_the_same_as_in_process(reader: IsolatedReader) -> None:
    assert reader.read(TWO_PAGE) == read_pdf(TWO_PAGE, max_pages=50, max_bytes=10_000_000)
    assert reader.peak_rss_kb > 0


def test_a_stuck_parse_is_killed_at_the_time_limit_and_the_next_read_works(
    reader: IsolatedReader, tmp_path: Path
) -> None:
    slow = slow_text(tmp_path / "slow.pdf", 400_000)  # about 10 s of pure-Python parsing
    first_child = reader.read(TWO_PAGE) and reader.child_pid
    started = time.monotonic()
    with pytest.raises(LimitExceededError, match="time limit") as caught:
        reader.read(slow)
    assert caught.value.reason == "time"
    assert time.monotonic() - started < LIMITS.time_limit + 2
    assert reader.restarts == 1
    assert len(reader.read(TWO_PAGE).pages) == 2
    assert reader.child_pid != first_child


def test_decompression_bomb_stops_at_the_stream_limit(
    reader: IsolatedReader, tmp_path: Path
) -> None:
    with pytest.raises(LimitExceededError) as caught:
        reader.read(bomb(tmp_path / "bomb.pdf", 200))
    assert caught.value.reason == "parser"
    assert reader.restarts == 0


def test_memory_limit_holds_when_the_stream_limit_is_generous(tmp_path: Path) -> None:
    limits = ReadLimits(50, 10_000_000, 30.0, memory_mb=64, max_stream_bytes=1 << 30)
    reader = IsolatedReader(limits)
    try:
        with pytest.raises(LimitExceededError) as caught:
            reader.read(bomb(tmp_path / "bomb.pdf", 400))
        assert caught.value.reason == "memory"
        assert len(reader.read(TWO_PAGE).pages) == 2  # the same child goes on
    finally:
        reader.close()


def test_errors_keep_their_type(reader: IsolatedReader, tmp_path: Path) -> None:
    text = tmp_path / "letter.pdf"
    text.write_text("not a pdf")
    with pytest.raises(NotAPdfError):
        reader.read(text)
    small = IsolatedReader(ReadLimits(50, 100, 3.0, 256, 1 << 20))
    with pytest.raises(LimitExceededError, match="bytes") as caught:
        small.read(TWO_PAGE)
    small.close()
    assert caught.value.reason == "size"


def test_password_opens_an_encrypted_file_and_never_appears_in_errors(
    reader: IsolatedReader, tmp_path: Path
) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(TWO_PAGE))
    writer.encrypt(user_password="s3cret-pw", owner_password="owner-pw", algorithm="AES-256")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert len(reader.read(path, password="s3cret-pw").pages) == 2
    assert len(reader.read(path, password="owner-pw").pages) == 2
    with pytest.raises(EncryptedPdfError) as caught:
        reader.read(path, password="wrong-pw")
    assert "wrong-pw" not in str(caught.value)
    with pytest.raises(EncryptedPdfError, match="password"):
        reader.read(path)


def test_a_pool_reads_two_documents_at_once_in_two_children(tmp_path: Path) -> None:
    pool = ReaderPool(LIMITS, size=2)
    try:
        pool.start()
        assert len(set(pool.child_pids)) == 2
        stuck = slow_text(tmp_path / "slow.pdf", 400_000)  # holds one child past the limit
        with ThreadPoolExecutor(2) as threads:
            slow = threads.submit(pool.read, stuck)
            time.sleep(0.2)
            started = time.perf_counter()
            assert pool.read(TWO_PAGE).pages  # the other child answers meanwhile
            assert time.perf_counter() - started < LIMITS.time_limit / 2
            with pytest.raises(LimitExceededError):
                slow.result()
        assert pool.restarts == 1
    finally:
        pool.close()
