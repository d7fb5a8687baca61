"""Reading the audit log (recording.py writes it): the newest entries with their authors, for
one listing or one account or all, and the names the page shows beside them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from core.models import AuditEntry, Service, User
from service.accounts.account_admin import ENTITY as ACCOUNT_ENTITY

#: the most entries one page of the log shows
AUDIT_SHOWN = 200


@dataclass(frozen=True)
class AuditLog:
    #: the newest first, each with its author (None: no account, e.g. an import)
    entries: list[tuple[AuditEntry, User | None]]
    #: listing id → name, for the entries about a listing
    names: dict[int, str]
    #: account id → e-mail, for the entries about an account
    accounts: dict[int, str]


def read_audit_log(
    session: Session,
    service_id: int | None = None,
    account_id: int | None = None,
    limit: int = AUDIT_SHOWN,
) -> AuditLog:
    """The `limit` newest entries (newest first, ties by the latest written), only those of
    listing `service_id` and of account `account_id` when given."""
    statement = select(AuditEntry, User).join(
        User, col(AuditEntry.user_id) == col(User.id), isouter=True
    )
    if service_id is not None:
        statement = statement.where(AuditEntry.service_id == service_id)
    if account_id is not None:
        statement = statement.where(
            AuditEntry.entity == ACCOUNT_ENTITY, AuditEntry.entity_id == account_id
        )
    newest = statement.order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
    entries: list[tuple[AuditEntry, User | None]] = list(session.exec(newest.limit(limit)))
    service_ids = {entry.service_id for entry, _author in entries if entry.service_id}
    account_ids = {entry.entity_id for entry, _author in entries if entry.entity == ACCOUNT_ENTITY}
    names = {
        service.id: service.name
        for service in session.exec(select(Service).where(col(Service.id).in_(service_ids)))
        if service.id is not None
    }
    accounts = {
        account.id: account.email
        for account in session.exec(select(User).where(col(User.id).in_(account_ids)))
        if account.id is not None
    }
    return AuditLog(entries, names, accounts)
