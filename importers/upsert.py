"""Write validated records into the database, keyed by (source, external id).

A record whose `merge_key` (e.g. "miur:MIAA8FB03N", the school code) matches a service that
came from another source is merged into it: a second provenance, and the new source only
fills in what the service lacks (a better-geocoded point included). The first source of a
service writes all of its fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import delete, insert, update
from sqlmodel import Session, col, select

from core.kinds import GeocodePrecision, RegistryStatus, ServiceKind
from core.listing_fields import LISTING_FIELDS
from core.models import (
    Location,
    Organization,
    Provenance,
    RegistryEntry,
    ScheduleRow,
    Service,
)
from importers.duplicates import Listing
from importers.records import CERTIFICATE_FIELDS, ServiceRecord
from importers.report import Outcome

#: fields copied as they are from a record to its service (a listing's declared fields)
SERVICE_FIELDS = tuple(field.name for field in LISTING_FIELDS)
#: ... and to its location
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


@dataclass(frozen=True)
class _Known:
    """What the writer needs to remember of a row already in the database."""

    provenance_id: int
    service_id: int
    content_hash: str
    missing: bool


class ServiceWriter:
    """Writes one source's records. Objects live for one batch: `finish_batch` writes the
    schedule rows in bulk, keeps plain ids and listings, and empties the session, so memory
    stays flat however long the file."""

    def __init__(self, session: Session, source: str) -> None:
        self._session = session
        self._source = source
        #: services inserted, updated or merged by this writer, as plain listings
        self.touched: list[Listing] = []
        self._known = {
            external_id: _Known(provenance_id, service_id, content_hash, missing is not None)
            for external_id, provenance_id, service_id, content_hash, missing in session.exec(
                select(
                    Provenance.external_id,
                    Provenance.id,
                    Provenance.service_id,  # type: ignore[call-overload]
                    Provenance.content_hash,
                    Provenance.missing_since,
                ).where(Provenance.source == source)
            )
        }
        self._merge_targets: dict[str | None, int | None] | None = None
        self._organization_ids: dict[tuple[str, str], int] = {}
        self._new_organizations: dict[tuple[str, str], Organization] = {}
        self._batch: list[tuple[str, Provenance, Service]] = []
        self._schedules: list[tuple[Service, list[dict[str, object]], bool]] = []
        self._registry: list[tuple[Service, ServiceRecord]] = []

    def upsert(self, record: ServiceRecord) -> Outcome:
        content_hash = record.content_hash()
        known = self._known.get(record.external_id)
        if known is not None and known.content_hash == content_hash:
            return Outcome.UNCHANGED
        now = datetime.now(UTC)
        if known is None:
            merged_into = self._service_to_merge_into(record)
            service = merged_into or Service(
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
            primary = merged_into is None
        else:
            service = self._session.get_one(Service, known.service_id)
            provenance = self._session.get_one(Provenance, known.provenance_id)
            outcome = Outcome.UPDATED
            primary = min(p.id for p in service.provenances if p.id) == known.provenance_id
        if primary:
            self._set_organization(service, record)
            _apply(record, service)
            self._schedules.append((service, _schedule_rows(record), known is not None))
        elif _fill_in(record, service) and not service.schedule_rows:
            self._schedules.append((service, _schedule_rows(record), False))
        if primary and record.kind == ServiceKind.BABYSITTER:
            self._registry.append((service, record))
        service.updated_at = now
        provenance.content_hash = content_hash
        provenance.imported_at = now
        self._session.add(service)
        self._batch.append((record.external_id, provenance, service))
        return outcome

    def finish_batch(self) -> None:
        """Flush, write the batch's schedule rows in bulk, remember ids, empty the session."""
        self._session.flush()
        _write_schedules(self._session, self._schedules)
        if self._registry:
            _write_registry_entries(self._session, self._registry)
            self._session.flush()
        for key, organization in self._new_organizations.items():
            assert organization.id is not None
            self._organization_ids[key] = organization.id
        for external_id, provenance, service in self._batch:
            assert provenance.id is not None and service.id is not None
            self._known[external_id] = _Known(
                provenance.id, service.id, provenance.content_hash, False
            )
            self.touched.append(
                Listing(
                    service.id,
                    service.kind,
                    service.name,
                    service.location.latitude,
                    service.location.longitude,
                )
            )
        self._batch, self._schedules, self._new_organizations = [], [], {}
        self._registry = []
        self._session.expunge_all()

    def mark_missing(self, seen: set[str]) -> int:
        """Rows of this source absent from the file: marked "not in source since", never
        deleted; rows that came back are unmarked. Returns how many went missing now."""
        gone = [
            k.provenance_id for key, k in self._known.items() if key not in seen and not k.missing
        ]
        back = [k.provenance_id for key, k in self._known.items() if key in seen and k.missing]
        for ids, value in ((gone, datetime.now(UTC)), (back, None)):
            for start in range(0, len(ids), 500):
                self._session.execute(
                    update(Provenance)
                    .where(col(Provenance.id).in_(ids[start : start + 500]))
                    .values(missing_since=value)
                )
        return len(gone)

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

    def _set_organization(self, service: Service, record: ServiceRecord) -> None:
        key = (record.organization_name, record.organization_kind)
        if key in self._new_organizations:
            service.organization = self._new_organizations[key]
            return
        if key not in self._organization_ids:
            found = self._session.exec(
                select(Organization.id).where(
                    Organization.name == key[0], Organization.kind == key[1]
                )
            ).first()
            if found is None:
                self._new_organizations[key] = service.organization = Organization(
                    name=key[0], kind=key[1]
                )
                return
            self._organization_ids[key] = found
        service.organization_id = self._organization_ids[key]


def _write_schedules(
    session: Session, pending: list[tuple[Service, list[dict[str, object]], bool]]
) -> None:
    """Schedule rows through Core, many at a time: a dozen ORM objects per listing made up
    most of an import's time."""
    replaced = [service.id for service, _, replace in pending if replace]
    for start in range(0, len(replaced), 500):
        session.execute(
            delete(ScheduleRow).where(
                col(ScheduleRow.service_id).in_(replaced[start : start + 500])
            )
        )
    rows = [row | {"service_id": service.id} for service, rows, _ in pending for row in rows]
    if rows:
        session.execute(insert(ScheduleRow), rows)


def _write_registry_entries(session: Session, pending: list[tuple[Service, ServiceRecord]]) -> None:
    """A registry file lists approved babysitters (who consented to be listed): each row
    creates an approved entry, or updates its entry with the dates the file gives (an empty
    cell keeps the stored date) and approves it again, unless an operator rejected or
    suspended it (`decided_by`): an import never overrides a person's decision."""
    now = datetime.now(UTC)
    for service, record in pending:
        entry = session.get(RegistryEntry, service.id)
        if entry is None:
            entry = RegistryEntry(
                service_id=service.id,
                status=RegistryStatus.APPROVED.value,
                publication_consent_at=now,
                created_at=now,
            )
        elif entry.decided_by is None or entry.status not in {
            RegistryStatus.REJECTED.value,
            RegistryStatus.SUSPENDED.value,
        }:
            entry.status = RegistryStatus.APPROVED.value
        for name in CERTIFICATE_FIELDS:
            value = getattr(record, name)
            if value is not None:
                setattr(entry, name, value)
        entry.updated_at = now
        session.add(entry)


def _apply(record: ServiceRecord, service: Service) -> None:
    verified = service.last_verified_at
    for name in SERVICE_FIELDS:
        setattr(service, name, _plain(getattr(record, name)))
    if verified and (service.last_verified_at is None or service.last_verified_at < verified):
        service.last_verified_at = verified  # a later check (by the provider) is never undone
    for name in LOCATION_FIELDS:
        setattr(service.location, name, _plain(getattr(record, name)))


def _fill_in(record: ServiceRecord, service: Service) -> bool:
    """A second source only adds what the service lacks, and a better point. True when the
    record has schedule rows to offer."""
    for name in SERVICE_FIELDS:
        if getattr(service, name) in (None, "") and getattr(record, name) not in (None, "", ()):
            setattr(service, name, _plain(getattr(record, name)))
    location = service.location
    if PRECISION_RANK[record.geocode_precision.value] < PRECISION_RANK[location.geocode_precision]:
        for name in LOCATION_FIELDS:
            setattr(location, name, _plain(getattr(record, name)))
    for name in ("address", "cap", "istat_code"):
        if getattr(location, name) in (None, "") and getattr(record, name):
            setattr(location, name, getattr(record, name))
    return bool(record.slots)


def _plain(value: object) -> object:
    """Enums are stored by value (drivers would otherwise write their names), lists of codes
    as comma-separated text."""
    if isinstance(value, tuple):
        return ",".join(value)
    return value.value if isinstance(value, Enum) else value


def _schedule_rows(record: ServiceRecord) -> list[dict[str, object]]:
    periods = record.periods or (None,)
    return [
        {
            "weekday": slot.weekday,
            "opens_at": slot.opens,
            "closes_at": slot.closes,
            "valid_from": period.start if period else None,
            "valid_to": period.end if period else None,
        }
        for period in periods
        for slot in record.slots
    ]
