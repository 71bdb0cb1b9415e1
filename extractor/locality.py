"""Models are read from local files only: a URL or a model-hub id is refused at start-up.

Nothing in this package downloads a model; this check makes a misconfiguration fail loudly
instead of being handed to a library that might try to fetch it.
"""

import re
from pathlib import Path

from extractor.errors import RemoteModelError

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # http:, https:, hf:, s3:, ... (not C:)
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+(:[\w.-]+)?$")  # org/model[:quant]


def refuse_remote_model(value: str) -> None:
    """Raise `RemoteModelError` unless `value` can only mean a local file."""
    if _SCHEME.match(value):
        raise RemoteModelError("model_path must be a local GGUF file, not a URL")
    if _HUB_ID.match(value) and not Path(value).is_file():
        raise RemoteModelError(
            "model_path looks like a model-hub id and is not a local file; "
            "give the path of a local GGUF file"
        )
