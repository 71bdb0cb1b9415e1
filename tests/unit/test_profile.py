"""Model profiles: the prompt layout and context window come from the model's metadata."""

from extractor.model.profile import COMPLETION_FORMAT, completion_profile, context_window


def test_completion_layout_ends_with_the_answer_cue_and_keeps_every_message() -> None:
    profile = completion_profile(2048)
    rendered = profile.render(
        [{"role": "system", "content": "Read the invoice."}, {"role": "user", "content": "Müller"}]
    )
    assert profile.prompt_format == COMPLETION_FORMAT
    assert rendered.text == "Read the invoice.\n\nMüller\n\nAnswer: "
    assert not rendered.special_tokens  # the model's own BOS is added when tokenizing


def test_context_window_never_exceeds_what_the_model_was_trained_for() -> None:
    small = {"general.architecture": "qwen2", "qwen2.context_length": "2048"}
    large = {"general.architecture": "llama", "llama.context_length": "131072"}
    assert context_window(small, 4096) == 2048
    assert context_window(large, 4096) == 4096
    assert context_window({}, 4096) == 4096
