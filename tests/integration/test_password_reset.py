"""A forgotten password (service.accounts.password_reset.send_password_reset): an active
account with a password gets a one-time link by e-mail; an unknown address, a deactivated
account or one still waiting for its invitation get nothing, and nothing is stored. Real
databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from factories import database_state, make_account, make_settings
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.kinds import TokenPurpose, UserRole
from core.models import User, UserToken
from core.settings import Settings
from service.accounts.password_reset import send_password_reset
from service.accounts.users import set_password_with_token

pytestmark = pytest.mark.integration

NEW_PASSWORD = "una nuova frase lunga da ricordare"


@pytest.fixture
def settings(engine: Engine, database_url: str, tmp_path: Path) -> Settings:
    """Four accounts: active, deactivated, invited (no password yet), and none for
    nessuno@example.org; the mail goes to the development mailbox."""
    make_account(engine, "attivo@example.org", UserRole.PROVIDER)
    make_account(engine, "invitato@example.org", UserRole.PROVIDER, password=None)
    off = make_account(engine, "disattivato@example.org", UserRole.OPERATOR)
    with Session(engine) as session:
        account = session.get(User, off.id)
        assert account is not None
        account.active = False
        session.add(account)
        session.commit()
    return make_settings(tmp_path, database_url, "http://127.0.0.1:9", "test-key", "t")


def _send(engine: Engine, settings: Settings, email: str, language: str = "it") -> bool:
    with Session(engine) as session:
        return send_password_reset(settings, session, email, language)


@pytest.mark.parametrize(
    "email",
    ["nessuno@example.org", "disattivato@example.org", "invitato@example.org", ""],
)
def test_no_link_for_an_address_that_may_not_reset(
    engine: Engine, settings: Settings, email: str
) -> None:
    before = database_state(engine)
    assert _send(engine, settings, email) is False
    assert database_state(engine) == before
    assert list(settings.mailbox_dir.glob("*.eml")) == []


def test_an_active_account_gets_a_link_that_sets_its_password(
    engine: Engine, settings: Settings
) -> None:
    assert _send(engine, settings, " Attivo@Example.org ", language="en") is True
    [path] = settings.mailbox_dir.glob("*.eml")
    mail = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert mail["To"] == "attivo@example.org"
    assert mail["Subject"] == "Conciliamo: reset your password"
    link = re.search(r"/reimposta/([\w-]+)", mail.get_content())
    assert link, mail.get_content()
    with Session(engine) as session:
        tokens = session.exec(
            select(UserToken).where(
                UserToken.purpose == TokenPurpose.PASSWORD_RESET.value,
                col(UserToken.used_at).is_(None),
            )
        ).all()
        assert len(tokens) == 1
        user = set_password_with_token(session, link[1], TokenPurpose.PASSWORD_RESET, NEW_PASSWORD)
        assert user.email == "attivo@example.org"
