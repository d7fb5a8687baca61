"""Providers keep their listings up to date: an edit is audited field by field, reaches the
index through the outbox and shows in the next search; "still accurate" dates the listing."""

from __future__ import annotations

import pytest
from factories import (
    TODAY,
    TODDLER_IN_SESTO,
    DemoSite,
    make_account,
    organization_of,
    post_form,
    service_id_by_code,
    sign_in,
)
from meilisearch import Client
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.kinds import UserRole
from core.models import AuditEntry, OutboxEntry, Service
from search.outbox_delivery import deliver_all

pytestmark = pytest.mark.integration

TRENINO = "DEMO-SSG-MICRO-01"  # Micronido Il Trenino, of Cooperativa sociale Tiglio Blu


@pytest.fixture
def provider(engine: Engine) -> str:
    make_account(
        engine, "tiglio@example.org", UserRole.PROVIDER, (organization_of(engine, TRENINO),)
    )
    return "tiglio@example.org"


def _pending_outbox(engine: Engine, service_id: int) -> int:
    with Session(engine) as session:
        return len(
            session.exec(
                select(OutboxEntry).where(
                    OutboxEntry.service_id == service_id, col(OutboxEntry.delivered_at).is_(None)
                )
            ).all()
        )


def test_a_provider_edit_is_audited_and_shows_in_the_next_search(
    demo_site: DemoSite, engine: Engine, provider: str, meili_client: Client, index_prefix: str
) -> None:
    service_id = service_id_by_code(engine, TRENINO)
    pending = _pending_outbox(engine, service_id)  # the import's, not yet delivered
    with Session(engine) as session:
        demo_places = session.get(Service, service_id).places_available  # type: ignore[union-attr]
    with demo_site() as client:
        sign_in(client, provider)
        page = f"/area/servizi/{service_id}"
        response = post_form(
            client,
            page,
            page,
            {"places_available": "0", "phone": "02 0000 9999", "description": "Nuova descrizione."},
        )
        assert response.status_code == 303
        assert _pending_outbox(engine, service_id) == pending + 1
        deliver_all(engine, meili_client, f"{index_prefix}_services")
        found = client.get("/api/v1/services", params={**TODDLER_IN_SESTO, "sort": "distance"})
    trenino = next(r for r in found.json()["results"] if r["id"] == service_id)
    assert trenino["places_available"] == 0
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.field))).all()
        service = session.get(Service, service_id)
        assert service is not None and service.phone == "02 0000 9999"
    assert [(e.field, e.after) for e in entries] == [
        ("description", "Nuova descrizione."),
        ("phone", "02 0000 9999"),
        ("places_available", "0"),
    ]
    assert all(e.entity == "service" and e.service_id == service_id for e in entries)
    assert entries[2].before == str(demo_places)  # the demo sheet's value


def test_bad_values_name_their_field_and_change_nothing(
    demo_site: DemoSite, engine: Engine, provider: str
) -> None:
    service_id = service_id_by_code(engine, TRENINO)
    with Session(engine) as session:
        demo_places = session.get(Service, service_id).places_available  # type: ignore[union-attr]
    with demo_site() as client:
        sign_in(client, provider)
        page = f"/area/servizi/{service_id}"
        response = post_form(
            client,
            page,
            page,
            {
                "places_available": "30",
                "capacity": "10",
                "age_min_months": "20",
                "age_max_months": "6",
                "email": "non-una-mail",
                "cost_cents": "-3",
                "description": "<script>alert(1)</script>",
            },
        )
    assert response.status_code == 400
    for field in ("places_available", "age_max_months", "email", "cost_cents"):
        assert f'href="#campo-{field}"' in response.text
    assert "<script>alert(1)</script>" not in response.text
    with Session(engine) as session:
        assert session.exec(select(AuditEntry)).all() == []
        service = session.get(Service, service_id)
        assert service is not None and service.places_available == demo_places


def test_still_accurate_dates_the_listing_today(
    demo_site: DemoSite, engine: Engine, provider: str
) -> None:
    service_id = service_id_by_code(engine, TRENINO)
    with demo_site() as client:
        sign_in(client, provider)
        page = f"/area/servizi/{service_id}"
        assert post_form(client, page, f"{page}/conferma", {}).status_code == 303
    with Session(engine) as session:
        service = session.get(Service, service_id)
        entry = session.exec(select(AuditEntry)).one()
    assert service is not None and service.last_verified_at == TODAY
    assert (entry.field, entry.after) == ("last_verified_at", TODAY.isoformat())


def test_the_audit_log_is_for_operators(demo_site: DemoSite, engine: Engine, provider: str) -> None:
    service_id = service_id_by_code(engine, TRENINO)
    make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    with demo_site() as client:
        sign_in(client, provider)
        page = f"/area/servizi/{service_id}"
        post_form(client, page, page, {"places_available": "7"})
        assert client.get("/area/registro").status_code == 403
    with demo_site() as client:
        sign_in(client, "operatore@example.org")
        log = client.get("/area/registro", params={"servizio": str(service_id)})
    assert log.status_code == 200
    assert "tiglio@example.org" in log.text and "places_available" in log.text


def test_the_audit_log_ignores_an_id_that_is_not_a_number(
    demo_site: DemoSite, engine: Engine
) -> None:
    make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    with demo_site() as client:
        sign_in(client, "operatore@example.org")
        for typed in ("²", "١٢", "9" * 30, "-3", "abc"):
            for parameter in ("servizio", "account"):
                page = client.get("/area/registro", params={parameter: typed})
                assert page.status_code == 200, (parameter, typed)
