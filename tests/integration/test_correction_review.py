"""Operators review the families' correction requests: accepting applies the operator's
values to the listing (audited, through the outbox to the next search) and closes the
request; rejecting needs a reason and leaves the listing alone; a decided request cannot be
decided again. Real SQLite and PostgreSQL, real Meilisearch, the demo site."""

from __future__ import annotations

import html
import re

import pytest
from factories import (
    TODDLER_IN_SESTO,
    DemoSite,
    csrf_token,
    import_demo,
    make_account,
    organization_of,
    post_form,
    service_id_by_code,
    sign_in,
)
from litestar.testing import TestClient
from meilisearch import Client
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from core.kinds import CorrectionStatus, CorrectionTopic, UserRole
from core.models import AuditEntry, CorrectionRequest, OutboxEntry, Service, User
from search.outbox_delivery import deliver_all
from service.corrections.requests import record_correction_request
from service.corrections.review import (
    CorrectionNotOpen,
    UnknownCorrection,
    accept_correction,
    request_in_review,
)
from service.web.area_common import listing_form_values

pytestmark = pytest.mark.integration

TRENINO = "DEMO-SSG-MICRO-01"  # Micronido Il Trenino, of Cooperativa sociale Tiglio Blu
OPERATOR = "operatore@example.org"
HOSTILE = "<script>alert('x')</script> I posti liberi sono finiti\nda settembre & oltre"


@pytest.fixture
def operator(engine: Engine) -> User:
    return make_account(engine, OPERATOR, UserRole.OPERATOR)


def _report(engine: Engine, code: str = TRENINO) -> int:
    with Session(engine) as session:
        request = record_correction_request(
            session,
            service_id_by_code(engine, code),
            CorrectionTopic.POSTI.value,
            HOSTILE,
            reporter_email="genitore@example.org",
        )
        assert request.id is not None
        return request.id


def _service(engine: Engine, service_id: int) -> Service:
    with Session(engine) as session:
        service = session.get(Service, service_id)
        assert service is not None
        session.expunge(service)
        return service


def _form(engine: Engine, service_id: int, **changes: str) -> dict[str, str]:
    """What the review page's form sends: the listing's current values, some changed."""
    return {**listing_form_values(_service(engine, service_id)), **changes}


def _counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        audit = session.exec(select(func.count()).select_from(AuditEntry)).one()
        outbox = session.exec(
            select(func.count())
            .select_from(OutboxEntry)
            .where(col(OutboxEntry.delivered_at).is_(None))
        ).one()
    return audit, outbox


def _request(engine: Engine, request_id: int) -> CorrectionRequest:
    with Session(engine) as session:
        request = session.get(CorrectionRequest, request_id)
        assert request is not None
        session.expunge(request)
        return request


def _field_value(page: str, name: str) -> str:
    found = re.search(rf'id="campo-{name}" name="{name}" value="([^"]*)"', page)
    assert found, f"no prefilled field {name}"
    return html.unescape(found[1])


def test_the_listing_shows_open_requests_first_with_the_message_escaped(
    demo_client: TestClient, engine: Engine, operator: User
) -> None:
    closed = _report(engine, "DEMO-SSG-NIDO-01")
    with Session(engine) as session:
        request = session.get(CorrectionRequest, closed)
        assert request is not None
        request.status = CorrectionStatus.REJECTED.value
        session.add(request)
        session.commit()
    newest_open = _report(engine)
    sign_in(demo_client, OPERATOR)
    page = demo_client.get("/area/segnalazioni")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    assert "Posti disponibili" in page.text  # the topic's label
    assert "genitore@example.org" in page.text
    assert f'href="/area/servizi/{service_id_by_code(engine, TRENINO)}">Micronido' in page.text
    links = re.findall(r'href="/area/segnalazioni/(\d+)"', page.text)
    assert links == [str(newest_open), str(closed)]
    rejected = demo_client.get("/area/segnalazioni", params={"stato": "rejected"})
    assert re.findall(r'href="/area/segnalazioni/(\d+)"', rejected.text) == [str(closed)]
    resolved = demo_client.get("/area/segnalazioni", params={"stato": "resolved"})
    assert re.findall(r'href="/area/segnalazioni/(\d+)"', resolved.text) == []


def test_accepting_applies_the_change_audits_it_and_the_next_search_shows_it(
    demo_site: DemoSite,
    engine: Engine,
    operator: User,
    meili_client: Client,
    index_prefix: str,
) -> None:
    service_id = service_id_by_code(engine, TRENINO)
    request_id = _report(engine)
    demo = _service(engine, service_id)
    assert demo.places_available != 0
    deliver_all(engine, meili_client, f"{index_prefix}_services")  # the import's entries
    audit_before, _ = _counts(engine)
    with demo_site() as client:
        sign_in(client, OPERATOR)
        review = f"/area/segnalazioni/{request_id}"
        page = client.get(review)
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
        assert _field_value(page.text, "places_available") == str(demo.places_available)
        assert _field_value(page.text, "phone") == demo.phone
        form = _form(engine, service_id, places_available="0", phone="02 0000 7777")
        form["nota"] = "Confermato al telefono con la coordinatrice."
        response = post_form(client, review, f"{review}/accetta", form)
        assert response.status_code == 303, response.text[:2000]
        assert response.headers["location"] == f"{review}?esito=accettata"
        assert _counts(engine)[1] == 1  # one outbox entry carries the change
        deliver_all(engine, meili_client, f"{index_prefix}_services")
        found = client.get("/api/v1/services", params={**TODDLER_IN_SESTO, "sort": "distance"})
        closed = client.get(response.headers["location"])
    trenino = next(r for r in found.json()["results"] if r["id"] == service_id)
    assert trenino["places_available"] == 0
    assert (
        "Segnalazione accettata" in closed.text and 'action="/area/segnalazioni' not in closed.text
    )
    assert _service(engine, service_id).phone == "02 0000 7777"
    request = _request(engine, request_id)
    assert request.status == CorrectionStatus.RESOLVED.value
    assert request.resolved_by == operator.id and request.resolved_at is not None
    assert request.resolution_note == "Confermato al telefono con la coordinatrice."
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
    assert len(entries) == audit_before + 4
    made = {(e.entity, e.field, e.before, e.after) for e in entries}
    assert made == {
        ("correction_request", "status", "open", "resolved"),
        ("correction_request", "resolution_note", None, request.resolution_note),
        ("service", "places_available", str(demo.places_available), "0"),
        ("service", "phone", demo.phone, "02 0000 7777"),
    }
    assert all(e.user_id == operator.id and e.service_id == service_id for e in entries)


def test_accepting_without_changes_still_closes_the_request(
    demo_client: TestClient, engine: Engine, operator: User
) -> None:
    service_id = service_id_by_code(engine, TRENINO)
    request_id = _report(engine)
    outbox = _counts(engine)[1]
    sign_in(demo_client, OPERATOR)
    review = f"/area/segnalazioni/{request_id}"
    response = post_form(demo_client, review, f"{review}/accetta", _form(engine, service_id))
    assert response.status_code == 303
    assert _request(engine, request_id).status == CorrectionStatus.RESOLVED.value
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry)).all()
    assert [(e.entity, e.field, e.after) for e in entries] == [
        ("correction_request", "status", "resolved")
    ]
    assert _counts(engine)[1] == outbox  # the listing did not change


def test_bad_values_are_named_and_nothing_changes(
    demo_client: TestClient, engine: Engine, operator: User
) -> None:
    service_id = service_id_by_code(engine, TRENINO)
    request_id = _report(engine)
    before = _service(engine, service_id)
    counts = _counts(engine)
    sign_in(demo_client, OPERATOR)
    review = f"/area/segnalazioni/{request_id}"
    form = _form(engine, service_id, places_available="9999", capacity="10", email="non-mail")
    response = post_form(demo_client, review, f"{review}/accetta", form)
    assert response.status_code == 400
    assert 'href="#campo-places_available"' in response.text
    assert 'href="#campo-email"' in response.text
    assert _field_value(response.text, "email") == "non-mail"  # what was typed, to fix
    assert _request(engine, request_id).status == CorrectionStatus.OPEN.value
    assert _service(engine, service_id).places_available == before.places_available
    assert _counts(engine) == counts


def test_rejecting_needs_a_reason_and_leaves_the_listing_alone(
    demo_client: TestClient, engine: Engine, operator: User
) -> None:
    service_id = service_id_by_code(engine, TRENINO)
    request_id = _report(engine)
    before = _service(engine, service_id)
    counts = _counts(engine)
    sign_in(demo_client, OPERATOR)
    review = f"/area/segnalazioni/{request_id}"
    for reason in ("", "   ", "no"):
        refused = post_form(demo_client, review, f"{review}/rifiuta", {"motivo": reason})
        assert refused.status_code == 400
        assert 'href="#campo-motivo"' in refused.text and "Motivo" in refused.text
        assert _request(engine, request_id).status == CorrectionStatus.OPEN.value
        assert _counts(engine) == counts
    reason = "Il servizio conferma i posti indicati nella scheda."
    response = post_form(demo_client, review, f"{review}/rifiuta", {"motivo": reason})
    assert response.status_code == 303
    request = _request(engine, request_id)
    assert request.status == CorrectionStatus.REJECTED.value
    assert (request.resolved_by, request.resolution_note) == (operator.id, reason)
    after = _service(engine, service_id)
    assert after.model_dump() == before.model_dump()
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry).order_by(col(AuditEntry.field))).all()
    assert [(e.entity, e.field, e.before, e.after) for e in entries] == [
        ("correction_request", "resolution_note", None, reason),
        ("correction_request", "status", "open", "rejected"),
    ]
    assert _counts(engine)[1] == counts[1]  # no outbox entry: the listing did not change
    assert reason in demo_client.get(review).text


def test_a_decided_request_cannot_be_decided_again(
    demo_client: TestClient, engine: Engine, operator: User
) -> None:
    service_id = service_id_by_code(engine, TRENINO)
    request_id = _report(engine)
    sign_in(demo_client, OPERATOR)
    review = f"/area/segnalazioni/{request_id}"
    first = _form(engine, service_id, places_available="1")
    assert post_form(demo_client, review, f"{review}/accetta", first).status_code == 303
    counts, after_first = _counts(engine), _service(engine, service_id)
    token_page = "/area/segnalazioni"  # the review page no longer has the forms
    again = post_form(
        demo_client, token_page, f"{review}/accetta", {**first, "places_available": "5"}
    )
    assert again.status_code == 409
    assert "già stata esaminata" in again.text
    rejected = post_form(demo_client, token_page, f"{review}/rifiuta", {"motivo": "ripensato"})
    assert rejected.status_code == 409
    assert _counts(engine) == counts
    assert _service(engine, service_id).model_dump() == after_first.model_dump()
    request = _request(engine, request_id)
    assert request.status == CorrectionStatus.RESOLVED.value and request.resolution_note == ""


def test_of_two_operators_deciding_at_once_one_is_refused(engine: Engine, operator: User) -> None:
    """The second decision reads the request as open, yet the conditional update refuses it."""
    import_demo(engine)
    request_id = _report(engine)
    colleague = make_account(engine, "collega@example.org", UserRole.OPERATOR)
    with Session(engine) as late, Session(engine) as early:
        stale = late.get(CorrectionRequest, request_id)
        assert stale is not None and stale.status == CorrectionStatus.OPEN.value
        accept_correction(early, request_id, {"places_available": 3}, colleague)
        with pytest.raises(CorrectionNotOpen) as refused:
            accept_correction(late, request_id, {"places_available": 7}, operator)
    assert refused.value.status == CorrectionStatus.RESOLVED.value
    service_id = service_id_by_code(engine, TRENINO)
    assert _service(engine, service_id).places_available == 3
    assert _request(engine, request_id).resolved_by == colleague.id


def test_the_review_reads_the_request_afresh_with_its_listing_and_resolver(
    engine: Engine, operator: User
) -> None:
    """What the review page shows after a refused decision: the colleague's, not the stale
    open request the session held."""
    import_demo(engine)
    request_id = _report(engine)
    colleague = make_account(engine, "collega@example.org", UserRole.OPERATOR)
    with Session(engine) as late, Session(engine) as early:
        opened = request_in_review(late, request_id)
        assert (opened.request.status, opened.resolver) == (CorrectionStatus.OPEN.value, None)
        assert opened.service.name == "Micronido Il Trenino"
        accept_correction(early, request_id, {}, colleague, "verificato al telefono")
        decided = request_in_review(late, request_id)
        assert decided.request.status == CorrectionStatus.RESOLVED.value
        assert decided.request.resolution_note == "verificato al telefono"
        assert decided.resolver is not None and decided.resolver.email == "collega@example.org"
        with pytest.raises(UnknownCorrection):
            request_in_review(late, request_id + 1)


def test_a_provider_is_refused_every_review_route(
    demo_client: TestClient, engine: Engine, operator: User
) -> None:
    """Even the provider of the listing a request is about: these pages are for staff."""
    request_id = _report(engine)
    make_account(
        engine, "tiglio@example.org", UserRole.PROVIDER, (organization_of(engine, TRENINO),)
    )
    sign_in(demo_client, "tiglio@example.org")
    routes = [
        (method, route.path)
        for route in demo_client.app.routes
        if route.path.startswith(("/area/segnalazioni", "/area/qualita"))
        for method in sorted(route.methods - {"HEAD", "OPTIONS"})
    ]
    assert len(routes) == 7, routes
    counts = _counts(engine)
    token = csrf_token(demo_client, "/area")
    for method, path in routes:
        url = path.replace("{request_id:int}", str(request_id)).replace("{candidate_id:int}", "1")
        response = demo_client.request(
            method,
            url,
            data={"motivo": "non mio", "places_available": "0", "_csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 403, (method, path)
        assert "genitore@example.org" not in response.text
    assert _counts(engine) == counts
    assert _request(engine, request_id).status == CorrectionStatus.OPEN.value
