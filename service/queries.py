"""Read-only database queries the web layer needs."""

from __future__ import annotations

from sqlalchemy import case, or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from core.kinds import ListingStatus
from core.models import Comune, Service
from core.places.names import place_key

#: the most comuni one autocomplete answer lists
MAX_COMUNI = 50
#: the most listings the reserved area's search by name shows
LISTINGS_FOUND_SHOWN = 50


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


def comuni_matching(session: Session, text: str, limit: int = 10) -> list[Comune]:
    """Comuni with a word of the name starting with `text`, ignoring case, accents,
    apostrophes and hyphens as the gazetteer does («sant'ang» finds Sant'Angelo Lodigiano,
    «giovanni» Sesto San Giovanni): names that start with it first, then the most populous
    (unknown population last), then by name."""
    key = place_key(text)
    if not key:
        return []
    name = col(Comune.name_key)
    starts = name.startswith(key, autoescape=True)
    statement = (
        select(Comune)
        .where(or_(starts, name.contains(f" {key}", autoescape=True)))
        .order_by(
            case((starts, 0), else_=1),
            col(Comune.population).desc().nulls_last(),
            name,
            col(Comune.istat_code),
        )
        .limit(max(1, min(limit, MAX_COMUNI)))
    )
    return list(session.exec(statement))


def listings_named(session: Session, text: str, limit: int = LISTINGS_FOUND_SHOWN) -> list[Service]:
    """Listings of any status whose name contains `text` (ignoring case; `%` and `_` are
    plain characters), by name: the staff's search in the reserved area."""
    statement = (
        select(Service)
        .where(col(Service.name).icontains(text, autoescape=True))
        .order_by(col(Service.name))
        .limit(limit)
    )
    return list(session.exec(statement))
