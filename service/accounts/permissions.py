"""What an account may change. Administrators and operators: every listing (operators apply
corrections and moderate the registry); providers: the listings of their organizations."""

from __future__ import annotations

from sqlmodel import Session, col, select

from core.kinds import UserRole
from core.models import Service, User
from service.accounts.users import organization_ids


def editable_services(session: Session, user: User) -> list[Service]:
    """The listings `user` may edit, by name."""
    statement = select(Service).order_by(col(Service.name), col(Service.id))
    if user.role == UserRole.PROVIDER:
        owned = organization_ids(session, user)
        if not owned:
            return []
        statement = statement.where(col(Service.organization_id).in_(owned))
    return list(session.exec(statement))


def may_edit_service(session: Session, user: User, service_id: int) -> bool:
    service = session.get(Service, service_id)
    if service is None:
        return False
    if user.role in {UserRole.ADMIN, UserRole.OPERATOR}:
        return True
    return user.role == UserRole.PROVIDER and service.organization_id in organization_ids(
        session, user
    )
