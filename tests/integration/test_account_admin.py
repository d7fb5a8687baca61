"""Administrators manage accounts from the reserved area: new accounts get an invitation
e-mail and sign in with the password they choose; providers reach their organizations'
listings; deactivation ends sessions; nobody can remove the last administrator; every change
is in the audit log; bad input changes nothing. Real app, real databases, real Meilisearch."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import (
    TEST_PASSWORD,
    DemoSite,
    csrf_token,
    database_state,
    make_account,
    newest_mail_link,
    organization_of,
    post_form,
    service_id_by_code,
    sign_in,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.kinds import UserRole
from core.models import AuditEntry, Organization, User, UserOrganization, UserToken
from service.accounts.account_admin import deactivate_account, update_account
from service.accounts.users import AccountError

pytestmark = pytest.mark.integration

ADMIN = "admin@example.org"
NEW_PASSWORD = "la password scelta dal nuovo account"
TRENINO = "DEMO-SSG-MICRO-01"  # Micronido Il Trenino, of Cooperativa sociale Tiglio Blu
GIRASOLE = "DEMO-SSG-NIDO-01"  # Nido comunale Girasole, of the Comune di Sesto San Giovanni


def _user(engine: Engine, email: str) -> User:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.email == email)).one()
        session.expunge(user)
        return user


def _audit(engine: Engine, user_id: int) -> list[tuple[str, str | None, str | None]]:
    with Session(engine) as session:
        entries = session.exec(
            select(AuditEntry)
            .where(AuditEntry.entity == "user", AuditEntry.entity_id == user_id)
            .order_by(AuditEntry.id)  # type: ignore[arg-type]
        )
        return [(entry.field, entry.before, entry.after) for entry in entries]


@pytest.fixture
def admin(engine: Engine) -> User:
    return make_account(engine, ADMIN, UserRole.ADMIN)


def test_an_admin_creates_an_operator_who_chooses_a_password_and_signs_in(
    demo_site: DemoSite, engine: Engine, admin: User, tmp_path: Path
) -> None:
    with demo_site() as client:
        sign_in(client, ADMIN)
        assert 'href="/area/account"' in client.get("/area").text
        created = post_form(
            client,
            "/area/account/nuovo",
            "/area/account/nuovo",
            {
                "email": "Sportello@Example.org",
                "display_name": "Sportello di Sesto",
                "role": "operator",
                "azione": "crea",
            },
        )
        assert created.status_code == 303, created.text[:2000]
        operator = _user(engine, "sportello@example.org")
        assert created.headers["location"] == f"/area/account/{operator.id}?esito=creato"
        assert operator.role == "operator" and operator.password_hash is None
        page = client.get(created.headers["location"]).text
        assert "invito in attesa" in page and "l&#39;invito a scegliere la password" in page
        listed = client.get("/area/account?q=sportello").text
        assert "sportello@example.org" in listed and "Sportello di Sesto" in listed
    mail = sorted((tmp_path / "mail").glob("*.eml"))[-1]
    assert "sportello_at_example.org" in mail.name
    with demo_site() as browser:
        link = newest_mail_link(tmp_path, "/invito")
        done = post_form(
            browser, link, link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
        )
        assert done.status_code == 303
    with demo_site() as browser:
        sign_in(browser, "sportello@example.org", NEW_PASSWORD)
        area = browser.get("/area").text
        assert "Cerca una scheda da controllare" in area
        assert 'href="/area/account"' not in area  # the link is for administrators only
    assert _audit(engine, operator.id or 0)[:3] == [
        ("email", None, "sportello@example.org"),
        ("role", None, "operator"),
        ("display_name", None, "Sportello di Sesto"),
    ]


def test_an_admin_finds_an_organization_by_name_and_its_provider_edits_its_listing(
    demo_site: DemoSite, engine: Engine, admin: User, tmp_path: Path
) -> None:
    tiglio = organization_of(engine, TRENINO)
    service_id = service_id_by_code(engine, TRENINO)
    form = {"email": "tiglio@example.org", "display_name": "", "role": "provider"}
    with demo_site() as client:
        sign_in(client, ADMIN)
        search = post_form(
            client,
            "/area/account/nuovo",
            "/area/account/nuovo",
            {**form, "org_query": "tiglio", "azione": "cerca"},
        )
        assert search.status_code == 200
        assert f'name="organizations" id="ente-{tiglio}" value="{tiglio}"' in search.text
        assert "Cooperativa sociale Tiglio Blu" in search.text
        assert 'value="tiglio@example.org"' in search.text  # nothing typed is lost
        with Session(engine) as session:
            assert session.exec(select(User).where(User.email == "tiglio@example.org")).all() == []
        by_number = post_form(
            client,
            "/area/account/nuovo",
            "/area/account/nuovo",
            {**form, "org_query": str(tiglio), "azione": "cerca"},
        )
        assert "Cooperativa sociale Tiglio Blu" in by_number.text
        created = post_form(
            client,
            "/area/account/nuovo",
            "/area/account/nuovo",
            {**form, "organizations": str(tiglio), "azione": "crea"},
        )
        assert created.status_code == 303, created.text[:2000]
        listed = client.get("/area/account?ruolo=provider").text
        assert "tiglio@example.org" in listed and "Cooperativa sociale Tiglio Blu" in listed
        assert f">{ADMIN}</a>" not in listed  # the filter keeps providers only
    link = newest_mail_link(tmp_path, "/invito")
    with demo_site() as provider:
        done = post_form(
            provider, link, link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
        )
        assert done.status_code == 303 and done.headers["location"] == "/area"
        area = provider.get("/area").text
        assert "Micronido Il Trenino" in area and "Nido comunale Girasole" not in area
        page = f"/area/servizi/{service_id}"
        saved = post_form(provider, page, page, {"places_available": "3"})
        assert saved.status_code == 303, saved.text[:2000]
        other = service_id_by_code(engine, GIRASOLE)
        assert provider.get(f"/area/servizi/{other}").status_code == 403


def test_deactivation_ends_sessions_and_refuses_sign_in_until_reactivated(
    demo_site: DemoSite, engine: Engine, admin: User
) -> None:
    operator = make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    account = f"/area/account/{operator.id}"
    with demo_site() as client, demo_site() as other:
        sign_in(client, ADMIN)
        sign_in(other, "operatore@example.org")
        assert other.get("/area").status_code == 200
        done = post_form(client, account, f"{account}/disattiva", {})
        assert done.status_code == 303
        assert "Account disattivato" in client.get(done.headers["location"]).text
        assert other.get("/area", follow_redirects=False).status_code == 303  # signed out
        refused = post_form(
            other,
            "/accesso",
            "/accesso",
            {"email": "operatore@example.org", "password": TEST_PASSWORD},
        )
        assert refused.status_code == 400
        listed = client.get("/area/account").text
        assert "disattivato" in listed
        assert post_form(client, account, f"{account}/riattiva", {}).status_code == 303
        sign_in(other, "operatore@example.org")
        assert other.get("/area").status_code == 200
    assert [entry for entry in _audit(engine, operator.id or 0) if entry[0] == "active"] == [
        ("active", "True", "False"),
        ("active", "False", "True"),
    ]


def test_deactivating_an_invited_account_voids_its_link(
    demo_site: DemoSite, engine: Engine, admin: User, tmp_path: Path
) -> None:
    with demo_site() as client:
        sign_in(client, ADMIN)
        created = post_form(
            client,
            "/area/account/nuovo",
            "/area/account/nuovo",
            {"email": "nuovo@example.org", "role": "operator", "azione": "crea"},
        )
        account = created.headers["location"].split("?")[0]
        link = newest_mail_link(tmp_path, "/invito")
        assert post_form(client, account, f"{account}/disattiva", {}).status_code == 303
        resend = post_form(client, account, f"{account}/invito", {})
        assert resend.status_code == 400 and "riattivalo prima" in resend.text
    with demo_site() as browser:
        assert browser.get(link).status_code == 404


def test_an_admin_resends_an_invitation_and_unlocks_an_account(
    demo_site: DemoSite, engine: Engine, admin: User, tmp_path: Path
) -> None:
    invited = make_account(engine, "invitato@example.org", UserRole.OPERATOR, password=None)
    locked = make_account(engine, "bloccato@example.org", UserRole.OPERATOR)
    strict = {"lockout_failures": 2, "login_rate_limit": 100}
    with demo_site(**strict) as client, demo_site(**strict) as guesser:
        for _ in range(2):
            wrong = {"email": "bloccato@example.org", "password": "sbagliata"}
            assert post_form(guesser, "/accesso", "/accesso", wrong).status_code == 400
        sign_in(client, ADMIN)
        assert "bloccato fino al" in client.get("/area/account").text
        page = f"/area/account/{locked.id}"
        assert post_form(client, page, f"{page}/sblocca", {}).status_code == 303
        sign_in(guesser, "bloccato@example.org")
        page = f"/area/account/{invited.id}"
        sent = post_form(client, page, f"{page}/invito", {})
        assert sent.headers["location"] == f"{page}?esito=invitato"
        with_password = post_form(client, page, f"/area/account/{locked.id}/invito", {})
        assert with_password.status_code == 400 and "Password dimenticata" in with_password.text
    assert "invitato_at_example.org" in sorted((tmp_path / "mail").glob("*.eml"))[-1].name
    assert [field for field, _b, _a in _audit(engine, locked.id or 0)] == ["locked_until"]
    assert [field for field, _b, _a in _audit(engine, invited.id or 0)] == ["invitation"]


def test_an_admin_cannot_deactivate_or_demote_themself(
    demo_site: DemoSite, engine: Engine, admin: User
) -> None:
    other = make_account(engine, "altro-admin@example.org", UserRole.ADMIN)
    own = f"/area/account/{admin.id}"
    with demo_site() as client:
        sign_in(client, ADMIN)
        before = database_state(engine)
        deactivate = post_form(client, own, f"{own}/disattiva", {})
        assert deactivate.status_code == 400
        assert "non puoi disattivare il tuo account" in deactivate.text
        demote = post_form(client, own, own, {"role": "operator", "azione": "salva"})
        assert demote.status_code == 400 and "non puoi cambiare il tuo ruolo" in demote.text
        assert "Ruolo" in demote.text
        assert database_state(engine) == before
        # another administrator may be demoted: then this one is the last, and stays
        page = f"/area/account/{other.id}"
        assert post_form(client, page, page, {"role": "operator"}).status_code == 303
        assert _user(engine, "altro-admin@example.org").role == "operator"
        assert post_form(client, own, own, {"role": "provider"}).status_code == 400
    assert _user(engine, ADMIN).role == "admin" and _user(engine, ADMIN).active


def test_the_last_active_admin_is_never_demoted_nor_deactivated(
    engine: Engine, admin: User
) -> None:
    """Two administrators acting on each other at once: the request that comes second finds
    the other one already gone and is refused, so one administrator always remains."""
    second = make_account(engine, "secondo@example.org", UserRole.ADMIN)
    with Session(engine) as session:
        target = session.get(User, second.id)
        assert target is not None
        deactivate_account(session, admin, target)  # the first request wins
    with Session(engine) as session:
        last = session.get(User, admin.id)
        assert last is not None
        with pytest.raises(AccountError, match="unico amministratore attivo"):
            update_account(session, second, last, "", UserRole.OPERATOR, ())
        with pytest.raises(AccountError, match="unico amministratore attivo"):
            deactivate_account(session, second, last)
    assert _user(engine, ADMIN).role == "admin" and _user(engine, ADMIN).active


def test_a_refused_demotion_ends_its_transaction(engine: Engine, admin: User) -> None:
    """The refusal rolls back itself (the pages no longer do): the administrators read FOR
    UPDATE are released at once, and the session is left usable."""
    operator = make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    with Session(engine) as session:
        last = session.get(User, admin.id)
        assert last is not None
        with pytest.raises(AccountError, match="unico amministratore attivo"):
            update_account(session, operator, last, "", UserRole.OPERATOR, ())
        assert not session.in_transaction()
        assert last.role == "admin"  # read again, in a new transaction


def test_role_and_organization_changes_are_in_the_audit_log(
    demo_site: DemoSite, engine: Engine, admin: User, tmp_path: Path
) -> None:
    tiglio, comune = organization_of(engine, TRENINO), organization_of(engine, GIRASOLE)
    provider = make_account(engine, "gestore@example.org", UserRole.PROVIDER, (tiglio,))
    page = f"/area/account/{provider.id}"
    with demo_site() as client:
        sign_in(client, ADMIN)
        shown = client.get(page).text
        assert f'id="ente-{tiglio}" value="{tiglio}" checked' in shown
        moved = post_form(
            client,
            page,
            page,
            {"display_name": "Gestore", "role": "provider", "organizations": str(comune)},
        )
        assert moved.status_code == 303, moved.text[:2000]
        demoted = {"display_name": "Gestore", "role": "operator"}
        assert post_form(client, page, page, demoted).status_code == 303
        log = client.get(f"/area/registro?account={provider.id}").text
    with Session(engine) as session:
        names = {o.id: o.name for o in session.exec(select(Organization))}
        links = session.exec(select(UserOrganization)).all()
    assert links == []
    assert _audit(engine, provider.id or 0) == [
        ("display_name", "", "Gestore"),
        ("organizations", f"{names[tiglio]} (n. {tiglio})", f"{names[comune]} (n. {comune})"),
        ("role", "provider", "operator"),
        ("organizations", f"{names[comune]} (n. {comune})", None),
    ]
    assert "account gestore@example.org" in log
    assert f"{names[tiglio]} (n. {tiglio})" in log and "operator" in log
    with Session(engine) as session:
        texts = " ".join(
            f"{entry.before} {entry.after}" for entry in session.exec(select(AuditEntry))
        )
        assert "argon2" not in texts
        for token in session.exec(select(UserToken)):
            assert token.token_hash not in texts


BAD_NEW_ACCOUNTS = [
    ({"email": "non-una-mail"}, "E-mail", "non è un indirizzo e-mail"),
    ({"email": ADMIN.upper()}, "E-mail", "esiste già un account per admin@example.org"),
    ({"email": "x@example.org\r\nBcc: y@example.org"}, "E-mail", "non è un indirizzo e-mail"),
    ({"role": "superuser"}, "Ruolo", "scegli un ruolo dell&#39;elenco"),
    ({"role": ""}, "Ruolo", "scegli un ruolo dell&#39;elenco"),
    ({"organizations": "999999"}, "Enti", "nessun ente con il numero 999999"),
    ({"organizations": "1 OR 1=1"}, "Enti", "«1 OR 1=1» non è il numero di un ente"),
    ({"organizations": "-1"}, "Enti", "non è il numero di un ente"),
    ({"role": "operator", "organizations": "ORG"}, "Enti", "solo un gestore risponde di enti"),
    ({"display_name": "x" * 121}, "Nome visualizzato", "al massimo 120 caratteri"),
    ({"display_name": "Eva\x00\x1b[31m"}, "Nome visualizzato", "contiene caratteri non ammessi"),
]


def test_bad_input_is_refused_naming_the_field_and_stores_nothing(
    demo_site: DemoSite, engine: Engine, admin: User
) -> None:
    tiglio = organization_of(engine, TRENINO)
    provider = make_account(engine, "gestore@example.org", UserRole.PROVIDER, (tiglio,))
    valid = {"email": "nuovo@example.org", "display_name": "", "role": "provider", "azione": "crea"}
    with demo_site() as client:
        sign_in(client, ADMIN)
        before = database_state(engine)
        for change, label, message in BAD_NEW_ACCOUNTS:
            data = {**valid, **change}
            if data.get("organizations") == "ORG":
                data["organizations"] = str(tiglio)
            # fields no form has must be ignored, never stored
            data |= {"password_hash": "x", "active": "0", "id": "1", "session_version": "9"}
            response = post_form(client, "/area/account/nuovo", "/area/account/nuovo", data)
            assert response.status_code == 400, (change, response.status_code)
            assert f"{label}: " in response.text and message in response.text, change
            assert database_state(engine) == before, (change, "the database changed")
        kept = post_form(
            client,
            "/area/account/nuovo",
            "/area/account/nuovo",
            {**valid, "email": "bad", "display_name": "<b>Eva</b>", "organizations": str(tiglio)},
        )
        assert 'value="&lt;b&gt;Eva&lt;/b&gt;"' in kept.text  # shown again, escaped
        assert f'id="ente-{tiglio}" value="{tiglio}" checked' in kept.text
        page = f"/area/account/{provider.id}"
        for change, label, message in [
            ({"role": "root"}, "Ruolo", "scegli un ruolo"),
            ({"role": "operator", "organizations": str(tiglio)}, "Enti", "solo un gestore"),
            ({"role": "provider", "organizations": "12345678"}, "Enti", "nessun ente"),
            ({"role": "provider", "display_name": "\x07"}, "Nome visualizzato", "non ammessi"),
        ]:
            response = post_form(client, page, page, change)
            assert response.status_code == 400, change
            assert f"{label}: " in response.text and message in response.text, change
            assert database_state(engine) == before, (change, "the database changed")
        missing = post_form(client, "/area/account", "/area/account/999999/disattiva", {})
        assert missing.status_code == 404


def test_operators_and_providers_may_not_use_the_account_pages(
    demo_site: DemoSite, engine: Engine, admin: User
) -> None:
    make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    make_account(
        engine, "gestore@example.org", UserRole.PROVIDER, (organization_of(engine, TRENINO),)
    )
    pages = ["/area/account", "/area/account/nuovo", f"/area/account/{admin.id}"]
    actions = [
        "/area/account/nuovo",
        f"/area/account/{admin.id}",
        *(f"/area/account/{admin.id}/{a}" for a in ("invito", "disattiva", "riattiva", "sblocca")),
    ]
    for email in ("operatore@example.org", "gestore@example.org"):
        with demo_site() as client:
            sign_in(client, email)
            assert 'href="/area/account"' not in client.get("/area").text
            for path in pages:
                assert client.get(path, follow_redirects=False).status_code == 403, (email, path)
            before = database_state(engine)
            token = csrf_token(client, "/area")
            for path in actions:
                response = client.post(
                    path,
                    data={"role": "operator", "email": "x@example.org", "_csrf_token": token},
                    follow_redirects=False,
                )
                assert response.status_code == 403, (email, path)
            assert database_state(engine) == before
