"""read → normalise → validate → upsert → report, the same for every source.

One transaction per file: an unreadable file or an interrupted run stores nothing, and a
rejected row never stops the others. Re-running the same file changes nothing: each service
is keyed by (source, external id) and rewritten only when its content hash changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from importers.gazetteer.lookup import Gazetteer
from importers.readers import ProgressCallback
from importers.records import ServiceRecord
from importers.report import ImportReport, Outcome, RowProblem
from service.models import Location, Organization, Provenance, ScheduleRow, Service

FLUSH_EVERY = 500


@dataclass(frozen=True)
class SourceRow:
    """One row as a source understood it: a valid record, the problems that reject it, or
    neither (a row that is not a service of ours, skipped)."""

    line: int
    record: ServiceRecord | None
    problems: list[RowProblem] = field(default_factory=list)
    #: what was corrected or could not be checked in an accepted row (e.g. a far-off point)
    flags: list[RowProblem] = field(default_factory=list)
    #: the row's external id when known, even if the row is rejected
    key: str | None = None


class Source(Protocol):
    @property
    def name(self) -> str:
        """Stable identifier, part of every imported service's key."""
        ...

    def rows(
        self, path: Path, gazetteer: Gazetteer, on_progress: ProgressCallback | None
    ) -> Iterator[SourceRow]: ...


def import_file(
    engine: Engine,
    source: Source,
    path: Path,
    *,
    dry_run: bool = False,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    report = ImportReport(source=source.name, file=path.name, dry_run=dry_run)
    with Session(engine, expire_on_commit=False) as session:
        writer = _ServiceWriter(session, source.name)
        first_line_of: dict[str, int] = {}
        seen: set[str] = set()  # every key in the file, rejected rows included
        try:
            for row in source.rows(path, Gazetteer(session), on_progress):
                report.read += 1
                if row.key:
                    seen.add(row.key)
                if row.record is None and not row.problems:
                    report.skipped += 1
                    continue
                problems = row.problems or _duplicate_problem(row, first_line_of, path.name)
                if row.record is None or problems:
                    report.count(Outcome.REJECTED)
                    report.problems.extend(problems)
                    continue
                report.count(writer.upsert(row.record))
                if row.flags:
                    report.flagged += 1
                    report.flags.extend(row.flags)
                if report.read % FLUSH_EVERY == 0:
                    session.flush()
            report.missing = writer.mark_missing(seen | set(first_line_of))
            if dry_run:
                session.rollback()
            else:
                session.commit()
        except BaseException:
            session.rollback()
            raise
    return report


def _duplicate_problem(
    row: SourceRow, first_line_of: dict[str, int], file: str
) -> list[RowProblem]:
    if row.record is None:
        return []
    key = row.record.external_id
    if key in first_line_of:
        return [
            RowProblem(
                file, row.line, "codice", f"codice «{key}» già usato alla riga {first_line_of[key]}"
            )
        ]
    first_line_of[key] = row.line
    return []


class _ServiceWriter:
    def __init__(self, session: Session, source: str) -> None:
        self._session = session
        self._source = source
        self._organizations: dict[tuple[str, str], Organization] = {}
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
            service = Service(
                organization=self._organization(record),
                location=Location(comune=record.comune, latitude=0, longitude=0),
                kind=record.kind.value,
                name=record.name,
            )
            provenance = Provenance(
                service=service,
                source=self._source,
                external_id=record.external_id,
                content_hash=content_hash,
                imported_at=now,
            )
            outcome = Outcome.INSERTED
        else:
            service = provenance.service
            outcome = Outcome.UPDATED
        _apply(record, service, self._organization(record), now)
        provenance.content_hash = content_hash
        provenance.imported_at = now
        self._session.add(service)
        self._session.add(provenance)
        self._provenances[record.external_id] = provenance
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

    def _organization(self, record: ServiceRecord) -> Organization:
        key = (record.organization_name, record.organization_kind)
        if key not in self._organizations:
            found = self._session.exec(
                select(Organization).where(Organization.name == key[0], Organization.kind == key[1])
            ).first()
            self._organizations[key] = found or Organization(name=key[0], kind=key[1])
        return self._organizations[key]


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


def _apply(
    record: ServiceRecord, service: Service, organization: Organization, now: datetime
) -> None:
    service.organization = organization
    for name in SERVICE_FIELDS:
        setattr(service, name, _plain(getattr(record, name)))
    for name in LOCATION_FIELDS:
        setattr(service.location, name, _plain(getattr(record, name)))
    service.updated_at = now
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
