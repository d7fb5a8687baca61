"""What the administrators' account pages read: the accounts (filtered by role and by a text
in the e-mail or name) with their organizations and state, and organizations found by name
or number — there can be thousands, so a form never lists them all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from core.kinds import UserRole
from core.models import Organization, User, UserOrganization
from service.accounts.users import as_utc

#: the most accounts one page lists (the count says how many match)
ACCOUNTS_SHOWN = 200
#: the most organizations one search offers
ORGANIZATIONS_FOUND = 20
QUERY_MAX = 100


@dataclass(frozen=True)
class AccountRow:
    user: User
    #: a provider's organizations, by name
    organizations: list[Organization]
    #: locked after repeated wrong passwords, until then (None: not locked now)
    locked_until: datetime | None

    @property
    def invitation_pending(self) -> bool:
        """No password chosen yet."""
        return self.user.password_hash is None


@dataclass(frozen=True)
class AccountPage:
    rows: list[AccountRow]
    #: the accounts matching the filter (more than `rows` when capped)
    total: int


def account_rows(
    session: Session,
    now: datetime,
    role: UserRole | None = None,
    query: str = "",
    limit: int = ACCOUNTS_SHOWN,
) -> AccountPage:
    """Active accounts before deactivated ones, each group by e-mail."""
    condition = []
    if role is not None:
        condition.append(col(User.role) == role.value)
    if text := query.strip()[:QUERY_MAX]:
        condition.append(
            or_(
                col(User.email).icontains(text, autoescape=True),
                col(User.display_name).icontains(text, autoescape=True),
            )
        )
    total = session.exec(select(func.count()).select_from(User).where(*condition)).one()
    users = list(
        session.exec(
            select(User)
            .where(*condition)
            .order_by(col(User.active).desc(), col(User.email))
            .limit(limit)
        )
    )
    organizations = organizations_of(session, [user.id for user in users if user.id])
    rows = [
        AccountRow(user, organizations.get(user.id or 0, []), _locked_until(user, now))
        for user in users
    ]
    return AccountPage(rows, total)


def organizations_of(session: Session, user_ids: Sequence[int]) -> dict[int, list[Organization]]:
    """Each account's organizations, by name."""
    found: dict[int, list[Organization]] = defaultdict(list)
    if not user_ids:
        return found
    for link, organization in session.exec(
        select(UserOrganization, Organization)
        .join(Organization, col(UserOrganization.organization_id) == col(Organization.id))
        .where(col(UserOrganization.user_id).in_(user_ids))
        .order_by(col(Organization.name), col(Organization.id))
    ):
        found[link.user_id or 0].append(organization)
    return found


def find_organizations(
    session: Session, query: str, limit: int = ORGANIZATIONS_FOUND
) -> list[Organization]:
    """Organizations whose name contains `query`, or with that number; shortest names
    first (the closest matches), then by name."""
    text = query.strip()[:QUERY_MAX]
    if not text:
        return []
    condition = col(Organization.name).icontains(text, autoescape=True)
    if text.isascii() and text.isdigit() and len(text) <= 9:
        condition = or_(condition, col(Organization.id) == int(text))
    return list(
        session.exec(
            select(Organization)
            .where(condition)
            .order_by(func.length(Organization.name), col(Organization.name), col(Organization.id))
            .limit(limit)
        )
    )


def organizations_by_id(session: Session, organization_ids: Sequence[int]) -> list[Organization]:
    """The organizations that exist among `organization_ids`, in that order."""
    if not organization_ids:
        return []
    found = {
        organization.id: organization
        for organization in session.exec(
            select(Organization).where(col(Organization.id).in_(organization_ids))
        )
    }
    return [found[number] for number in organization_ids if number in found]


def _locked_until(user: User, now: datetime) -> datetime | None:
    if user.locked_until is None or as_utc(user.locked_until) <= now:
        return None
    return as_utc(user.locked_until)
