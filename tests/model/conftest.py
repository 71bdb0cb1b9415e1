from collections.abc import Iterator

import pytest

from extractor.errors import ModelError
from extractor.model.backend import LlamaBackend
from extractor.model.packaged import bundled_model_path
from extractor.settings import ExtractorSettings, load_settings
from tests.conftest import require


@pytest.fixture(scope="session")
def settings() -> ExtractorSettings:
    return load_settings()


@pytest.fixture(scope="session")
def backend(settings: ExtractorSettings) -> Iterator[LlamaBackend]:
    try:
        bundled_model_path()
    except ModelError as error:
        require(False, str(error))
    yield LlamaBackend.from_settings(settings)
