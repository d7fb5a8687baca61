"""Accounts: create them, sign in (with lock-out after repeated failures), the organizations
a provider answers for, and one-time links for invitations and password resets."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from core.i18n import Text, _
from core.kinds import TokenPurpose, UserRole
from core.models import Organization, User, UserOrganization, UserToken
from service.accounts.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)

EMAIL_PATTERN = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")


class AccountError(ValueError):
    """An account operation that cannot be done; `field` names the form field."""

    def __init__(self, field: str, message: Text) -> None:
        self.field = field
        self.message = message
        super().__init__(message)


class SignInRefused(Exception):
    """Wrong e-mail or password (never said which), or an account locked for now."""

    def __init__(self, locked_until: datetime | None = None) -> None:
        self.locked_until = locked_until
        super().__init__("sign-in refused")


def now_utc() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Databases may hand back naive UTC datetimes."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def normal_email(email: str) -> str:
    return email.strip().lower()


def is_email_address(address: str) -> bool:
    """Whether `address` (already normalised) can be an account's sign-in name."""
    return bool(EMAIL_PATTERN.fullmatch(address)) and len(address) <= 254


def find_user(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normal_email(email))).first()


def create_user(
    session: Session,
    email: str,
    role: UserRole,
    password: str | None = None,
    display_name: str = "",
    organization_ids: tuple[int, ...] = (),
    commit: bool = True,
) -> User:
    """A new account (committed). Without a password it waits for an invitation link.

    `commit=False`: checked, added and flushed only, so whatever else belongs to the same
    change (its audit entries) commits with it. Nothing is added when a check fails."""
    address = normal_email(email)
    if not EMAIL_PATTERN.fullmatch(address) or len(address) > 254:
        raise AccountError("email", _("«{email}» non è un indirizzo e-mail", email=email))
    if find_user(session, address) is not None:
        raise AccountError("email", _("esiste già un account per {email}", email=address))
    if password is not None and (problem := password_problem(password, address)):
        raise AccountError("password", problem)
    for organization_id in organization_ids:
        if session.get(Organization, organization_id) is None:
            raise AccountError(
                "organization", _("nessun ente con il numero {id}", id=organization_id)
            )
    user = User(
        email=address,
        role=role.value,
        display_name=display_name.strip()[:120],
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    for organization_id in dict.fromkeys(organization_ids):
        session.add(UserOrganization(user_id=user.id, organization_id=organization_id))
    session.flush()
    if commit:
        session.commit()
        session.refresh(user)
    return user


def sign_in(
    session: Session,
    email: str,
    password: str,
    lockout_failures: int,
    lockout: timedelta,
    now: datetime | None = None,
) -> User:
    """The account, when the password is right and it is not locked; commits the outcome.

    `lockout_failures` wrong passwords in a row lock the account for `lockout`; the right
    password while locked is refused too, so guessing gains nothing."""
    moment = now or now_utc()
    user = find_user(session, email)
    password_ok = verify_password(user.password_hash if user else None, password)
    if user is None or not user.active:
        raise SignInRefused()
    if user.locked_until is not None and as_utc(user.locked_until) > moment:
        raise SignInRefused(as_utc(user.locked_until))
    if not password_ok:
        user.failed_logins += 1
        if user.failed_logins >= lockout_failures:
            user.locked_until = moment + lockout
            user.failed_logins = 0
        session.add(user)
        session.commit()
        raise SignInRefused(as_utc(user.locked_until) if user.locked_until else None)
    assert user.password_hash is not None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = moment
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def organization_ids(session: Session, user: User) -> set[int]:
    links = session.exec(select(UserOrganization).where(UserOrganization.user_id == user.id))
    return {link.organization_id for link in links if link.organization_id is not None}


def organization_accounts(session: Session, organization_id: int) -> list[User]:
    """The accounts linked to an organization (a babysitter's own, for the operators)."""
    statement = (
        select(User)
        .join(UserOrganization, col(UserOrganization.user_id) == col(User.id))
        .where(UserOrganization.organization_id == organization_id)
        .order_by(col(User.email))
    )
    return list(session.exec(statement))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link_token(
    session: Session, user: User, purpose: TokenPurpose, valid_for: timedelta
) -> str:
    """A one-time token for a link (committed); only its hash is stored. Earlier unused
    tokens of the same purpose stop working."""
    moment = now_utc()
    earlier = session.exec(
        select(UserToken).where(
            UserToken.user_id == user.id,
            UserToken.purpose == purpose.value,
            col(UserToken.used_at).is_(None),
        )
    )
    for old in earlier:
        old.used_at = moment
        session.add(old)
    token = secrets.token_urlsafe(32)
    session.add(
        UserToken(
            user_id=user.id,
            purpose=purpose.value,
            token_hash=_token_hash(token),
            expires_at=moment + valid_for,
        )
    )
    session.commit()
    return token


def valid_link_token(
    session: Session, token: str, purpose: TokenPurpose, now: datetime | None = None
) -> UserToken | None:
    if not token or len(token) > 100:
        return None
    found = session.exec(
        select(UserToken).where(
            UserToken.token_hash == _token_hash(token), UserToken.purpose == purpose.value
        )
    ).first()
    if found is None or found.used_at is not None:
        return None
    if as_utc(found.expires_at) <= (now or now_utc()):
        return None
    return found


def set_password_with_token(
    session: Session, token: str, purpose: TokenPurpose, password: str
) -> User:
    """Use a link: set the password (committed), end every other session of the account."""
    found = valid_link_token(session, token, purpose)
    if found is None:
        raise AccountError("token", _("il link non è valido o è scaduto: chiedine uno nuovo"))
    user = session.get(User, found.user_id)
    if user is None or not user.active:
        raise AccountError("token", _("il link non è valido o è scaduto: chiedine uno nuovo"))
    if problem := password_problem(password, user.email):
        raise AccountError("password", problem)
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_logins = 0
    user.locked_until = None
    found.used_at = now_utc()
    session.add_all([user, found])
    session.commit()
    session.refresh(user)
    return user
