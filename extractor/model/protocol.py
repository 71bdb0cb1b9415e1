"""What the pipeline needs from a model backend, without importing one."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from extractor.model.grounding import TokenTable

LogitsProcessor = Callable[[npt.NDArray[np.intc], npt.NDArray[np.single]], npt.NDArray[np.single]]
Message = dict[str, str]


@dataclass(frozen=True)
class Generation:
    text: str
    prompt_tokens: int
    completion_tokens: int
    truncated: bool
    seconds: float
    constraint_seconds: float = 0.0  # of `seconds`, spent in the grammar and grounding code


@dataclass(frozen=True)
class Choice:
    """The model's probability for each numbered option, from one constrained token."""

    probabilities: tuple[float, ...]
    prompt_tokens: int
    seconds: float


MAX_CHOICES = 9  # options are numbered 1-9, one token each


class ModelBackend(Protocol):
    model_sha256: str
    token_table: TokenTable

    @property
    def prompt_format(self) -> str:
        """How prompts are rendered: the model's chat template (by hash), or completion."""
        ...

    @property
    def context_tokens(self) -> int:
        """The context window in use."""
        ...

    def grammar_sha256(self, json_schema: str) -> str: ...

    def count_tokens(self, text: str) -> int: ...

    def prepare(self, json_schema: str) -> object:
        """Compile a grammar ahead of the first document that needs it."""
        ...

    def generate_json(
        self,
        messages: Sequence[Message],
        json_schema: str,
        *,
        processors: Sequence[LogitsProcessor] = (),
        max_tokens: int,
        stop: Callable[[], bool] | None = None,
    ) -> Generation:
        """JSON under the schema's grammar and the processors; `stop` ends generation early."""
        ...

    def choose(self, messages: Sequence[Message], count: int) -> Choice:
        """Which of `count` options numbered 1..count the prompt's question points at."""
        ...
