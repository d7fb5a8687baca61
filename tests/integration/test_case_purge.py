"""`conciliamo cases purge`: cases not changed for the retention period are deleted, and
nothing else in the database is touched."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import database_state, import_demo, make_account
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.kinds import UserRole
from core.models import AuditEntry, FamilyCase, utc_now
from search.local_meilisearch import MeilisearchEndpoint
from service.cases import months_before, purge_expired_cases
from service.cli.main import main

pytestmark = pytest.mark.integration


def other_tables(engine: Engine) -> str:
    """A digest of every row of every table but family_case."""
    return database_state(engine, leaving_out=("family_case",))


def _add_cases(engine: Engine, ages_in_days: dict[str, tuple[int, int]]) -> None:
    """reference → (days since created, days since last changed)."""
    operator = make_account(engine, "sportello@example.org", UserRole.OPERATOR)
    now = utc_now()
    with Session(engine) as session:
        for reference, (created, changed) in ages_in_days.items():
            session.add(
                FamilyCase(
                    reference=reference,
                    search_query="home=Cremona&birth_month=3&birth_year=2025",
                    notes="",
                    consent_recorded_at=now - timedelta(days=created),
                    created_by=operator.id,
                    created_at=now - timedelta(days=created),
                    updated_at=now - timedelta(days=changed),
                )
            )
        # something else that must survive: an audit entry
        session.add(AuditEntry(user_id=operator.id, entity="service", entity_id=1, field="x"))
        session.commit()


def _references(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return {case.reference for case in session.exec(select(FamilyCase))}


@pytest.fixture
def env(
    database_url: str, meilisearch: MeilisearchEndpoint, index_prefix: str, tmp_path: Path
) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "MEILI_URL": meilisearch.url,
        "MEILI_MASTER_KEY": meilisearch.api_key,
        "CONCILIAMO_INDEX_PREFIX": index_prefix,
        "CONCILIAMO_DATA_DIR": str(tmp_path),
    }


def test_the_purge_deletes_only_cases_untouched_for_the_retention_period(
    engine: Engine, env: dict[str, str]
) -> None:
    import_demo(engine)
    _add_cases(
        engine,
        {
            "C-2024-OLD1": (800, 800),  # untouched for over two years
            "C-2025-OLD2": (400, 370),  # changed a year and five days ago
            "C-2025-KEPT": (400, 300),  # old, but changed ten months ago
            "C-2026-NEW1": (5, 5),
        },
    )
    before = other_tables(engine)
    runner = CliRunner()

    result = runner.invoke(main, ["cases", "purge"], env=env)
    assert result.exit_code == 0, result.output
    assert "2 cases deleted (not changed in the last 12 months)" in result.output
    assert _references(engine) == {"C-2025-KEPT", "C-2026-NEW1"}
    assert other_tables(engine) == before

    again = runner.invoke(main, ["cases", "purge"], env=env)
    assert "0 cases deleted" in again.output

    shorter = runner.invoke(
        main, ["cases", "purge"], env={**env, "CONCILIAMO_CASE_RETENTION_MONTHS": "6"}
    )
    assert "1 case deleted (not changed in the last 6 months)" in shorter.output
    assert _references(engine) == {"C-2026-NEW1"}
    assert other_tables(engine) == before


def test_the_boundary_is_the_same_day_months_earlier(engine: Engine) -> None:
    _add_cases(engine, {"C-2025-EDGE": (0, 0)})
    now = utc_now()
    with Session(engine) as session:
        case = session.exec(select(FamilyCase)).one()
        case.updated_at = months_before(now, 12) + timedelta(minutes=1)
        session.add(case)
        session.commit()
        assert purge_expired_cases(session, now, 12) == 0
        assert purge_expired_cases(session, now + timedelta(minutes=2), 12) == 1
    assert _references(engine) == set()
