"""Signing in and what protects it: passwords, lock-out, rate limit, CSRF, sessions that end,
invitation and reset links that expire and work once. Real app, real databases."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from factories import (
    TEST_PASSWORD,
    DemoSite,
    csrf_token,
    make_account,
    organization_of,
    post_form,
    service_id_by_code,
    sign_in,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.kinds import UserRole
from core.models import CorrectionRequest, User, UserOrganization, UserToken
from service.accounts.users import now_utc

pytestmark = pytest.mark.integration

NEW_PASSWORD = "un'altra frase lunga per entrare"


def _mail_link(data_dir: Path, path: str) -> str:
    """The link to `path` in the newest e-mail of the development mailbox."""
    newest = sorted((data_dir / "mail").glob("*.eml"))[-1]
    found = re.search(rf"https?://\S+({re.escape(path)}/[\w-]+)", newest.read_text())
    assert found, newest.read_text()
    return found[1]


def test_sign_in_reaches_the_area_and_sign_out_ends_it(demo_site: DemoSite, engine: Engine) -> None:
    make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    with demo_site() as client:
        assert client.get("/area", follow_redirects=False).headers["location"] == (
            "/accesso?next=%2Farea"
        )
        response = sign_in(client, "Operatore@Example.org")
        assert response.headers["location"] == "/area"
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
        area = client.get("/area")
        assert area.status_code == 200 and "operatore@example.org" in area.text
        post_form(client, "/area", "/esci", {})
        assert client.get("/area", follow_redirects=False).status_code == 303


def test_a_wrong_password_says_nothing_about_the_account(
    demo_site: DemoSite, engine: Engine
) -> None:
    make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    with demo_site() as client:
        wrong = post_form(
            client,
            "/accesso",
            "/accesso",
            {"email": "operatore@example.org", "password": "sbagliata"},
        )
        nobody = post_form(
            client,
            "/accesso",
            "/accesso",
            {"email": "nessuno@example.org", "password": "sbagliata"},
        )
    assert wrong.status_code == nobody.status_code == 400
    assert "e-mail o password non corrette" in wrong.text
    assert "e-mail o password non corrette" in nobody.text


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    demo_site: DemoSite, engine: Engine
) -> None:
    make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    wrong = {"email": "operatore@example.org", "password": "sbagliata"}
    with demo_site(lockout_failures=3, login_rate_limit=100) as client:
        for _ in range(3):
            assert post_form(client, "/accesso", "/accesso", wrong).status_code == 400
        right = post_form(
            client,
            "/accesso",
            "/accesso",
            {"email": "operatore@example.org", "password": TEST_PASSWORD},
        )
    assert right.status_code == 400
    assert "troppi tentativi sbagliati" in right.text
    with Session(engine) as session:
        user = session.exec(select(User)).one()
        assert user.locked_until is not None


def test_sign_in_attempts_are_rate_limited(demo_site: DemoSite, engine: Engine) -> None:
    with demo_site(login_rate_limit=3) as client:
        token = csrf_token(client, "/accesso")
        codes = [
            client.post(
                "/accesso", data={"email": "x@example.org", "password": "y", "_csrf_token": token}
            ).status_code
            for _ in range(4)
        ]
    assert codes == [400, 400, 400, 429]


def test_forms_without_their_csrf_token_are_refused_and_change_nothing(
    demo_site: DemoSite, engine: Engine
) -> None:
    make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    service_id = service_id_by_code(engine, "DEMO-SSG-NIDO-01")
    with demo_site() as client:
        client.get("/accesso")  # the CSRF cookie alone is not enough
        login = client.post(
            "/accesso",
            data={"email": "operatore@example.org", "password": TEST_PASSWORD},
            follow_redirects=False,
        )
        report = client.post(
            f"/servizi/{service_id}/segnala",
            data={"topic": "orari", "message": "Chiude alle 16."},
            follow_redirects=False,
        )
        forged = client.post(
            f"/servizi/{service_id}/segnala",
            data={"topic": "orari", "message": "Chiude alle 16.", "_csrf_token": "forged"},
            follow_redirects=False,
        )
    assert login.status_code == report.status_code == forged.status_code == 403
    assert "Il modulo è scaduto" in login.text
    assert (
        "set-cookie" not in login.headers or "conciliamo_session" not in login.headers["set-cookie"]
    )
    with Session(engine) as session:
        assert session.exec(select(CorrectionRequest)).all() == []


def test_a_password_reset_link_works_once_and_ends_other_sessions(
    demo_site: DemoSite, engine: Engine, tmp_path: Path
) -> None:
    make_account(engine, "gestore@example.org", UserRole.PROVIDER)
    with demo_site() as other_browser, demo_site() as client:
        sign_in(other_browser, "gestore@example.org")
        sent = post_form(
            client,
            "/password-dimenticata",
            "/password-dimenticata",
            {"email": "gestore@example.org"},
        )
        unknown = post_form(
            client,
            "/password-dimenticata",
            "/password-dimenticata",
            {"email": "nessuno@example.org"},
        )
        assert sent.text == unknown.text  # the same answer either way
        link = _mail_link(tmp_path, "/reimposta")
        done = post_form(
            client, link, link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
        )
        assert done.status_code == 303 and done.headers["location"] == "/area"
        assert client.get(link).status_code == 404  # used
        assert other_browser.get("/area", follow_redirects=False).status_code == 303
    with demo_site() as client:
        sign_in(client, "gestore@example.org", NEW_PASSWORD)


def test_an_expired_link_is_refused(demo_site: DemoSite, engine: Engine, tmp_path: Path) -> None:
    make_account(engine, "gestore@example.org", UserRole.PROVIDER)
    with demo_site() as client:
        post_form(
            client,
            "/password-dimenticata",
            "/password-dimenticata",
            {"email": "gestore@example.org"},
        )
        link = _mail_link(tmp_path, "/reimposta")
        with Session(engine) as session:
            token = session.exec(select(UserToken)).one()
            token.expires_at = now_utc() - timedelta(seconds=1)
            session.add(token)
            session.commit()
        page = client.get(link)
    assert page.status_code == 404
    assert "Il link non è valido o è scaduto" in page.text


def test_an_operator_invites_a_provider_who_then_sees_only_their_listings(
    demo_site: DemoSite, engine: Engine, tmp_path: Path
) -> None:
    make_account(engine, "operatore@example.org", UserRole.OPERATOR)
    service_id = service_id_by_code(engine, "DEMO-SSG-MICRO-01")
    with demo_site() as operator:
        sign_in(operator, "operatore@example.org")
        page = f"/area/servizi/{service_id}"
        invited = post_form(operator, page, f"{page}/invita", {"email": "tiglio@example.org"})
        assert invited.status_code == 303
    link = _mail_link(tmp_path, "/invito")
    with demo_site() as provider:
        weak = post_form(provider, link, link, {"password": "corta", "password_again": "corta"})
        assert weak.status_code == 400 and "almeno 12 caratteri" in weak.text
        done = post_form(
            provider, link, link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
        )
        assert done.status_code == 303
        area = provider.get("/area").text
    with Session(engine) as session:
        user = session.exec(select(User).where(User.email == "tiglio@example.org")).one()
        links = session.exec(select(UserOrganization).where(UserOrganization.user_id == user.id))
        assert [link.organization_id for link in links] == [
            organization_of(engine, "DEMO-SSG-MICRO-01")
        ]
    assert "Micronido Il Trenino" in area
    assert "Nido comunale Girasole" not in area
