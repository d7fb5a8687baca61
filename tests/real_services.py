"""The real-services policy every test folder shares: skip on a laptop without them, fail
under CI. A plain module (not a conftest), so any test can import it."""

from __future__ import annotations

import os

import pytest

IN_CI = bool(os.environ.get("CI"))
TEST_MASTER_KEY = "conciliamo-test-master-key-0123456789"


def service_unavailable(reason: str) -> None:
    """Skip on a laptop; fail under CI, where every real service must be there."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so real services are required)", pytrace=False)
    pytest.skip(reason)
