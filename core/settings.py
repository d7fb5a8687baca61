"""One validated settings object, read from the environment and an optional `.env` file.

Defaults need no configuration: a SQLite file and a Meilisearch managed by Conciliamo, both
under the data dir. Build it once (`Settings()`) and pass it down; tests build their own.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.secret_files import load_or_create_secret

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "changethis", "secret", "masterKey"}


class SettingsError(ValueError):
    """The configuration cannot work; the message says which variable to fix."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CONCILIAMO_",
        env_file=".env",
        extra="ignore",
        populate_by_name=True,
    )

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Field(
        default=Path("var"),
        description="Where the SQLite file, the managed Meilisearch data and its key live.",
    )
    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("DATABASE_URL", "CONCILIAMO_DATABASE_URL"),
        description="SQLAlchemy URL; empty means a SQLite file in the data dir.",
    )
    meili_url: str = Field(
        default="",
        validation_alias=AliasChoices("MEILI_URL", "CONCILIAMO_MEILI_URL"),
        description="URL of a running Meilisearch; empty means Conciliamo starts its own.",
    )
    meili_master_key: str = Field(
        default="",
        validation_alias=AliasChoices("MEILI_MASTER_KEY", "CONCILIAMO_MEILI_MASTER_KEY"),
        description="Key for MEILI_URL; the managed Meilisearch generates and keeps its own.",
    )
    meili_bin: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("MEILI_BIN", "CONCILIAMO_MEILI_BIN"),
        description="Meilisearch binary for the managed instance (else PATH, else the data dir).",
    )
    index_prefix: str = Field(default="conciliamo", pattern=r"^[a-zA-Z0-9_-]{1,40}$")
    geocoder: Literal["offline", "nominatim"] = Field(
        default="offline",
        description="offline: the gazetteer in the database (comune centroids); nominatim: geopy's "
        "Nominatim first, the gazetteer as fallback.",
    )
    outbox_worker: Literal["in-process", "external"] = Field(
        default="in-process",
        description="in-process: `serve` delivers listing changes to the index itself; "
        "external: a separate `conciliamo worker` does (production, several app instances).",
    )
    outbox_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    language: Literal["it", "en"] = Field(
        default="it",
        description="Language of the command line's messages and import reports (it, en).",
    )
    nominatim_url: str = "nominatim.openstreetmap.org"
    geocoder_user_agent: str = "conciliamo"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    tile_url: str = Field(
        default="",
        pattern=r"^(|https?://[^\s\"'<>]+)$",
        description="Map tiles ({z}/{x}/{y} URL template, e.g. a comune's own tile server). "
        "Empty: the public pages show no map, only the list (no third-party requests).",
    )
    tile_attribution: str = Field(default="", max_length=300)
    #: requests per minute from one client to the search pages and APIs
    search_rate_limit: int = Field(default=60, ge=1)
    #: correction requests ("report a mistake") per hour from one client
    correction_rate_limit: int = Field(default=5, ge=1)
    secret_key: str = Field(
        default="",
        description="Signs and encrypts the session cookie and the CSRF token. Empty in "
        "development: generated once into the data dir. Production: 32+ characters.",
    )
    session_hours: float = Field(default=8, gt=0, le=24 * 30)
    #: sign-in attempts per minute from one client; and failures in a row that lock an account
    login_rate_limit: int = Field(default=10, ge=1)
    lockout_failures: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    invitation_days: int = Field(default=7, ge=1, le=60)
    password_reset_minutes: int = Field(default=60, ge=5, le=24 * 60)
    #: family cases are deleted this many months after their last change
    case_retention_months: int = Field(default=12, ge=1, le=120)
    #: where e-mails go: an SMTP server ("smtp://user:password@host:587"), or empty for the
    #: development mailbox (files in <data dir>/mail)
    smtp_url: str = Field(default="", pattern=r"^(|smtps?://\S+)$")
    mail_from: str = "conciliamo@localhost"
    #: the site's address as people reach it, for the links in e-mails
    public_url: str = Field(default="http://127.0.0.1:8000", pattern=r"^https?://\S+$")

    @model_validator(mode="after")
    def _resolve_defaults(self) -> Settings:
        self.data_dir = self.data_dir.expanduser().resolve()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'conciliamo.db'}"
        self.database_url = normalise_database_url(self.database_url)
        if self.environment == "production":
            if not self.meili_url:
                raise SettingsError("MEILI_URL must point at the production Meilisearch")
            if self.meili_master_key in PLACEHOLDER_SECRETS or len(self.meili_master_key) < 16:
                raise SettingsError(
                    "MEILI_MASTER_KEY must be a real secret of at least 16 characters in production"
                )
            if self.database_url.startswith("sqlite"):
                raise SettingsError("DATABASE_URL must point at PostgreSQL in production")
            if self.secret_key in PLACEHOLDER_SECRETS or len(self.secret_key) < 32:
                raise SettingsError(
                    "CONCILIAMO_SECRET_KEY must be a real secret of at least 32 characters "
                    "in production"
                )
            if not self.smtp_url:
                raise SettingsError("CONCILIAMO_SMTP_URL must be set in production (e-mails)")
        return self

    @property
    def uses_managed_meilisearch(self) -> bool:
        return not self.meili_url

    @property
    def meili_dir(self) -> Path:
        return self.data_dir / "meilisearch"

    def session_secret(self) -> bytes:
        """32 bytes for the session cookie's AES-GCM and the CSRF signature."""
        secret = self.secret_key or load_or_create_secret(self.data_dir / "secret.key")
        return hashlib.sha256(secret.encode()).digest()

    @property
    def mailbox_dir(self) -> Path:
        """The development mailbox: one file per e-mail, when no SMTP server is set."""
        return self.data_dir / "mail"

    @property
    def services_index(self) -> str:
        return f"{self.index_prefix}_services"


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
