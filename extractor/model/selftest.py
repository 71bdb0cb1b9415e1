"""Start-up proof that the grammar really constrains generation.

outlines' llama.cpp logits processor can fail inside a C callback (for example without
numba); llama-cpp-python swallows the error and generation runs unconstrained, producing
plausible text that no grammar checked. The self-test asks for something the model would
never write on its own and refuses to go on unless the output obeys the grammar exactly.
"""

import re
from collections.abc import Callable

from extractor.errors import GrammarNotEnforcedError

SELF_TEST_PROMPT = "Say hello to the user in one short friendly sentence."
SELF_TEST_PATTERN = r"zq(-[0-9]){3}!"

RegexGenerate = Callable[[str, str], str]


def verify_grammar_enforced(generate: RegexGenerate) -> None:
    """Raise `GrammarNotEnforcedError` unless `generate(prompt, regex)` obeys the regex."""
    output = generate(SELF_TEST_PROMPT, SELF_TEST_PATTERN)
    if re.fullmatch(SELF_TEST_PATTERN, output) is None:
        raise GrammarNotEnforcedError(
            "the grammar was not applied during generation (is numba installed?); "
            "refusing to run unconstrained"
        )
