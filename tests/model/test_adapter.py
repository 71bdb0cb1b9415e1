"""A LoRA adapter GGUF (what `bench.slm.finetune` writes) applied over the bundled model."""

from pathlib import Path

import gguf
import numpy as np
import pytest

from extractor.errors import ModelError
from extractor.model.backend import LlamaBackend
from extractor.model.packaged import bundled_model_path

RANK = 4
MESSAGES = [
    {"role": "user", "content": "Which option is the invoice number?\n1. 2024-117\n2. 3\nNumber:"}
]


def write_adapter(path: Path, scale_b: float) -> Path:
    """An adapter on every layer's down projection; `scale_b = 0` leaves the model as it is."""
    generator = np.random.default_rng(0)
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(RANK))
    for layer in range(30):
        down_a = generator.normal(0, 0.05, (RANK, 1536)).astype(np.float16)
        down_b = (generator.normal(0, 1, (576, RANK)) * scale_b).astype(np.float16)
        writer.add_tensor(f"blk.{layer}.ffn_down.weight.lora_a", down_a)
        writer.add_tensor(f"blk.{layer}.ffn_down.weight.lora_b", down_b)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def load(adapter: Path | None) -> LlamaBackend:
    return LlamaBackend(bundled_model_path(), n_threads=2, n_ctx=512, adapter_path=adapter)


def test_an_adapter_changes_the_answer_and_the_models_identity(tmp_path: Path) -> None:
    plain = load(None)
    idle = load(write_adapter(tmp_path / "idle.gguf", scale_b=0.0))
    active = load(write_adapter(tmp_path / "active.gguf", scale_b=0.5))
    base = plain.choose(MESSAGES, 2).probabilities
    assert idle.choose(MESSAGES, 2).probabilities == pytest.approx(base, abs=1e-3)
    assert active.choose(MESSAGES, 2).probabilities != pytest.approx(base, abs=1e-2)
    hashes = {plain.model_sha256, idle.model_sha256, active.model_sha256}
    assert len(hashes) == 3  # a run records which adapter, not only which model


def test_a_missing_adapter_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        load(tmp_path / "absent.lora.gguf")
