"""Rank each field's candidate values from the deterministic proposals and the arithmetic.

Proposals for the same value are pooled (noisy-or of their scores), so a value that several
labels point at outranks one that a single label does. Totals are then re-ranked by the
triple that adds up.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from extractor.errors import NormalizationError
from extractor.result import FieldValue
from extractor.schema_walk import Leaf
from extractor.text.locate import (
    LabelIndex,
    Proposal,
    column_proposals,
    heading_proposals,
    identifier_proposals,
    label_only,
    open_proposals,
    pair_labels,
    split_lines,
    text_proposals,
    typed_proposals,
)
from extractor.text.parties import (
    PartyLabels,
    party_blocks,
    party_proposals,
    rehome,
)
from extractor.text.totals import (
    TOTAL_FIELDS,
    UNLABELLED_SCORE,
    amount_value,
    choose_totals,
    payment_totals,
    rate_rows,
    rounded_totals,
)
from extractor.values.candidates import Span, find_spans
from extractor.values.identifiers import iban_is_valid, vat_id_is_valid
from extractor.values.kinds import kind_of
from extractor.values.normalize import is_us_document, normalize, numeric_date_order, parse_date
from schemas import SchemaCues
from schemas.kinds import DataClass, FieldKind

ARITHMETIC_BONUS = 0.6  # support added to each member of the triple that adds up
RATE_ROW_SCORE = 0.5  # a base and tax that a printed rate ties together, as labels for them
MAJORITY_SCORE = 0.4  # a currency read from the symbols and codes in the text, unlabelled
VALID_VAT_SCORE = 0.6  # a VAT number whose check digits pass, under a label we do not know
VALID_VAT = "valid_vat_id"
TITLE_SCORE = 0.9  # a document kind that is a line of its own: the title
MENTION_SCORE = 0.3  # a document kind named in the prose ("I am referring", "discharged")
IDENTIFIER_FIELDS = ("invoice_number", "purchase_order")
SUM_SEPARATOR = " + "  # the raw text of a total that is the sum of printed amounts


@dataclass(frozen=True)
class Option:
    """One distinct value for a field, with the spans and cues that support it."""

    value: FieldValue
    proposals: tuple[Proposal, ...]
    support: float

    @property
    def first(self) -> Proposal:
        return min(self.proposals, key=lambda proposal: proposal.start)

    @property
    def cues(self) -> frozenset[str]:
        return frozenset(proposal.cue for proposal in self.proposals)


@dataclass(frozen=True)
class Ranking:
    path: str
    kind: FieldKind
    options: tuple[Option, ...]  # best first

    @property
    def margin(self) -> float:
        if not self.options:
            return 0.0
        second = self.options[1].support if len(self.options) > 1 else 0.0
        return self.options[0].support - second


def rank_fields(
    text: str,
    leaves: Sequence[Leaf],
    cues: SchemaCues,
    layout: Sequence[Proposal] = (),
) -> dict[str, Ranking]:
    """A ranking for every scalar (non-list) leaf of the schema; a core field no cue points
    at gets open options (identifier-like words, name-like lines) for the model. `layout`
    holds the proposals read from the page's geometry (`column_party_proposals`)."""
    labels, party_labels = cues.labels, cues.party_labels
    kinds = {leaf.template: leaf.kind for leaf in leaves if "*" not in leaf.template}
    lines = split_lines(text)
    index = LabelIndex(labels)
    fields_by_kind: dict[FieldKind, list[str]] = defaultdict(list)
    for path, kind in kinds.items():
        if kind != FieldKind.TEXT:
            fields_by_kind[kind].append(path)
    openers = PartyLabels(party_labels)
    hits_by_line = [index.hits(line) for line in lines]  # once: every rule below reads them
    labels_of = [
        label_only(line, hits) or openers.label_only(line)
        for line, hits in zip(lines, hits_by_line, strict=True)
    ]
    paired = pair_labels(lines, labels_of)
    headings = [number for number, label in enumerate(labels_of) if label is not None]
    party = PartyLabels(party_labels, headings)
    identifiers = [
        leaf.template
        for leaf in leaves
        if leaf.template in kinds
        and leaf.kind == FieldKind.TEXT
        and (leaf.template in IDENTIFIER_FIELDS or leaf.data_class == DataClass.IDENTIFIER)
        and leaf.template in labels
    ]
    texts = [
        path
        for path, kind in kinds.items()
        if kind == FieldKind.TEXT and path in labels and path not in identifiers
    ]
    proposals: list[Proposal] = [
        *typed_proposals(text, lines, hits_by_line, fields_by_kind, paired),
        *identifier_proposals(lines, hits_by_line, identifiers, paired),
        *text_proposals(lines, hits_by_line, texts, paired),
        *party_proposals(text, lines, hits_by_line, party, paired),
        *_unlabelled(text, kinds),
        *heading_proposals(lines, cues.headings),
        *layout,
    ]
    blocks = party_blocks(lines, labels_of, openers)
    proposals = rehome(_unclaimed_vat_ids(proposals), lines, blocks, "vat_id")
    by_field: dict[str, list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        if proposal.path in kinds:
            by_field[proposal.path].append(proposal)
    unclaimed = {  # a header row's value is the fallback, not a rival
        kind: [path for path in paths if not by_field.get(path)]
        for kind, paths in fields_by_kind.items()
    }
    for proposal in column_proposals(text, lines, hits_by_line, unclaimed):
        by_field[proposal.path].append(proposal)
    month_first = numeric_date_order(
        (span.text for span in find_spans(text, FieldKind.DATE)), us_document=is_us_document(text)
    )
    rankings = {
        path: Ranking(
            path, kinds[path], _pool(by_field.get(path, []), kinds[path], month_first=month_first)
        )
        for path in kinds
    }
    document_kind = kind_of(cues.kinds, text)
    after_rounding = document_kind is not None and document_kind.total_after_rounding
    _apply_arithmetic(text, rankings, after_rounding=after_rounding)
    for path in cues.core_fields:
        if path in rankings and not rankings[path].options and kinds[path] == FieldKind.TEXT:
            identifier = path in IDENTIFIER_FIELDS
            found = list(open_proposals(path, lines, identifier=identifier))
            rankings[path] = Ranking(path, kinds[path], _pool(found, kinds[path]))
    return rankings


def _unclaimed_vat_ids(proposals: Sequence[Proposal]) -> list[Proposal]:
    """Without the unlabelled VAT numbers that a label proposes already: the label says
    whose it is (a buyer's, or one `rehome` gives to the party of its block)."""
    labelled = [
        (p.start, p.end) for p in proposals if p.path.endswith(".vat_id") and p.cue != VALID_VAT
    ]
    return [
        p
        for p in proposals
        if p.cue != VALID_VAT or not any(p.start < end and start < p.end for start, end in labelled)
    ]


def _unlabelled(text: str, kinds: Mapping[str, FieldKind]) -> Iterable[Proposal]:
    """Weak proposals from the text alone: every currency mention, every valid IBAN and
    every VAT number whose check digits pass (one with wrong check digits counts only next
    to its label, and then fails its check)."""
    for path, kind in kinds.items():
        if kind == FieldKind.CURRENCY:
            for span in find_spans(text, kind):
                yield Proposal(path, span.text, span.start, span.end, MAJORITY_SCORE, "mention")
        elif kind == FieldKind.IBAN:
            for span in find_spans(text, kind):
                if iban_is_valid(span.text):
                    yield Proposal(path, span.text, span.start, span.end, 0.8, "valid_iban")
        elif kind == FieldKind.VAT_ID and path == "seller.vat_id":  # `rehome` gives the
            # buyer what stands in its block
            for span in find_spans(text, kind):
                if vat_id_is_valid(span.text):
                    yield Proposal(
                        path, span.text, span.start, span.end, VALID_VAT_SCORE, VALID_VAT
                    )
        elif kind == FieldKind.LETTER_KIND:  # a title line says it best, the prose less so
            for span in find_spans(text, kind):
                line_start = text.rfind("\n", 0, span.start) + 1
                line_end = text.find("\n", span.end)
                line = text[line_start : len(text) if line_end < 0 else line_end]
                title = line.strip().casefold() in {
                    span.text.casefold(),
                    f"{span.text} letter".casefold(),
                }
                score, cue = (TITLE_SCORE, "title") if title else (MENTION_SCORE, "mention")
                yield Proposal(path, span.text, span.start, span.end, score, cue)


def option_value(kind: FieldKind, text: str, *, month_first: bool) -> FieldValue:
    """The value a printed text of this kind reads as, or None where it reads as none."""
    try:
        if kind == FieldKind.DATE:
            return parse_date(text, month_first=month_first)
        return normalize(kind, text)
    except NormalizationError:
        return None


def _pool(
    proposals: Sequence[Proposal], kind: FieldKind, *, month_first: bool = False
) -> tuple[Option, ...]:
    grouped: dict[FieldValue, list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        value = option_value(kind, proposal.text, month_first=month_first)
        if value is not None:
            grouped[value].append(proposal)
    options = [Option(value, tuple(group), _support(group)) for value, group in grouped.items()]
    return tuple(sorted(options, key=lambda option: (-option.support, option.first.start)))


def _support(proposals: Sequence[Proposal]) -> float:
    """Different cues add up (noisy-or); the same cue repeated counts once, at its best."""
    best: dict[str, float] = {}
    for proposal in proposals:
        best[proposal.cue] = max(best.get(proposal.cue, 0.0), proposal.score)
    return _noisy_or(best.values())


def _noisy_or(scores: Iterable[float]) -> float:
    missing = 1.0
    for score in scores:
        missing *= 1.0 - min(score, 0.99)
    return 1.0 - missing


def decision_order(
    rankings: Mapping[str, Ranking], exclusive: Sequence[tuple[str, str]]
) -> list[str]:
    """Fields in the order to decide them: of two fields that cannot share a value (seller
    and buyer), the one with more support for its best option goes first."""
    order = list(rankings)
    for first, second in exclusive:
        if first in rankings and second in rankings:
            one, other = order.index(first), order.index(second)
            if _top_support(rankings[second]) > _top_support(rankings[first]) and one < other:
                order[one], order[other] = order[other], order[one]
    return order


def without_value(ranking: Ranking, value: FieldValue) -> Ranking:
    kept = tuple(option for option in ranking.options if option.value != value)
    return Ranking(ranking.path, ranking.kind, kept)


def without_partner(ranking: Ranking, partner: Option) -> Ranking:
    """The ranking without the options that are the partner's value, or that are printed
    only within the printing the partner was read from (a line of a wrapped name)."""
    printing = partner.first
    kept = tuple(
        option
        for option in ranking.options
        if option.value != partner.value
        and not all(
            printing.start <= proposal.start and proposal.end <= printing.end
            for proposal in option.proposals
        )
    )
    return Ranking(ranking.path, ranking.kind, kept)


def _top_support(ranking: Ranking) -> float:
    return ranking.options[0].support if ranking.options else 0.0


def _apply_arithmetic(text: str, rankings: dict[str, Ranking], *, after_rounding: bool) -> None:
    """Totals that add up, a tax summary's rows, a till's payment and, where the kind of
    document counts its gross after a cash rounding (`after_rounding`), the total after the
    adjustment, put first."""
    if not all(field in rankings for field in TOTAL_FIELDS):
        return
    support = {
        path: {
            option.value: option.support
            for option in ranking.options
            if isinstance(option.value, Decimal)
        }
        for path, ranking in rankings.items()
        if ranking.kind == FieldKind.AMOUNT
    }
    spans = find_spans(text, FieldKind.AMOUNT)
    for base, tax in rate_rows(text, spans):  # a tax summary's row labels its net and tax
        for path, value in (("total_net", base), ("total_tax", tax)):
            scores = support.setdefault(path, {})
            scores[value] = max(scores.get(value, 0.0), RATE_ROW_SCORE)
    choice = choose_totals(spans, support)
    if choice is not None:
        for path, value in choice.values.items():
            printed = [span for span in spans if amount_value(span.text) == value]
            if path == "total_tax" and choice.tax_parts:
                printed = [_sum_span(spans, choice.tax_parts)]
            rankings[path] = _promote(rankings[path], value, printed, path)
    else:
        _drop_inclusive_net(rankings)
    due = ["amount_due"] if "amount_due" in rankings else []
    gross = choice.values["total_gross"] if choice is not None else _top(rankings["total_gross"])
    rounded = rounded_totals(text, spans) if after_rounding else {}
    if isinstance(gross, Decimal) and gross in rounded:
        after = rounded[gross]
        printed = [span for span in spans if amount_value(span.text) == after]
        for path in ["total_gross", *due]:
            rankings[path] = _promote(rankings[path], after, printed, path, cue="rounding")
        gross = after
    for paid in payment_totals(text, spans):  # what was paid is due; the gross too, unless
        # a triple that adds up names another (the total before a rounding adjustment)
        printed = [span for span in spans if amount_value(span.text) == paid]
        paths = [*due, "total_gross"] if choice is None or gross == paid else due
        for path in paths:
            rankings[path] = _promote(rankings[path], paid, printed, path, cue="payment")


def _drop_inclusive_net(rankings: dict[str, Ranking]) -> None:
    """A subtotal equal to the gross beside a labelled tax that is not zero includes the tax
    ("Subtotal 17,910.43 / Total Tax 2,985.07 / Grand Total 17,910.43"): it is no net total.
    The net is then not printed."""
    net, tax = rankings["total_net"], rankings["total_tax"]
    gross = _top(rankings["total_gross"])
    if (
        gross is not None
        and _top(net) == gross
        and _top_support(tax) > UNLABELLED_SCORE
        and _top(tax)
    ):
        rankings["total_net"] = without_value(net, gross)


def _top(ranking: Ranking) -> FieldValue:
    return ranking.options[0].value if ranking.options else None


def _sum_span(spans: Sequence[Span], parts: Sequence[Decimal]) -> Span:
    """A total that is not printed, read as the sum of printed amounts: "217.91 + 8.09",
    located at its first part."""
    found = sorted(
        (next(s for s in reversed(spans) if amount_value(s.text) == part) for part in parts),
        key=lambda span: span.start,
    )
    return Span(SUM_SEPARATOR.join(span.text for span in found), found[0].start, found[0].end)


def _promote(
    ranking: Ranking, value: Decimal, spans: Sequence[Span], path: str, cue: str = "sum"
) -> Ranking:
    """Put the arithmetic's value first, creating its option if no label proposed it."""
    existing = next((option for option in ranking.options if option.value == value), None)
    anchor: Proposal | Span
    if existing is not None:
        anchor = existing.first
        proposals, support = existing.proposals, existing.support
    elif spans:
        anchor = spans[-1]  # of equal amounts, the total is printed last
        proposals, support = (), 0.0
    else:
        return ranking
    arithmetic = Proposal(path, anchor.text, anchor.start, anchor.end, ARITHMETIC_BONUS, cue)
    boosted = Option(value, (*proposals, arithmetic), _noisy_or([support, ARITHMETIC_BONUS]))
    others = [option for option in ranking.options if option.value != value]
    return Ranking(ranking.path, ranking.kind, (boosted, *others))
