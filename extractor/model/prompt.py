"""The instructions the model reads before a document, and fitting the document into context.

Instructions come first and never change for a schema, so llama.cpp keeps them in its
KV cache from one document to the next and only the document text is read anew.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from extractor.model.choose import choice_template
from extractor.model.protocol import Message
from extractor.schema_walk import GenerationPart, leaves
from schemas import SchemaSpec

_INSTRUCTIONS = """You read one {name} document and answer with one of its fields as JSON.
Copy the value exactly as it is written in the document; do not translate or reformat.
Write null when the document does not contain the field.
Fields:
{fields}"""
_QUESTION = "{document}\n\nField: {name} ({description})"
_TEMPLATE_OVERHEAD_TOKENS = 64  # chat markup and the field question


@dataclass(frozen=True)
class Prompt:
    system: str
    document_text: str  # the text the model saw, possibly cut to fit the context
    truncated: bool
    sha256: str  # of the instructions, which identify the prompt version

    def messages(self, part: GenerationPart) -> list[Message]:
        """The document first, the field last: every field reuses the document's KV cache."""
        question = _QUESTION.format(
            document=self.document_text, name=part.name, description=part.description
        )
        return [{"role": "system", "content": self.system}, {"role": "user", "content": question}]


def instructions(schema: SchemaSpec) -> str:
    fields = "\n".join(f"- {leaf.template}: {leaf.description}" for leaf in leaves(schema.model))
    return _INSTRUCTIONS.format(name=schema.name.replace("_", " "), fields=fields)


def build_prompt(
    schema: SchemaSpec,
    document_text: str,
    *,
    count_tokens: Callable[[str], int],
    token_budget: int,
) -> Prompt:
    """Messages for one document; the document is shortened until the prompt fits the budget."""
    system = instructions(schema)
    available = token_budget - count_tokens(system) - _TEMPLATE_OVERHEAD_TOKENS
    text, truncated = document_text, False
    while text and count_tokens(text) > available:
        text, truncated = text[: int(len(text) * 0.9)], True
    return Prompt(
        system=system,
        document_text=text,
        truncated=truncated,
        sha256=hashlib.sha256(system.encode()).hexdigest(),
    )


def prompt_sha256(schema: SchemaSpec) -> str:
    """Identifies the prompt version: the list instructions and the choice prompt."""
    return hashlib.sha256((instructions(schema) + choice_template()).encode()).hexdigest()
