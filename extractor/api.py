"""The in-process Python API: no database, no broker."""

from collections.abc import Iterable, Iterator
from pathlib import Path

from extractor.errors import InputError
from extractor.model.protocol import ModelBackend
from extractor.model.standin import FixedLatencyBackend
from extractor.pipeline import Extractor
from extractor.read.passwords import password_for
from extractor.result import ExtractionResult, Routing
from extractor.settings import ExtractorSettings, load_settings
from schemas import REGISTRY, get_schema

_extractors: dict[str, Extractor] = {}


def load_extractor(settings: ExtractorSettings) -> Extractor:
    """An extractor for these settings; the model is loaded (and self-tested) once per process."""
    key = settings.model_dump_json(
        include={
            "model_backend",
            "fixed_latency_seconds",
            "model",
            "model_path",
            "n_threads",
            "n_ctx",
        }
    )
    if key not in _extractors:
        extractor = Extractor(_load_backend(settings), settings)
        extractor.warm_up(REGISTRY.values())
        _extractors[key] = extractor
    extractor = _extractors[key]
    extractor.settings = settings
    return extractor


def _load_backend(settings: ExtractorSettings) -> ModelBackend:
    if settings.model_backend == "fixed-latency":
        return FixedLatencyBackend(settings.fixed_latency_seconds)
    from extractor.model.backend import LlamaBackend  # heavy: loaded on first use only

    return LlamaBackend.from_settings(settings)


def extract(
    path: str | Path,
    schema: str = "invoice",
    *,
    password: str | None = None,
    settings: ExtractorSettings | None = None,
) -> ExtractionResult:
    """Extract one PDF in this process and return its result (status, data, fields, errors).

    `password` opens an encrypted PDF (user or owner password); without it the settings'
    `passwords` mapping is consulted, then the empty password is tried.
    """
    spec = get_schema(schema)
    settings = settings or load_settings()
    if password is None:
        password = password_for(path, settings)
    return load_extractor(settings).extract(Path(path), spec, password=password)


def extract_many(
    paths: Iterable[str | Path],
    schema: str = "invoice",
    *,
    settings: ExtractorSettings | None = None,
) -> Iterator[ExtractionResult | InputError]:
    """`extract` for each PDF, results in the order given; while one is extracted the next
    ones are already being read (`read_processes` reader processes). A file that cannot be
    opened at all gives its `InputError` in its place, and the batch goes on."""
    spec = get_schema(schema)
    settings = settings or load_settings()
    files = ((Path(path), password_for(path, settings)) for path in paths)
    return load_extractor(settings).extract_many(files, spec)


def classify(
    path: str | Path, *, password: str | None = None, settings: ExtractorSettings | None = None
) -> Routing:
    """Which registered schema a PDF is: what `schema="auto"` would choose, how (cues alone
    or the model) and how sure it is."""
    settings = settings or load_settings()
    if password is None:
        password = password_for(path, settings)
    return load_extractor(settings).classify(Path(path), password=password)
