"""Rebuild every shipped sample set, in the order they depend on each other: the compact blank
CMS-1500 and its layout first (the claim PDFs are filled from them), then the invoices, the
varied invoices and the clinical documents. Each generator writes the same bytes on every run.

    python -m sample_sets [--only SET ...] [--cms1500-source PDF]
"""

import argparse
from collections.abc import Callable
from pathlib import Path

from sample_sets import cms1500_blank, make_clinical, make_samples, make_varied

# name -> (what it writes, its generator's `main(argv)`), in the order they are rebuilt
SETS: dict[str, tuple[str, Callable[[list[str]], None]]] = {
    "cms1500": ("bench/forms/cms1500-blank.pdf, extractor/read/cms1500_layout.json",
                cms1500_blank.main),
    "invoices": ("bench/samples/invoices", make_samples.main),
    "varied": ("bench/samples/varied", make_varied.main),
    "clinical": ("bench/samples/clinical", make_clinical.main),
}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m sample_sets", description="Rebuild the shipped sample sets."
    )
    parser.add_argument(
        "--only", action="append", choices=SETS, metavar="SET",
        help=f"rebuild only this set (repeatable; default: all, in this order: {', '.join(SETS)})",
    )  # fmt: skip
    parser.add_argument(
        "--cms1500-source", type=Path, default=cms1500_blank.SOURCE, metavar="PDF",
        help=f"the fillable CMS-1500 template (default: {cms1500_blank.SOURCE})",
    )  # fmt: skip
    args = parser.parse_args()
    for name, (writes, generate) in SETS.items():
        if args.only is None or name in args.only:
            print(f"== {name}: {writes}")
            generate([str(args.cms1500_source)] if name == "cms1500" else [])


if __name__ == "__main__":
    main()
