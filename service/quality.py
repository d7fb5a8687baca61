"""Data quality, for the operators: which listings need a look, and their answers about
possible duplicates.

Three lists, each capped (`SHOWN`) with the count of all: published listings not verified
in over a year (or never), listings located only at their comune's centre (babysitters
aside: theirs is by design), and open
duplicate candidates between sources. A duplicate pair is answered "merged" (the second
listing is suspended, so it leaves public search through the outbox; nothing is deleted)
or "distinct"; both are audited, and only an open pair can be answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import case, func, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from core.kinds import DuplicateStatus, GeocodePrecision, ListingStatus, ServiceKind
from core.models import DuplicateCandidate, Location, Service, User, utc_now
from service.audit.recording import record_change

#: the most rows a list shows; its count says how many there are
SHOWN = 100
STALE_AFTER_MONTHS = 12
ENTITY = "duplicate_candidate"

Row = TypeVar("Row")


@dataclass(frozen=True)
class Capped(Generic[Row]):
    rows: list[Row]
    #: how many qualify (more than `rows` when capped)
    total: int


@dataclass(frozen=True)
class ListingRow:
    id: int
    name: str
    kind: str
    comune: str
    #: None: never verified
    last_verified_at: date | None


@dataclass(frozen=True)
class DuplicatePair:
    candidate_id: int
    first: ListingRow
    second: ListingRow
    distance_m: float
    #: 0–1
    name_similarity: float


class UnknownDuplicate(LookupError):
    def __init__(self, candidate_id: int) -> None:
        self.candidate_id = candidate_id
        super().__init__(f"no duplicate candidate {candidate_id}")


class DuplicateNotOpen(ValueError):
    """The pair was already answered: nothing was changed."""

    def __init__(self, candidate_id: int, status: str) -> None:
        self.candidate_id = candidate_id
        self.status = status
        super().__init__(f"duplicate candidate {candidate_id} is {status}, no longer open")


def stale_cutoff(today: date) -> date:
    """Verified before this date means more than twelve months ago (29 February → 28th)."""
    year = today.year - STALE_AFTER_MONTHS // 12
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def _listing_columns(service: type[Service] = Service, location: type[Location] = Location):  # type: ignore[no-untyped-def]
    """What a list shows of a listing, in `ListingRow`'s order (aliases welcome)."""
    return (service.id, service.name, service.kind, location.comune, service.last_verified_at)


def _capped(session: Session, statement, order, limit: int) -> Capped[ListingRow]:  # type: ignore[no-untyped-def]
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(statement.order_by(*order).limit(limit)).all()
    return Capped([ListingRow(*row) for row in rows], total)


def stale_listings(session: Session, today: date, limit: int = SHOWN) -> Capped[ListingRow]:
    """Published listings never verified, then those verified longest ago."""
    cutoff = stale_cutoff(today)
    verified = col(Service.last_verified_at)
    statement = (
        select(*_listing_columns())
        .join(Location, col(Service.location_id) == col(Location.id))
        .where(
            Service.status == ListingStatus.PUBLISHED.value,
            verified.is_(None) | (verified < cutoff),
        )
    )
    never_first = case((verified.is_(None), 0), else_=1)
    return _capped(session, statement, (never_first, verified, col(Service.name)), limit)


def approximate_locations(session: Session, limit: int = SHOWN) -> Capped[ListingRow]:
    """Listings (not suspended) whose point is only their comune's: the distance a family
    sees is rough. Babysitters are left out: their point is the comune by design (no home
    address is published; the comuni they serve count instead)."""
    statement = (
        select(*_listing_columns())
        .join(Location, col(Service.location_id) == col(Location.id))
        .where(
            Location.geocode_precision == GeocodePrecision.COMUNE.value,
            Service.status != ListingStatus.SUSPENDED.value,
            Service.kind != ServiceKind.BABYSITTER.value,
        )
    )
    return _capped(session, statement, (col(Location.comune), col(Service.name)), limit)


def open_duplicates(session: Session, limit: int = SHOWN) -> Capped[DuplicatePair]:
    """Open candidate pairs, the closest and most alike first."""
    first, second = aliased(Service), aliased(Service)
    first_place, second_place = aliased(Location), aliased(Location)
    statement = (
        select(
            col(DuplicateCandidate.id),
            col(DuplicateCandidate.distance_m),
            col(DuplicateCandidate.name_similarity),
            *_listing_columns(first, first_place),  # type: ignore[arg-type]
            *_listing_columns(second, second_place),  # type: ignore[arg-type]
        )
        .join(first, col(DuplicateCandidate.service_id) == col(first.id))
        .join(first_place, col(first.location_id) == col(first_place.id))
        .join(second, col(DuplicateCandidate.other_service_id) == col(second.id))
        .join(second_place, col(second.location_id) == col(second_place.id))
        .where(DuplicateCandidate.status == DuplicateStatus.OPEN.value)
    )
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(
        statement.order_by(
            col(DuplicateCandidate.distance_m),
            col(DuplicateCandidate.name_similarity).desc(),
            col(DuplicateCandidate.id),
        ).limit(limit)
    ).all()
    pairs = [_pair(tuple(row)) for row in rows]
    return Capped(pairs, total)


def _pair(row: tuple[Any, ...]) -> DuplicatePair:
    candidate_id, distance_m, similarity = row[:3]
    return DuplicatePair(
        candidate_id=candidate_id,
        distance_m=distance_m,
        name_similarity=similarity,
        first=ListingRow(*row[3:8]),
        second=ListingRow(*row[8:13]),
    )


def merge_duplicate(session: Session, candidate_id: int, user: User) -> int:
    """The pair is one place: mark it merged and suspend its second listing (it leaves
    public search through the outbox; nothing is deleted), audited, in one transaction.
    Returns the suspended listing's id. Raises `UnknownDuplicate`, `DuplicateNotOpen`."""
    candidate = _candidate(session, candidate_id)
    suspended = session.get(Service, candidate.other_service_id)
    assert suspended is not None  # a foreign key
    try:
        _answer(session, candidate, DuplicateStatus.MERGED, user, suspended.id)
        if suspended.status != ListingStatus.SUSPENDED.value:
            record_change(
                session,
                user,
                "service",
                suspended.id or 0,
                "status",
                suspended.status,
                ListingStatus.SUSPENDED.value,
                suspended.id,
            )
            suspended.status = ListingStatus.SUSPENDED.value
            suspended.updated_at = utc_now()
            session.add(suspended)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return candidate.other_service_id


def mark_distinct(session: Session, candidate_id: int, user: User) -> None:
    """The pair is two places: mark it distinct, audited; both listings stay as they are."""
    candidate = _candidate(session, candidate_id)
    try:
        _answer(session, candidate, DuplicateStatus.DISTINCT, user, candidate.service_id)
        session.commit()
    except Exception:
        session.rollback()
        raise


def _candidate(session: Session, candidate_id: int) -> DuplicateCandidate:
    candidate = session.get(DuplicateCandidate, candidate_id) if 0 < candidate_id < 2**31 else None
    if candidate is None:
        raise UnknownDuplicate(candidate_id)
    return candidate


def _answer(
    session: Session,
    candidate: DuplicateCandidate,
    status: DuplicateStatus,
    user: User,
    service_id: int | None,
) -> None:
    """Take the pair from open to `status` (not committed), or raise `DuplicateNotOpen`."""
    candidate_id = candidate.id or 0
    claimed = session.execute(
        update(DuplicateCandidate)
        .where(
            col(DuplicateCandidate.id) == candidate_id,
            col(DuplicateCandidate.status) == DuplicateStatus.OPEN.value,
        )
        .values(status=status.value, reviewed_by=user.id, reviewed_at=utc_now())
        .execution_options(synchronize_session="fetch")
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        session.refresh(candidate)
        raise DuplicateNotOpen(candidate_id, candidate.status)
    record_change(
        session,
        user,
        ENTITY,
        candidate_id,
        "status",
        DuplicateStatus.OPEN.value,
        status.value,
        service_id,
    )
