"""Makers for test data: build what a test needs, in the shape real code produces."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from core.kinds import UserRole
from core.models import Provenance, Service, User
from core.settings import Settings
from importers.gazetteer import import_gazetteer
from importers.pipeline import import_file
from importers.report import ImportReport
from importers.sources.service_sheet import ServiceSheetSource
from service.accounts.users import create_user
from service.cli.main import DEMO_DIR, DEMO_SOURCE

#: the `demo_site` fixture: `demo_site(**settings)` is a client of the demo site with some
#: settings changed (a context manager)
DemoSite = Callable[..., AbstractContextManager[TestClient]]

#: a toddler born November 2025 in Sesto San Giovanni, Mon–Fri 8:00–16:00 from Monday
#: 11 January 2027: the search the web tests share (its expected results are worked by hand
#: in tests/integration/test_end_to_end.py)
TODDLER_IN_SESTO: dict[str, str | list[str]] = {
    "birth_year": "2025",
    "birth_month": "11",
    "place": "Sesto San Giovanni",
    "days": ["1", "2", "3", "4", "5"],
    "from": "08:00",
    "to": "16:00",
    "start": "2027-01-11",
}

#: the "today" every web test runs on, so hand-worked expectations never expire
TODAY = date(2026, 11, 23)

SERVICE_SHEET_HEADER = (
    "codice,tipo,nome,ente_gestore,tipo_ente,settore,descrizione,eta_min_mesi,eta_max_mesi,"
    "indirizzo,cap,comune,codice_istat,lat,lon,orari,periodi,posti_totali,posti_disponibili,"
    "costo_euro,costo_per,telefono,email,sito_web,lingue,disabilita,comuni_serviti,"
    "come_iscriversi,nidi_gratis,verificato_il,corso_babysitter_il,corso_babysitter_scadenza,"
    "primo_soccorso_il,primo_soccorso_scadenza"
)


def import_demo(engine: Engine) -> ImportReport:
    """Import the shipped demo data exactly as `conciliamo import demo` does."""
    import_gazetteer(engine, DEMO_DIR / "comuni.csv")
    return import_file(engine, ServiceSheetSource(DEMO_SOURCE), DEMO_DIR / "servizi.csv")


def write_sheet(path: Path, *rows: str, header: str = SERVICE_SHEET_HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def sheet_row(code: str = "T-1", **overrides: str) -> str:
    """One valid services-sheet row (a nido in Sesto San Giovanni); override any column."""
    values = {
        "codice": code,
        "tipo": "nido",
        "nome": "Nido di prova",
        "ente_gestore": "Coop Prova",
        "tipo_ente": "cooperativa",
        "settore": "privato",
        "descrizione": "Fittizio.",
        "eta_min_mesi": "3",
        "eta_max_mesi": "36",
        "indirizzo": "Via Roma 1",
        "cap": "20099",
        "comune": "Sesto San Giovanni",
        "codice_istat": "015209",
        "lat": "45.5342",
        "lon": "9.2364",
        "orari": "lun-ven 07:30-16:30",
        "periodi": "2026-09-01/2027-07-31",
        "posti_totali": "20",
        "posti_disponibili": "2",
        "costo_euro": "400",
        "costo_per": "mese",
        "telefono": "02 0000 0000",
        "email": "prova@example.org",
        "sito_web": "",
        "lingue": "",
        "disabilita": "",
        "comuni_serviti": "",
        "come_iscriversi": "",
        "nidi_gratis": "",
        "verificato_il": "",
        "corso_babysitter_il": "",
        "corso_babysitter_scadenza": "",
        "primo_soccorso_il": "",
        "primo_soccorso_scadenza": "",
    }
    values.update(overrides)
    return ",".join(_quote(values[column]) for column in SERVICE_SHEET_HEADER.split(","))


def _quote(value: str) -> str:
    return f'"{value}"' if any(char in value for char in ',;"\n') else value


def make_settings(
    tmp_path: Path, database_url: str, meili_url: str, meili_key: str, index_prefix: str
) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=tmp_path,
        database_url=database_url,
        meili_url=meili_url,
        meili_master_key=meili_key,
        index_prefix=index_prefix,
        # tests deliver the outbox explicitly (or start a worker) so results do not race it
        outbox_worker="external",
    )


def service_id_by_code(engine: Engine, code: str) -> int:
    """The id of the service imported from the row with `code` (its `codice`)."""
    with Session(engine) as session:
        provenance = session.exec(select(Provenance).where(Provenance.external_id == code)).one()
        assert provenance.service_id is not None
        return provenance.service_id


def database_state(engine: Engine, *, leaving_out: tuple[str, ...] = ()) -> str:
    """A digest of every row of every table (but those `leaving_out`): equal before and after
    means nothing changed."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in leaving_out:
                continue
            key = ", ".join(column.name for column in table.primary_key.columns) or "1"
            rows = connection.execute(text(f'SELECT * FROM "{table.name}" ORDER BY {key}'))
            digest.update(table.name.encode())
            for row in rows:
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


# ---- accounts -----------------------------------------------------------------------------

TEST_PASSWORD = "una frase lunga e facile da ricordare"
CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


def make_account(
    engine: Engine,
    email: str,
    role: UserRole,
    organization_ids: tuple[int, ...] = (),
    password: str | None = TEST_PASSWORD,
) -> User:
    with Session(engine) as session:
        user = create_user(session, email, role, password, organization_ids=organization_ids)
        session.expunge(user)
        return user


def csrf_token(client: TestClient, path: str) -> str:
    """The CSRF token of the form on `path` (getting the page also sets the cookie)."""
    page = client.get(path)
    found = CSRF_FIELD.search(page.text)
    assert found, f"no CSRF field on {path}"
    return html.unescape(found[1])


def post_form(client: TestClient, form_path: str, action: str, data: dict[str, str]) -> Any:
    """Post a form as a browser does: with the token from the page that shows it."""
    return client.post(
        action,
        data={**data, "_csrf_token": csrf_token(client, form_path)},
        follow_redirects=False,
    )


def sign_in(client: TestClient, email: str, password: str = TEST_PASSWORD) -> Any:
    response = post_form(client, "/accesso", "/accesso", {"email": email, "password": password})
    assert response.status_code == 303, response.text[:2000]
    return response


def organization_of(engine: Engine, service_code: str) -> int:
    """The organization of the service imported from the row with `service_code`."""
    with Session(engine) as session:
        service = session.get(Service, service_id_by_code(engine, service_code))
        assert service is not None and service.organization_id is not None
        return service.organization_id


def newest_mail_link(data_dir: Path, path: str) -> str:
    """The link to `path` (e.g. "/invito") in the newest e-mail of the development mailbox."""
    newest = sorted((data_dir / "mail").glob("*.eml"))[-1]
    found = re.search(rf"https?://\S+({re.escape(path)}/[\w-]+)", newest.read_text())
    assert found, newest.read_text()
    return found[1]
