"""Shared fixtures: a real Meilisearch process, real SQLite and PostgreSQL databases.

When Meilisearch or PostgreSQL is missing the tests that need it are skipped with the reason,
unless CI is set: then they fail, so a green CI always means the real services were used.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from database_copies import PostgresCopies, SqliteCopies, Template
from factories import TODAY, DemoSite, make_settings
from litestar.testing import TestClient
from meilisearch import Client
from real_services import TEST_MASTER_KEY, service_unavailable
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from xdist.remote import Producer
from xdist.scheduler import LoadGroupScheduling

from core.db import create_db_engine
from core.settings import PROJECT_ROOT
from search.client import make_client
from search.local_meilisearch import (
    LocalMeilisearch,
    MeilisearchEndpoint,
    MeilisearchUnavailable,
    find_binary,
    free_port,
)
from search.sync import compare_counts, reindex
from service.app import create_app

SHARED_DATA = Path(
    os.environ.get("CONCILIAMO_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data")
)
POSTGRES_ADMIN_URL = os.environ.get(
    "CONCILIAMO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


# ---- pytest-xdist ----------------------------------------------------------------------------

#: tests that share an expensive session or module fixture: each group runs on one worker, in
#: its order — the browser tests (one live server, one Chromium) and the asset build
WORKER_GROUPS = {"tests/e2e/": "browser", "tests/unit/test_asset_build.py": "asset build"}


class GroupedScheduling(LoadGroupScheduling):
    """`--dist loadgroup` with the groups of WORKER_GROUPS, told by the node id: pytest-xdist
    3.8 loses `xdist_group` marks under pytest 9.2 (pytest-dev/pytest-xdist#1386)."""

    def _split_scope(self, nodeid: str) -> str:
        for prefix, group in WORKER_GROUPS.items():
            if nodeid.startswith(prefix):
                return group
        return super()._split_scope(nodeid)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> GroupedScheduling | None:
    return GroupedScheduling(config, log) if config.getvalue("dist") == "loadgroup" else None


# ---- Meilisearch -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def meilisearch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MeilisearchEndpoint]:
    """A real Meilisearch on a free port with a temporary data dir, killed at the end."""
    configured = os.environ.get("MEILI_BIN")
    try:
        binary = find_binary(Path(configured) if configured else None, PROJECT_ROOT / "var")
    except MeilisearchUnavailable as error:
        service_unavailable(str(error))
    local = LocalMeilisearch(
        binary=binary,
        meili_dir=tmp_path_factory.mktemp("meilisearch"),
        port=free_port(),
        master_key=TEST_MASTER_KEY,
    )
    endpoint = local.start()
    yield endpoint
    local.stop()


@pytest.fixture
def meili_client(meilisearch: MeilisearchEndpoint) -> Client:
    return make_client(meilisearch.url, meilisearch.api_key)


@pytest.fixture
def index_prefix() -> str:
    """Each test its own indexes."""
    return f"t{uuid.uuid4().hex[:12]}"


# ---- Databases ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    engine = create_db_engine(POSTGRES_ADMIN_URL).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except OperationalError as error:
        service_unavailable(
            f"PostgreSQL not reachable at {make_url(POSTGRES_ADMIN_URL).render_as_string()}: "
            f"{str(error).splitlines()[0]} (set CONCILIAMO_TEST_POSTGRES_URL)"
        )
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_copies(tmp_path_factory: pytest.TempPathFactory) -> SqliteCopies:
    return SqliteCopies(tmp_path_factory.mktemp("templates"))


@pytest.fixture(scope="session")
def postgres_copies(postgres_admin: Engine) -> Iterator[PostgresCopies]:
    copies = PostgresCopies(postgres_admin)
    yield copies
    copies.close()


def _template_for(request: pytest.FixtureRequest) -> Template:
    """What a test's database starts with, by the fixtures the test uses."""
    if "demo_engine" in request.fixturenames:
        return "demo"
    return "migrated" if "engine" in request.fixturenames else "empty"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The database-facing tests run once on SQLite and once on PostgreSQL, each on its own
    database (see database_copies): empty, or migrated for a test that uses `engine`, or
    migrated with the demo data for one that uses `demo_engine` (or `demo_site`)."""
    kind = _template_for(request)
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_copies").copy(kind, tmp_path / "conciliamo.db")
    else:
        copies: PostgresCopies = request.getfixturevalue("postgres_copies")
        url = copies.take(kind)
        yield url
        copies.give_back(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated database: empty, or holding the demo data when the test uses `demo_engine`."""
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def demo_engine(engine: Engine) -> Engine:
    """A migrated database with the demo data imported as `conciliamo import demo` does (a copy
    of the demo template: see `database_url`)."""
    return engine


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        service_unavailable(f"shared data not found at {SHARED_DATA} (set CONCILIAMO_SHARED_DATA)")
    return SHARED_DATA


# ---- The demo site -------------------------------------------------------------------------


@pytest.fixture
def demo_client(demo_site: DemoSite) -> Iterator[TestClient]:
    """The app over the imported and indexed demo data, on the tests' fixed "today"."""
    with demo_site() as client:
        yield client


@pytest.fixture
def demo_site(
    demo_engine: Engine,
    database_url: str,
    meilisearch: MeilisearchEndpoint,
    meili_client: Client,
    index_prefix: str,
    tmp_path: Path,
) -> DemoSite:
    """Clients of the imported and indexed demo site, each with settings changed as a test
    needs (a tile server, tighter rate limits…), on the tests' fixed "today"."""
    base = make_settings(tmp_path, database_url, meilisearch.url, meilisearch.api_key, index_prefix)
    reindex(demo_engine, meili_client, base.services_index)
    assert compare_counts(demo_engine, meili_client, base.services_index).in_sync

    @contextmanager
    def make(**overrides: Any) -> Iterator[TestClient]:
        settings = base.model_copy(update=overrides)
        with TestClient(create_app(settings, meilisearch, today=lambda: TODAY)) as client:
            yield client

    return make
