"""Missing real services skip the tests that need them on a laptop, and fail them under CI."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from core.settings import PROJECT_ROOT

NEEDS_MEILISEARCH = "tests/integration/test_index.py::test_settings_are_applied_idempotently"
NEEDS_POSTGRES = "tests/integration/test_migrations.py::test_migrating_twice_changes_nothing"


def _run_pytest(test: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "CI"} | env
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-n", "1", test],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("test", "env", "reason"),
    [
        (
            NEEDS_MEILISEARCH,
            {"MEILI_BIN": "/nonexistent/meilisearch"},
            "MEILI_BIN=/nonexistent/meilisearch is not an executable file",
        ),
        (
            f"{NEEDS_POSTGRES}[postgresql]",
            {"CONCILIAMO_TEST_POSTGRES_URL": "postgresql+psycopg://postgres@127.0.0.1:1/postgres"},
            "PostgreSQL not reachable at postgresql+psycopg://postgres@127.0.0.1:1/postgres",
        ),
    ],
    ids=["meilisearch", "postgresql"],
)
def test_missing_service_skips_locally_and_fails_under_ci(
    test: str, env: dict[str, str], reason: str
) -> None:
    local = _run_pytest(test, **env)
    assert local.returncode == 0, local.stdout
    assert "1 skipped" in local.stdout and reason in local.stdout

    ci = _run_pytest(test, CI="true", **env)
    assert ci.returncode == 1, ci.stdout
    assert "(CI is set, so real services are required)" in ci.stdout and reason in ci.stdout
