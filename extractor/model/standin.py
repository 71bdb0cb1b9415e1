"""A stand-in for the model with a fixed latency, for capacity tests of queue and database.

It waits `latency` seconds per model call and adds nothing (its choices are uniform, its
generated lists empty; the layout rules still run), so a batch measured with it shows what
Redis, PostgreSQL and the workers cost around the model.
Selected with `model_backend = "fixed-latency"`; never the default.
"""

import json
import time
from collections.abc import Callable, Sequence

from extractor.model.grounding import TokenTable
from extractor.model.protocol import Choice, Generation, LogitsProcessor, Message


class FixedLatencyBackend:
    model_sha256 = "0" * 64
    prompt_format = "fixed-latency"
    context_tokens = 4096

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.token_table = TokenTable([chr(code).encode() for code in range(32, 127)])

    def grammar_sha256(self, json_schema: str) -> str:
        return "0" * 64

    def count_tokens(self, text: str) -> int:
        return len(text) // 4

    def prepare(self, json_schema: str) -> None:
        return None

    def choose(self, messages: Sequence[Message], count: int) -> Choice:
        time.sleep(self.latency)
        return Choice(tuple(1.0 / count for _ in range(count)), 0, self.latency)

    def generate_json(
        self,
        messages: Sequence[Message],
        json_schema: str,
        *,
        processors: Sequence[LogitsProcessor] = (),
        max_tokens: int,
        stop: Callable[[], bool] | None = None,
    ) -> Generation:
        time.sleep(self.latency)
        schema = json.loads(json_schema)
        (name,) = schema["required"]
        empty: list[None] | None = [] if schema["properties"][name].get("type") == "array" else None
        text = json.dumps({name: empty})
        return Generation(text, 0, 0, truncated=False, seconds=self.latency)
