"""The Meilisearch that `conciliamo` manages when MEILI_URL is not set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, Settings
from search.client import make_client
from search.local_meilisearch import (
    MeilisearchUnavailable,
    find_binary,
    is_healthy,
    meilisearch_endpoint,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def managed_settings(tmp_path: Path, meilisearch: object) -> Settings:
    configured = os.environ.get("MEILI_BIN")
    binary = find_binary(Path(configured) if configured else None, PROJECT_ROOT / "var")
    return Settings(_env_file=None, data_dir=tmp_path, meili_url="", meili_bin=binary)  # type: ignore[call-arg]


def test_starts_with_a_kept_key_and_stops(managed_settings: Settings) -> None:
    with meilisearch_endpoint(managed_settings, port=0) as endpoint:
        assert is_healthy(endpoint.url)
        key_file = managed_settings.meili_dir / "master.key"
        assert endpoint.api_key == key_file.read_text()
        assert oct(key_file.stat().st_mode & 0o777) == "0o600"
        make_client(endpoint.url, endpoint.api_key).get_keys()  # the key really works
        # a second command while the first runs reuses the same process
        with meilisearch_endpoint(managed_settings) as again:
            assert again == endpoint
        url = endpoint.url
    assert not is_healthy(url)
    assert not (managed_settings.meili_dir / "instance.json").exists()
    with meilisearch_endpoint(managed_settings, port=0) as restarted:
        assert restarted.api_key == endpoint.api_key  # same key across restarts


def test_missing_binary_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(MeilisearchUnavailable, match="is not an executable file"):
        find_binary(tmp_path / "nope", tmp_path)
