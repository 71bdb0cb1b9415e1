"""A scripted model backend for fast unit tests of the pipeline.

It "wants" to write a fixed JSON answer per field, one character-token at a time, and runs
every step through the same logits processors as the real backend, so the grounding
constraint is exercised for real. The real model has its own tests in tests/model/.
"""

import json
import re
import time
from collections.abc import Callable, Sequence

import numpy as np

from extractor.model.grounding import TokenTable
from extractor.model.protocol import Choice, Generation, LogitsProcessor, Message
from extractor.schema_walk import flatten

VOCABULARY = [chr(code) for code in range(32, 127)] + list("äöüßÄÖÜéèàç€£\n")


class ScriptedBackend:
    model_sha256 = "f" * 64
    prompt_format = "scripted"
    context_tokens = 4096

    def __init__(self, answers: dict[str, object]) -> None:
        self.answers = answers
        self.answers_by_path = flatten(answers)
        self.choices: list[str] = []  # the field of every choice asked
        self.prompts: list[str] = []  # the last message of every generation
        self.token_table = TokenTable([piece.encode() for piece in VOCABULARY])
        self._ids = {piece: index for index, piece in enumerate(VOCABULARY)}

    def grammar_sha256(self, json_schema: str) -> str:
        return "e" * 64

    def count_tokens(self, text: str) -> int:
        return len(text) // 4

    def prepare(self, json_schema: str) -> None:
        return None

    def choose(self, messages: Sequence[Message], count: int) -> Choice:
        """Prefers the option whose text is the scripted answer for the asked field."""
        question = messages[-1]["content"]
        path = re.search(r"^Field: (\S+)$", question, re.MULTILINE)
        wanted = self.answers_by_path.get(path.group(1)) if path else None
        options = re.findall(r"^(\d)\. (.*?) \| line:", question, re.MULTILINE)
        self.choices.append(path.group(1) if path else "")
        weights = [5.0 if text == wanted else 1.0 for _, text in options[:count]]
        weights += [1.0] * (count - len(weights))
        total = sum(weights)
        return Choice(tuple(weight / total for weight in weights), len(question) // 4, 0.0)

    def generate_json(
        self,
        messages: Sequence[Message],
        json_schema: str,
        *,
        processors: Sequence[LogitsProcessor] = (),
        max_tokens: int,
        stop: Callable[[], bool] | None = None,
    ) -> Generation:
        started = time.perf_counter()
        self.prompts.append(messages[-1]["content"])
        part = json.loads(json_schema)["required"][0]
        wanted = json.dumps({part: self.answers.get(part)}, ensure_ascii=False)
        written: list[int] = []
        while len(written) < max_tokens:
            scores = np.zeros(len(VOCABULARY), dtype=np.single)
            position = len(written)
            if position < len(wanted):
                scores[self._ids[wanted[position]]] = 10.0
            for processor in processors:
                scores = processor(np.asarray(written, dtype=np.intc), scores)
            written.append(int(np.argmax(scores)))
            text = "".join(VOCABULARY[token] for token in written)
            if position + 1 >= len(wanted) or (stop is not None and stop()):
                break
        return Generation(
            text=text,
            prompt_tokens=sum(len(message["content"]) for message in messages) // 4,
            completion_tokens=len(written),
            truncated=text != wanted and len(written) >= max_tokens,
            seconds=time.perf_counter() - started,
        )
