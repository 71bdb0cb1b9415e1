"""The third-party generated invoices: every truth value is printed in its PDF's text."""

from bench.families import third_party
from sample_sets.thirdparty.make_thirdparty import verify
from tests.conftest import ROOT

OUT = ROOT / "bench" / "samples" / "thirdparty"


def test_every_truth_value_is_in_the_text_of_its_pdf() -> None:
    documents, values = verify(OUT)  # raises on a value missing from its PDF's text
    assert documents >= 100 and values >= 2000


def test_every_pdf_has_a_family_of_its_generator_layout() -> None:
    labelled = third_party()
    assert labelled is not None
    families = set(labelled.families.values())
    assert len(families) >= 10
    assert all(pdf.is_file() for pdf in labelled.families)
