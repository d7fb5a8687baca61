"""The data quality dashboard lists exactly the listings that need a look (unverified for
over a year or never, located only at their comune, possible duplicates), and answering a
duplicate pair is audited: merged suspends the second listing, which leaves public search
after delivery, and nothing is deleted. Real SQLite and PostgreSQL, real Meilisearch."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from factories import (
    TODAY,
    TODDLER_IN_SESTO,
    DemoSite,
    import_demo,
    make_account,
    post_form,
    service_id_by_code,
    sign_in,
)
from litestar.testing import TestClient
from meilisearch import Client
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from core.kinds import DuplicateStatus, GeocodePrecision, ListingStatus, UserRole
from core.models import AuditEntry, DuplicateCandidate, Location, OutboxEntry, Service, User
from search.outbox_delivery import deliver_all
from service.quality import (
    approximate_locations,
    open_duplicates,
    stale_cutoff,
    stale_listings,
)

pytestmark = pytest.mark.integration

OPERATOR = "operatore@example.org"
TRENINO = "DEMO-SSG-MICRO-01"  # in the toddler-in-Sesto search results
GIRASOLE = "DEMO-SSG-NIDO-01"
CUTOFF = stale_cutoff(TODAY)


@pytest.fixture
def operator(engine: Engine) -> User:
    return make_account(engine, OPERATOR, UserRole.OPERATOR)


def _set(engine: Engine, code: str, **values: object) -> int:
    service_id = service_id_by_code(engine, code)
    with Session(engine) as session:
        service = session.get(Service, service_id)
        assert service is not None
        for name, value in values.items():
            setattr(service, name, value)
        session.add(service)
        session.commit()
    return service_id


def _locate(engine: Engine, code: str, precision: GeocodePrecision) -> int:
    service_id = service_id_by_code(engine, code)
    with Session(engine) as session:
        service = session.get(Service, service_id)
        assert service is not None
        service.location.geocode_precision = precision.value
        session.add(service.location)
        session.commit()
    return service_id


def _everything_fresh(engine: Engine) -> None:
    """Every demo listing verified today and located at its address: a clean slate."""
    with Session(engine) as session:
        session.execute(update(Service).values(last_verified_at=TODAY))
        session.execute(update(Location).values(geocode_precision=GeocodePrecision.ADDRESS.value))
        session.commit()


def _section_links(page: str, section_id: str) -> list[int]:
    start = page.index(f'<h2 id="{section_id}"')
    end = page.find("</section>", start)
    return [int(found) for found in re.findall(r'href="/area/servizi/(\d+)"', page[start:end])]


def _pair(engine: Engine, first: str, second: str) -> int:
    with Session(engine) as session:
        candidate = DuplicateCandidate(
            service_id=service_id_by_code(engine, first),
            other_service_id=service_id_by_code(engine, second),
            distance_m=42.4,
            name_similarity=0.875,
        )
        session.add(candidate)
        session.commit()
        assert candidate.id is not None
        return candidate.id


def _audit(engine: Engine) -> list[tuple[str, int, str, str | None, str | None]]:
    with Session(engine) as session:
        return [
            (e.entity, e.entity_id, e.field, e.before, e.after)
            for e in session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))
        ]


def _search_ids(client: TestClient) -> set[int]:
    found = client.get("/api/v1/services", params={**TODDLER_IN_SESTO, "sort": "distance"})
    assert found.status_code == 200
    return {result["id"] for result in found.json()["results"]}


def test_the_cutoff_is_twelve_months_back() -> None:
    assert stale_cutoff(date(2026, 11, 23)) == date(2025, 11, 23)
    assert stale_cutoff(date(2028, 2, 29)) == date(2027, 2, 28)


def test_the_dashboard_lists_exactly_the_listings_that_qualify(
    demo_client: TestClient, engine: Engine, operator: User
) -> None:
    _everything_fresh(engine)
    never = _set(engine, "DEMO-SSG-NIDO-02", last_verified_at=None)
    old = _set(engine, "DEMO-CIN-NIDO-01", last_verified_at=CUTOFF - timedelta(days=1))
    _set(engine, "DEMO-SSG-NIDO-03", last_verified_at=CUTOFF)  # exactly a year: not over
    _set(engine, "DEMO-SSG-NIDO-04", last_verified_at=None, status=ListingStatus.SUSPENDED.value)
    rough = _locate(engine, "DEMO-CRE-NIDO-01", GeocodePrecision.COMUNE)
    _locate(engine, "DEMO-SSG-BABY-01", GeocodePrecision.COMUNE)  # a babysitter's by design
    _locate(engine, "DEMO-SSG-INF-01", GeocodePrecision.CAP)  # better than the comune
    _locate(engine, "DEMO-CIN-MICRO-01", GeocodePrecision.COMUNE)
    _set(engine, "DEMO-CIN-MICRO-01", status=ListingStatus.SUSPENDED.value)
    pair = _pair(engine, GIRASOLE, TRENINO)
    with Session(engine) as session:
        stale = stale_listings(session, TODAY)
        approximate = approximate_locations(session)
        duplicates = open_duplicates(session)
    assert [row.id for row in stale.rows] == [never, old] and stale.total == 2
    assert [row.last_verified_at for row in stale.rows] == [None, CUTOFF - timedelta(days=1)]
    assert [row.id for row in approximate.rows] == [rough]  # not the suspended one
    assert [p.candidate_id for p in duplicates.rows] == [pair]
    assert duplicates.rows[0].first.id == service_id_by_code(engine, GIRASOLE)
    assert duplicates.rows[0].second.id == service_id_by_code(engine, TRENINO)

    sign_in(demo_client, OPERATOR)
    page = demo_client.get("/area/qualita")
    assert page.status_code == 200
    assert _section_links(page.text, "da-verificare") == [never, old]
    assert "mai verificata" in page.text
    assert _section_links(page.text, "posizione-approssimata") == [rough]
    doubles = _section_links(page.text, "doppioni")
    assert doubles == [service_id_by_code(engine, GIRASOLE), service_id_by_code(engine, TRENINO)]
    assert "42 m" in page.text and "88%" in page.text
    assert f'action="/area/qualita/doppioni/{pair}/unisci"' in page.text
    assert f'action="/area/qualita/doppioni/{pair}/distinti"' in page.text


def test_long_lists_are_capped_with_the_count_of_all(engine: Engine) -> None:
    import_demo(engine)
    with Session(engine) as session:
        published = session.exec(
            select(func.count())
            .select_from(Service)
            .where(Service.status == ListingStatus.PUBLISHED.value)
        ).one()
        session.execute(update(Service).values(last_verified_at=None))
        session.commit()
        stale = stale_listings(session, TODAY, limit=5)
    assert len(stale.rows) == 5 and stale.total == published > 5


def test_merging_suspends_the_second_listing_and_search_drops_it(
    demo_site: DemoSite,
    engine: Engine,
    operator: User,
    meili_client: Client,
    index_prefix: str,
) -> None:
    kept, merged = service_id_by_code(engine, GIRASOLE), service_id_by_code(engine, TRENINO)
    pair = _pair(engine, GIRASOLE, TRENINO)
    index = f"{index_prefix}_services"
    deliver_all(engine, meili_client, index)  # the import's entries
    with demo_site() as client:
        assert merged in _search_ids(client)
        sign_in(client, OPERATOR)
        response = post_form(client, "/area/qualita", f"/area/qualita/doppioni/{pair}/unisci", {})
        assert response.status_code == 303
        assert response.headers["location"].startswith("/area/qualita?esito=unito")
        assert "la seconda scheda è sospesa" in client.get(response.headers["location"]).text
        deliver_all(engine, meili_client, index)
        found = _search_ids(client)
        assert merged not in found and kept in found
        assert client.get(f"/servizi/{merged}").status_code == 404
        again = post_form(client, "/area/qualita", f"/area/qualita/doppioni/{pair}/unisci", {})
        assert again.status_code == 409
    with Session(engine) as session:
        candidate = session.get(DuplicateCandidate, pair)
        suspended = session.get(Service, merged)
        assert candidate is not None and suspended is not None  # nothing deleted
        assert candidate.status == DuplicateStatus.MERGED.value
        assert candidate.reviewed_by == operator.id and candidate.reviewed_at is not None
        assert suspended.status == ListingStatus.SUSPENDED.value
        assert session.get(Service, kept).status == ListingStatus.PUBLISHED.value  # type: ignore[union-attr]
    assert _audit(engine) == [
        ("duplicate_candidate", pair, "status", "open", "merged"),
        ("service", merged, "status", "published", "suspended"),
    ]


def test_distinct_pairs_leave_both_listings_alone(
    demo_client: TestClient, engine: Engine, operator: User
) -> None:
    pair = _pair(engine, GIRASOLE, TRENINO)
    with Session(engine) as session:
        pending = session.exec(
            select(func.count())
            .select_from(OutboxEntry)
            .where(col(OutboxEntry.delivered_at).is_(None))
        ).one()
    sign_in(demo_client, OPERATOR)
    action = f"/area/qualita/doppioni/{pair}/distinti"
    response = post_form(demo_client, "/area/qualita", action, {})
    assert response.status_code == 303
    page = demo_client.get("/area/qualita")
    assert f"/area/qualita/doppioni/{pair}/" not in page.text
    assert post_form(demo_client, "/area/qualita", action, {}).status_code == 409
    with Session(engine) as session:
        candidate = session.get(DuplicateCandidate, pair)
        assert candidate is not None and candidate.status == DuplicateStatus.DISTINCT.value
        statuses = {
            session.get(Service, sid).status  # type: ignore[union-attr]
            for sid in (candidate.service_id, candidate.other_service_id)
        }
        assert statuses == {ListingStatus.PUBLISHED.value}
        assert (
            session.exec(
                select(func.count())
                .select_from(OutboxEntry)
                .where(col(OutboxEntry.delivered_at).is_(None))
            ).one()
            == pending
        )
    assert _audit(engine) == [("duplicate_candidate", pair, "status", "open", "distinct")]


def test_an_unknown_pair_is_not_found(demo_client: TestClient, operator: User) -> None:
    sign_in(demo_client, OPERATOR)
    response = post_form(demo_client, "/area/qualita", "/area/qualita/doppioni/999999/unisci", {})
    assert response.status_code == 404
