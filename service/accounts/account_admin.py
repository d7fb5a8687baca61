"""Administrators manage accounts: create one (without a password, for an invitation), change
its name, role and a provider's organizations, deactivate, reactivate and unlock it.

Each change is one transaction with its audit entries (entity "user", field by field; never
a password hash or a token). Two guard rails hold whatever the pages send: an administrator
cannot deactivate or demote themself, and the last active administrator can be neither
deactivated nor demoted. The active administrators are read FOR UPDATE (PostgreSQL; SQLite
serialises writers anyway), so two administrators demoting each other at the same moment
cannot leave none."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from core.i18n import Text, _
from core.kinds import UserRole
from core.models import Organization, User, UserOrganization, UserToken
from service.accounts.users import AccountError, create_user, normal_email, now_utc
from service.audit.recording import record_change

ENTITY = "user"
DISPLAY_NAME_MAX = 120
#: the most organizations one form may name (a provider rarely answers for more than a few)
ORGANIZATIONS_MAX = 100
ROLE_LABELS: dict[str, Text] = {
    UserRole.ADMIN.value: _("amministratore"),
    UserRole.OPERATOR.value: _("operatore"),
    UserRole.PROVIDER.value: _("gestore"),
}


# ---- checking what a form sends -------------------------------------------------------------


def parse_role(value: str) -> UserRole:
    try:
        return UserRole(value.strip())
    except ValueError:
        raise AccountError("role", _("scegli un ruolo dell'elenco")) from None


def parse_display_name(value: str) -> str:
    name = " ".join(value.split())
    if len(name) > DISPLAY_NAME_MAX:
        raise AccountError(
            "display_name", _("al massimo {count} caratteri", count=DISPLAY_NAME_MAX)
        )
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise AccountError("display_name", _("contiene caratteri non ammessi"))
    return name


def parse_organization_ids(values: Iterable[str]) -> tuple[int, ...]:
    """The organization numbers of a form (checkboxes or typed), in order, once each."""
    found: dict[int, None] = {}
    for value in values:
        text = value.strip()
        if not text:
            continue
        if not (text.isascii() and text.isdigit()) or len(text) > 9:
            raise AccountError(
                "organizations", _("«{value}» non è il numero di un ente", value=text[:30])
            )
        found[int(text)] = None
    if len(found) > ORGANIZATIONS_MAX:
        raise AccountError(
            "organizations", _("al massimo {count} enti per account", count=ORGANIZATIONS_MAX)
        )
    return tuple(found)


def checked_organizations(
    session: Session, role: UserRole, organization_ids: Sequence[int]
) -> list[Organization]:
    """The organizations, when `role` may have them and each exists."""
    if organization_ids and role != UserRole.PROVIDER:
        raise AccountError(
            "organizations",
            _("solo un gestore risponde di enti: togli gli enti o scegli il ruolo «gestore»"),
        )
    organizations = []
    for organization_id in organization_ids:
        organization = session.get(Organization, organization_id)
        if organization is None:
            raise AccountError(
                "organizations", _("nessun ente con il numero {id}", id=organization_id)
            )
        organizations.append(organization)
    return organizations


def organizations_text(organizations: Iterable[Organization]) -> str | None:
    """How the audit log shows a set of organizations (None: none)."""
    ordered = sorted(organizations, key=lambda organization: organization.id or 0)
    return "; ".join(f"{o.name} (n. {o.id})" for o in ordered) or None


def linked_organizations(session: Session, user: User) -> list[Organization]:
    return list(
        session.exec(
            select(Organization)
            .join(UserOrganization, col(UserOrganization.organization_id) == col(Organization.id))
            .where(UserOrganization.user_id == user.id)
            .order_by(col(Organization.name), col(Organization.id))
        )
    )


# ---- changes -----------------------------------------------------------------------------


def create_account(
    session: Session,
    actor: User | None,
    email: str,
    role: UserRole,
    display_name: str = "",
    organization_ids: Sequence[int] = (),
    password: str | None = None,
) -> User:
    """A new account (committed with its audit entries); `actor` None: the command line.
    Without a password it waits for an invitation (service.accounts.invitations)."""
    name = parse_display_name(display_name)
    organizations = checked_organizations(session, role, organization_ids)
    try:
        user = create_user(
            session, email, role, password, name, tuple(organization_ids), commit=False
        )
        assert user.id is not None
        for field, value in (
            ("email", user.email),
            ("role", user.role),
            ("display_name", user.display_name or None),
            ("organizations", organizations_text(organizations)),
        ):
            if value is not None:
                record_change(session, actor, ENTITY, user.id, field, None, value)
        session.commit()
    except IntegrityError:  # the same address created a moment ago by someone else
        session.rollback()
        address = normal_email(email)
        raise AccountError("email", _("esiste già un account per {email}", email=address)) from None
    session.refresh(user)
    return user


def update_account(
    session: Session,
    actor: User,
    user: User,
    display_name: str,
    role: UserRole,
    organization_ids: Sequence[int],
) -> list[str]:
    """Change name, role and organizations (committed); the fields that changed."""
    assert user.id is not None
    name = parse_display_name(display_name)
    wanted = checked_organizations(session, role, organization_ids)
    if role.value != user.role and user.role == UserRole.ADMIN:
        _may_lose_admin(session, actor, user, "role")
    changed = []
    for field, value in (("display_name", name), ("role", role.value)):
        if getattr(user, field) != value:
            record_change(session, actor, ENTITY, user.id, field, getattr(user, field), value)
            setattr(user, field, value)
            changed.append(field)
    current = linked_organizations(session, user)
    if {o.id for o in current} != {o.id for o in wanted}:
        links = select(UserOrganization).where(UserOrganization.user_id == user.id)
        for link in session.exec(links):
            session.delete(link)
        session.flush()
        session.add_all(UserOrganization(user_id=user.id, organization_id=o.id) for o in wanted)
        _record_organizations(session, actor, user, current, wanted)
        changed.append("organizations")
    session.add(user)
    session.commit()
    return changed


def deactivate_account(session: Session, actor: User, user: User) -> None:
    """Refuse sign-in from now on, end its sessions and its unused links (committed)."""
    assert user.id is not None
    if not user.active:
        return
    if user.role == UserRole.ADMIN:
        _may_lose_admin(session, actor, user, "active")
    elif actor.id == user.id:  # not reachable from the pages (admins only), kept for callers
        raise AccountError("active", _("non puoi disattivare il tuo account"))
    record_change(session, actor, ENTITY, user.id, "active", True, False)
    user.active = False
    user.session_version += 1
    moment = now_utc()
    for token in session.exec(
        select(UserToken).where(UserToken.user_id == user.id, col(UserToken.used_at).is_(None))
    ):
        token.used_at = moment
        session.add(token)
    session.add(user)
    session.commit()


def reactivate_account(session: Session, actor: User, user: User) -> None:
    assert user.id is not None
    if user.active:
        return
    record_change(session, actor, ENTITY, user.id, "active", False, True)
    user.active = True
    session.add(user)
    session.commit()


def unlock_account(session: Session, actor: User, user: User) -> None:
    """End a lock-out after repeated wrong passwords (committed)."""
    assert user.id is not None
    if user.locked_until is None and not user.failed_logins:
        return
    if user.locked_until is not None:
        record_change(session, actor, ENTITY, user.id, "locked_until", user.locked_until, None)
    user.locked_until = None
    user.failed_logins = 0
    session.add(user)
    session.commit()


def link_organization(
    session: Session, actor: User | None, user: User, organization_id: int
) -> None:
    """Add one organization to a provider's (committed, audited); nothing if already there."""
    assert user.id is not None
    current = linked_organizations(session, user)
    if organization_id in {o.id for o in current}:
        return
    added = checked_organizations(session, UserRole(user.role), (organization_id,))
    session.add(UserOrganization(user_id=user.id, organization_id=organization_id))
    _record_organizations(session, actor, user, current, [*current, *added])
    session.commit()


def _record_organizations(
    session: Session,
    actor: User | None,
    user: User,
    before: Sequence[Organization],
    after: Sequence[Organization],
) -> None:
    record_change(
        session,
        actor,
        ENTITY,
        user.id or 0,
        "organizations",
        organizations_text(before),
        organizations_text(after),
    )


def invitation_problem(user: User) -> Text | None:
    """Why the account pages cannot (re)send an invitation to `user`, or None."""
    if not user.active:
        return _("l'account è disattivato: riattivalo prima")
    if user.password_hash is not None:
        return _("l'account ha già una password: può reimpostarla da «Password dimenticata»")
    return None


def _may_lose_admin(session: Session, actor: User | None, user: User, field: str) -> None:
    """`user`, an administrator, may stop being an active one: not themself, not the last."""
    if actor is not None and actor.id == user.id:
        message = (
            _("non puoi cambiare il tuo ruolo: chiedilo a un altro amministratore")
            if field == "role"
            else _("non puoi disattivare il tuo account: chiedilo a un altro amministratore")
        )
        raise AccountError(field, message)
    admins = session.exec(
        select(User.id)
        .where(User.role == UserRole.ADMIN.value, col(User.active).is_(True))
        .with_for_update()
    ).all()
    if not set(admins) - {user.id}:
        session.rollback()  # nothing was changed: release the rows read FOR UPDATE
        raise AccountError(
            field, _("è l'unico amministratore attivo: nomina prima un altro amministratore")
        )
