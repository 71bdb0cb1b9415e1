"""Settings, built once at the entry point and passed inward.

Sources, highest first: keyword arguments, `EXTRACTOR_*` environment variables, the TOML
settings file named by `EXTRACTOR_SETTINGS_FILE` (default `extractor.toml` in the working
directory, if present), then the defaults below.
"""

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from extractor.locality import refuse_remote_model

SETTINGS_FILE_ENV = "EXTRACTOR_SETTINGS_FILE"


def _settings_file() -> Path:
    return Path(os.environ.get(SETTINGS_FILE_ENV, "extractor.toml"))


class ExtractorSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EXTRACTOR_", extra="forbid")

    database_url: str = Field(
        "sqlite:///extractor.db", description="SQLAlchemy URL; SQLite file by default"
    )
    model: Literal["smollm2-135m", "gemma3-270m"] = Field(
        "smollm2-135m",
        description="packaged model used when model_path is not set (gemma3-270m: the "
        "optional extra 'gemma')",
    )
    model_path: Path | None = Field(None, description="any local GGUF file; overrides `model`")
    scorer_path: Path | None = Field(
        None,
        description="candidate scorer weights written by `extractor train`; unset: the "
        "weights shipped with the package",
    )
    n_threads: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="model threads; worker processes x threads must not exceed the cores",
    )
    n_ctx: int = Field(4096, ge=512, description="model context window in tokens")
    max_tokens: int = Field(256, ge=16, description="generation budget per field")
    max_list_tokens: int = Field(
        512,
        ge=16,
        description="generation budget for a list field the model writes (invoice lines "
        "that no arithmetic finds)",
    )
    max_value_chars: int = Field(160, ge=8, description="longest value copied from a document")
    # out of family with the model off, `succeeded` is >= 98% right at 0.5 on every set but
    # sroie (285 of 297: ten wrong are truths unlike the receipt's text, two a brand or a
    # site where the truth names the company; no threshold clears 98% there) and
    # invoices-more's studied half (4 of 6: a legal form the truth spells out, an empty net)
    review_threshold: float = Field(
        0.5, ge=0.0, le=1.0, description="fields below this confidence go to review"
    )
    use_model: bool = Field(
        default=True,
        description="false: scalar fields by the layout rules alone and no list fields "
        "(the baseline the evaluation compares the model against)",
    )
    max_pages: int = Field(50, ge=1, description="documents with more pages are refused")
    max_file_bytes: int = Field(50 * 1024 * 1024, ge=1, description="larger files are refused")
    read_processes: int = Field(
        2,
        ge=1,
        le=16,
        description="isolated PDF reader processes per worker process: in a batch, the next "
        "documents are read in parallel while one is extracted",
    )
    read_time_limit: float = Field(
        60.0, gt=0, description="seconds the isolated PDF reader may spend on one document"
    )
    read_memory_mb: int = Field(
        1024, ge=64, description="memory the PDF reader may add for one document (RLIMIT_AS)"
    )
    max_stream_bytes: int = Field(
        64 * 1024 * 1024, ge=1024, description="largest decompressed stream (zlib, LZW, ...)"
    )
    ocr: bool = Field(
        default=True,
        description="OCR pages without a usable text layer (scans, broken fonts) with the "
        "local Tesseract; false: such pages are recorded as unread",
    )
    ocr_languages: str = Field(
        "Latin",
        pattern=r"^[A-Za-z_]+(\+[A-Za-z_]+)*$",
        description="Tesseract models, joined by '+': 'Latin' (Debian tesseract-ocr-script-latn) "
        "reads every Latin-script language with its accents; or languages such as "
        "'eng+deu+fra' (tesseract-ocr-<language>)",
    )
    ocr_dpi: int = Field(400, ge=72, le=600, description="resolution pages are rendered at for OCR")
    ocr_page_seconds: float = Field(
        60.0, gt=0, description="seconds OCR may spend on one page (on top of read_time_limit)"
    )
    passwords: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="file-name glob -> password for encrypted PDFs; first match wins",
    )
    keep_page_text: bool = Field(
        default=True,
        description="store the text of each page as read (table page_texts); false: only "
        "the extracted fields are stored",
    )
    page_text_retention_days: int | None = Field(
        30,
        ge=0,
        description="stored page text older than this is deleted (the fields stay) at the "
        "start of every batch, when a worker starts and hourly while it runs, and by "
        "`extractor retention apply`; 0 or None: kept until deleted by hand",
    )

    broker_url: str = Field(
        "redis://127.0.0.1:6379/0", description="Celery broker for site mode (Redis)"
    )
    model_backend: Literal["llama", "fixed-latency"] = Field(
        "llama",
        description="'fixed-latency' replaces the model by a stand-in that waits "
        "fixed_latency_seconds per model call and adds nothing (the rules still run): for "
        "capacity tests of queue and database",
    )
    fixed_latency_seconds: float = Field(0.5, ge=0.0)
    job_time_limit: int = Field(
        600, ge=5, description="hard limit in seconds for one job (plus worker_chain_seconds)"
    )
    max_attempts: int = Field(3, ge=1, description="claims of a job before it is failed")
    heartbeat_seconds: float = Field(5.0, gt=0, description="how often a running job says alive")
    stale_after_seconds: float = Field(
        30.0, gt=0, description="a running job silent this long is taken over (its worker died)"
    )
    requeue_after_seconds: float = Field(
        120.0, gt=0, description="a queued job not started this long is sent to the queue again"
    )
    dispatch_interval_seconds: float = Field(
        1.0, gt=0, description="how often workers move queued jobs from the database to Redis"
    )
    worker_concurrency: int = Field(1, ge=1, description="worker processes per `extractor worker`")
    worker_chain_seconds: float = Field(
        5.0,
        ge=0,
        description="after its own job, a worker task claims the next queued jobs itself "
        "(reading ahead) for up to this long; 0: one job per task",
    )
    worker_max_memory_mb: int = Field(
        1536, ge=256, description="a worker process above this is replaced after its job"
    )
    store_document_bytes: bool = Field(
        default=True,
        description="`extractor run` stores each file's bytes (table document_contents, as "
        "site mode always does), so the review app can show its pages",
    )
    review_host: str = Field("127.0.0.1", description="address the review app listens on")
    review_port: int = Field(8080, ge=1, le=65535, description="port of the review app")
    review_session_secret: SecretStr | None = Field(
        None,
        description="key that signs the review app's session cookies; unset: a random key "
        "per start (everyone logs in again after a restart)",
    )
    review_secure_cookies: bool = Field(
        default=False,
        description="mark the session cookie Secure (send it over HTTPS only): set it when "
        "the app is reached through a TLS proxy",
    )
    review_session_hours: float = Field(
        8.0, gt=0, description="a review session ends this long after its last request"
    )

    @field_validator("review_session_secret", mode="before")
    @classmethod
    def _empty_secret_is_unset(cls, value: Any) -> Any:
        return None if value == "" else value  # compose passes an unset variable as ""

    @field_validator("model_path", mode="before")
    @classmethod
    def _model_path_is_local(cls, value: Any) -> Any:
        if isinstance(value, str | Path):  # before Path() turns "https://" into "https:/"
            refuse_remote_model(str(value))
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_settings_file())
        return init_settings, env_settings, toml


def load_settings(**overrides: Any) -> ExtractorSettings:
    """Build settings from all sources; keyword arguments win."""
    return ExtractorSettings(**overrides)
