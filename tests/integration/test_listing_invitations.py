"""Staff invite a listing's provider (service.accounts.invitations.invite_listing_provider):
a new address becomes a provider account of the listing's organization, an existing provider
is linked to it too, each change audited, and the e-mail names the listing; an address that
cannot be a provider's changes nothing. Real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from factories import (
    database_state,
    import_demo,
    make_account,
    make_settings,
    organization_of,
    service_id_by_code,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.kinds import TokenPurpose, UserRole
from core.models import AuditEntry, Service, User, UserOrganization, UserToken
from core.settings import Settings
from service.accounts.invitations import invite_listing_provider
from service.accounts.users import AccountError

pytestmark = pytest.mark.integration

OPERATOR = "operatore@example.org"
TRENINO = "DEMO-SSG-MICRO-01"  # Micronido Il Trenino, of Cooperativa sociale Tiglio Blu
GIRASOLE = "DEMO-SSG-NIDO-01"  # Nido comunale Girasole, of the Comune di Sesto San Giovanni


@pytest.fixture
def settings(engine: Engine, database_url: str, tmp_path: Path) -> Settings:
    """The demo listings and an operator; the mail goes to the development mailbox."""
    import_demo(engine)
    make_account(engine, OPERATOR, UserRole.OPERATOR)
    return make_settings(tmp_path, database_url, "http://127.0.0.1:9", "test-key", "t")


def _invite(engine: Engine, settings: Settings, code: str, email: str) -> int:
    """Invite as the operator; the invited account's id."""
    with Session(engine) as session:
        actor = session.exec(select(User).where(User.email == OPERATOR)).one()
        service = session.get(Service, service_id_by_code(engine, code))
        assert service is not None
        invited = invite_listing_provider(settings, session, actor, service, email, "it")
        assert invited.id is not None
        return invited.id


def _organizations(engine: Engine, user_id: int) -> set[int | None]:
    with Session(engine) as session:
        links = session.exec(select(UserOrganization).where(UserOrganization.user_id == user_id))
        return {link.organization_id for link in links}


def _audited_fields(engine: Engine, user_id: int) -> list[str]:
    with Session(engine) as session:
        entries = session.exec(
            select(AuditEntry)
            .where(AuditEntry.entity == "user", AuditEntry.entity_id == user_id)
            .order_by(col(AuditEntry.id))
        )
        return [entry.field for entry in entries]


def _mails(settings: Settings) -> list[EmailMessage]:
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(settings.mailbox_dir.glob("*.eml"))
    ]


def _open_invitations(engine: Engine, user_id: int) -> int:
    with Session(engine) as session:
        tokens = session.exec(
            select(UserToken).where(
                UserToken.user_id == user_id,
                UserToken.purpose == TokenPurpose.INVITATION.value,
                col(UserToken.used_at).is_(None),
            )
        )
        return len(tokens.all())


def test_a_new_address_becomes_a_provider_of_the_listing_with_an_invitation(
    engine: Engine, settings: Settings
) -> None:
    user_id = _invite(engine, settings, TRENINO, " Tiglio@Example.org ")
    with Session(engine) as session:
        user = session.get(User, user_id)
        assert user is not None
        assert (user.email, user.role, user.password_hash) == (
            "tiglio@example.org",
            "provider",
            None,
        )
    assert _organizations(engine, user_id) == {organization_of(engine, TRENINO)}
    assert _audited_fields(engine, user_id) == ["email", "role", "organizations", "invitation"]
    assert _open_invitations(engine, user_id) == 1
    [mail] = _mails(settings)
    assert mail["To"] == "tiglio@example.org"
    assert mail["Subject"] == "Conciliamo: aggiorna la scheda «Micronido Il Trenino»"
    assert "/invito/" in mail.get_content()


def test_an_existing_provider_is_linked_to_the_listing_too(
    engine: Engine, settings: Settings
) -> None:
    comune = organization_of(engine, GIRASOLE)
    provider = make_account(engine, "gestore@example.org", UserRole.PROVIDER, (comune,))
    assert provider.id is not None
    assert _invite(engine, settings, TRENINO, "gestore@example.org") == provider.id
    assert _organizations(engine, provider.id) == {comune, organization_of(engine, TRENINO)}
    assert _audited_fields(engine, provider.id) == ["organizations", "invitation"]
    assert [mail["To"] for mail in _mails(settings)] == ["gestore@example.org"]


def test_inviting_again_sends_a_new_link_and_links_nothing_more(
    engine: Engine, settings: Settings
) -> None:
    user_id = _invite(engine, settings, TRENINO, "tiglio@example.org")
    assert _invite(engine, settings, TRENINO, "tiglio@example.org") == user_id
    assert _organizations(engine, user_id) == {organization_of(engine, TRENINO)}
    assert _audited_fields(engine, user_id)[-2:] == ["invitation", "invitation"]
    assert _open_invitations(engine, user_id) == 1  # the first link stopped working
    assert len(_mails(settings)) == 2


@pytest.mark.parametrize(
    ("email", "message"),
    [
        (OPERATOR, "questo account non è di un gestore"),  # staff are not providers
        ("non-un-indirizzo", "indirizzo e-mail"),
    ],
)
def test_an_address_that_cannot_be_a_provider_changes_nothing(
    engine: Engine, settings: Settings, email: str, message: str
) -> None:
    before = database_state(engine)
    with pytest.raises(AccountError, match=message) as refused:
        _invite(engine, settings, TRENINO, email)
    assert refused.value.field == "email"
    assert database_state(engine) == before
    assert _mails(settings) == []
