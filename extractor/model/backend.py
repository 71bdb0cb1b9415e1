"""The model backend: llama-cpp-python runs a GGUF file, outlines supplies the grammar.

This is the only module that imports `llama_cpp` or `outlines`. The model is loaded once
per `LlamaBackend`; each distinct grammar is compiled once and reused for every document.
"""

import hashlib
import importlib.metadata
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import outlines
from llama_cpp import Llama, LogitsProcessorList, StoppingCriteriaList
from llama_cpp._utils import suppress_stdout_stderr
from llama_cpp.llama_chat_format import Jinja2ChatFormatter
from outlines.backends.outlines_core import OutlinesCoreBackend

from extractor.errors import GenerationError, ModelError
from extractor.model.grounding import TokenTable
from extractor.model.packaged import PACKAGED_MODELS
from extractor.model.profile import ModelProfile, RenderedPrompt, completion_profile, context_window
from extractor.model.protocol import MAX_CHOICES, Choice, Generation, LogitsProcessor, Message
from extractor.model.selftest import verify_grammar_enforced
from extractor.settings import ExtractorSettings

_ENGINE = f"outlines-{importlib.metadata.version('outlines')}"

logger = logging.getLogger(__name__)


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class LlamaBackend:
    """A loaded GGUF model with grammar-constrained generation."""

    def __init__(
        self, model_path: Path, *, n_threads: int, n_ctx: int, adapter_path: Path | None = None
    ) -> None:
        """`adapter_path`: a LoRA adapter GGUF that llama.cpp applies over the model; the
        model's identity (`model_sha256`) is then that of the pair."""
        for path in (model_path, adapter_path):
            if path is not None and not path.is_file():
                raise ModelError(f"model file not found: {path}")
        self.model_path = model_path
        self.model_sha256 = file_sha256(model_path)
        if adapter_path is not None:
            pair = f"{self.model_sha256}+{file_sha256(adapter_path)}"
            self.model_sha256 = hashlib.sha256(pair.encode()).hexdigest()
        started = time.perf_counter()
        try:
            self.profile = _read_profile(model_path, n_ctx)
            self._llm = Llama(
                model_path=str(model_path),
                n_ctx=self.profile.context_tokens,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                seed=0,
                verbose=False,
                lora_path=str(adapter_path) if adapter_path is not None else None,
            )
        except (ValueError, RuntimeError) as error:
            raise ModelError(f"could not load the GGUF model ({type(error).__name__})") from error
        self._grammars = OutlinesCoreBackend(outlines.from_llamacpp(self._llm))
        self._processors: dict[str, Any] = {}
        self._option_tokens = self._single_tokens([str(n) for n in range(1, MAX_CHOICES + 1)])
        self.token_table = TokenTable(
            [self._llm.detokenize([token]) for token in range(self._llm.n_vocab())]
        )
        logger.info(
            "model loaded sha256=%s in %.1fs",
            self.model_sha256[:12],
            time.perf_counter() - started,
        )

    def _single_tokens(self, texts: Sequence[str]) -> list[int]:
        tokens = [self._llm.tokenize(text.encode(), add_bos=False, special=False) for text in texts]
        if any(len(token) != 1 for token in tokens):
            raise ModelError("the model's vocabulary has no single token for each digit 1-9")
        return [token[0] for token in tokens]

    @classmethod
    def from_settings(cls, settings: ExtractorSettings) -> "LlamaBackend":
        """Load the configured model and prove that grammars are enforced before any document."""
        backend = cls(
            settings.model_path or PACKAGED_MODELS[settings.model](),
            n_threads=settings.n_threads,
            n_ctx=settings.n_ctx,
        )
        backend.self_test()
        return backend

    @property
    def prompt_format(self) -> str:
        return self.profile.prompt_format

    @property
    def context_tokens(self) -> int:
        return self.profile.context_tokens

    @property
    def compiled_grammars(self) -> int:
        return len(self._processors)

    def self_test(self) -> None:
        verify_grammar_enforced(self.generate_regex)

    def grammar_sha256(self, json_schema: str) -> str:
        return hashlib.sha256(f"{_ENGINE}\n{json_schema}".encode()).hexdigest()

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode(), add_bos=False, special=False))

    def prefill_seconds(self, text: str) -> float:
        """Seconds the model needs to read `text` once from an empty cache (for benchmarks);
        text beyond the context window is not read."""
        tokens = self._llm.tokenize(text.encode(), add_bos=True, special=False)
        self._llm.reset()  # type: ignore[no-untyped-call]
        started = time.perf_counter()
        self._llm.eval(tokens[: self._llm.n_ctx()])
        seconds = time.perf_counter() - started
        self._llm.reset()  # type: ignore[no-untyped-call]
        return seconds

    def generate_json(
        self,
        messages: Sequence[Message],
        json_schema: str,
        *,
        processors: Sequence[LogitsProcessor] = (),
        max_tokens: int,
        stop: Callable[[], bool] | None = None,
    ) -> Generation:
        grammar = self.prepare(json_schema)
        return self._generate(messages, [grammar, *processors], max_tokens, stop=stop)

    def prepare(self, json_schema: str) -> Any:
        """The compiled grammar for a JSON schema, compiled on first use only."""
        key = "json:" + self.grammar_sha256(json_schema)
        if key not in self._processors:
            self._processors[key] = self._grammars.get_json_schema_logits_processor(json_schema)
        return self._processors[key]

    def generate_regex(self, prompt: str, regex: str) -> str:
        key = "regex:" + regex
        if key not in self._processors:
            self._processors[key] = self._grammars.get_regex_logits_processor(regex)
        messages = [{"role": "user", "content": prompt}]
        return self._generate(messages, [self._processors[key]], max_tokens=64).text

    def choose(self, messages: Sequence[Message], count: int) -> Choice:
        """One token under a grammar of the option numbers; their probabilities are kept."""
        if not 1 <= count <= MAX_CHOICES:
            raise GenerationError(f"between 1 and {MAX_CHOICES} options can be offered")
        capture = _OptionCapture(self._option_tokens[:count])
        generation = self._generate(messages, [capture], max_tokens=1)
        return Choice(capture.probabilities, generation.prompt_tokens, generation.seconds)

    def generate_unconstrained(
        self, messages: Sequence[Message], *, max_tokens: int, exact_length: bool = False
    ) -> Generation:
        """Plain generation, for the self-test's negative case and the overhead benchmark.

        With `exact_length` the end-of-sequence token is suppressed, so exactly `max_tokens`
        tokens are generated (to compare per-token cost with a constrained run).
        """
        bias = {self._llm.token_eos(): -1e9} if exact_length else None
        return self._generate(messages, [], max_tokens, logit_bias=bias)

    @property
    def option_tokens(self) -> list[int]:
        """The tokens of the option numbers 1-9, in order."""
        return list(self._option_tokens)

    @property
    def end_of_turn(self) -> int:
        return int(self._llm.token_eos())

    def tokens(self, text: str) -> list[int]:
        """Plain text's tokens, no BOS, special-token markup read as text."""
        return self._llm.tokenize(text.encode(), add_bos=False, special=False)

    def detokenize(self, tokens: Sequence[int]) -> str:
        return self._llm.detokenize(list(tokens)).decode(errors="replace")

    def prompt_tokens(self, messages: Sequence[Message]) -> list[int]:
        """The tokens the model reads for these messages, as generation renders them."""
        return self._tokens(self.profile.render(messages))

    def _tokens(self, rendered: RenderedPrompt) -> list[int]:
        # A chat template writes its own BOS; plain completion text gets the model's own.
        return self._llm.tokenize(
            rendered.text.encode(),
            add_bos=not rendered.special_tokens,
            special=rendered.special_tokens,
        )

    def _generate(
        self,
        messages: Sequence[Message],
        processors: list[Any],
        max_tokens: int,
        logit_bias: dict[int, float] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> Generation:
        for processor in processors:
            if hasattr(processor, "reset"):
                processor.reset()
        timed = _TimedProcessors(processors)
        rendered = self.profile.render(messages)
        prompt = self._tokens(rendered)
        started = time.perf_counter()
        try:
            response: Any = self._llm.create_completion(
                prompt=prompt,
                logits_processor=LogitsProcessorList([timed]) if processors else None,
                stopping_criteria=(
                    StoppingCriteriaList([lambda _ids, _logits: stop()]) if stop else None
                ),
                stop=rendered.stop,
                max_tokens=max_tokens,
                temperature=0.0,
                logit_bias=logit_bias,
            )
        except ValueError as error:  # llama-cpp-python's "exceeds context window" and similar
            raise GenerationError(f"generation failed ({error.__class__.__name__})") from error
        choice = response["choices"][0]
        return Generation(
            text=choice["text"] or "",
            prompt_tokens=response["usage"]["prompt_tokens"],
            completion_tokens=response["usage"]["completion_tokens"],
            truncated=choice["finish_reason"] == "length",
            seconds=time.perf_counter() - started,
            constraint_seconds=timed.seconds,
        )


def _read_profile(model_path: Path, configured_context: int) -> ModelProfile:
    """The model's profile from its metadata and vocabulary alone (no weights loaded), so the
    context window is known before the model is."""
    # llama.cpp warns on stderr that a vocabulary-only load has no training context.
    with suppress_stdout_stderr(disable=False):
        vocabulary = Llama(model_path=str(model_path), vocab_only=True, verbose=False)
    context = context_window(vocabulary.metadata, configured_context)
    template = vocabulary.metadata.get("tokenizer.chat_template")
    if not template:
        return completion_profile(context)

    def token_text(token: int) -> str:
        return vocabulary.detokenize([token], special=True).decode("utf-8", errors="replace")

    formatter = Jinja2ChatFormatter(
        template=template,
        eos_token=token_text(vocabulary.token_eos()),
        bos_token=token_text(vocabulary.token_bos()),
    )

    def render(messages: Sequence[Message]) -> RenderedPrompt:
        response = formatter(messages=list(messages))  # type: ignore[arg-type]
        stops = response.stop if isinstance(response.stop, list) else [response.stop or ""]
        return RenderedPrompt(
            response.prompt, [text for text in stops if text], special_tokens=True
        )

    digest = hashlib.sha256(template.encode()).hexdigest()[:12]
    return ModelProfile(f"chat-template:{digest}", context, render)


class _TimedProcessors:
    """Runs the logits processors in order and adds up the time they take."""

    def __init__(self, processors: Sequence[Any]) -> None:
        self.processors = processors
        self.seconds = 0.0

    def __call__(
        self, input_ids: npt.NDArray[np.intc], scores: npt.NDArray[np.single]
    ) -> npt.NDArray[np.single]:
        started = time.perf_counter()
        for processor in self.processors:
            scores = processor(input_ids, scores)
        self.seconds += time.perf_counter() - started
        return scores


class _OptionCapture:
    """Logits processor: allows only the option tokens and records their probabilities."""

    def __init__(self, tokens: Sequence[int]) -> None:
        self.tokens = np.asarray(tokens, dtype=np.intp)
        self.probabilities: tuple[float, ...] = ()

    def __call__(
        self, input_ids: npt.NDArray[np.intc], scores: npt.NDArray[np.single]
    ) -> npt.NDArray[np.single]:
        chosen = scores[self.tokens].astype(np.float64)
        weights = np.exp(chosen - chosen.max())
        self.probabilities = tuple(float(w) for w in weights / weights.sum())
        masked = np.full_like(scores, -np.inf)
        masked[self.tokens] = scores[self.tokens]
        return masked
