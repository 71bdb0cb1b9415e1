"""How to talk to a model, read from the GGUF file itself rather than assumed.

An instruct model carries its chat template in the metadata (`tokenizer.chat_template`); the
prompt is rendered with it, and generation stops at the template's end-of-turn token. A base
model has none; it gets a plain completion layout instead. Either way the context window is
the smaller of the configured one and the one the model was trained for.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from extractor.model.protocol import Message

COMPLETION_FORMAT = "completion"
_ANSWER_CUE = "Answer:"


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    stop: list[str]
    special_tokens: bool  # the text holds the template's special tokens (BOS included)


@dataclass(frozen=True)
class ModelProfile:
    """The prompt format (a chat template, or plain completion) and the context window."""

    prompt_format: str  # "chat-template:<sha256 prefix>" or "completion"; stored with each run
    context_tokens: int
    render: Callable[[Sequence[Message]], RenderedPrompt]


def completion_profile(context_tokens: int) -> ModelProfile:
    return ModelProfile(COMPLETION_FORMAT, context_tokens, _completion)


def _completion(messages: Sequence[Message]) -> RenderedPrompt:
    """A base model continues text: the instructions, the document and question, then the
    cue after which the answer is written."""
    blocks = [message["content"] for message in messages]
    return RenderedPrompt("\n\n".join([*blocks, _ANSWER_CUE]) + " ", [], special_tokens=False)


def context_window(metadata: Mapping[str, str], configured: int) -> int:
    """The configured window, never more than the model was trained for."""
    architecture = metadata.get("general.architecture")
    trained = metadata.get(f"{architecture}.context_length") if architecture else None
    return min(configured, int(trained)) if trained else configured
