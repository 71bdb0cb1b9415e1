"""The accuracy engine with the real bundled model: the model's choices, and the accuracy
targets on the generated varied set (the shared corpus: tests/unit/test_corpus_accuracy.py)."""

from pathlib import Path

import pytest

from extractor.evaluate.harness import Evaluation, evaluate
from extractor.model.backend import LlamaBackend
from extractor.pipeline import Extractor
from extractor.settings import ExtractorSettings
from schemas import get_schema
from tests.conftest import ROOT

VARIED = ROOT / "bench" / "samples" / "varied"
INVOICE = get_schema("invoice")
TARGET = 0.9  # each core field, exact after normalisation


def test_choice_is_a_distribution_over_the_options(backend: LlamaBackend) -> None:
    messages = [
        {"role": "system", "content": "Answer with the number of the option."},
        {"role": "user", "content": "Which is a colour?\n1. table\n2. blue\n3. seven\nNumber:"},
    ]
    choice = backend.choose(messages, 3)
    assert len(choice.probabilities) == 3
    assert abs(sum(choice.probabilities) - 1.0) < 1e-6
    assert choice.prompt_tokens > 0


@pytest.fixture(scope="module")
def varied(backend: LlamaBackend, settings: ExtractorSettings) -> tuple[Evaluation, Evaluation]:
    pdfs = sorted(VARIED.glob("*.pdf"))
    with_model = evaluate(pdfs, Extractor(backend, settings), INVOICE)
    rules_only = Extractor(backend, settings.model_copy(update={"use_model": False}))
    return with_model, evaluate(pdfs, rules_only, INVOICE)


@pytest.mark.parametrize("field", INVOICE.cues.core_fields)
def test_core_field_meets_the_target_on_the_varied_set(
    varied: tuple[Evaluation, Evaluation], field: str
) -> None:
    correct, total = varied[0].accuracy(field)
    assert total == 30
    assert correct / total >= TARGET, f"{field}: {correct}/{total}"


def test_nothing_is_hallucinated_and_the_model_does_not_lose_accuracy(
    varied: tuple[Evaluation, Evaluation],
) -> None:
    with_model, rules_only = varied
    assert with_model.hallucination()[0] == 0
    core = INVOICE.cues.core_fields
    assert with_model.all_correct_rate(core)[0] >= rules_only.all_correct_rate(core)[0]
    sure, total = with_model.high_confidence()
    assert total and sure / total >= 0.9


def test_samples_carry_provenance_for_every_value(
    backend: LlamaBackend, settings: ExtractorSettings, samples: list[Path]
) -> None:
    result = Extractor(backend, settings).extract(samples[0], INVOICE)
    for record in result.fields:
        if record.value is not None:
            assert record.page is not None and record.start is not None, record.path
