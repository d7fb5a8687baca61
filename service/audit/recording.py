"""The audit log: who changed which listing or registry entry, when, field by field."""

from __future__ import annotations

from sqlmodel import Session

from core.models import AuditEntry, User


def as_audit_text(value: object) -> str | None:
    return None if value is None else str(value)[:4000]


def record_change(
    session: Session,
    user: User | None,
    entity: str,
    entity_id: int,
    field: str,
    before: object,
    after: object,
    service_id: int | None = None,
) -> AuditEntry:
    """Add (not commit) one entry: it commits with the change it describes."""
    entry = AuditEntry(
        user_id=user.id if user else None,
        entity=entity,
        entity_id=entity_id,
        service_id=service_id,
        field=field,
        before=as_audit_text(before),
        after=as_audit_text(after),
    )
    session.add(entry)
    return entry
