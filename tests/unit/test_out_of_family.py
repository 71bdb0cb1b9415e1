"""The out-of-family benchmark's bookkeeping: held-out statuses, tables and the threshold."""

from bench.out_of_family import THRESHOLDS, choose_threshold, held_out_status
from extractor.evaluate.harness import DocumentOutcome
from extractor.model.confidence import Calibration, fit
from extractor.result import Status

KEY = "rules:total_gross@invoice"


def _table(accuracy: float) -> Calibration:
    right = int(accuracy * 100)
    samples = [(KEY, 0.9, index < right) for index in range(100)]
    return Calibration.from_table(fit(samples, bins=1))


def test_a_document_is_succeeded_only_when_every_deciding_value_clears_the_threshold() -> None:
    outcome = DocumentOutcome(Status.SUCCEEDED, flagged=False, produced=((KEY, 0.9, 0.95),))
    assert held_out_status(outcome, _table(0.99), 0.9) == Status.SUCCEEDED
    assert held_out_status(outcome, _table(0.6), 0.9) == Status.NEEDS_REVIEW


def test_a_document_is_succeeded_only_when_its_deciding_values_clear_it_together() -> None:
    outcome = DocumentOutcome(Status.SUCCEEDED, flagged=False, produced=((KEY, 0.9, 0.95),) * 3)
    assert held_out_status(outcome, _table(0.9), 0.5) == Status.SUCCEEDED  # about 0.9 ** 3
    assert held_out_status(outcome, _table(0.6), 0.5) == Status.NEEDS_REVIEW  # each 0.6: 0.22


def test_errors_and_outcomes_of_no_kind_are_kept() -> None:
    flagged = DocumentOutcome(Status.NEEDS_REVIEW, flagged=True, produced=((KEY, 0.9, 0.99),))
    assert held_out_status(flagged, _table(0.99), 0.5) == Status.NEEDS_REVIEW
    other = DocumentOutcome(Status.OTHER_KIND, flagged=True)
    assert held_out_status(other, _table(0.99), 0.5) == Status.OTHER_KIND


def test_the_threshold_is_the_lowest_where_every_set_is_precise_enough() -> None:
    precise = [(t, 0.5, 1.0) for t in THRESHOLDS]
    loose = [(t, 0.9, 0.9 if t < 0.8 else 0.99) for t in THRESHOLDS]
    assert choose_threshold({"a": precise, "b": loose}) == 0.8
    assert choose_threshold({"a": precise}) == THRESHOLDS[0]
