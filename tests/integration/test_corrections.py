"""Correction requests ("segnala un errore"): validated, stored as written, never touching the
service or the outbox; refused for unknown or unpublished services with nothing stored.
Real SQLite and PostgreSQL; the API over the real demo site."""

from __future__ import annotations

import pytest
from factories import service_id_by_code
from litestar.testing import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from core.i18n import _
from core.kinds import CorrectionTopic, ListingStatus
from core.models import CorrectionRequest, OutboxEntry, Service
from service.corrections.requests import (
    CorrectionRequestInvalid,
    FieldProblem,
    UnknownService,
    record_correction_request,
)

pytestmark = pytest.mark.integration

NIDO = "DEMO-SSG-NIDO-01"
HOSTILE = (
    "<script>alert('x')</script> \"; DROP TABLE service; -- {message} %s ${{7*7}} "
    "l'orario è cambiato: ora chiude alle 17:00 🙂"
)


def _counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        corrections = session.exec(select(func.count()).select_from(CorrectionRequest)).one()
        outbox = session.exec(select(func.count()).select_from(OutboxEntry)).one()
    return corrections, outbox


def _fields(error: CorrectionRequestInvalid) -> list[str]:
    return [problem.field for problem in error.problems]


def test_a_request_is_stored_as_written_and_leaves_the_service_alone(
    demo_engine: Engine,
) -> None:
    service_id = service_id_by_code(demo_engine, NIDO)
    with Session(demo_engine) as session:
        before = session.get(Service, service_id)
        assert before is not None
        updated_at = before.updated_at
    _, outbox_before = _counts(demo_engine)

    with Session(demo_engine) as session:
        recorded = record_correction_request(
            session, service_id, "orari", f"  {HOSTILE}\n", " Mamma@Example.org ", "en"
        )
        assert recorded.id is not None

    with Session(demo_engine) as session:
        stored = session.exec(select(CorrectionRequest)).one()
        assert stored.service_id == service_id
        assert stored.topic == CorrectionTopic.ORARI
        assert stored.message == HOSTILE  # verbatim, only trimmed
        assert stored.reporter_email == "Mamma@Example.org"
        assert stored.language == "en"
        assert stored.status == "open"
        assert stored.created_at is not None
        service = session.get(Service, service_id)
        assert service is not None and service.updated_at == updated_at
    assert _counts(demo_engine) == (1, outbox_before)  # no outbox entry


def test_the_email_is_optional(demo_engine: Engine) -> None:
    service_id = service_id_by_code(demo_engine, NIDO)
    with Session(demo_engine) as session:
        for email in (None, "", "   "):
            recorded = record_correction_request(
                session, service_id, "altro", "Il telefono non risponde mai.", email, "it"
            )
            assert recorded.reporter_email is None
    assert _counts(demo_engine)[0] == 3


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"message": ""}, "message", "scrivi che cosa non è corretto"),
        ({"message": " \n\t "}, "message", "scrivi che cosa non è corretto"),
        (
            {"message": "  corto   "},
            "message",
            "messaggio troppo breve: scrivi almeno 10 caratteri",
        ),
        (
            {"message": "x" * 2001},
            "message",
            "messaggio troppo lungo: al massimo 2000 caratteri (ne ha 2001)",
        ),
        (
            {"message": "Orario sbagliato\x00 davvero"},
            "message",
            "il messaggio contiene caratteri di controllo non ammessi",
        ),
        (
            {"topic": "prezzi"},
            "topic",
            "argomento «prezzi» non previsto: scegli tra orari, eta, costi, contatti, "
            "indirizzo, posti, altro",
        ),
        (
            {"reporter_email": "non-una-email"},
            "reporter_email",
            "indirizzo e-mail non valido: scrivi per esempio nome@example.org",
        ),
        (
            {"reporter_email": "a@" + "b" * 200 + ".it"},
            "reporter_email",
            "indirizzo e-mail troppo lungo: al massimo 200 caratteri",
        ),
        ({"language": "fr"}, "language", "lingua «fr» non prevista: usa it o en"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    demo_engine: Engine, changes: dict[str, str], field: str, message: str
) -> None:
    service_id = service_id_by_code(demo_engine, NIDO)
    values = {
        "topic": "orari",
        "message": "Il sabato è chiuso, non aperto.",
        "reporter_email": None,
        "language": "it",
        **changes,
    }
    before = _counts(demo_engine)
    with Session(demo_engine) as session, pytest.raises(CorrectionRequestInvalid) as raised:
        record_correction_request(session, service_id, **values)  # type: ignore[arg-type]
    assert [(p.field, str(p.message)) for p in raised.value.problems] == [(field, message)]
    assert _counts(demo_engine) == before


def test_every_wrong_field_is_reported_at_once_in_either_language(demo_engine: Engine) -> None:
    service_id = service_id_by_code(demo_engine, NIDO)
    with Session(demo_engine) as session, pytest.raises(CorrectionRequestInvalid) as raised:
        record_correction_request(session, service_id, "boh", "", "x@", "it")
    assert _fields(raised.value) == ["topic", "message", "reporter_email"]
    assert raised.value.errors("en")[1] == {
        "field": "message",
        "message": "tell us what is wrong",
    }
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize("status", [ListingStatus.DRAFT, ListingStatus.SUSPENDED])
def test_an_unpublished_service_is_refused(demo_engine: Engine, status: ListingStatus) -> None:
    service_id = service_id_by_code(demo_engine, NIDO)
    with Session(demo_engine) as session:
        service = session.get(Service, service_id)
        assert service is not None
        service.status = status.value
        session.add(service)
        session.commit()
    before = _counts(demo_engine)
    with Session(demo_engine) as session, pytest.raises(UnknownService) as raised:
        record_correction_request(session, service_id, "orari", "Non esiste più.", None, "it")
    assert raised.value.problems == (
        FieldProblem(
            "service_id",
            _("nessun servizio pubblicato con il numero {service_id}", service_id=service_id),
        ),
    )
    assert _counts(demo_engine) == before


@pytest.mark.parametrize("service_id", [0, -1, 999_999, 2**31, 10**20])
def test_an_unknown_service_is_refused(demo_engine: Engine, service_id: int) -> None:
    with Session(demo_engine) as session, pytest.raises(UnknownService):
        record_correction_request(session, service_id, "orari", "Non esiste più.", None, "it")
    assert _counts(demo_engine)[0] == 0


def test_requests_go_with_their_service(demo_engine: Engine) -> None:
    service_id = service_id_by_code(demo_engine, NIDO)
    with Session(demo_engine) as session:
        record_correction_request(session, service_id, "costi", "La retta è di 450 euro.")
        service = session.get(Service, service_id)
        session.delete(service)
        session.commit()
        remaining = session.exec(select(func.count(col(CorrectionRequest.id)))).one()
    assert remaining == 0


# ---- the API --------------------------------------------------------------------------------


def test_api_records_a_request_and_echoes_nothing_personal(
    demo_client: TestClient, engine: Engine
) -> None:
    service_id = service_id_by_code(engine, NIDO)
    response = demo_client.post(
        f"/api/v1/services/{service_id}/corrections",
        json={
            "topic": "contatti",
            "message": HOSTILE,
            "reporter_email": "genitore@example.org",
            "language": "it",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"id", "service_id", "topic", "status", "created_at"}
    assert (body["service_id"], body["topic"], body["status"]) == (service_id, "contatti", "open")
    assert "genitore" not in response.text
    detail = demo_client.get(f"/api/v1/services/{service_id}").text
    assert "genitore" not in detail and "correction" not in detail
    with Session(engine) as session:
        assert session.exec(select(CorrectionRequest.message)).one() == HOSTILE


def test_api_bad_request_is_a_422_naming_the_fields(
    demo_client: TestClient, engine: Engine
) -> None:
    service_id = service_id_by_code(engine, NIDO)
    response = demo_client.post(
        f"/api/v1/services/{service_id}/corrections",
        json={"topic": "orari", "message": "x" * 5000, "language": "en"},
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "message: message too long: 2000 characters at most (it has 5000)",
        "errors": [
            {
                "field": "message",
                "message": "message too long: 2000 characters at most (it has 5000)",
            }
        ],
    }
    assert _counts(engine)[0] == 0


def test_api_unknown_service_is_a_404(demo_client: TestClient, engine: Engine) -> None:
    response = demo_client.post(
        "/api/v1/services/999999/corrections",
        json={"topic": "orari", "message": "Non esiste più questo nido."},
    )
    assert response.status_code == 404
    assert response.json()["errors"] == [
        {"field": "service_id", "message": "nessun servizio pubblicato con il numero 999999"}
    ]
    assert _counts(engine)[0] == 0


def test_api_wrong_body_type_is_a_422(demo_client: TestClient, engine: Engine) -> None:
    service_id = service_id_by_code(engine, NIDO)
    response = demo_client.post(
        f"/api/v1/services/{service_id}/corrections", json={"topic": 3, "message": ["a"]}
    )
    assert response.status_code in {400, 422}
    assert "errors" in response.json()
    assert _counts(engine)[0] == 0
