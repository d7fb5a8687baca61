"""Find listings from different sources that may be the same place, for an operator to
review: the same kind, close together (150 m) and with similar names, or practically at the
same point. Same school code is merged by the importer; anything else is only ever
recorded as a candidate, never merged."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

from geopy.distance import geodesic
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, or_, select

from importers.normalise.values import place_key
from service.models import DuplicateCandidate, Location, Service

MAX_DISTANCE_M = 150.0
SAME_POINT_M = 30.0
MIN_NAME_SIMILARITY = 0.6
#: a box a little larger than MAX_DISTANCE_M around a point, in degrees (at Italian latitudes)
BOX_LATITUDE, BOX_LONGITUDE = 0.0015, 0.0022
RELATED = (
    selectinload(Service.location),  # type: ignore[arg-type]
    selectinload(Service.provenances),  # type: ignore[arg-type]
)
GENERIC_WORDS = re.compile(
    r"\b(scuola|scuole|dell|della|dei|di|del|infanzia|materna|statale|paritaria|nido|asilo|"
    r"micronido|comunale|sc|inf|stat|mat|centro|estivo|c r d)\b"
)


def name_similarity(first: str, second: str) -> float:
    """0–1, on names without the words every school or nido has."""

    def core(name: str) -> str:
        return " ".join(GENERIC_WORDS.sub(" ", place_key(name)).split())

    return SequenceMatcher(None, core(first), core(second)).ratio()


def record_duplicate_candidates(session: Session, service_ids: Iterable[int]) -> int:
    """Look around each of these services; returns how many new pairs were recorded."""
    recorded = 0
    for service_id in service_ids:
        service = _load(session, service_id)
        if service is None:
            continue
        for other in _neighbours(session, service):
            candidate = _candidate(service, other)
            if candidate is not None and not _already_paired(session, candidate):
                session.add(candidate)
                recorded += 1
    return recorded


def _candidate(service: Service, other: Service) -> DuplicateCandidate | None:
    assert service.id is not None and other.id is not None
    distance = geodesic(
        (service.location.latitude, service.location.longitude),
        (other.location.latitude, other.location.longitude),
    ).m
    similarity = name_similarity(service.name, other.name)
    if service.kind != other.kind or distance > MAX_DISTANCE_M:
        return None  # a summer centre hosted by a school is not the school
    if similarity < MIN_NAME_SIMILARITY and distance > SAME_POINT_M:
        return None
    return DuplicateCandidate(
        service_id=service.id,
        other_service_id=other.id,
        distance_m=round(distance, 1),
        name_similarity=round(similarity, 3),
    )


def _load(session: Session, service_id: int) -> Service | None:
    statement = select(Service).where(Service.id == service_id).options(*RELATED)
    return session.exec(statement).first()


def _neighbours(session: Session, service: Service) -> list[Service]:
    location = service.location
    statement = (
        select(Service)
        .join(Location, col(Service.location_id) == Location.id)
        .where(
            col(Location.latitude).between(
                location.latitude - BOX_LATITUDE, location.latitude + BOX_LATITUDE
            ),
            col(Location.longitude).between(
                location.longitude - BOX_LONGITUDE, location.longitude + BOX_LONGITUDE
            ),
            Service.id != service.id,
        )
        .options(*RELATED)
    )
    sources = {provenance.source for provenance in service.provenances}
    return [
        other
        for other in session.exec(statement)
        if not sources & {provenance.source for provenance in other.provenances}
    ]


def _already_paired(session: Session, candidate: DuplicateCandidate) -> bool:
    first, second = candidate.service_id, candidate.other_service_id
    statement = select(DuplicateCandidate.id).where(
        or_(
            (DuplicateCandidate.service_id == first)
            & (DuplicateCandidate.other_service_id == second),
            (DuplicateCandidate.service_id == second)
            & (DuplicateCandidate.other_service_id == first),
        )
    )
    return session.exec(statement).first() is not None
