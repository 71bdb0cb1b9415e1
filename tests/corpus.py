"""The shared hostile corpus (`../shared/corpus/bad-pdfs`): its file list and passwords."""

import csv
import json
from pathlib import Path

from tests.conftest import ROOT

BAD_PDFS = ROOT.parent / "shared" / "corpus" / "bad-pdfs"
_NO_PASSWORD = {"", "(empty)", "unknown"}


def corpus_files(root: Path = BAD_PDFS) -> list[Path]:
    """Every file INDEX.tsv lists (PDFs and fuzzer reproducers), in its order."""
    with (root / "INDEX.tsv").open(newline="") as handle:
        return [root / row["file"] for row in csv.DictReader(handle, delimiter="\t")]


def corpus_passwords(root: Path = BAD_PDFS) -> dict[str, str]:
    """Relative path -> the known user password, for the files that have a real one."""
    with (root / "passwords.tsv").open(newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {row["file"]: row["user_password"] for row in rows
                if row["user_password"] not in _NO_PASSWORD}  # fmt: skip


def passwords_setting(root: Path = BAD_PDFS) -> str:
    """The `passwords` setting (JSON, as in EXTRACTOR_PASSWORDS) for the corpus."""
    return json.dumps(corpus_passwords(root))
