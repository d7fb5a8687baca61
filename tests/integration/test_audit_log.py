"""Reading the audit log (service.audit.reading.read_audit_log): newest first (ties: the latest
written first), each entry with its author, filtered by listing or by account, capped, with
the listings' names and the accounts' addresses beside them. Real databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from factories import import_demo, make_account, service_id_by_code
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.kinds import UserRole
from core.models import AuditEntry
from service.audit.reading import read_audit_log

pytestmark = pytest.mark.integration

TRENINO = "DEMO-SSG-MICRO-01"  # Micronido Il Trenino
GIRASOLE = "DEMO-SSG-NIDO-01"  # Nido comunale Girasole
GONE = 999_999  # a listing deleted since (history outlives listings)


def _at(hour: int) -> datetime:
    return datetime(2026, 11, 23, hour, tzinfo=UTC)


@pytest.fixture
def log(engine: Engine) -> dict[str, int]:
    """Five entries written in this order; returns name → the id it means.

    operator_edit  09:00  the operator changes Il Trenino's places
    admin_role     10:00  the administrator changes the provider's role (an account entry)
    import_gone    11:00  an import (no author) on a listing deleted since
    import_nido    11:00  an import on Girasole, written after import_gone at the same time
    lookalike      08:00  a listing entry whose entity id equals the provider's id
    """
    import_demo(engine)
    operator = make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    admin = make_account(engine, "admin@example.org", UserRole.ADMIN)
    provider = make_account(engine, "gestore@example.org", UserRole.PROVIDER)
    assert operator.id and admin.id and provider.id
    trenino, girasole = service_id_by_code(engine, TRENINO), service_id_by_code(engine, GIRASOLE)
    rows = {
        "operator_edit": (operator.id, "service", trenino, trenino, 9),
        "admin_role": (admin.id, "user", provider.id, None, 10),
        "import_gone": (None, "service", GONE, GONE, 11),
        "import_nido": (None, "service", girasole, girasole, 11),
        "lookalike": (operator.id, "service", provider.id, trenino, 8),
    }
    ids = {"trenino": trenino, "girasole": girasole, "provider": provider.id}
    with Session(engine) as session:
        for name, (author, entity, entity_id, service_id, hour) in rows.items():
            entry = AuditEntry(
                user_id=author,
                entity=entity,
                entity_id=entity_id,
                service_id=service_id,
                field=name,
                at=_at(hour),
            )
            session.add(entry)
            session.commit()  # one at a time: the ids follow the order written
            assert entry.id is not None
            ids[name] = entry.id
    return ids


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["import_nido", "import_gone", "admin_role", "operator_edit", "lookalike"]),
        ({"service": "trenino"}, ["operator_edit", "lookalike"]),
        ({"service": "girasole"}, ["import_nido"]),
        ({"account": "provider"}, ["admin_role"]),  # not the listing entry with the same id
        ({"limit": 2}, ["import_nido", "import_gone"]),
        ({"service": "trenino", "limit": 1}, ["operator_edit"]),
    ],
)
def test_entries_newest_first_as_filtered(
    engine: Engine, log: dict[str, int], filters: dict[str, object], expected: list[str]
) -> None:
    service = filters.get("service")
    account = filters.get("account")
    with Session(engine) as session:
        found = read_audit_log(
            session,
            service_id=log[str(service)] if service else None,
            account_id=log[str(account)] if account else None,
            limit=int(str(filters.get("limit", 200))),
        )
        assert [entry.field for entry, _author in found.entries] == expected


def test_each_entry_has_its_author_and_the_names_beside_it(
    engine: Engine, log: dict[str, int]
) -> None:
    with Session(engine) as session:
        found = read_audit_log(session)
        authors = {entry.field: author.email if author else None for entry, author in found.entries}
    assert authors == {
        "import_nido": None,
        "import_gone": None,
        "admin_role": "admin@example.org",
        "operator_edit": "operatore@example.org",
        "lookalike": "operatore@example.org",
    }
    # the deleted listing has no name: the page shows its number
    assert found.names == {
        log["trenino"]: "Micronido Il Trenino",
        log["girasole"]: "Nido comunale Girasole",
    }
    assert found.accounts == {log["provider"]: "gestore@example.org"}


def test_an_empty_log_reads_as_nothing(engine: Engine) -> None:
    with Session(engine) as session:
        found = read_audit_log(session, service_id=1)
    assert (found.entries, found.names, found.accounts) == ([], {}, {})
