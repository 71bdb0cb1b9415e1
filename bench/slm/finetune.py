"""Fine-tune the bundled model for its jobs in the pipeline and measure it out of family.
Runs where torch, transformers, peft and gguf are installed and a GPU is at hand
(`pip install 'extractor[train]'`); never at install or test time.

    python -m bench.slm.finetune --model SmolLM2-135M-Instruct.Q4_1.gguf \
        --task choice|fields --examples F.jsonl --out OUT

Tasks (their examples come from `bench.slm.choice_examples` and `bench.slm.field_examples`):
- `choice`: answer which numbered option holds a field's value. The loss is the one the
  pipeline reads: a softmax over the option tokens alone, as its grammar allows nothing else.
- `fields`: write a document's core fields as JSON; the loss covers the taught answer tokens.

1. Folds: the development families ("train" examples) are split into `FOLDS` groups of whole
   families; for each, a fresh adapter is trained on the other groups and answers the
   held-out group. Every development example is so answered by an adapter that never saw its
   family: OUT/<task>.heldout.jsonl.
2. The shipped adapter is trained on every development example and answers the "test"
   examples (the sets nobody tuned on): OUT/<task>.test.jsonl. It is written as a llama.cpp
   LoRA adapter, OUT/<task>.lora.gguf.

The base weights are the bundled GGUF's own (dequantized by transformers), so the adapter
learns on the very weights it is applied to.
"""

import argparse
import copy
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gguf
import numpy as np
import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM

FOLDS = 5
RANK = 16
ALPHA = 32
SEED = 0
EPOCHS = {"choice": 4, "fields": 6}
BATCH = {"choice": 16, "fields": 16}
LEARNING_RATE = {"choice": 2e-4, "fields": 5e-4}
MAX_PROMPT = {"choice": 640, "fields": 1400}  # a longer prompt keeps its end
MAX_ANSWER = 160  # tokens the field writer may write
# Hugging Face module -> llama.cpp tensor; q and k are left alone, as GGUF stores them permuted
TARGETS = {
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}

Example = dict[str, Any]


def load_base(model: Path) -> Any:
    base = AutoModelForCausalLM.from_pretrained(
        str(model.parent), gguf_file=model.name, dtype=torch.float32
    )
    return base.to("cuda" if torch.cuda.is_available() else "cpu")


def with_adapter(base: Any) -> Any:
    config = LoraConfig(
        r=RANK,
        lora_alpha=ALPHA,
        lora_dropout=0.05,
        target_modules=[name.split(".")[-1] for name in TARGETS],
        bias="none",
    )
    return get_peft_model(copy.deepcopy(base), config)


def batches(examples: Sequence[Example], size: int) -> list[list[Example]]:
    return [list(examples[i : i + size]) for i in range(0, len(examples), size)]


def padded(
    rows: Sequence[Sequence[int]], *, left: bool = False
) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(row) for row in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for number, row in enumerate(rows):
        where = slice(width - len(row), width) if left else slice(0, len(row))
        ids[number, where] = torch.tensor(row)
        mask[number, where] = 1
    return ids, mask


def autocast(device: torch.device) -> Any:
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda")


def option_logits(model: Any, batch: Sequence[Example]) -> tuple[torch.Tensor, torch.Tensor]:
    """The logits of each example's option tokens at its answer position (-inf past its
    options), and a mask of its right options."""
    device = next(model.parameters()).device
    prompts = [example["tokens"][-MAX_PROMPT["choice"] :] for example in batch]
    ids, mask = padded(prompts)
    with autocast(device):  # the transformer alone: the head is needed at the options only
        hidden = (
            model.get_base_model()
            .model(input_ids=ids.to(device), attention_mask=mask.to(device))
            .last_hidden_state
        )
    last = torch.tensor([len(p) - 1 for p in prompts], device=device)
    answer = hidden[torch.arange(len(batch), device=device), last].float()
    head = model.get_output_embeddings().weight
    options = max(len(example["option_tokens"]) for example in batch)
    logits = torch.full((len(batch), options), float("-inf"), device=device)
    right = torch.zeros((len(batch), options), dtype=torch.bool, device=device)
    for row, example in enumerate(batch):
        tokens = torch.tensor(example["option_tokens"], device=device)
        logits[row, : len(tokens)] = answer[row] @ head[tokens].float().T
        right[row, example["right"]] = True
    return logits, right


def choice_loss(model: Any, batch: Sequence[Example]) -> torch.Tensor:
    logits, right = option_logits(model, batch)
    # every right option counts: the loss is -log of their summed probability
    log_probabilities = logits.log_softmax(dim=-1)
    return -torch.logsumexp(log_probabilities.masked_fill(~right, float("-inf")), -1).mean()


def fields_loss(model: Any, batch: Sequence[Example]) -> torch.Tensor:
    device = next(model.parameters()).device
    rows, targets = [], []
    for example in batch:
        prompt = example["tokens"][-MAX_PROMPT["fields"] :]
        answer = [token for piece, _ in example["answer"] for token in piece]
        taught = [token if keep else -100 for piece, keep in example["answer"] for token in piece]
        rows.append(prompt + answer)
        targets.append([-100] * len(prompt) + taught)
    ids, mask = padded(rows)
    labels = torch.full(ids.shape, -100, dtype=torch.long)
    for number, target in enumerate(targets):
        labels[number, : len(target)] = torch.tensor(target)
    with autocast(device):
        output = model(
            input_ids=ids.to(device), attention_mask=mask.to(device), labels=labels.to(device)
        )
    return output.loss


LOSSES = {"choice": choice_loss, "fields": fields_loss}


def train(model: Any, examples: Sequence[Example], task: str) -> None:
    generator = random.Random(SEED)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=LEARNING_RATE[task], weight_decay=0.0)
    steps = EPOCHS[task] * len(batches(examples, BATCH[task]))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1 - step / steps)
    model.train()
    for _ in range(EPOCHS[task]):
        shuffled = list(examples)
        generator.shuffle(shuffled)
        for batch in batches(shuffled, BATCH[task]):
            LOSSES[task](model, batch).backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()


def _kept(example: Example) -> Example:
    return {k: v for k, v in example.items() if k not in ("tokens", "option_tokens", "answer")}


@torch.no_grad()
def answer_choices(model: Any, examples: Sequence[Example]) -> list[Example]:
    answered = []
    for batch in batches(examples, 64):
        logits, _ = option_logits(model, batch)
        probabilities = logits.softmax(dim=-1).cpu().tolist()
        for example, row in zip(batch, probabilities, strict=True):
            count = len(example["option_tokens"])
            answered.append(_kept(example) | {"probabilities": [round(p, 5) for p in row[:count]]})
    return answered


@torch.no_grad()
def answer_fields(model: Any, examples: Sequence[Example]) -> list[Example]:
    """Greedy answers, as tokens (the caller's tokenizer reads them)."""
    device = next(model.parameters()).device
    answered = []
    for batch in batches(examples, 64):
        ids, mask = padded([e["tokens"][-MAX_PROMPT["fields"] :] for e in batch], left=True)
        end = batch[0]["answer"][-1][0][0]
        with autocast(device):
            output = model.generate(
                input_ids=ids.to(device),
                attention_mask=mask.to(device),
                max_new_tokens=MAX_ANSWER,
                do_sample=False,
                eos_token_id=end,
                pad_token_id=end,
            )
        for example, row in zip(batch, output[:, ids.shape[1] :].tolist(), strict=True):
            written = row[: row.index(end)] if end in row else row
            answered.append(_kept(example) | {"written": written})
    return answered


ANSWERS = {"choice": answer_choices, "fields": answer_fields}


def family_folds(examples: Sequence[Example]) -> list[list[Example]]:
    """`FOLDS` groups of whole families, of about equal size, the same for every run."""
    families: dict[str, list[Example]] = {}
    for example in examples:
        families.setdefault(f"{example['set']} | {example['family']}", []).append(example)
    folds: list[list[Example]] = [[] for _ in range(FOLDS)]
    for name in sorted(families, key=lambda n: (-len(families[n]), n)):
        min(folds, key=len).extend(families[name])
    return folds


def export_adapter(model: Any, path: Path) -> None:
    """The trained LoRA as a llama.cpp adapter GGUF (llama.cpp scales it by alpha / rank)."""
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(ALPHA))
    for name, parameter in model.named_parameters():
        if "lora_" not in name:
            continue
        layer = int(name.split(".layers.")[1].split(".")[0])
        module = next(t for hf, t in TARGETS.items() if f".{hf}.lora_" in name)
        part = "lora_a" if ".lora_A." in name else "lora_b"
        weight = parameter.detach().to(torch.float16).cpu().numpy()
        writer.add_tensor(f"blk.{layer}.{module}.weight.{part}", np.ascontiguousarray(weight))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--task", choices=sorted(LOSSES), required=True)
    parser.add_argument("--examples", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limit", type=int, help="at most this many examples (a dry run)")
    parser.add_argument("--no-folds", action="store_true", help="train the shipped adapter only")
    arguments = parser.parse_args()
    task = arguments.task
    torch.manual_seed(SEED)
    examples = [json.loads(line) for line in arguments.examples.read_text().splitlines()]
    random.Random(SEED).shuffle(examples)
    examples = examples[: arguments.limit]
    development = [e for e in examples if e["split"] == "train"]
    test = [e for e in examples if e["split"] == "test"]
    arguments.out.mkdir(parents=True, exist_ok=True)
    print(f"{task}: {len(development)} development, {len(test)} test examples", flush=True)
    base = load_base(arguments.model)
    heldout: list[Example] = []
    for number, fold in enumerate([] if arguments.no_folds else family_folds(development)):
        started = time.perf_counter()
        model = with_adapter(base)
        inside = {id(e) for e in fold}
        train(model, [e for e in development if id(e) not in inside], task)
        heldout.extend(ANSWERS[task](model, fold))
        print(f"{task} fold {number}: {time.perf_counter() - started:.0f}s", flush=True)
    if heldout:
        write_answers(arguments.out / f"{task}.heldout.jsonl", heldout)
    started = time.perf_counter()
    model = with_adapter(base)
    train(model, development, task)
    export_adapter(model, arguments.out / f"{task}.lora.gguf")
    if not arguments.no_folds:
        write_answers(arguments.out / f"{task}.test.jsonl", ANSWERS[task](model, test))
    print(f"{task} shipped adapter: {time.perf_counter() - started:.0f}s", flush=True)


def write_answers(path: Path, answered: Sequence[Example]) -> None:
    path.write_text("".join(json.dumps(a) + "\n" for a in answered))


if __name__ == "__main__":
    main()
