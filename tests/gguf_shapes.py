"""Random-weight GGUF models in the shapes and tokenizer styles of three small-model families.

`build_gguf` trains a byte-level BPE tokenizer on the given text, adds the family's special
tokens and chat template, and streams Q4_0 weights made from random bytes to disk tensor by
tensor, so even the real families' dimensions build quickly without holding the model in memory.
The weights are noise: the models load, tokenize and generate, but say nothing meaningful.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

import gguf
import numpy as np
import numpy.typing as npt
from tokenizers import Regex, Tokenizer, models, pre_tokenizers, trainers

Architecture = Literal["qwen2", "llama", "phi3"]

_Q4_0 = gguf.GGMLQuantizationType.Q4_0
_Q4_0_BLOCK, _Q4_0_BYTES = gguf.GGML_QUANT_SIZES[_Q4_0]
_Q4_0_STD = float(np.sqrt((16**2 - 1) / 12))  # of a uniform random 4-bit quant minus 8


@dataclass(frozen=True)
class Shape:
    """Dimensions of one model.

    The tokenizer learns `bpe_vocab_size` tokens (the 256 byte tokens included); the family's
    special tokens follow, then ordinary padding tokens up to `vocab_size` when it is set.
    """

    name: str
    architecture: Architecture
    hidden: int
    layers: int
    heads: int
    kv_heads: int
    ffn: int
    context_length: int = 2048
    bpe_vocab_size: int = 512
    vocab_size: int | None = None

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads


@dataclass(frozen=True)
class _Family:
    """What a family's GGUF carries besides its dimensions."""

    pre: str  # tokenizer.ggml.pre
    split_pattern: str  # the pre-tokenizer regex llama.cpp applies for `pre`
    special_tokens: tuple[str, ...]
    bos: str
    eos: str
    add_bos: bool
    chat_template: str
    rope_freq_base: float
    rms_eps: float
    tied_embeddings: bool


_QWEN2_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_LLAMA3_SPLIT = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_GPT2_SPLIT = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"

_FAMILIES: dict[Architecture, _Family] = {
    "qwen2": _Family(
        pre="qwen2",
        split_pattern=_QWEN2_SPLIT,
        special_tokens=("<|endoftext|>", "<|im_start|>", "<|im_end|>"),
        bos="<|endoftext|>",
        eos="<|im_end|>",
        add_bos=False,
        chat_template=(
            "{%- for message in messages %}"
            "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
            "{%- endfor %}"
            "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
        ),
        rope_freq_base=1_000_000.0,
        rms_eps=1e-6,
        tied_embeddings=True,
    ),
    "llama": _Family(
        pre="llama-bpe",
        split_pattern=_LLAMA3_SPLIT,
        special_tokens=(
            "<|begin_of_text|>",
            "<|end_of_text|>",
            "<|start_header_id|>",
            "<|end_header_id|>",
            "<|eot_id|>",
        ),
        bos="<|begin_of_text|>",
        eos="<|eot_id|>",
        add_bos=True,
        chat_template=(
            "{{- bos_token }}"
            "{%- for message in messages %}"
            "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
            " + message['content'] | trim + '<|eot_id|>' }}"
            "{%- endfor %}"
            "{%- if add_generation_prompt %}"
            "{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}"
            "{%- endif %}"
        ),
        rope_freq_base=500_000.0,
        rms_eps=1e-5,
        tied_embeddings=True,
    ),
    "phi3": _Family(
        pre="gpt-2",
        split_pattern=_GPT2_SPLIT,
        # <unk>, <s> and </s> as in Phi-3.5: llama.cpp fails to load a model whose name
        # contains "phi3" without them (and strips whitespace after its special tokens)
        special_tokens=(
            "<unk>",
            "<s>",
            "</s>",
            "<|endoftext|>",
            "<|user|>",
            "<|assistant|>",
            "<|end|>",
            "<|system|>",
        ),
        bos="<s>",
        eos="<|end|>",
        add_bos=False,
        chat_template=(
            "{%- for message in messages %}"
            "{{- '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' }}"
            "{%- endfor %}"
            "{%- if add_generation_prompt %}{{- '<|assistant|>\\n' }}{%- endif %}"
        ),
        rope_freq_base=10_000.0,
        rms_eps=1e-5,
        tied_embeddings=False,
    ),
}


def _tiny(architecture: Architecture) -> Shape:
    return Shape(
        name=f"tiny-{architecture}",
        architecture=architecture,
        hidden=64,
        layers=2,
        heads=4,
        kv_heads=2,
        ffn=128,
    )


TINY: dict[str, Shape] = {arch: _tiny(arch) for arch in ("qwen2", "llama", "phi3")}

REAL: dict[str, Shape] = {
    "qwen2.5-0.5b": Shape(
        name="qwen2.5-0.5b",
        architecture="qwen2",
        hidden=896,
        layers=24,
        heads=14,
        kv_heads=2,
        ffn=4864,
        context_length=32768,
        vocab_size=151936,
    ),
    "llama3.2-1b": Shape(
        name="llama3.2-1b",
        architecture="llama",
        hidden=2048,
        layers=16,
        heads=32,
        kv_heads=8,
        ffn=8192,
        context_length=131072,
        vocab_size=128256,
    ),
    "phi3.5-mini": Shape(
        name="phi3.5-mini",
        architecture="phi3",
        hidden=3072,
        layers=32,
        heads=32,
        kv_heads=32,
        ffn=8192,
        context_length=131072,
        vocab_size=32064,
    ),
}


class _Vocab(NamedTuple):
    tokens: list[str]
    types: list[gguf.TokenType]
    merges: list[str]


def _train_vocab(shape: Shape, family: _Family, training_text: str) -> _Vocab:
    """A byte-level BPE over the family's pre-tokenizer, then its specials and any padding."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(family.split_pattern), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    trainer = trainers.BpeTrainer(
        vocab_size=shape.bpe_vocab_size,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(training_text.splitlines(keepends=True), trainer=trainer)
    learned = sorted(tokenizer.get_vocab().items(), key=lambda item: item[1])
    merges = [" ".join(pair) for pair in json.loads(tokenizer.to_str())["model"]["merges"]]

    tokens = [token for token, _ in learned] + list(family.special_tokens)
    types = [gguf.TokenType.NORMAL] * len(learned)
    types += [gguf.TokenType.CONTROL] * len(family.special_tokens)
    if shape.vocab_size is not None:
        if shape.vocab_size < len(tokens):
            raise ValueError(f"vocab_size {shape.vocab_size} < {len(tokens)} tokens")
        # NORMAL, not UNUSED as convert_hf_to_gguf.py pads: an UNUSED token's piece is empty,
        # outlines' grammars allow an empty piece anywhere, and random weights do pick it.
        tokens += [f"[PAD{i}]" for i in range(len(tokens), shape.vocab_size)]
        types += [gguf.TokenType.NORMAL] * (shape.vocab_size - len(types))
    return _Vocab(tokens, types, merges)


class _Tensor(NamedTuple):
    name: str
    shape: tuple[int, ...]  # numpy order: (rows, row length) for matrices
    fill: Literal["q4_0", "ones", "bias"]


def _name(tensor: gguf.MODEL_TENSOR, bid: int = 0, suffix: str = "weight") -> str:
    return f"{gguf.TENSOR_NAMES[tensor].format(bid=bid)}.{suffix}"


def _tensors(shape: Shape, family: _Family, n_vocab: int) -> Iterator[_Tensor]:
    """The tensors llama.cpp loads for the architecture, in GGUF naming."""
    key = gguf.MODEL_TENSOR
    n_q, n_kv = shape.hidden, shape.kv_heads * shape.head_dim
    yield _Tensor(_name(key.TOKEN_EMBD), (n_vocab, shape.hidden), "q4_0")
    yield _Tensor(_name(key.OUTPUT_NORM), (shape.hidden,), "ones")
    if not family.tied_embeddings:
        yield _Tensor(_name(key.OUTPUT), (n_vocab, shape.hidden), "q4_0")
    for bid in range(shape.layers):
        yield _Tensor(_name(key.ATTN_NORM, bid), (shape.hidden,), "ones")
        if shape.architecture == "phi3":
            yield _Tensor(_name(key.ATTN_QKV, bid), (n_q + 2 * n_kv, shape.hidden), "q4_0")
        else:
            yield _Tensor(_name(key.ATTN_Q, bid), (n_q, shape.hidden), "q4_0")
            yield _Tensor(_name(key.ATTN_K, bid), (n_kv, shape.hidden), "q4_0")
            yield _Tensor(_name(key.ATTN_V, bid), (n_kv, shape.hidden), "q4_0")
        if shape.architecture == "qwen2":
            yield _Tensor(_name(key.ATTN_Q, bid, "bias"), (n_q,), "bias")
            yield _Tensor(_name(key.ATTN_K, bid, "bias"), (n_kv,), "bias")
            yield _Tensor(_name(key.ATTN_V, bid, "bias"), (n_kv,), "bias")
        yield _Tensor(_name(key.ATTN_OUT, bid), (shape.hidden, n_q), "q4_0")
        yield _Tensor(_name(key.FFN_NORM, bid), (shape.hidden,), "ones")
        if shape.architecture == "phi3":  # gate and up fused, gate first
            yield _Tensor(_name(key.FFN_UP, bid), (2 * shape.ffn, shape.hidden), "q4_0")
        else:
            yield _Tensor(_name(key.FFN_GATE, bid), (shape.ffn, shape.hidden), "q4_0")
            yield _Tensor(_name(key.FFN_UP, bid), (shape.ffn, shape.hidden), "q4_0")
        yield _Tensor(_name(key.FFN_DOWN, bid), (shape.hidden, shape.ffn), "q4_0")


def _q4_0_byte_shape(rows: int, cols: int) -> tuple[int, int]:
    if cols % _Q4_0_BLOCK:
        raise ValueError(f"Q4_0 needs rows of a multiple of {_Q4_0_BLOCK} values, not {cols}")
    return rows, cols // _Q4_0_BLOCK * _Q4_0_BYTES


def _random_q4_0(rng: np.random.Generator, rows: int, cols: int) -> npt.NDArray[np.uint8]:
    """Q4_0 blocks of random quants whose fp16 scales give weights a std of 1/sqrt(cols).

    Each block's scale takes a random sign, so the quants' mean offset (-0.5) cancels out.
    """
    byte_shape = _q4_0_byte_shape(rows, cols)
    data = rng.integers(0, 256, size=byte_shape, dtype=np.uint8)
    scales = data.reshape(-1, _Q4_0_BYTES)[:, :2].view(np.uint16)
    scale_bits = np.float16(1 / (_Q4_0_STD * np.sqrt(cols))).view(np.uint16)
    scales &= 0x8000
    scales |= scale_bits
    return data


def _tensor_data(
    tensor: _Tensor, rng: np.random.Generator
) -> npt.NDArray[np.uint8] | npt.NDArray[np.float32]:
    if tensor.fill == "q4_0":
        return _random_q4_0(rng, *tensor.shape)
    if tensor.fill == "ones":
        return np.ones(tensor.shape, dtype=np.float32)
    return (0.02 * rng.standard_normal(tensor.shape)).astype(np.float32)


def build_gguf(
    shape: Shape, path: Path, *, training_text: str, chat_template: bool = True, seed: int = 0
) -> Path:
    """Write a random-weight GGUF of `shape` to `path` and return `path`.

    Without `chat_template` the file has no `tokenizer.chat_template`, like a base model.
    """
    family = _FAMILIES[shape.architecture]
    vocab = _train_vocab(shape, family, training_text)
    rng = np.random.default_rng(seed)

    writer = gguf.GGUFWriter(path, shape.architecture)
    writer.add_name(shape.name)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_Q4_0)
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)
    writer.add_vocab_size(len(vocab.tokens))
    writer.add_context_length(shape.context_length)
    writer.add_embedding_length(shape.hidden)
    writer.add_block_count(shape.layers)
    writer.add_feed_forward_length(shape.ffn)
    writer.add_head_count(shape.heads)
    writer.add_head_count_kv(shape.kv_heads)
    writer.add_layer_norm_rms_eps(family.rms_eps)
    writer.add_rope_dimension_count(shape.head_dim)
    writer.add_rope_freq_base(family.rope_freq_base)

    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(family.pre)
    writer.add_token_list(vocab.tokens)
    writer.add_token_types(vocab.types)
    writer.add_token_merges(vocab.merges)
    writer.add_bos_token_id(vocab.tokens.index(family.bos))
    writer.add_eos_token_id(vocab.tokens.index(family.eos))
    writer.add_add_bos_token(family.add_bos)
    if chat_template:
        writer.add_chat_template(family.chat_template)

    tensors = list(_tensors(shape, family, len(vocab.tokens)))
    for tensor in tensors:
        if tensor.fill == "q4_0":
            byte_shape = _q4_0_byte_shape(*tensor.shape)
            nbytes = byte_shape[0] * byte_shape[1]
            writer.add_tensor_info(
                tensor.name, byte_shape, np.dtype(np.uint8), nbytes, raw_dtype=_Q4_0
            )
        else:
            nbytes = int(np.prod(tensor.shape)) * 4
            writer.add_tensor_info(tensor.name, tensor.shape, np.dtype(np.float32), nbytes)
    try:
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        for tensor in tensors:
            writer.write_tensor_data(_tensor_data(tensor, rng))
    finally:
        writer.close()
    return path
