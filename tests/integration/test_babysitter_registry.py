"""The babysitter registry: families see a babysitter only while her entry is approved and
her certifications are valid on the first day of care (a query-time filter); the nightly
check suspends expired entries; operators approve, reject, suspend and set the dates (all
audited); a babysitter's own dates wait for review; the public card, page and API never
show her own contacts."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from factories import (
    TODAY,
    DemoSite,
    make_account,
    organization_of,
    post_form,
    service_id_by_code,
    sign_in,
)
from litestar.testing import TestClient
from meilisearch import Client
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.kinds import RegistryStatus, UserRole
from core.models import AuditEntry, RegistryEntry, Service
from core.outbox_recording import record_changes
from search.local_meilisearch import MeilisearchEndpoint
from search.outbox_delivery import deliver_all
from service.cli.main import main

pytestmark = pytest.mark.integration

GIULIA = "DEMO-SSG-BABY-01"  # Sesto San Giovanni, works in Cinisello too
SITTERS_IN_CINISELLO = {
    "children": [{"birth_year": 2025, "birth_month": 6}],
    "home": {"comune": "Cinisello Balsamo"},
    "kinds": ["babysitter"],
    "start_date": "2027-01-11",
    "max_distance_km": 1,
}
SITTERS_IN_SESTO = {
    "birth_year": "2025",
    "birth_month": "11",
    "place": "Sesto San Giovanni",
    "kind": "babysitter",
    "start": "2027-01-11",
}
OPERATOR = "operatrice@example.org"
GIULIA_ACCOUNT = "giulia@example.org"


def _index(index_prefix: str) -> str:
    return f"{index_prefix}_services"


def _found(client: TestClient, service_id: int, **overrides: str) -> tuple[bool, bool]:
    """Is she among the results of the page's API search and of the matching API?"""
    listed = client.get("/api/v1/services", params={**SITTERS_IN_SESTO, **overrides}).json()
    start = overrides.get("start", SITTERS_IN_CINISELLO["start_date"])
    matched = client.post("/api/v1/match", json={**SITTERS_IN_CINISELLO, "start_date": start})
    return (
        service_id in {result["id"] for result in listed["results"]},
        service_id in {match["id"] for match in matched.json()["matches"]},
    )


def _change_entry(engine: Engine, service_id: int, **values: Any) -> None:
    """Change the entry as a write elsewhere would, with its outbox entry."""
    with Session(engine) as session:
        entry = session.get_one(RegistryEntry, service_id)
        for name, value in values.items():
            setattr(entry, name, value)
        session.add(entry)
        record_changes(session, [service_id])
        session.commit()


def _entry(engine: Engine, service_id: int) -> RegistryEntry:
    with Session(engine) as session:
        entry = session.get_one(RegistryEntry, service_id)
        session.expunge(entry)
        return entry


def _audit(engine: Engine, service_id: int) -> list[tuple[str, str | None, str | None, int | None]]:
    with Session(engine) as session:
        entries = session.exec(
            select(AuditEntry)
            .where(AuditEntry.entity == "registry_entry", AuditEntry.service_id == service_id)
            .order_by(col(AuditEntry.id))
        ).all()
        return [(e.field, e.before, e.after, e.user_id) for e in entries]


@pytest.fixture
def operator(engine: Engine) -> int:
    user = make_account(engine, OPERATOR, UserRole.OPERATOR)
    assert user.id is not None
    return user.id


def test_imported_babysitters_are_approved_with_their_certificates(engine: Engine) -> None:
    from factories import import_demo

    import_demo(engine)
    entry = _entry(engine, service_id_by_code(engine, GIULIA))
    assert entry.status == RegistryStatus.APPROVED
    assert entry.registry_course_expires_on == date(2028, 3, 11)
    assert entry.first_aid_on == date(2025, 9, 20)
    assert entry.publication_consent_at is not None
    with Session(engine) as session:
        sitters = session.exec(select(Service).where(Service.kind == "babysitter")).all()
        entries = session.exec(select(RegistryEntry)).all()
    assert {e.service_id for e in entries} == {s.id for s in sitters}


def test_an_expired_certificate_hides_her_and_the_check_suspends_her(
    demo_site: DemoSite,
    engine: Engine,
    meili_client: Client,
    meilisearch: MeilisearchEndpoint,
    index_prefix: str,
    database_url: str,
    tmp_path: Path,
) -> None:
    giulia = service_id_by_code(engine, GIULIA)
    with demo_site() as client:
        assert _found(client, giulia) == (True, True)
        # her first aid runs out on 5 January 2027: the same index document hides her from a
        # search starting 11 January, and not from one starting today
        _change_entry(engine, giulia, first_aid_expires_on=date(2027, 1, 5))
        deliver_all(engine, meili_client, _index(index_prefix))
        assert _found(client, giulia) == (False, False)
        assert _found(client, giulia, start=TODAY.isoformat()) == (True, True)
        # expired already: hidden whatever the start, still "approved" in the database
        _change_entry(engine, giulia, first_aid_expires_on=date(2026, 11, 1))
        deliver_all(engine, meili_client, _index(index_prefix))
        assert _found(client, giulia, start=TODAY.isoformat()) == (False, False)
        assert client.get(f"/servizi/{giulia}").status_code == 404
        assert client.get(f"/api/v1/services/{giulia}").status_code == 404
        assert _entry(engine, giulia).status == RegistryStatus.APPROVED

        env = {
            "DATABASE_URL": database_url,
            "MEILI_URL": meilisearch.url,
            "MEILI_MASTER_KEY": meilisearch.api_key,
            "CONCILIAMO_INDEX_PREFIX": index_prefix,
            "CONCILIAMO_DATA_DIR": str(tmp_path),
        }
        result = CliRunner().invoke(
            main, ["registry", "check", "--today", TODAY.isoformat()], env=env
        )
        assert result.exit_code == 0, result.output
        assert f"1 babysitter(s) suspended, certification expired: {giulia}" in result.output
        again = CliRunner().invoke(
            main, ["registry", "check", "--today", TODAY.isoformat()], env=env
        )
        assert "no expired certification" in again.output
        deliver_all(engine, meili_client, _index(index_prefix))
        assert _found(client, giulia, start=TODAY.isoformat()) == (False, False)
    assert _entry(engine, giulia).status == RegistryStatus.SUSPENDED
    assert _audit(engine, giulia)[-2:] == [
        ("status", "approved", "suspended", None),
        ("decision_note", "", "certificazione scaduta il 01/11/2026", None),
    ]


def test_operators_approve_suspend_and_reject_with_the_audit_log(
    demo_site: DemoSite, engine: Engine, operator: int, meili_client: Client, index_prefix: str
) -> None:
    giulia = service_id_by_code(engine, GIULIA)
    _change_entry(engine, giulia, status=RegistryStatus.PENDING.value)  # as a sign-up would
    deliver_all(engine, meili_client, _index(index_prefix))
    with demo_site() as client:
        assert _found(client, giulia) == (False, False)
        sign_in(client, OPERATOR)
        listing = client.get("/area/babysitter")
        assert listing.status_code == 200
        first_row = listing.text.index('class="registry-')
        assert "Giulia R." in listing.text[first_row : first_row + 300]  # pending first
        assert "in scadenza entro 60 giorni" in listing.text  # Martina C., January 2027

        approved = post_form(client, "/area/babysitter", f"/area/babysitter/{giulia}/approva", {})
        assert approved.status_code == 303
        deliver_all(engine, meili_client, _index(index_prefix))
        assert _found(client, giulia) == (True, True)

        page = f"/area/babysitter/{giulia}"
        no_reason = post_form(client, page, f"{page}/sospendi", {"note": "  "})
        assert no_reason.status_code == 400
        assert "scrivi il motivo della decisione" in no_reason.text
        suspended = post_form(client, page, f"{page}/sospendi", {"note": "Segnalazione"})
        assert suspended.status_code == 303
        deliver_all(engine, meili_client, _index(index_prefix))
        assert _found(client, giulia) == (False, False)
        assert post_form(client, page, f"{page}/rifiuta", {"note": ""}).status_code == 400
        rejected = post_form(client, page, f"{page}/rifiuta", {"note": "Corso non riconosciuto"})
        assert rejected.status_code == 303
    entry = _entry(engine, giulia)
    assert (entry.status, entry.decided_by) == (RegistryStatus.REJECTED, operator)
    assert entry.decision_note == "Corso non riconosciuto"
    assert _audit(engine, giulia)[-5:] == [
        ("status", "pending", "approved", operator),
        ("status", "approved", "suspended", operator),
        ("decision_note", "", "Segnalazione", operator),
        ("status", "suspended", "rejected", operator),
        ("decision_note", "Segnalazione", "Corso non riconosciuto", operator),
    ]


def test_her_own_certificate_dates_wait_for_review(
    demo_site: DemoSite, engine: Engine, operator: int, meili_client: Client, index_prefix: str
) -> None:
    giulia = service_id_by_code(engine, GIULIA)
    make_account(engine, GIULIA_ACCOUNT, UserRole.PROVIDER, (organization_of(engine, GIULIA),))
    own = f"/area/servizi/{giulia}"
    renewed = {
        "registry_course_on": "2025-03-12",
        "registry_course_expires_on": "2028-03-11",
        "first_aid_on": "2026-10-01",
        "first_aid_expires_on": "2028-09-30",
    }
    with demo_site() as babysitter, demo_site() as staff:
        sign_in(babysitter, GIULIA_ACCOUNT)
        page = babysitter.get(own)
        assert 'name="first_aid_expires_on" value="2027-09-19"' in page.text
        wrong = post_form(
            babysitter, own, f"{own}/certificazioni", {**renewed, "first_aid_on": "x"}
        )
        assert wrong.status_code == 400
        assert "non è una data" in wrong.text
        sent = post_form(babysitter, own, f"{own}/certificazioni", renewed)
        assert sent.status_code == 303
        entry = _entry(engine, giulia)
        assert entry.first_aid_expires_on == date(2027, 9, 19)  # still the approved one
        assert entry.proposed_first_aid_expires_on == date(2028, 9, 30)
        deliver_all(engine, meili_client, _index(index_prefix))
        public = babysitter.get(f"/api/v1/services/{giulia}").json()
        assert public["certifications"]["first_aid_expires_on"] == "2027-09-19"
        assert (
            "primo soccorso pediatrico: scadenza 19 settembre 2027"
            in babysitter.get(f"/servizi/{giulia}").text
        )
        assert "in attesa di verifica" in babysitter.get(own).text
        # the babysitter cannot approve her own dates
        assert babysitter.post(f"/area/babysitter/{giulia}/certificazioni").status_code == 403

        sign_in(staff, OPERATOR)
        assert "nuove date da verificare" in staff.get("/area/babysitter").text
        review = f"/area/babysitter/{giulia}"
        assert "Date proposte dalla babysitter" in staff.get(review).text
        approved = post_form(staff, review, f"{review}/certificazioni", {"proposta": "approva"})
        assert approved.status_code == 303
        deliver_all(engine, meili_client, _index(index_prefix))
        public = staff.get(f"/api/v1/services/{giulia}").json()
    assert public["certifications"]["first_aid_expires_on"] == "2028-09-30"
    entry = _entry(engine, giulia)
    assert entry.proposed_at is None and entry.first_aid_on == date(2026, 10, 1)
    fields = [(field, user) for field, _b, _a, user in _audit(engine, giulia)]
    assert ("proposed_first_aid_expires_on", operator) in fields
    assert ("first_aid_expires_on", operator) in fields


def test_she_edits_the_comuni_she_works_in(
    demo_site: DemoSite, engine: Engine, meili_client: Client, index_prefix: str
) -> None:
    giulia = service_id_by_code(engine, GIULIA)
    make_account(engine, GIULIA_ACCOUNT, UserRole.PROVIDER, (organization_of(engine, GIULIA),))
    own = f"/area/servizi/{giulia}"
    with demo_site() as client:
        sign_in(client, GIULIA_ACCOUNT)
        assert 'value="Sesto San Giovanni; Cinisello Balsamo"' in client.get(own).text
        unknown = post_form(
            client, own, f"{own}/comuni", {"service_area": "Sesto San Giovanni; Atlantide"}
        )
        assert unknown.status_code == 400
        assert "comune sconosciuto «Atlantide»" in unknown.text
        saved = post_form(client, own, f"{own}/comuni", {"service_area": "Sesto San Giovanni"})
        assert saved.status_code == 303
        deliver_all(engine, meili_client, _index(index_prefix))
        assert _found(client, giulia) == (True, False)  # no longer works in Cinisello
    with Session(engine) as session:
        assert session.get_one(Service, giulia).service_area == "015209"
        audited = session.exec(select(AuditEntry).where(AuditEntry.field == "service_area")).one()
    assert (audited.before, audited.after) == ("015209,015077", "015209")


def test_the_export_lists_only_approved_babysitters(
    demo_site: DemoSite, engine: Engine, operator: int
) -> None:
    _change_entry(engine, service_id_by_code(engine, GIULIA), status="suspended")
    with demo_site() as client:
        sign_in(client, OPERATOR)
        response = client.get("/area/babysitter/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == [
        "nome",
        "comune",
        "comuni_serviti",
        "corso_babysitter_il",
        "corso_babysitter_scadenza",
        "primo_soccorso_il",
        "primo_soccorso_scadenza",
    ]
    names = [row[0] for row in rows[1:]]
    assert len(names) == 8 and "Giulia R." not in names
    martina = next(row for row in rows if row[0] == "Martina C.")
    assert martina[1:] == [
        "Sesto San Giovanni",
        "Sesto San Giovanni; Cinisello Balsamo",
        "2026-02-05",
        "2029-02-04",
        "2025-01-21",
        "2027-01-20",
    ]


PRIVATE = {
    "phone": "333 123 4567",
    "email": "giulia.rossi@example.net",
    "website": "https://giulia-rossi.example.net",
    "description": "Chiamami al 333 123 4567",
}


def test_no_personal_contact_reaches_the_public(
    demo_site: DemoSite, engine: Engine, meili_client: Client, index_prefix: str
) -> None:
    giulia = service_id_by_code(engine, GIULIA)
    with Session(engine) as session:
        service = session.get_one(Service, giulia)
        for name, value in PRIVATE.items():
            setattr(service, name, value)
        service.location.address = "Via Privata 7"
        session.add(service)
        session.commit()
    deliver_all(engine, meili_client, _index(index_prefix))
    secrets = [*PRIVATE.values(), "Via Privata 7", "333 123", "giulia.rossi"]
    with demo_site() as client:
        answers = {
            "page": client.get(f"/servizi/{giulia}").text,
            "results page": client.get("/", params=SITTERS_IN_SESTO).text,
            "detail": client.get(f"/api/v1/services/{giulia}").text,
            "search": client.get("/api/v1/services", params=SITTERS_IN_SESTO).text,
            "match": client.post("/api/v1/match", json=SITTERS_IN_CINISELLO).text,
        }
        detail = client.get(f"/api/v1/services/{giulia}").json()
    assert "Giulia R." in answers["page"] and "Giulia R." in answers["results page"]
    for where, text in answers.items():
        for secret in secrets:
            assert secret not in text, (where, secret)
    assert [detail[name] for name in ("phone", "email", "website")] == [None, None, None]
    assert detail["location"]["address"] is None
    assert detail["contact"]["name"] == "Sportello Famiglia-Lavoro di Sesto San Giovanni"
    assert detail["certifications"]["text"] == [
        "corso per babysitter: scadenza 11 marzo 2028",
        "primo soccorso pediatrico: scadenza 19 settembre 2027",
    ]
    page = answers["page"]
    assert "Sportello Famiglia-Lavoro di Sesto San Giovanni" in page
    assert "corso per babysitter: scadenza 11 marzo 2028" in page


def test_providers_may_not_moderate(demo_site: DemoSite, engine: Engine) -> None:
    giulia = service_id_by_code(engine, GIULIA)
    make_account(engine, GIULIA_ACCOUNT, UserRole.PROVIDER, (organization_of(engine, GIULIA),))
    with demo_site() as client:
        sign_in(client, GIULIA_ACCOUNT)
        for path in (
            "/area/babysitter",
            "/area/babysitter/export.csv",
            f"/area/babysitter/{giulia}",
        ):
            assert client.get(path).status_code == 403, path
        token_page = f"/area/servizi/{giulia}"
        for action in ("approva", "rifiuta", "sospendi", "certificazioni"):
            response = post_form(
                client, token_page, f"/area/babysitter/{giulia}/{action}", {"note": "io"}
            )
            assert response.status_code == 403, action
    assert _entry(engine, giulia).status == RegistryStatus.APPROVED
