"""Shared fixtures: a real Meilisearch process, real SQLite and PostgreSQL databases.

When Meilisearch or PostgreSQL is missing the tests that need it are skipped with the reason,
unless CI is set: then they fail, so a green CI always means the real services were used.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import pytest
from factories import TODAY, DemoSite, import_demo, make_settings
from litestar.testing import TestClient
from meilisearch import Client
from real_services import TEST_MASTER_KEY, service_unavailable
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

from core.db import create_db_engine, migrate
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
#
# Copying a database is cheaper than migrating one and importing the demo data into it, so each
# session (each xdist worker) prepares its templates once, when a test first needs them: a
# migrated database, and a migrated one with the demo data imported. Every test still gets its
# own database: a copy of the file on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL.

#: what a test's database starts with: nothing, the schema, or the schema and the demo data
Template = Literal["empty", "migrated", "demo"]
#: `templates(kind)`: the template database of that kind, made on first use
Templates = Callable[[Template], str]


def _prepare(engine: Engine, kind: Template) -> None:
    migrate(engine)
    if kind == "demo":
        report = import_demo(engine)
        assert report.rejected == 0, report.problems


def _template_for(request: pytest.FixtureRequest) -> Template:
    """The template a test's database is copied from, by the fixtures the test uses."""
    if "demo_engine" in request.fixturenames:
        return "demo"
    return "migrated" if "engine" in request.fixturenames else "empty"


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    """Template database files (their paths), made on first use."""
    made: dict[Template, str] = {}

    def template(kind: Template) -> str:
        if kind not in made:
            path = tmp_path_factory.mktemp("template") / f"{kind}.db"
            engine = create_db_engine(f"sqlite:///{path}")
            try:
                _prepare(engine, kind)
            finally:
                engine.dispose()
            made[kind] = str(path)
        return made[kind]

    return template


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


def _postgres_url(database: str) -> str:
    return make_url(POSTGRES_ADMIN_URL).set(database=database).render_as_string(hide_password=False)


def _create_postgres_database(admin: Engine, template: str | None = None) -> str:
    name = f"conciliamo_test_{uuid.uuid4().hex[:12]}"
    copying = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copying}'))
    return name


def _drop_postgres_database(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_templates(postgres_admin: Engine) -> Iterator[Templates]:
    """Template databases (their names), made on first use, dropped at the end."""
    made: dict[Template, str] = {}

    def template(kind: Template) -> str:
        if kind not in made:
            name = _create_postgres_database(postgres_admin)
            made[kind] = name
            engine = create_db_engine(_postgres_url(name))
            try:
                _prepare(engine, kind)
            finally:
                engine.dispose()  # a template must have no connections when it is copied
        return made[kind]

    yield template
    for name in made.values():
        _drop_postgres_database(postgres_admin, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The database-facing tests run once on SQLite and once on PostgreSQL, each on its own
    database: empty, or (for a test that uses `engine`) migrated, or (for one that uses
    `demo_engine` or `demo_site`) migrated with the demo data imported."""
    kind = _template_for(request)
    if request.param == "sqlite":
        path = tmp_path / "conciliamo.db"
        if kind != "empty":
            shutil.copyfile(request.getfixturevalue("sqlite_templates")(kind), path)
        yield f"sqlite:///{path}"
    else:
        admin = request.getfixturevalue("postgres_admin")
        template = request.getfixturevalue("postgres_templates")(kind) if kind != "empty" else None
        name = _create_postgres_database(admin, template)
        try:
            yield _postgres_url(name)
        finally:
            _drop_postgres_database(admin, name)


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
