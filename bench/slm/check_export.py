"""Check that an adapter written by `bench.slm.finetune` means in llama.cpp what it meant in
PyTorch: random adapter weights, large enough to move the answer, are exported, and the
option probabilities of a few choice prompts are compared, with and without the adapter.

    python -m bench.slm.check_export --model SmolLM2-135M-Instruct.Q4_1.gguf \\
        --examples bench/slm/choice_examples.jsonl [--count 4]

Needs the `train` extra and llama-cpp-python in one environment.
"""

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch
from llama_cpp import Llama

from bench.slm.finetune import MAX_PROMPT, export_adapter, load_base, option_logits, with_adapter

SCALE = 0.4  # the random adapter's second matrix: large enough to change the answers


def torch_probabilities(model: Any, example: dict[str, Any]) -> list[float]:
    with torch.no_grad():
        logits, _ = option_logits(model, [example])
    return [float(p) for p in logits.softmax(-1)[0]]


def llama_probabilities(llm: Llama, example: dict[str, Any]) -> list[float]:
    llm.reset()
    llm.eval(example["tokens"][-MAX_PROMPT["choice"] :])
    scores = np.asarray(llm.scores[llm.n_tokens - 1])[example["option_tokens"]]
    weights = np.exp(scores - scores.max())
    return [float(w) for w in weights / weights.sum()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--examples", type=Path, required=True)
    parser.add_argument("--count", type=int, default=4)
    arguments = parser.parse_args()
    lines = arguments.examples.read_text().splitlines()[: arguments.count]
    examples = [json.loads(line) for line in lines]
    model = with_adapter(load_base(arguments.model))
    generator = torch.Generator().manual_seed(0)
    for name, parameter in model.named_parameters():
        if "lora_B" in name:
            parameter.data = torch.randn(parameter.shape, generator=generator) * SCALE
    model.eval()
    with tempfile.TemporaryDirectory() as scratch:
        adapter = Path(scratch) / "random.lora.gguf"
        export_adapter(model, adapter)
        plain = Llama(str(arguments.model), n_ctx=1024, logits_all=True, verbose=False)
        adapted = Llama(
            str(arguments.model),
            n_ctx=1024,
            logits_all=True,
            verbose=False,
            lora_path=str(adapter),
        )
        for label, llm, switched_off in (("base", plain, True), ("adapter", adapted, False)):
            worst = 0.0
            for example in examples:
                if switched_off:
                    with model.disable_adapter():
                        expected = torch_probabilities(model, example)
                else:
                    expected = torch_probabilities(model, example)
                found = llama_probabilities(llm, example)
                gap = max(abs(a - b) for a, b in zip(expected, found, strict=True))
                worst = max(worst, gap)
                print(f"{label}: torch {np.round(expected, 3)} llama.cpp {np.round(found, 3)}")
            print(f"{label}: largest difference {worst:.3f}")


if __name__ == "__main__":
    main()
