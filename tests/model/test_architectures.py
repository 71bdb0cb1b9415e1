"""Other model families work without downloading them: tiny random-weight GGUF files in the
shapes and tokenizer styles of Qwen2.5, Llama 3.2 and Phi-3.5 (tests/gguf_shapes.py), each as
an instruct model (chat template in the metadata) and as a base model (none).

Their text is noise; what must hold is the structure: the file loads, its own template (or
the completion layout) renders the prompt, grammar-constrained output is schema-valid JSON,
and document text with accents and the euro sign goes through tokenizer and grounding.
"""

import json

import pytest
from pydantic import BaseModel, Field

from extractor.model.backend import LlamaBackend
from extractor.model.grounding import CopySource, DocumentGrounding, GroundedCopyProcessor
from extractor.model.profile import COMPLETION_FORMAT
from extractor.pipeline import Extractor
from extractor.result import Status
from extractor.settings import load_settings
from schemas import get_schema
from tests.conftest import SAMPLES
from tests.gguf_shapes import TINY, build_gguf

DOCUMENT = "Rechnung Nr. RE-2024-117\nMüller & Söhne GmbH, Hauptstraße 5\nGesamt: 1.234,56 €"
TRAINING_TEXT = (
    DOCUMENT + "\nFacture n° 42 du 15 mars 2024, total TTC 99,90 EUR. Invoice total 12.50 USD.\n"
) * 40
# What each family's chat template writes around a user message.
TEMPLATE_MARKS = {
    "qwen2": ("<|im_start|>user\n", "<|im_start|>assistant\n"),
    "llama": (
        "<|start_header_id|>user<|end_header_id|>",
        "<|start_header_id|>assistant<|end_header_id|>",
    ),
    "phi3": ("<|user|>", "<|assistant|>"),
}


class Answer(BaseModel):
    invoice_number: str | None = Field(max_length=24)
    currency: str | None = Field(pattern="^(EUR|USD)$")


VARIANTS = [(family, chat) for family in TINY for chat in (True, False)]


@pytest.fixture(
    scope="module", params=VARIANTS, ids=[f"{f}-{'chat' if c else 'base'}" for f, c in VARIANTS]
)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> LlamaBackend:
    family, chat = request.param
    path = tmp_path_factory.mktemp(family) / f"tiny-{family}.gguf"
    build_gguf(TINY[family], path, training_text=TRAINING_TEXT, chat_template=chat)
    loaded = LlamaBackend(path, n_threads=1, n_ctx=4096)
    loaded.self_test()  # the grammar is enforced with this vocabulary
    return loaded


def test_the_prompt_is_rendered_in_the_models_own_format(backend: LlamaBackend) -> None:
    family = backend.model_path.stem.removeprefix("tiny-")
    rendered = backend.profile.render([{"role": "user", "content": DOCUMENT}])
    assert DOCUMENT in rendered.text
    if backend.prompt_format == COMPLETION_FORMAT:
        assert rendered.text.endswith("Answer: ") and not rendered.special_tokens
    else:
        assert backend.prompt_format.startswith("chat-template:")
        user, assistant = TEMPLATE_MARKS[family]
        assert user in rendered.text and rendered.text.rstrip().endswith(assistant.rstrip())
        assert rendered.stop  # the template's end-of-turn token ends generation
    assert backend.context_tokens == 2048  # the model's training context, below the setting


def test_non_ascii_text_survives_the_tokenizer(backend: LlamaBackend) -> None:
    llm = backend._llm  # the loaded llama.cpp model itself
    ids = llm.tokenize(DOCUMENT.encode(), add_bos=False, special=False)
    assert llm.detokenize(ids).decode() == DOCUMENT
    assert backend.count_tokens(DOCUMENT) == len(ids)


def test_constrained_output_is_schema_valid_json_grounded_in_the_document(
    backend: LlamaBackend,
) -> None:
    grounding = DocumentGrounding(backend.token_table, CopySource.from_text(DOCUMENT), 24)
    processor = GroundedCopyProcessor(grounding)
    messages = [
        {"role": "system", "content": "Answer with the invoice number and currency as JSON."},
        {"role": "user", "content": DOCUMENT},
    ]
    generation = backend.generate_json(
        messages, json.dumps(Answer.model_json_schema()), processors=[processor], max_tokens=96
    )
    assert not generation.truncated
    answer = Answer.model_validate_json(generation.text)
    if answer.invoice_number is not None:
        assert answer.invoice_number in CopySource.from_text(DOCUMENT).text  # never invented


def test_a_whole_extraction_runs_and_records_the_prompt_format(backend: LlamaBackend) -> None:
    settings = load_settings(max_list_tokens=64)
    result = Extractor(backend, settings).extract(
        SAMPLES / "de_equipment.pdf", get_schema("invoice")
    )
    assert result.status in {Status.SUCCEEDED, Status.NEEDS_REVIEW}
    get_schema("invoice").model.model_validate(result.data)
    assert result.run.prompt_format == backend.prompt_format
