"""Models only from local files; passwords from the settings, matched by glob, never shown."""

from pathlib import Path

import pytest

from extractor.errors import RemoteModelError
from extractor.read.passwords import password_for
from extractor.settings import load_settings


@pytest.mark.parametrize(
    "value",
    ["https://huggingface.co/x/y/model.gguf", "http://10.0.0.1/m.gguf", "hf://org/model",
     "s3://bucket/model.gguf", "HuggingFaceTB/SmolLM2-135M-Instruct", "org/model:Q4_K_M"],
)  # fmt: skip
def test_a_url_or_hub_id_is_refused_with_a_typed_error(value: str) -> None:
    with pytest.raises(RemoteModelError):
        load_settings(model_path=value)


def test_local_files_are_accepted(tmp_path: Path) -> None:
    local = tmp_path / "org" / "model"
    local.parent.mkdir()
    local.write_bytes(b"GGUF")
    assert load_settings(model_path=str(local)).model_path == local
    assert load_settings(model_path="/opt/models/absent.gguf").model_path  # missing: at load


def test_password_globs_first_match_wins_and_secrets_stay_hidden() -> None:
    settings = load_settings(
        passwords={"acme-*.pdf": "first", "scans/*.pdf": "second", "*.pdf": "third"}
    )
    assert password_for("/in/acme-1.pdf", settings) == "first"
    assert password_for("/in/scans/x.pdf", settings) == "second"
    assert password_for("other.pdf", settings) == "third"
    assert password_for("other.txt", settings) is None
    assert "first" not in repr(settings) and "first" not in str(settings.model_dump())


def test_api_password_argument_and_settings_mapping_open_an_encrypted_pdf(
    tmp_path: Path,
) -> None:
    from pypdf import PdfReader, PdfWriter

    import extractor
    from tests.conftest import SAMPLES

    writer = PdfWriter(clone_from=PdfReader(SAMPLES / "ie_two_page.pdf"))
    writer.encrypt(user_password="open-sesame", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "locked-invoice.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    base = {"model_backend": "fixed-latency", "fixed_latency_seconds": 0.0}
    locked = extractor.extract(path, settings=load_settings(**base))
    assert locked.status == "failed" and locked.errors[0].code == "encrypted"
    assert "open-sesame" not in locked.errors[0].message
    opened = extractor.extract(path, password="open-sesame", settings=load_settings(**base))
    assert opened.status != "failed" and opened.pages == 2
    mapped = load_settings(**base, passwords={"locked-*.pdf": "open-sesame"})
    assert extractor.extract(path, settings=mapped).pages == 2
