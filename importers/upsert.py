"""Write validated records into the database, keyed by (source, external id).

A record whose `merge_key` (e.g. "miur:MIAA8FB03N", the school code) matches a service that
came from another source is merged into it: a second provenance, and the new source only
fills in what the service lacks (a better-geocoded point included). The first source of a
service writes all of its fields.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum

from sqlmodel import Session, col, select

from importers.records import ServiceRecord
from importers.report import Outcome
from service.kinds import GeocodePrecision
from service.models import Location, Organization, Provenance, ScheduleRow, Service

#: fields copied as they are from a record to its service and its location
SERVICE_FIELDS = (
    "kind",
    "name",
    "description",
    "sector",
    "age_min_months",
    "age_max_months",
    "capacity",
    "places_available",
    "cost_cents",
    "cost_period",
    "phone",
    "email",
    "website",
    "last_verified_at",
)
LOCATION_FIELDS = (
    "address",
    "cap",
    "comune",
    "istat_code",
    "latitude",
    "longitude",
    "geocode_precision",
    "geocode_source",
)
PRECISION_RANK = {precision.value: rank for rank, precision in enumerate(GeocodePrecision)}


class ServiceWriter:
    def __init__(self, session: Session, source: str) -> None:
        self._session = session
        self._source = source
        self._organizations: dict[tuple[str, str], Organization] = {}
        #: services inserted, updated or merged by this writer
        self.touched: list[Service] = []
        self._merge_targets: dict[str | None, int | None] | None = None
        self._provenances = {
            provenance.external_id: provenance
            for provenance in session.exec(select(Provenance).where(Provenance.source == source))
        }

    def upsert(self, record: ServiceRecord) -> Outcome:
        content_hash = record.content_hash()
        provenance = self._provenances.get(record.external_id)
        if provenance is not None and provenance.content_hash == content_hash:
            return Outcome.UNCHANGED
        now = datetime.now(UTC)
        if provenance is None:
            merged_into = self._service_to_merge_into(record)
            service = merged_into or Service(
                organization=self._organization(record),
                location=Location(comune=record.comune, latitude=0, longitude=0),
                kind=record.kind.value,
                name=record.name,
            )
            provenance = Provenance(
                service=service,
                source=self._source,
                external_id=record.external_id,
                merge_key=record.merge_key,
                content_hash=content_hash,
                imported_at=now,
            )
            self._session.add(provenance)
            outcome = Outcome.MERGED if merged_into else Outcome.INSERTED
        else:
            service = provenance.service
            outcome = Outcome.UPDATED
        if self._is_primary(service, provenance):
            _apply(record, service, self._organization(record))
        else:
            _fill_in(record, service)
        service.updated_at = now
        provenance.content_hash = content_hash
        provenance.imported_at = now
        self._session.add(service)
        self._session.add(provenance)
        self._provenances[record.external_id] = provenance
        self.touched.append(service)
        return outcome

    def mark_missing(self, seen: set[str]) -> int:
        """Rows of this source absent from the file: marked "not in source since", never
        deleted; rows that came back are unmarked. Returns how many went missing now."""
        now = datetime.now(UTC)
        newly_missing = 0
        for external_id, provenance in self._provenances.items():
            if external_id in seen:
                provenance.missing_since = None
            elif provenance.missing_since is None:
                provenance.missing_since = now
                newly_missing += 1
            self._session.add(provenance)
        return newly_missing

    def _service_to_merge_into(self, record: ServiceRecord) -> Service | None:
        if not record.merge_key:
            return None
        if self._merge_targets is None:  # read once: no query (and no flush) per row
            statement = (
                select(Provenance.merge_key, Provenance.service_id)
                .where(col(Provenance.merge_key).is_not(None), Provenance.source != self._source)
                .order_by(col(Provenance.id).desc())
            )
            self._merge_targets = {key: service for key, service in self._session.exec(statement)}
        service_id = self._merge_targets.get(record.merge_key)
        return self._session.get(Service, service_id) if service_id is not None else None

    def _is_primary(self, service: Service, provenance: Provenance) -> bool:
        others = [p for p in service.provenances if p is not provenance]
        return not others or (
            provenance.id is not None
            and all(p.id is not None and provenance.id < p.id for p in others)
        )

    def _organization(self, record: ServiceRecord) -> Organization:
        key = (record.organization_name, record.organization_kind)
        if key not in self._organizations:
            found = self._session.exec(
                select(Organization).where(Organization.name == key[0], Organization.kind == key[1])
            ).first()
            self._organizations[key] = found or Organization(name=key[0], kind=key[1])
        return self._organizations[key]


def _apply(record: ServiceRecord, service: Service, organization: Organization) -> None:
    service.organization = organization
    for name in SERVICE_FIELDS:
        setattr(service, name, _plain(getattr(record, name)))
    for name in LOCATION_FIELDS:
        setattr(service.location, name, _plain(getattr(record, name)))
    service.schedule_rows = _schedule_rows(record)


def _fill_in(record: ServiceRecord, service: Service) -> None:
    """A second source only adds what the service lacks, and a better point."""
    for name in SERVICE_FIELDS:
        if getattr(service, name) in (None, "") and getattr(record, name) not in (None, ""):
            setattr(service, name, _plain(getattr(record, name)))
    location = service.location
    if PRECISION_RANK[record.geocode_precision.value] < PRECISION_RANK[location.geocode_precision]:
        for name in LOCATION_FIELDS:
            setattr(location, name, _plain(getattr(record, name)))
    for name in ("address", "cap", "istat_code"):
        if getattr(location, name) in (None, "") and getattr(record, name):
            setattr(location, name, getattr(record, name))
    if not service.schedule_rows and record.slots:
        service.schedule_rows = _schedule_rows(record)


def _plain(value: object) -> object:
    """Enums are stored by value (drivers would otherwise write their names)."""
    return value.value if isinstance(value, Enum) else value


def _schedule_rows(record: ServiceRecord) -> list[ScheduleRow]:
    periods = record.periods or (None,)
    return [
        ScheduleRow(
            weekday=slot.weekday,
            opens_at=slot.opens,
            closes_at=slot.closes,
            valid_from=period.start if period else None,
            valid_to=period.end if period else None,
        )
        for period in periods
        for slot in record.slots
    ]
