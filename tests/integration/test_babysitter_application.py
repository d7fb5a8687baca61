"""A babysitter applies to the registry herself (/babysitter/candidatura): one transaction
creates her listing, a pending entry with her consent, and a provider account she opens with
the e-mailed invitation; families see nothing of her until an operator approves her, and
then only her first name and initial, never her phone or e-mail. Bad input changes nothing;
an address that has an account gets the same answer and an e-mail saying so."""

from __future__ import annotations

import email
import html
import re
import socket
from datetime import date
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from factories import (
    DemoSite,
    csrf_token,
    database_state,
    make_account,
    post_form,
    service_id_by_code,
    sign_in,
)
from litestar.testing import TestClient
from meilisearch import Client
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from core.kinds import RegistryStatus, UserRole
from core.models import (
    AuditEntry,
    Comune,
    Location,
    Organization,
    OutboxEntry,
    RegistryEntry,
    Service,
    User,
    UserOrganization,
    UserToken,
    utc_now,
)
from search.outbox_delivery import deliver_all
from service.accounts.users import as_utc
from service.web.presenters import long_date

pytestmark = pytest.mark.integration

PATH = "/babysitter/candidatura"
ADDRESS = "ottavia.verdi@example.net"
PHONE = "333 765 4321"
PRESENTATION = "Studentessa di scienze dell'educazione.\nDisponibile il pomeriggio."
APPLICATION = {
    "first_name": "Ottavia",
    "surname": "Verdi",
    "email": "Ottavia.Verdi@Example.net",
    "phone": PHONE,
    "home_comune": "Cinisello Balsamo",
    "service_area": "Cinisello Balsamo; Sesto San Giovanni",
    "languages": "inglese, francese, italiano",
    "hourly_rate": "10,50",
    "presentation": PRESENTATION,
    "registry_course_on": "12/03/2025",
    "registry_course_expires_on": "2028-03-11",
    "first_aid_on": "",
    "first_aid_expires_on": "",
    "publication_consent": "1",
    "privacy_notice": "1",
}
#: babysitters in Cinisello Balsamo for a child born in June 2025, from 11 January 2027
SITTERS_IN_CINISELLO = {
    "birth_year": "2025",
    "birth_month": "6",
    "place": "Cinisello Balsamo",
    "kind": "babysitter",
    "start": "2027-01-11",
}
OPERATOR = "operatrice@example.org"
NEW_PASSWORD = "la mia frase lunga per entrare"
COUNTED = (Service, Organization, Location, RegistryEntry, User, UserOrganization, UserToken)


def _index(index_prefix: str) -> str:
    return f"{index_prefix}_services"


def _counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in COUNTED
        }


def _mails_to(data_dir: Path, address: str) -> list[str]:
    """The bodies of the development mailbox's e-mails to `address`, oldest first."""
    bodies = []
    for path in sorted((data_dir / "mail").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        if message["To"] == address:
            bodies.append(f"{message['Subject']}\n{message.get_content()}")
    return bodies


def _apply(client: TestClient, **changes: str | None) -> Any:
    form = {**APPLICATION, **changes}
    return post_form(client, PATH, PATH, {k: v for k, v in form.items() if v is not None})


def _her_listing(engine: Engine) -> Service:
    with Session(engine) as session:
        service = session.exec(select(Service).where(Service.name == "Ottavia V.")).one()
        session.refresh(service, ["location", "organization"])
        session.expunge_all()
        return service


def _searched(client: TestClient, service_id: int) -> list[dict[str, object]]:
    """Her result among the babysitters in Cinisello (page API), if she is one."""
    found = client.get("/api/v1/services", params=SITTERS_IN_CINISELLO)
    assert found.status_code == 200, found.text
    return [result for result in found.json()["results"] if result["id"] == service_id]


def test_the_form_is_linked_from_the_public_site_and_says_what_is_published(
    demo_client: TestClient, engine: Engine
) -> None:
    assert f'href="{PATH}"' in demo_client.get("/").text  # the footer
    assert f'href="{PATH}"' in demo_client.get("/sportelli").text
    giulia = service_id_by_code(engine, "DEMO-SSG-BABY-01")
    assert f'href="{PATH}"' in demo_client.get(f"/servizi/{giulia}").text
    page = demo_client.get(PATH)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert 'name="_csrf_token"' in text
    assert "il tuo nome e l'iniziale del cognome" in text
    assert (
        "Il cognome, l'e-mail, il telefono e la presentazione li vedono solo gli operatori" in text
    )
    for name in ("first_name", "surname", "email", "home_comune", "service_area", "privacy_notice"):
        assert f'name="{name}"' in text, name


def test_an_application_waits_for_an_operator_then_shows_only_her_first_name(
    demo_site: DemoSite,
    engine: Engine,
    meili_client: Client,
    index_prefix: str,
    tmp_path: Path,
) -> None:
    make_account(engine, OPERATOR, UserRole.OPERATOR)
    before = _counts(engine)
    with demo_site() as client:
        started = utc_now()
        sent = _apply(client)
        finished = utc_now()
        assert sent.status_code == 303, sent.text[:3000]
        assert sent.headers["location"] == f"{PATH}?inviata=1"
        thanks = client.get(sent.headers["location"])
        assert "Controlla la tua e-mail" in thanks.text

    # exactly the expected rows, one of each (and the invitation's token)
    after = _counts(engine)
    assert {name: after[name] - before[name] for name in after} == dict.fromkeys(after, 1)
    service = _her_listing(engine)
    service_id = service.id
    assert service_id is not None
    with Session(engine) as session:
        cinisello = session.get_one(Comune, "015077")
        entry = session.get_one(RegistryEntry, service_id)
        user = session.exec(select(User).where(User.email == ADDRESS)).one()
        links = session.exec(select(UserOrganization).where(UserOrganization.user_id == user.id))
        audit = session.exec(
            select(AuditEntry)
            .where(AuditEntry.service_id == service_id)
            .order_by(col(AuditEntry.id))
        ).all()
        outbox = session.exec(select(OutboxEntry).where(OutboxEntry.service_id == service_id))
        assert outbox.first() is not None  # written by the session listener, same transaction
        linked = [link.organization_id for link in links]
    assert (service.kind, service.organization.name, service.organization.kind) == (
        "babysitter",
        "Ottavia V.",
        "persona",
    )
    assert (service.phone, service.email, service.description) == (PHONE, None, PRESENTATION)
    assert (service.languages, service.cost_cents, service.cost_period) == ("en,fr", 1050, "ora")
    assert service.service_area == "015077,015209"
    location = service.location
    assert (location.comune, location.istat_code, location.address) == (
        "Cinisello Balsamo",
        "015077",
        None,
    )
    assert (location.latitude, location.longitude) == (cinisello.latitude, cinisello.longitude)
    assert (location.geocode_precision, location.geocode_source) == ("comune", "gazetteer")
    assert entry.status == RegistryStatus.PENDING
    assert entry.publication_consent_at is not None
    assert started <= as_utc(entry.publication_consent_at) <= finished
    assert (entry.registry_course_on, entry.registry_course_expires_on) == (
        date(2025, 3, 12),
        date(2028, 3, 11),
    )
    assert entry.first_aid_on is None and entry.decided_by is None
    assert (user.role, user.password_hash, user.display_name) == ("provider", None, "Ottavia Verdi")
    assert linked == [service.organization_id]
    consent = as_utc(entry.publication_consent_at).isoformat()
    assert [(a.entity, a.field, a.before, a.after, a.user_id) for a in audit] == [
        ("registry_entry", "status", None, "pending", None),
        ("registry_entry", "publication_consent_at", None, consent, None),
    ]

    # the invitation e-mail, with a link valid for the invitation days
    mails = _mails_to(tmp_path, ADDRESS)
    assert len(mails) == 1 and "candidatura" in mails[0]
    found = re.search(r"https?://\S+(/invito/[\w-]+)", mails[0])
    assert found, mails[0]
    link = found[1]

    # pending: in the index (through the outbox), but never shown to families
    deliver_all(engine, meili_client, _index(index_prefix))
    with demo_site() as family:
        assert family.get(f"/servizi/{service_id}").status_code == 404
        assert family.get(f"/api/v1/services/{service_id}").status_code == 404
        assert _searched(family, service_id) == []
        assert "Ottavia" not in family.get("/", params=SITTERS_IN_CINISELLO).text

    # she opens the link, chooses a password, and sees her listing in the reserved area
    with demo_site() as babysitter:
        opened = post_form(
            babysitter, link, link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
        )
        assert opened.status_code == 303 and opened.headers["location"] == "/area"
        assert f'href="/area/servizi/{service_id}">Ottavia V.</a>' in babysitter.get("/area").text
        own = html.unescape(babysitter.get(f"/area/servizi/{service_id}").text)
        assert "in attesa di approvazione dello sportello" in own
        assert 'value="Cinisello Balsamo; Sesto San Giovanni"' in own
    with demo_site() as again:
        sign_in(again, ADDRESS, NEW_PASSWORD)

    # an operator sees the consent and her account, and approves her
    with demo_site() as staff:
        sign_in(staff, OPERATOR)
        assert "Ottavia V." in staff.get("/area/babysitter").text
        review = f"/area/babysitter/{service_id}"
        page = html.unescape(staff.get(review).text)
        consent_day = long_date(as_utc(entry.publication_consent_at).date(), "it")
        assert f"dato il {consent_day}" in page
        assert "Ottavia Verdi" in page and ADDRESS in page and PHONE in page
        # the application's audit entries have no author: the log says why
        log = html.unescape(staff.get("/area/registro").text)
        assert "nessun account: importazione, candidatura" in log
        approved = post_form(staff, review, f"{review}/approva", {})
        assert approved.status_code == 303
    deliver_all(engine, meili_client, _index(index_prefix))

    with demo_site() as family:
        results = _searched(family, service_id)
        assert len(results) == 1
        answers = {
            "search": family.get("/api/v1/services", params=SITTERS_IN_CINISELLO).text,
            "results page": family.get("/", params=SITTERS_IN_CINISELLO).text,
            "page": family.get(f"/servizi/{service_id}").text,
            "detail": family.get(f"/api/v1/services/{service_id}").text,
        }
    assert results[0]["name"] == "Ottavia V."
    assert "Ottavia V." in answers["results page"] and "Ottavia V." in answers["page"]
    for where, text in answers.items():
        for secret in ("Verdi", PHONE, "333 765", ADDRESS, "ottavia.verdi", "Studentessa"):
            assert secret not in html.unescape(text), (where, secret)


BAD_INPUT = [
    # (changes, the field's label, what the message says)
    ({"publication_consent": None}, "Consenso alla pubblicazione", "serve il tuo consenso"),
    ({"privacy_notice": None}, "Informativa sulla privacy", "aver letto l'informativa"),
    (
        {"home_comune": "Cinisello Balsam"},
        "Comune in cui vivi",
        "comune sconosciuto «Cinisello Balsam»: forse Cinisello Balsamo?",
    ),
    (
        {"service_area": "Sesto San Giovanni; Atlantide"},
        "Comuni in cui lavori",
        "comune sconosciuto «Atlantide»",
    ),
    ({"service_area": " ; "}, "Comuni in cui lavori", "scrivi almeno un comune"),
    ({"email": "chiara@"}, "E-mail", "«chiara@» non è un indirizzo e-mail"),
    ({"email": "<b>chiara</b>@example.net"}, "E-mail", "non è un indirizzo e-mail"),
    ({"first_name": ""}, "Nome", "scrivi il tuo nome"),
    ({"first_name": "<script>alert(1)</script>"}, "Nome", "usa solo lettere, spazi"),
    ({"surname": "Ver\x00di"}, "Cognome", "contiene caratteri non ammessi"),
    ({"surname": "V" * 61}, "Cognome", "al massimo 60 caratteri"),
    ({"presentation": "x" * 1001}, "Breve presentazione", "al massimo 1000 caratteri"),
    ({"presentation": "ciao\x1b[31m"}, "Breve presentazione", "caratteri non ammessi"),
    ({"phone": "chiamami"}, "Telefono", "non è un numero di telefono"),
    ({"hourly_rate": "tanti"}, "Tariffa oraria in euro", "non è un importo"),
    ({"hourly_rate": "500"}, "Tariffa oraria in euro", "tra 1 e 100 euro"),
    ({"languages": "klingon"}, "Lingue parlate oltre all'italiano", "lingua sconosciuta"),
    (
        {"registry_course_on": "2025-03-12", "registry_course_expires_on": "2024-03-11"},
        "Corso per babysitter: valido fino al",
        "la scadenza deve venire dopo la data del corso",
    ),
    ({"first_aid_on": "ieri"}, "Primo soccorso pediatrico: frequentato il", "non è una data"),
]


def test_bad_input_is_shown_again_and_changes_nothing(
    demo_site: DemoSite, engine: Engine, tmp_path: Path
) -> None:
    before = database_state(engine)
    with demo_site(correction_rate_limit=100) as client:
        for changes, label, message in BAD_INPUT:
            response = _apply(client, **changes)
            assert response.status_code == 400, (changes, response.status_code)
            page = response.text
            assert f"{label}: " in html.unescape(page), (changes, label)
            assert message in html.unescape(page), (changes, message)
            assert "<script>" not in page  # what was typed comes back escaped
            assert database_state(engine) == before, changes
        # what was typed is shown again
        shown = _apply(client, publication_consent=None)
        assert 'value="Ottavia"' in shown.text
        assert "Disponibile il pomeriggio." in shown.text
        assert 'name="privacy_notice" value="1" checked' in shown.text
        hostile = _apply(client, first_name="<script>alert(1)</script>")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile.text
        # a huge body is refused before it is read
        huge = client.post(
            PATH,
            data={
                **APPLICATION,
                "presentation": "x" * 40_000,
                "_csrf_token": csrf_token(client, PATH),
            },
            follow_redirects=False,
        )
        assert huge.status_code == 413
        # nothing without the form's CSRF token
        forged = client.post(PATH, data=APPLICATION, follow_redirects=False)
        assert forged.status_code == 403
    assert database_state(engine) == before
    assert not (tmp_path / "mail").exists() or not list((tmp_path / "mail").glob("*.eml"))


def test_an_address_with_an_account_gets_the_same_answer_and_an_email(
    demo_site: DemoSite, engine: Engine, tmp_path: Path
) -> None:
    make_account(engine, ADDRESS, UserRole.PROVIDER)
    before = database_state(engine)
    with demo_site() as client:
        sent = _apply(client)
        assert sent.status_code == 303
        assert sent.headers["location"] == f"{PATH}?inviata=1"
        thanks = client.get(sent.headers["location"])
        assert "Controlla la tua e-mail" in thanks.text
    assert database_state(engine) == before
    mails = _mails_to(tmp_path, ADDRESS)
    assert len(mails) == 1
    assert "hai già un account" in mails[0]
    assert "/password-dimenticata" in mails[0] and "/accesso" in mails[0]
    assert "/invito/" not in mails[0]


def test_applying_twice_creates_one_account(
    demo_site: DemoSite, engine: Engine, tmp_path: Path
) -> None:
    with demo_site() as client:
        assert _apply(client).status_code == 303
        between = database_state(engine)
        assert _apply(client, first_name="Ottavia Maria").status_code == 303
    assert database_state(engine) == between
    with Session(engine) as session:
        assert len(session.exec(select(User).where(User.email == ADDRESS)).all()) == 1
    first, second = _mails_to(tmp_path, ADDRESS)
    assert "/invito/" in first and "hai già un account" in second


def test_applications_are_rate_limited_apart_from_corrections(
    demo_site: DemoSite, engine: Engine
) -> None:
    before = database_state(engine)
    correction = f"/servizi/{service_id_by_code(engine, 'DEMO-SSG-MICRO-01')}/segnala"
    with demo_site(correction_rate_limit=2) as client:
        codes = [_apply(client, privacy_notice=None).status_code for _ in range(3)]
        limited = _apply(client)
        reported = post_form(
            client, correction, correction, {"topic": "altro", "message": "Orari cambiati."}
        )
    assert codes == [400, 400, 429]
    assert limited.status_code == 429 and "Troppe richieste" in limited.text
    assert "Retry-After" in limited.headers
    assert reported.status_code == 303  # the corrections keep their own count
    with Session(engine) as session:
        assert session.exec(select(User).where(User.email == ADDRESS)).first() is None
    assert database_state(engine) != before  # only the correction request was stored


def test_an_application_is_kept_when_its_email_cannot_be_sent(
    demo_site: DemoSite, engine: Engine, capfd: pytest.CaptureFixture[str]
) -> None:
    """An SMTP server that refuses the connection: she is told her application arrived
    (it did), the failure is logged, and operators see an invitation never accepted."""
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with demo_site(smtp_url=f"smtp://127.0.0.1:{port}") as client:
        sent = _apply(client)
    assert sent.status_code == 303
    assert "could not be sent" in capfd.readouterr().err  # the app's log handler
    listing = _her_listing(engine)
    with Session(engine) as session:
        entry = session.get(RegistryEntry, listing.id)
        assert entry is not None and entry.status == RegistryStatus.PENDING.value
        user = session.exec(select(User).where(User.email == ADDRESS)).one()
        assert user.password_hash is None
