"""A business's registration number printed with its name: "(JM0517726)", "002043319-W",
"COMPANY REG. NO. : 001055194X", after the name on its line or alone on the next line. A
registry knows the business by that name, so a name printed so is a business's name, as one
that carries a legal form is (`extractor.values.confirm`); a cashier's name, a brand or a
banner is not printed with one.
"""

import re

from extractor.values.plausible import addresses_reader

_LABEL = r"(?:(?:co(?:mpany)?|business|reg(?:istration)?|roc)\.?\s*)+(?:no|nr|number)?\.?\s*:?"
# a registry's number: digits with their check letter ("789417-W", "001055194X"), or a state's
# letters before them ("JM0517726"); bare digits only in brackets or after a label
_LETTERED = r"(?:[A-Z]{2})?\d{5,12}(?:\s*-\s*|\s?)[A-Z]"
_PREFIXED = r"[A-Z]{2}\d{5,12}"
_BARE = r"\d{5,12}"
_REGISTRATION = re.compile(
    rf"""^\s*(?:
        \(\s*(?:{_LABEL}\s*)?(?:{_LETTERED}|{_PREFIXED}|{_BARE})\s*\)
      | {_LABEL}\s*(?:{_LETTERED}|{_PREFIXED}|{_BARE})
      | (?:{_LETTERED}|{_PREFIXED})
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_registration(text: str) -> bool:
    """Whether the text is a registration number and nothing else (its label and brackets
    aside): a phone number, a postcode or an address is none."""
    return bool(_REGISTRATION.match(text))


def printed_with_registration(name: str, text: str) -> bool:
    """Whether the text prints the name (however its words are spaced or wrapped) followed by
    a registration number: the rest of its line, or else the next line that is no banner."""
    words = name.split()
    if not words:
        return False
    pattern = re.compile(r"(?<!\S)" + r"\s+".join(map(re.escape, words)) + r"(?!\S)")
    for found in pattern.finditer(text):
        rest, _, below = text[found.end() :].partition("\n")
        if rest.strip():
            if is_registration(rest):
                return True
            continue
        following = (line for line in below.splitlines() if line.strip())
        line = next(following, "")
        if addresses_reader(line):  # "GOODS SOLD ARE NOT RETURNABLE" between them
            line = next(following, "")
        if is_registration(line):
            return True
    return False
