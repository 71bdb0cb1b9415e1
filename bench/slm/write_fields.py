"""Run the field writer as the pipeline would run it: llama.cpp, the bundled model with the
fine-tuned adapter (or without, to compare), the JSON grammar of the core fields.

    python -m bench.slm.write_fields --adapter F.lora.gguf [--sets NAME...] [--limit N] --out F

It answers the "test" examples of `bench.slm.field_examples` (documents no adapter was fitted
on) and writes one line per document: its set, document and the JSON written, for
`bench.slm.score_fields`.
"""

import argparse
import json
import tempfile
import time
from pathlib import Path

from bench.families import all_sets
from bench.slm.field_examples import EXAMPLES, FIELDS, field_messages, shown_text
from extractor.model.backend import LlamaBackend
from extractor.model.packaged import bundled_model_path
from extractor.settings import load_settings

ANSWER_TOKENS = 160
CORE_SCHEMA = json.dumps(
    {
        "type": "object",
        "properties": {path: {"anyOf": [{"type": "string"}, {"type": "null"}]} for path in FIELDS},
        "required": list(FIELDS),
        "additionalProperties": False,
    }
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adapter", type=Path)
    parser.add_argument("--examples", type=Path, default=EXAMPLES)
    parser.add_argument("--sets", nargs="*", help="only the sets whose names start so")
    parser.add_argument("--limit", type=int, help="at most this many documents of each set")
    parser.add_argument("--out", type=Path, required=True)
    arguments = parser.parse_args()
    settings = load_settings()
    backend = LlamaBackend(
        bundled_model_path(),
        n_threads=settings.n_threads,
        n_ctx=settings.n_ctx,
        adapter_path=arguments.adapter,
    )
    sets = {labelled.name: labelled for labelled in all_sets()}
    taken: dict[str, int] = {}
    seconds: list[float] = []
    with arguments.out.open("w") as out, tempfile.TemporaryDirectory() as scratch:
        for line in arguments.examples.read_text().splitlines():
            example = json.loads(line)
            name = example["set"]
            if example["split"] != "test" or taken.get(name, 0) >= (arguments.limit or 10**9):
                continue
            if arguments.sets and not any(name.startswith(s) for s in arguments.sets):
                continue
            taken[name] = taken.get(name, 0) + 1
            labelled = sets[name]
            pdf = labelled.folder / example["document"]
            shown = shown_text(pdf, labelled, backend, Path(scratch))
            started = time.perf_counter()
            generation = backend.generate_json(
                field_messages(shown), CORE_SCHEMA, max_tokens=ANSWER_TOKENS
            )
            seconds.append(time.perf_counter() - started)
            kept = {k: example[k] for k in ("set", "family", "document")}
            out.write(json.dumps(kept | {"text": generation.text}) + "\n")
            out.flush()
    seconds.sort()
    print(f"{len(seconds)} documents, median {seconds[len(seconds) // 2]:.2f}s")


if __name__ == "__main__":
    main()
