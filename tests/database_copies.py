"""Each test its own database, copied from templates made once per session (per xdist worker).

Copying a database costs less than migrating one and importing the demo data into it, so a
session makes each template when a test first needs it — migrated, or migrated with the demo
data imported — and every test gets a copy: of the file on SQLite, `CREATE DATABASE … TEMPLATE`
on PostgreSQL. PostgreSQL copies are made one ahead and dropped after the test on a background
thread, so a test waits for neither. A plain module (not a conftest), used by the fixtures.
"""

from __future__ import annotations

import shutil
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Literal

from factories import import_demo
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from core.db import create_db_engine, migrate

#: what a test's database starts with: nothing, the schema, or the schema and the demo data
Template = Literal["empty", "migrated", "demo"]


def prepare(engine: Engine, kind: Template) -> None:
    """Make the database at `engine` what `kind` says (it starts empty)."""
    if kind == "empty":
        return
    migrate(engine)
    if kind == "demo":
        report = import_demo(engine)
        assert report.rejected == 0, report.problems


class SqliteCopies:
    """Template files in `directory`, copied to the test's own file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.templates: dict[Template, Path] = {}

    def copy(self, kind: Template, path: Path) -> str:
        """The URL of a database at `path` that starts as `kind` says."""
        if kind != "empty":
            shutil.copyfile(self._template(kind), path)
        return f"sqlite:///{path}"

    def _template(self, kind: Template) -> Path:
        if kind not in self.templates:
            path = self.directory / f"{kind}.db"
            engine = create_db_engine(f"sqlite:///{path}")
            try:
                prepare(engine, kind)
            finally:
                engine.dispose()
            self.templates[kind] = path
        return self.templates[kind]


class PostgresCopies:
    """Databases on the server of `admin` (an AUTOCOMMIT engine), each test its own."""

    def __init__(self, admin: Engine) -> None:
        self.admin = admin
        self.templates: dict[Template, str] = {}
        self.ahead: dict[Template, Future[str]] = {}
        self.background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-databases")

    def take(self, kind: Template) -> str:
        """The URL of a new database that starts as `kind` says; `give_back` drops it."""
        template = self._template(kind)
        made = self.ahead.pop(kind, None) or self.background.submit(self._create, template)
        name = made.result()
        self.ahead[kind] = self.background.submit(self._create, template)
        return self.url(name)

    def give_back(self, url: str) -> None:
        name = make_url(url).database
        assert name is not None
        self.background.submit(self._drop, name)

    def close(self) -> None:
        """Drop every database made here, templates last."""
        for made in self.ahead.values():
            self.background.submit(self._drop, made.result())
        self.background.shutdown(wait=True)
        for name in self.templates.values():
            self._drop(name)

    def url(self, database: str) -> str:
        return self.admin.url.set(database=database).render_as_string(hide_password=False)

    def _template(self, kind: Template) -> str | None:
        if kind == "empty":
            return None  # PostgreSQL's own template1
        if kind not in self.templates:
            name = self._create(None)
            self.templates[kind] = name
            engine = create_db_engine(self.url(name))
            try:
                prepare(engine, kind)
            finally:
                engine.dispose()  # a template is copied only when nobody is connected to it
        return self.templates[kind]

    def _create(self, template: str | None) -> str:
        name = f"conciliamo_test_{uuid.uuid4().hex[:12]}"
        copying = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{copying}'))
        return name

    def _drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
