"""Read-only database queries the web layer needs."""

from __future__ import annotations

from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from service.kinds import ListingStatus
from service.models import Service


def published_service(session: Session, service_id: int) -> Service | None:
    statement = (
        select(Service)
        .where(Service.id == service_id, Service.status == ListingStatus.PUBLISHED.value)
        .options(
            selectinload(Service.location),  # type: ignore[arg-type]
            selectinload(Service.organization),  # type: ignore[arg-type]
            selectinload(Service.schedule_rows),  # type: ignore[arg-type]
            selectinload(Service.provenances),  # type: ignore[arg-type]
        )
    )
    return session.exec(statement).first()
