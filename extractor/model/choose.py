"""The model's small job: choose among a field's candidates where the layout cannot decide.

The model never writes a value. It is shown the candidates, numbered, each with the line it
stands on, and answers with one number under a grammar of the option numbers; its
probabilities over the options are kept. A clear ranking (one option, or a wide margin) is
decided by the rules alone and costs no model time.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from extractor.model.protocol import MAX_CHOICES, Choice, Message, ModelBackend
from extractor.result import Method
from extractor.text.decide import Option, Ranking
from extractor.text.locate import Line, line_context

MODEL_MARGIN = 0.3  # rankings whose best two options are closer than this go to the model
MAX_OPTIONS = 5
_SYSTEM = (
    "You read parts of a {schema} and answer a question by choosing one numbered option. "
    "Each option is a value with the document line it stands on. Answer with its number only."
)
_QUESTION = "Field: {path}\nQuestion: which option is the {description}?\n{options}\nNumber:"


@dataclass(frozen=True)
class Decision:
    """The option chosen for a field, by whom, and the evidence for it."""

    path: str
    option: Option | None
    method: Method
    support: float  # the rules' support for the chosen option
    margin: float  # its lead over the next option, by the rules
    model_probability: float | None = None


def choice_template() -> str:
    return _SYSTEM + _QUESTION


def needs_model(ranking: Ranking) -> bool:
    return len(ranking.options) >= 2 and ranking.margin < MODEL_MARGIN


def by_rules(ranking: Ranking) -> Decision:
    if not ranking.options:
        return Decision(ranking.path, None, Method.RULES, 0.0, 0.0)
    best = ranking.options[0]
    return Decision(ranking.path, best, Method.RULES, best.support, ranking.margin)


def by_model(
    backend: ModelBackend,
    ranking: Ranking,
    *,
    schema: str,
    description: str,
    lines: Sequence[Line],
) -> tuple[Decision, Choice]:
    """Ask the model among the top options; returns the decision and the model's answer (its
    probabilities, the prompt tokens it read and the seconds it took)."""
    options = ranking.options[: min(MAX_OPTIONS, MAX_CHOICES)]
    choice = backend.choose(
        choice_messages(ranking.path, options, schema=schema, description=description, lines=lines),
        len(options),
    )
    index = max(range(len(options)), key=lambda i: choice.probabilities[i])
    chosen = options[index]
    runner_up = max((o.support for o in options if o is not chosen), default=0.0)
    decision = Decision(
        ranking.path,
        chosen,
        Method.MODEL,
        chosen.support,
        chosen.support - runner_up,
        choice.probabilities[index],
    )
    return decision, choice


def choice_messages(
    path: str,
    options: Sequence[Option],
    *,
    schema: str,
    description: str,
    lines: Sequence[Line],
) -> list[Message]:
    listed = "\n".join(
        f"{number}. {_one_line(option.first.text)} | line: "
        f"{_one_line(line_context(lines, option.first.start))}"
        for number, option in enumerate(options, start=1)
    )
    return [
        {"role": "system", "content": _SYSTEM.format(schema=schema.replace("_", " "))},
        {
            "role": "user",
            "content": _QUESTION.format(path=path, description=description, options=listed),
        },
    ]


def _one_line(text: str) -> str:
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())
