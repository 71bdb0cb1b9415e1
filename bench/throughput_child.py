"""The fresh processes of the throughput benchmark. Run as a script, with the tree to measure
first on PYTHONPATH (this checkout, or a worktree of an earlier revision), so it imports only
the extractor's public pieces that both have.

    python bench/throughput_child.py evaluate '[["name", "folder", without_xml], ...]'
    python bench/throughput_child.py cold FOLDER

Prints one JSON object on its last line of output.
"""

import json
import resource
import sys
import time
from pathlib import Path


def evaluate(sets: list[list]) -> dict:
    """Each set through the evaluation harness, in one process with one loaded model."""
    from extractor.api import load_extractor
    from extractor.evaluate import harness
    from extractor.schema_walk import leaves
    from extractor.settings import load_settings
    from extractor.store.batch import find_pdfs
    from schemas import get_schema

    schema = get_schema("invoice")
    extractor = load_extractor(load_settings())
    templates = [leaf.template for leaf in leaves(schema.model)]
    figures = {}
    for name, folder, without_xml in sets:
        pdfs = find_pdfs([Path(folder)])
        report = harness.evaluate(pdfs, extractor, schema, without_xml=without_xml)
        figures[name] = {
            "summary": harness.summary(report, templates, schema.cues.core_fields),
            "seconds": report.seconds,
            "documents": [str(Path(document)) for document in report.documents],
        }
    return {"sets": figures, "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def cold(folder: str) -> dict:
    """A fresh worker process: start-up (model load and warm-up), then every document of the
    folder in order; peak memory of this process and of its PDF reader process."""
    started = time.perf_counter()
    from extractor.api import load_extractor
    from extractor.settings import load_settings
    from schemas import get_schema

    settings = load_settings()
    extractor = load_extractor(settings)
    startup = time.perf_counter() - started
    seconds = []
    for pdf in sorted(Path(folder).glob("*.pdf")):
        begun = time.perf_counter()
        extractor.extract(pdf, get_schema("invoice"))
        seconds.append(time.perf_counter() - begun)
    return {
        "startup": startup,
        "seconds": seconds,
        "worker_peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "reader_peak_kib": [_peak_kib(pid) for pid in _reader_pids(settings)],
    }


def _reader_pids(settings) -> list[int]:
    try:
        from extractor.read.isolation import readers
    except ImportError:  # revisions before the pool of readers had one reader per process
        from extractor.read.isolation import ReadLimits, reader_for

        return [reader_for(ReadLimits.from_settings(settings)).child_pid]
    return readers(settings).child_pids


def _peak_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1])


if __name__ == "__main__":
    command, argument = sys.argv[1], sys.argv[2]
    result = evaluate(json.loads(argument)) if command == "evaluate" else cold(argument)
    print(json.dumps(result))
