"""The learned candidate scorer: its features, how it re-ranks the rules' options, fitting,
the shipped weights, and `extractor train` on a labelled folder."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from extractor.evaluate.training import labelled_examples
from extractor.learn.features import field_candidates, kind_candidates, name_candidates
from extractor.learn.fit import fit_scorer
from extractor.learn.scorer import (
    DISAGREEMENT_FACTOR,
    DOUBTED_CUES,
    FILL_LEVEL,
    LEARNED_CUE,
    OVERRIDE_CUE,
    UNLIKELY_CUE,
    FieldWeights,
    Scorer,
)
from extractor.model.confidence import Calibration
from extractor.model.textpath import decide_text_fields
from extractor.pipeline import Extractor
from extractor.read.pdf import DocumentText
from extractor.schema_walk import leaves
from extractor.settings import load_settings
from extractor.store.review_runs import HumanValue
from extractor.store.review_store import ReviewStore
from extractor.store.review_training import reviewed_documents
from extractor.text.decide import Option, Ranking, rank_fields
from extractor.text.locate import split_lines
from schemas import get_schema
from schemas.kinds import FieldKind
from tests.fakes import ScriptedBackend
from tests.review_support import prepared_database
from workers.cli import app

SAMPLES = Path(__file__).resolve().parents[2] / "bench" / "samples" / "invoices"
INVOICE = get_schema("invoice")
SCALARS = [leaf for leaf in leaves(INVOICE.model) if "*" not in leaf.template]
KINDS = {leaf.template: leaf.kind for leaf in SCALARS}
RECEIPT = """SUNRISE HARDWARE SDN BHD
DATE: 15/01/2019 11:05:16 AM
ITEM A            2.50
ITEM B            7.50
SUBTOTAL:        10.00
TOTAL INCL GST:  10.60
CASH             20.00
CHANGE            9.40
"""


def test_features_describe_label_position_and_rank() -> None:
    lines = split_lines(RECEIPT)
    amounts = kind_candidates(RECEIPT, lines, FieldKind.AMOUNT, month_first=False)
    total = next(c for c in amounts if c.value == Decimal("10.60"))
    assert {"left=total", "left=gst", "left1=gst", "largest=1", "line_end"} <= total.features.keys()
    cash = next(c for c in amounts if c.value == Decimal("20.00"))
    assert "largest=0" in cash.features
    (receipt_date,) = kind_candidates(RECEIPT, lines, FieldKind.DATE, month_first=False)
    assert receipt_date.value == date(2019, 1, 15)
    assert {"left1=date", "time_on_line", "printed=only"} <= receipt_date.features.keys()


def test_a_name_wrapped_over_lines_or_followed_by_its_registration_is_a_candidate() -> None:
    text = "AIK HUAT HARDWARE\nENTERPRISE SDN BHD (822737-X)\nNO. 17-G JALAN 1\nTOTAL 10.00\n"
    lines = split_lines(text)
    ranking = Ranking("seller.name", FieldKind.TEXT, ())
    candidates = {str(c.value): c for c in name_candidates(text, lines, ranking)}
    wrapped = candidates["AIK HUAT HARDWARE ENTERPRISE SDN BHD"]
    assert {"joined=2", "registration_cut", "legal_form", "line=0"} <= wrapped.features.keys()
    assert text[wrapped.span.start : wrapped.span.end].split() == wrapped.span.text.split()
    assert "digits_below" in candidates["AIK HUAT HARDWARE ENTERPRISE SDN BHD (822737-X)"].features
    assert "AIK HUAT HARDWARE" in candidates


def test_a_part_of_a_name_broken_over_lines_says_so() -> None:
    text = "POPULAR BOOK\nCO. (M) SDN BHD\n(CO. NO. 113825-W)\nNO 8\nTOTAL 10.00\n"
    lines = split_lines(text)
    ranking = Ranking("seller.name", FieldKind.TEXT, ())
    candidates = {str(c.value): c.features for c in name_candidates(text, lines, ranking)}
    assert "goes_on_below" in candidates["POPULAR BOOK"]
    assert "goes_on_from_above" in candidates["CO. (M) SDN BHD"]
    whole = candidates["POPULAR BOOK CO. (M) SDN BHD"]
    assert not {"goes_on_below", "goes_on_from_above"} & whole.keys()


def test_rules_opinion_is_a_feature() -> None:
    rankings = rank_fields(RECEIPT, SCALARS, INVOICE.cues)
    amounts = kind_candidates(RECEIPT, split_lines(RECEIPT), FieldKind.AMOUNT, month_first=False)
    described = field_candidates(amounts, rankings["total_gross"])
    top = rankings["total_gross"].options[0].value
    assert all(
        ("rules_top" in c.features and c.features["rules_top"] == 1.0) == (c.value == top)
        for c in described
    )


def _scorer(weights: dict[str, float], bias: float = -4.0) -> Scorer:
    return Scorer({"total_gross": FieldWeights(bias, weights)})


def test_rerank_puts_the_likeliest_printed_value_first() -> None:
    rankings = rank_fields(RECEIPT, SCALARS, INVOICE.cues)
    reranked = _scorer({"left=total": 6.0, "left=subtotal": -3.0}).rerank(RECEIPT, rankings, KINDS)
    best = reranked["total_gross"].options[0]
    assert best.value == Decimal("10.60")
    assert LEARNED_CUE in best.cues
    assert 0.5 < best.support < 1.0  # the probability: the evidence the calibration reads
    assert reranked["issue_date"] == rankings["issue_date"]  # no weights: the rules' ranking


def test_overriding_the_rules_first_value_is_marked_and_halves_the_confidence() -> None:
    amounts = kind_candidates(RECEIPT, split_lines(RECEIPT), FieldKind.AMOUNT, month_first=False)
    scorer = _scorer({"left=total": 6.0})
    for rules_first, cue in ((Decimal("10.60"), LEARNED_CUE), (Decimal("10.00"), OVERRIDE_CUE)):
        ranking = Ranking("total_gross", FieldKind.AMOUNT, (Option(rules_first, (), 0.9),))
        best = scorer.ranked(ranking, field_candidates(amounts, ranking)).options[0]
        assert best.value == Decimal("10.60")
        assert cue in best.cues
    # the rules take the amount labelled "TOTAL:" (10.00); weights that favour the amount
    # after "PAYABLE" override them, and the confidence is halved (no cash and change here:
    # their difference would confirm 10.60 to the rules)
    text = RECEIPT.replace("SUBTOTAL:", "TOTAL:").replace("TOTAL INCL GST:", "AMOUNT PAYABLE")
    text = text.split("CASH")[0]
    document = DocumentText(pages=(text,))
    calibration = Calibration.bundled()
    payable = _scorer({"left=payable": 12.0})
    alone = decide_text_fields(document, INVOICE, SCALARS, None, calibration).records
    scored = decide_text_fields(document, INVOICE, SCALARS, None, calibration, payable).records
    (before,) = (r for r in alone if r.path == "total_gross")
    (after,) = (r for r in scored if r.path == "total_gross")
    assert (before.value, after.value) == (Decimal("10.00"), Decimal("10.60"))
    evidence = after.evidence if after.evidence is not None else 0.0
    expected = calibration.confidence("rules:total_gross", evidence) * DISAGREEMENT_FACTOR
    assert after.confidence == pytest.approx(expected)


def test_an_option_neither_put_first_and_deemed_unlikely_is_marked() -> None:
    amounts = kind_candidates(RECEIPT, split_lines(RECEIPT), FieldKind.AMOUNT, month_first=False)
    ranking = Ranking("total_gross", FieldKind.AMOUNT, (Option(Decimal("10.60"), (), 0.9),))
    options = _scorer({"left=total": 6.0}).ranked(ranking, field_candidates(amounts, ranking))
    first, *others = options.options
    assert LEARNED_CUE in first.cues and not first.cues & DOUBTED_CUES
    assert all(UNLIKELY_CUE in option.cues for option in others)  # what the partner leaves


def test_a_field_the_rules_left_empty_is_filled_only_by_a_likely_value() -> None:
    empty = Ranking("total_gross", FieldKind.AMOUNT, ())
    amounts = kind_candidates(RECEIPT, split_lines(RECEIPT), FieldKind.AMOUNT, month_first=False)
    candidates = field_candidates(amounts, empty)
    ranked = _scorer({"left=total": 6.0}).ranked(empty, candidates)
    assert ranked.options[0].value == Decimal("10.60")
    assert ranked.options[0].support >= FILL_LEVEL
    assert _scorer({}, bias=-1.0).ranked(empty, candidates) == empty  # every value unlikely


def test_a_rules_value_that_is_not_printed_keeps_the_rules_ranking() -> None:
    summed = Ranking("total_gross", FieldKind.AMOUNT, (Option(Decimal("30.10"), (), 0.9),))
    amounts = kind_candidates(RECEIPT, split_lines(RECEIPT), FieldKind.AMOUNT, month_first=False)
    candidates = field_candidates(amounts, summed)
    assert _scorer({"left=total": 6.0}).ranked(summed, candidates) == summed


def test_fitted_weights_round_trip_and_choose_the_labelled_values(tmp_path: Path) -> None:
    examples, skipped = labelled_examples(sorted(SAMPLES.glob("*.pdf")), INVOICE, load_settings())
    assert not skipped
    scorer = fit_scorer(examples, {"folder": "samples"})
    assert {"issue_date", "total_gross"} <= scorer.fields.keys()
    assert scorer.trained_on["documents"] == len(list(SAMPLES.glob("*.pdf")))
    scorer.save(tmp_path / "scorer.json")
    again = Scorer.load(tmp_path / "scorer.json")
    assert again.fields.keys() == scorer.fields.keys()
    right = 0
    for example in (e for e in examples if e.path == "issue_date"):
        ranking = again.ranked(Ranking("issue_date", FieldKind.DATE, ()), example.candidates)
        right += bool(ranking.options) and ranking.options[0].value == date.fromisoformat(
            example.truth
        )
    assert right == len(list(SAMPLES.glob("*.pdf")))  # in sample: it learnt its labels


def test_the_shipped_weights_cover_the_totals_and_dates() -> None:
    shipped = Scorer.bundled()
    assert {
        "issue_date",
        "due_date",
        "total_gross",
        "total_tax",
        "seller.name",
        "buyer.name",
    } <= set(shipped.fields)
    assert shipped.trained_on["documents"] > 500
    assert Extractor(ScriptedBackend({}), load_settings(use_model=False)).scorer is shipped


def test_train_command_writes_weights_the_settings_point_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "mine.json"
    done = CliRunner().invoke(app, ["train", str(SAMPLES), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "on 6 documents" in " ".join(done.output.split())
    monkeypatch.setenv("EXTRACTOR_SCORER_PATH", str(out))
    extractor = Extractor(ScriptedBackend({}), load_settings(use_model=False))
    assert extractor.scorer.trained_on["folder"] == SAMPLES.name
    assert extractor.scorer.fields.keys() == Scorer.load(out).fields.keys()


def test_train_command_refuses_a_folder_without_labels(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes((SAMPLES / "de_equipment.pdf").read_bytes())
    done = CliRunner().invoke(app, ["train", str(tmp_path), "--out", str(tmp_path / "w.json")])
    assert done.exit_code == 1
    assert "left out a.pdf" in " ".join(done.output.split())
    assert not (tmp_path / "w.json").exists()


def test_train_learns_from_confirmed_reviews_with_their_corrections(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'reviews.db'}"
    pdfs = sorted(SAMPLES.glob("*.pdf"))
    engine, run_ids = prepared_database(url, pdfs)
    store = ReviewStore(engine)
    corrected = date(2030, 1, 2)  # printed nowhere: the correction is the truth to learn
    for pdf, run_id in zip(pdfs, run_ids, strict=True):
        truth = json.loads(pdf.with_suffix(".truth.json").read_text())
        values = {"issue_date": HumanValue(truth["issue_date"]), "due_date": HumanValue(None)}
        if pdf.name == "de_equipment.pdf":
            values["total_gross"] = HumanValue("1.00")
            values["due_date"] = HumanValue(corrected.isoformat())
        store.save_review(run_id, values, reviewer="alice")
    with Session(engine) as session:
        reviewed = {name: truth for name, _, truth in reviewed_documents(session, "invoice")}
    assert len(reviewed) == len(pdfs)
    assert any(truth["due_date"] == corrected.isoformat() for truth in reviewed.values())
    out = tmp_path / "reviews.json"
    args = ["train", "--reviews", "--database-url", url, "--out", str(out)]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    assert f"on {len(pdfs)} documents" in " ".join(done.output.split())
    scorer = Scorer.load(out)
    assert scorer.trained_on["reviews"] is True
    assert "issue_date" in scorer.fields


def test_train_needs_a_folder_or_the_reviews() -> None:
    assert CliRunner().invoke(app, ["train"]).exit_code == 2
