"""Find listings from different sources that may be the same place, for an operator to
review: the same kind, close together (150 m) and with similar names, or practically at the
same point. Same school code is merged by the importer; anything else is only ever recorded
as a candidate, never merged.

The listings of the other sources are read once into a grid of cells about 170 m wide, so
each listing of an import looks only at its own and the eight neighbouring cells.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from geopy.distance import geodesic
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from core.models import DuplicateCandidate, Location, Provenance, Service
from core.places.names import place_key

MAX_DISTANCE_M = 150.0
SAME_POINT_M = 30.0
MIN_NAME_SIMILARITY = 0.6
#: grid cell, in degrees: a little more than MAX_DISTANCE_M at Italian latitudes
CELL_LATITUDE, CELL_LONGITUDE = 0.0015, 0.0022
GENERIC_WORDS = re.compile(
    r"\b(scuola|scuole|dell|della|dei|di|del|infanzia|materna|statale|paritaria|nido|asilo|"
    r"micronido|comunale|sc|inf|stat|mat|centro|estivo|c r d)\b"
)


@dataclass(frozen=True)
class Listing:
    id: int
    kind: str
    name: str
    latitude: float
    longitude: float


def name_similarity(first: str, second: str) -> float:
    """0–1, on names without the words every school or nido has."""

    def core(name: str) -> str:
        return " ".join(GENERIC_WORDS.sub(" ", place_key(name)).split())

    return SequenceMatcher(None, core(first), core(second)).ratio()


def record_duplicate_candidates(session: Session, source: str, touched: list[Listing]) -> int:
    """Compare these listings (just imported from `source`) with every listing that has no
    provenance from `source`; returns how many new pairs were recorded."""
    if not touched:
        return 0
    grid = _grid(_other_listings(session, source))
    known = _known_pairs(session)
    recorded = 0
    for listing in touched:
        for other in _around(grid, listing):
            pair = frozenset((listing.id, other.id))
            candidate = _candidate(listing, other)
            if candidate is not None and pair not in known:
                session.add(candidate)
                known.add(pair)
                recorded += 1
    return recorded


def _candidate(listing: Listing, other: Listing) -> DuplicateCandidate | None:
    if listing.kind != other.kind:
        return None  # a summer centre hosted by a school is not the school
    distance = geodesic((listing.latitude, listing.longitude), (other.latitude, other.longitude)).m
    similarity = name_similarity(listing.name, other.name)
    if distance > MAX_DISTANCE_M or (similarity < MIN_NAME_SIMILARITY and distance > SAME_POINT_M):
        return None
    return DuplicateCandidate(
        service_id=listing.id,
        other_service_id=other.id,
        distance_m=round(distance, 1),
        name_similarity=round(similarity, 3),
    )


def _other_listings(session: Session, source: str) -> Iterator[Listing]:
    from_source = select(Provenance.service_id).where(Provenance.source == source)
    statement = (
        sa_select(
            col(Service.id),
            col(Service.kind),
            col(Service.name),
            col(Location.latitude),
            col(Location.longitude),
        )
        .join(Location, col(Service.location_id) == Location.id)
        .where(col(Service.id).not_in(from_source))
    )
    for row in session.execute(statement):
        yield Listing(*row)


Cell = tuple[int, int]


def _cell(latitude: float, longitude: float) -> Cell:
    return int(latitude // CELL_LATITUDE), int(longitude // CELL_LONGITUDE)


def _grid(listings: Iterable[Listing]) -> dict[Cell, list[Listing]]:
    grid: dict[Cell, list[Listing]] = defaultdict(list)
    for listing in listings:
        grid[_cell(listing.latitude, listing.longitude)].append(listing)
    return grid


def _around(grid: dict[Cell, list[Listing]], listing: Listing) -> Iterator[Listing]:
    row, column = _cell(listing.latitude, listing.longitude)
    for d_row in (-1, 0, 1):
        for d_column in (-1, 0, 1):
            yield from grid.get((row + d_row, column + d_column), ())


def _known_pairs(session: Session) -> set[frozenset[int]]:
    pairs = session.exec(select(DuplicateCandidate.service_id, DuplicateCandidate.other_service_id))
    return {frozenset(pair) for pair in pairs}
