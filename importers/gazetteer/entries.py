"""What every gazetteer format is read into, and how it is stored (upsert by ISTAT code)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from sqlmodel import Session, select

from core.models import Comune, PostalCode
from core.places.names import place_key
from importers.records import ITALY_LATITUDE, ITALY_LONGITUDE
from importers.report import Outcome


@dataclass(frozen=True)
class PostalZone:
    cap: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class GazetteerEntry:
    istat_code: str
    name: str
    #: None only with approximate_point: such an entry can complete a comune, not create one
    latitude: float | None
    longitude: float | None
    province: str = ""
    cap: str | None = None
    cadastral_code: str | None = None
    region: str | None = None
    population: int | None = None
    postal_zones: list[PostalZone] = field(default_factory=list)
    #: a point derived from CAP zones only fills in for a comune that has none
    approximate_point: bool = False
    #: where the entry starts in its file, for reports
    line: int = 0


COMUNE_FIELDS = tuple(
    f.name
    for f in fields(GazetteerEntry)
    if f.name not in {"istat_code", "postal_zones", "approximate_point", "line"}
)


def in_italy(latitude: float, longitude: float) -> bool:
    return (
        ITALY_LATITUDE[0] <= latitude <= ITALY_LATITUDE[1]
        and ITALY_LONGITUDE[0] <= longitude <= ITALY_LONGITUDE[1]
    )


class GazetteerStore:
    """Upserts entries into one session, with the existing rows loaded once (thousands of
    comuni: no query per row)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._comuni = {comune.istat_code: comune for comune in session.exec(select(Comune))}
        self._zones = {
            (zone.cap, zone.istat_code): zone for zone in session.exec(select(PostalCode))
        }

    def can_store(self, entry: GazetteerEntry) -> bool:
        return entry.latitude is not None or entry.istat_code in self._comuni

    def store(self, entry: GazetteerEntry) -> Outcome:
        """Insert or update one comune and its CAP zones. A point derived from CAP zones never
        moves a comune already placed, and no source erases what another one knew."""
        values = {name: getattr(entry, name) for name in COMUNE_FIELDS}
        values["name_key"] = place_key(entry.name)
        comune = self._comuni.get(entry.istat_code)
        if comune is None:
            comune = self._comuni[entry.istat_code] = Comune(istat_code=entry.istat_code, **values)
            self._session.add(comune)
            outcome = Outcome.INSERTED
        else:
            if entry.approximate_point:
                del values["latitude"], values["longitude"]
            changed = {
                name: value
                for name, value in values.items()
                if value is not None and getattr(comune, name) != value
            }
            for name, value in changed.items():
                setattr(comune, name, value)
            outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
        if self._store_zones(entry) and outcome is Outcome.UNCHANGED:
            outcome = Outcome.UPDATED
        return outcome

    def _store_zones(self, entry: GazetteerEntry) -> bool:
        changed = False
        for zone in entry.postal_zones:
            key = (zone.cap, entry.istat_code)
            stored = self._zones.get(key)
            if stored is None:
                self._zones[key] = PostalCode(
                    cap=zone.cap,
                    istat_code=entry.istat_code,
                    latitude=zone.latitude,
                    longitude=zone.longitude,
                )
                self._session.add(self._zones[key])
                changed = True
            elif zone.latitude is not None and (stored.latitude, stored.longitude) != (
                zone.latitude,
                zone.longitude,
            ):
                stored.latitude, stored.longitude = zone.latitude, zone.longitude
                changed = True
        return changed
