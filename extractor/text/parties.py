"""Party names (seller, buyer) and the blocks they head: labelled blocks ("Verkäufer:",
"Bill to"), blocks side by side, DIN sender lines, the letterhead and legal forms. A value
found inside a party's block (a VAT id) belongs to that party."""

import re
from bisect import bisect_right
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import replace

from extractor.text.locate import (
    DIGIT,
    KEY_VALUE,
    LETTER,
    PARTY_PREFIX,
    LabelHit,
    Line,
    Proposal,
    is_name,
    stripped,
)
from extractor.text.registration import is_registration
from extractor.values.confirm import has_legal_form, trimmed_by_cleanco
from extractor.values.plausible import addresses_reader

SENDER_SEPARATORS = re.compile(r"\s+[·•●|\u2013]\s+|\s+-\s+")
_LEGAL_FORM = re.compile(
    r"\b(?:gmbh|ag|kg|e\.\s?k\.|ug|ohg|gbr|mbh|se|sarl|sas|sasu|sa|eurl|ltd|llc|inc|plc|"
    r"bv|b\.v\.|nv|n\.v\.|co\.|corp|a\.\s?g\.)(?!\w)",
    re.IGNORECASE,
)
_SALUTATION = re.compile(
    r"^\s*(?:herrn?|frau|firma|mr\.?|mrs\.?|ms\.?|monsieur|madame|mme\.?|m\.)\s*$",
    re.IGNORECASE,
)
PARTY_BLOCK_LINES = 4  # lines after a party label searched for the name
DELIVERY = "_delivery"  # a ship-to block: its name is usually the buyer's, weak evidence
DELIVERY_SCORE = 0.5
LETTERHEAD_LINES = 3  # the seller's name is often the first line of the page
LETTERHEAD_WRAP = 2  # further lines a letterhead's name broken mid-way may run onto
LETTERHEAD_SCORE = 0.4
# a line that cannot begin a name: it goes on from the line above ("& TEA LEAF (M) SDN. BHD.",
# "ALAM) SDN BHD", "CO. (M) SDN BHD", "(SEMENYIH) SDN BHD")
_OPENS_MIDWAY = re.compile(
    r"^\s*(?:[&+()]|(?:co\.|sdn\.?|bhd\.?|ltd\.?|inc\.?|gmbh|llc|plc)(?!\w))", re.IGNORECASE
)
# a line that cannot end a name: it goes on onto the line below ("HOME MASTER HARDWARE &")
_ENDS_MIDWAY = re.compile(r"(?:[&+,(/-]|\b(?:and|of|the|und|et)\b)\s*$", re.IGNORECASE)


def joined_labels(labels: Sequence[str]) -> str:
    """A pattern for one of a party's labels, or several joined by slashes ("Käufer /
    Leistungsempfänger", "Seller / Verkäufer")."""
    one = "(?:" + "|".join(labels) + ")"
    return rf"{one}(?:\s*/\s*{one})*"


class PartyLabels:
    """Labels that open a party's block: "Verkäufer:", "Bill to", "Facturé à"."""

    def __init__(
        self, party_labels: Mapping[str, Sequence[str]], headings: Collection[int] = ()
    ) -> None:
        self.headings = frozenset(headings)  # lines that hold only a label: never a name
        self.patterns = {
            party: re.compile(rf"^\s*{joined_labels(labels)}\s*(?::|$)", re.IGNORECASE)
            for party, labels in party_labels.items()
        }

    def match(self, line: Line) -> tuple[str, int] | None:
        """The party whose label opens this line, and where the label ends."""
        for party, pattern in self.patterns.items():
            found = pattern.match(line.text)
            if found is not None:
                return party, found.end()
        return None

    def label_only(self, line: Line) -> LabelHit | None:
        found = self.match(line)
        if found is None or line.text[found[1] :].strip():
            return None
        return LabelHit(PARTY_PREFIX + found[0], line.start, line.start + found[1])

    def opens(self, line: Line) -> bool:
        return self.match(line) is not None


def party_proposals(
    text: str,
    lines: Sequence[Line],
    hits_by_line: Sequence[Sequence[LabelHit]],
    labels: PartyLabels,
    paired: Mapping[int, LabelHit],
) -> Iterator[Proposal]:
    """Party names from labelled blocks, sender lines, the letterhead and legal forms."""
    letterhead = _next_text_line(lines, 0, labels, limit=LETTERHEAD_LINES, wrap=LETTERHEAD_WRAP)
    if letterhead is not None:  # uncut: "Taxable invoice no.: 7" starts with no name
        _, start, end = letterhead
        yield without_registration(
            Proposal("seller.name", text[start:end], start, end, LETTERHEAD_SCORE, "letterhead")
        )
    for proposal in _party_spans(_before_labels(lines, hits_by_line), labels, paired):
        yield without_registration(replace(proposal, text=text[proposal.start : proposal.end]))


_REGISTRATION = re.compile(
    r"\d|\b(?:co|company|reg|registration|roc)\b\.?\s*(?:no|nr|number)\b", re.IGNORECASE
)
_NAME_END = " ,;:-\u2013"


def without_registration(proposal: Proposal) -> Proposal:
    """A company's name ends at its legal form: what follows it and holds a number or a
    registration's label is its registration or its address ("SDN BHD (139386 X)", "SDN BHD
    (CO. NO: 20154-T)", "GmbH, Hauptstr. 5"), no part of the name. A branch's name after it
    ("SDN BHD (JALAN KLANG LAMA)") stays."""
    head = name_before_registration(proposal.text)
    return replace(proposal, text=head, end=proposal.start + len(head))


def name_before_registration(text: str) -> str:
    """The text up to its legal form, where what follows is a registration or an address
    (`without_registration`); else the whole text."""
    words = list(re.finditer(r"\S+", text))
    for count in range(len(words) - 1, 0, -1):
        head = text[: words[count - 1].end()].rstrip(_NAME_END)
        tail = text[words[count].start() :]
        if (
            _REGISTRATION.search(tail)
            and has_legal_form(head)
            and trimmed_by_cleanco(head)  # a name before the form: "COMPANY NO(814198-X)" is none
            and not has_legal_form(tail)
        ):
            return head
    return text


def _party_spans(
    lines: Sequence[Line], labels: PartyLabels, paired: Mapping[int, LabelHit]
) -> Iterator[Proposal]:
    for number, line in enumerate(lines):
        opened = labels.match(line)
        if opened is not None and line.text[opened[1] :].strip():
            name = _inline_name(line, opened[1])
            if name is not None:
                yield party_proposal(opened[0], name)
        label = paired.get(number)
        if label is not None and label.field.startswith(PARTY_PREFIX):
            side_by_side = _is_party(paired.get(number - 1)) or _is_party(paired.get(number + 1))
            name = (
                _name_line(lines[number])  # columns interleave: the next line is the other's
                if side_by_side
                else _next_text_line(lines, number, labels)
            )
            if name is not None:
                yield party_proposal(label.field.removeprefix(PARTY_PREFIX), name)
        sender = _sender_name(line)
        if sender is not None:
            yield Proposal("seller.name", *sender, 0.8, "sender_line")
            following = _next_text_line(lines, number + 1, labels)
            if following is not None:
                yield Proposal("buyer.name", *following, 0.6, "address_window")
        elif len(line.text.split()) <= 8:
            span = stripped(line, 0)
            company = _company_name(span[0]) if span is not None else None
            if span is not None and company is not None:
                for party in labels.patterns.keys() - {DELIVERY}:
                    end = span[1] + len(company)
                    yield Proposal(f"{party}.name", company, span[1], end, 0.3, "legal_form")


def _company_name(text: str) -> str | None:
    """The line as a company's name: whole where it ends in a legal form, or up to its legal
    form where a registration number follows ("SDN BHD (139386 X)"); else none (a form in
    mid-line is more often an address's or a label's word: "JALAN SS 15/4B", "(INC. GST)")."""
    if has_legal_form(text):
        return text
    head = name_before_registration(text)
    return head if head != text and is_registration(text[len(head) :].strip(_NAME_END)) else None


def _is_party(label: LabelHit | None) -> bool:
    return label is not None and label.field.startswith(PARTY_PREFIX)


def _name_line(line: Line) -> tuple[str, int, int] | None:
    span = stripped(line, 0)
    return span if span is not None and is_name(span[0]) else None


def party_proposal(party: str, name: tuple[str, int, int], cue: str = "party_block") -> Proposal:
    """The name a party's block gives; a ship-to block's is weak evidence for the buyer."""
    if party == DELIVERY:
        return Proposal("buyer.name", *name, DELIVERY_SCORE, "delivery_block")
    return Proposal(f"{party}.name", *name, 1.0, cue)


def _inline_name(line: Line, column: int) -> tuple[str, int, int] | None:
    """'Bill to: ACME Ltd' names the party; 'Customer: 4711' is a key and a value."""
    rest = stripped(line, column)
    if rest is None or KEY_VALUE.match(rest[0]) or not LETTER.search(rest[0]):
        return None
    return rest


def _next_text_line(
    lines: Sequence[Line],
    first: int,
    labels: PartyLabels,
    *,
    limit: int = PARTY_BLOCK_LINES,
    wrap: int = 1,
) -> tuple[str, int, int] | None:
    """The first line from `first` on that can be a name, with the lines it continues onto
    (a name broken mid-way, up to `wrap` more)."""
    for number in range(first, min(first + limit, len(lines))):
        span = stripped(lines[number], 0)
        if span is None or KEY_VALUE.match(lines[number].text):
            continue
        if not is_name(name_before_registration(span[0])):  # "99 SPEED MART S/B (519537-X)"
            continue
        if addresses_reader(span[0]):  # "THANK YOU. PLEASE COME AGAIN." over a till slip
            continue
        if number in labels.headings or labels.opens(lines[number]):
            continue
        return _whole_name(lines, number, span, wrap)
    return None


def _whole_name(
    lines: Sequence[Line], number: int, span: tuple[str, int, int], wrap: int
) -> tuple[str, int, int]:
    """A salutation ("Herrn") goes with the name below it; a name without a legal form goes
    with the following lines up to one that has it ("Musterhafter / Versicherungsverein
    a.G."), as long as no address line comes first; a name broken mid-way goes on."""
    following = lines[number + 1 : number + 2]
    if _SALUTATION.match(span[0]) and following and stripped(following[0], 0):
        return _joined(span, following[0])
    if not _LEGAL_FORM.search(span[0]):
        for line in following:
            if DIGIT.search(line.text) or not line.text.strip():
                break
            if _LEGAL_FORM.search(line.text):
                return _joined(span, line)
    return _broken(lines, number, span, wrap)


def _broken(
    lines: Sequence[Line], number: int, span: tuple[str, int, int], wrap: int
) -> tuple[str, int, int]:
    """A name broken mid-way goes on over the lines that continue it (up to `wrap`): "HOME
    MASTER HARDWARE & / ELECTRICAL", "THE COFFEE BEAN / & TEA LEAF (M) SDN. BHD."."""
    last = number
    while last - number < wrap and last + 1 < len(lines):
        if not goes_on(lines[last].text, lines[last + 1].text):
            break
        last += 1
    return span if last == number else _joined(span, lines[last])


def goes_on(upper: str, lower: str) -> bool:
    """Whether a name on the upper line goes on onto the lower one: either is broken
    mid-way there, and the lower holds no number (a registration, an address). A name that
    ends in its legal form is whole: a branch in brackets below it is no part of it."""
    if DIGIT.search(lower) or not lower.strip() or has_legal_form(upper):
        return False
    return _ends_midway(upper) or _opens_midway(lower)


def _opens_midway(text: str) -> bool:
    """Whether the text cannot begin a name: a connective, a legal form or a bracket first,
    or more brackets closed than opened."""
    return _OPENS_MIDWAY.match(text) is not None or text.count(")") > text.count("(")


def _ends_midway(text: str) -> bool:
    """Whether the text cannot end a name: a connective last, or a bracket left open."""
    return _ENDS_MIDWAY.search(text) is not None or text.count("(") > text.count(")")


def _joined(span: tuple[str, int, int], last: Line) -> tuple[str, int, int]:
    end = stripped(last, 0)
    assert end is not None
    return span[0], span[1], end[2]


def _sender_name(line: Line) -> tuple[str, int, int] | None:
    """'Firma GmbH · Straße 1 · 12345 Ort': the first segment, if short and made of words."""
    separators = list(SENDER_SEPARATORS.finditer(line.text))
    if len(separators) < 2:
        return None
    first = line.text[: separators[0].start()]
    if not LETTER.search(first) or len(first.split()) > 6 or DIGIT.search(first):
        return None
    return stripped(Line(first, line.start), 0)


PARTY_SCOPE = 12  # lines after a party label that still belong to its block


def party_blocks(
    lines: Sequence[Line], labels_of: Sequence[LabelHit | None], openers: PartyLabels
) -> list[tuple[int, tuple[str, ...]]]:
    """Per line: where its party block starts and whose it is (several parties when blocks
    stand side by side); (-1, ()) outside any block."""
    blocks: list[tuple[int, tuple[str, ...]]] = []
    current: tuple[int, tuple[str, ...]] = (-1, ())
    for number, line in enumerate(lines):
        label = labels_of[number]
        previous = labels_of[number - 1] if number else None
        if _is_party(label) and not _is_party(previous):
            run = []
            for hit in labels_of[number:]:
                if not _is_party(hit):
                    break
                assert hit is not None
                run.append(hit.field.removeprefix(PARTY_PREFIX))
            current = (number, tuple(run))
        elif (opened := openers.match(line)) is not None and not _is_party(label):
            current = (number, (opened[0],))
        if current[0] >= 0 and number - current[0] > PARTY_SCOPE:
            current = (-1, ())
        blocks.append(current)
    return blocks


_LABEL_ENDS = re.compile(r"\s*(?::|#|\d)")  # a label that names a value right after it


def _before_labels(lines: Sequence[Line], hits_by_line: Sequence[Sequence[LabelHit]]) -> list[Line]:
    """Each line up to the first field label inside it that a value follows: pypdf joins the
    columns of a row, so "ACME Ltd Invoice #: 4711" holds a name, then a labelled number. A
    label word in a name ("VAT Consulting Ltd") is followed by no value and does not cut."""
    cut = []
    for line, hits in zip(lines, hits_by_line, strict=True):
        ends = [
            hit.start - line.start
            for hit in hits
            if hit.start > line.start and _LABEL_ENDS.match(line.text, hit.end - line.start)
        ]
        cut.append(Line(line.text[: min(ends)], line.start) if ends else line)
    return cut


def rehome(
    proposals: Sequence[Proposal],
    lines: Sequence[Line],
    blocks: Sequence[tuple[int, tuple[str, ...]]],
    field: str,
) -> list[Proposal]:
    """Give `seller.<field>` proposals found inside another party's block to that party; in
    blocks side by side, the k-th value belongs to the k-th party of the row."""
    starts = [line.start for line in lines]
    seen: dict[int, int] = {}
    moved = []
    for proposal in proposals:
        if proposal.path != f"seller.{field}":
            moved.append(proposal)
            continue
        start, parties = blocks[bisect_right(starts, proposal.start) - 1]
        if not parties:
            moved.append(proposal)
            continue
        order = seen.get(start, 0)
        seen[start] = order + 1
        party = parties[order % len(parties)]
        moved.append(replace(proposal, path=f"{party.removeprefix('_')}.{field}"))
    return [p for p in moved if not p.path.startswith("delivery.")]
