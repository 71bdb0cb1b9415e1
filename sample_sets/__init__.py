"""Generators of the shipped sample sets: the labelled PDFs under bench/samples/, the compact
blank CMS-1500 under bench/forms/ and the form layout in extractor/read/. A development tool,
not part of the installed package; `python -m sample_sets` rebuilds every set (README.md).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "bench" / "samples"  # the generated data stays beside the benchmarks
FORMS = ROOT / "bench" / "forms"
