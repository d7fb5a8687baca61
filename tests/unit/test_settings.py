"""The one settings object: defaults that need nothing, production that refuses weak setups."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from core.settings import Settings


def build(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_defaults_need_no_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "MEILI_URL", "MEILI_MASTER_KEY", "MEILI_BIN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    settings = build()
    assert settings.data_dir == tmp_path / "var"
    assert settings.database_url == f"sqlite:///{tmp_path / 'var' / 'conciliamo.db'}"
    assert settings.uses_managed_meilisearch
    assert settings.services_index == "conciliamo_services"
    assert settings.geocoder == "offline"


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db:5432/conciliamo")
    monkeypatch.setenv("MEILI_URL", "http://search:7700")
    monkeypatch.setenv("CONCILIAMO_INDEX_PREFIX", "cremona")
    settings = build()
    assert settings.database_url == "postgresql+psycopg://u:p@db:5432/conciliamo"
    assert settings.meili_url == "http://search:7700"
    assert not settings.uses_managed_meilisearch
    assert settings.services_index == "cremona_services"


PRODUCTION_BASE = {
    "meili_url": "http://m:7700",
    "meili_master_key": "x" * 32,
    "database_url": "postgresql://db/c",
    "secret_key": "s" * 40,
    "smtp_url": "smtp://mail.example.org:587",
}


def test_a_sound_production_setup_is_accepted() -> None:
    assert build(environment="production", **PRODUCTION_BASE).environment == "production"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"meili_url": "", "meili_master_key": "x" * 32, "database_url": "postgresql://db/c"},
            "MEILI_URL must point at the production",
        ),
        (
            {
                "meili_url": "http://m:7700",
                "meili_master_key": "changeme",
                "database_url": "postgresql://db/c",
            },
            "MEILI_MASTER_KEY must be a real secret",
        ),
        (
            {
                "meili_url": "http://m:7700",
                "meili_master_key": "x" * 32,
                "database_url": "sqlite:///c.db",
            },
            "DATABASE_URL must point at PostgreSQL",
        ),
        (
            {**PRODUCTION_BASE, "secret_key": "short"},
            "CONCILIAMO_SECRET_KEY must be a real secret",
        ),
        (
            {**PRODUCTION_BASE, "smtp_url": ""},
            "CONCILIAMO_SMTP_URL must be set in production",
        ),
    ],
)
def test_production_refuses_weak_setups(values: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        build(environment="production", **values)


def test_index_prefix_is_checked() -> None:
    with pytest.raises(ValidationError, match="index_prefix"):
        build(index_prefix="bad prefix!")


def test_the_development_session_key_is_made_once_and_kept(tmp_path: Path) -> None:
    first = build(data_dir=tmp_path).session_secret()
    assert len(first) == 32
    assert build(data_dir=tmp_path).session_secret() == first
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
    assert build(data_dir=tmp_path, secret_key="k" * 40).session_secret() != first
