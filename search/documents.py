"""Build search documents from database rows: only public, consented fields go in."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import object_session

from core.kinds import RegistryStatus, ServiceKind
from core.listing_fields import INDEXED_FIELDS, ListingField, ValueType
from core.models import RegistryEntry, ScheduleRow, Service

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
OPEN_START = 0
OPEN_END = 99_991_231


def timestamp_micros(value: datetime) -> int:
    """A moment as whole microseconds since the epoch (naive values are UTC, as stored)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - EPOCH) // timedelta(microseconds=1)


def date_number(value: date) -> int:
    """A date as the number YYYYMMDD, so Meilisearch can compare dates in filters."""
    return value.year * 10_000 + value.month * 100 + value.day


#: what a babysitter's public card never shows: she is a person, families reach her through
#: the Sportello Famiglia-Lavoro (and her description is free text she edits herself)
BABYSITTER_PRIVATE_FIELDS = ("phone", "email", "website", "description")


def codes(text: str | None) -> list[str]:
    """ "en,fr" → ["en", "fr"] (how lists of codes are stored)."""
    return [code for code in (text or "").split(",") if code]


def index_value(field: ListingField, value: Any) -> Any:
    """A declared field's value as the index (and the API) holds it: lists of codes as
    lists, dates as ISO text, the rest as stored."""
    if field.type in {ValueType.LANGUAGES, ValueType.COMUNI}:
        return codes(value)
    if field.type == ValueType.DATE:
        return value.isoformat() if value else None
    return value


def public_service_fields(service: Service) -> dict[str, Any]:
    """What anybody may see of a service, in the index, the pages and the API: its indexed
    fields (core.listing_fields), without a babysitter's private ones."""
    fields = {
        field.name: index_value(field, getattr(service, field.name)) for field in INDEXED_FIELDS
    }
    if service.kind == ServiceKind.BABYSITTER:
        fields |= {name: None for name in BABYSITTER_PRIVATE_FIELDS}
        fields["description"] = ""
    fields["kind_label"] = ServiceKind(service.kind).label_it
    return fields


def registry_entry_of(service: Service) -> RegistryEntry | None:
    """The registry entry of a babysitter listing, from the session the service came from."""
    session = object_session(service)
    return session.get(RegistryEntry, service.id) if session is not None else None


def registry_valid_until(entry: RegistryEntry | None) -> int:
    """Until when (YYYYMMDD) a babysitter may be shown: 0 unless approved; then the earlier
    of the certifications' expiry dates, open-ended when none is recorded."""
    if entry is None or entry.status != RegistryStatus.APPROVED.value:
        return 0
    expiries = [
        day for day in (entry.registry_course_expires_on, entry.first_aid_expires_on) if day
    ]
    return date_number(min(expiries)) if expiries else OPEN_END


def registry_fields(service: Service) -> dict[str, Any]:
    """A babysitter's registry status as the index needs it: `registry_ok_until` for the
    query-time filter (search.query), and the expiry dates for the cards."""
    if service.kind != ServiceKind.BABYSITTER:
        return {}
    entry = registry_entry_of(service)
    return {
        "registry_ok_until": registry_valid_until(entry),
        "registry_course_expires_on": _iso(entry.registry_course_expires_on if entry else None),
        "first_aid_expires_on": _iso(entry.first_aid_expires_on if entry else None),
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def service_document(service: Service) -> dict[str, Any]:
    """The index document of a service, with a hash of its content (for `conciliamo check`)."""
    document = _document(service)
    document["content_hash"] = content_hash(document)
    return document


def content_hash(document: dict[str, Any]) -> str:
    """A short digest of everything in the document but itself."""
    fields = {name: value for name, value in document.items() if name != "content_hash"}
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(payload.encode(), digest_size=12).hexdigest()


def _document(service: Service) -> dict[str, Any]:
    location = service.location
    rows = service.schedule_rows
    return {
        "id": service.id,
        "status": service.status,
        "organization": service.organization.name,
        "address": None if service.kind == ServiceKind.BABYSITTER else location.address,
        "cap": location.cap,
        "comune": location.comune,
        "istat_code": location.istat_code,
        "_geo": {"lat": location.latitude, "lng": location.longitude},
        "geocode_precision": location.geocode_precision,
        **public_service_fields(service),
        "updated_ts": timestamp_micros(service.updated_at),
        "hours_known": bool(rows),
        "open_weekdays": sorted({row.weekday for row in rows}),
        "valid_from": _earliest_start(rows),
        "valid_to": _latest_end(rows),
        "schedule": [schedule_entry(row) for row in rows],
        **day_span_fields(rows),
        **registry_fields(service),
    }


def day_span_fields(rows: Iterable[ScheduleRow]) -> dict[str, int]:
    """opens_<weekday> / closes_<weekday>: the earliest opening and latest closing on that
    weekday, in minutes after midnight, so Meilisearch can tell which services could cover a
    whole day (a necessary condition: the engine checks the gaps and dates)."""
    fields: dict[str, int] = {}
    for row in rows:
        opens = row.opens_at.hour * 60 + row.opens_at.minute
        closes = row.closes_at.hour * 60 + row.closes_at.minute
        day = row.weekday
        fields[f"opens_{day}"] = min(fields.get(f"opens_{day}", opens), opens)
        fields[f"closes_{day}"] = max(fields.get(f"closes_{day}", closes), closes)
    return fields


def schedule_entry(row: ScheduleRow) -> dict[str, Any]:
    return {
        "weekday": row.weekday,
        "opens": row.opens_at.strftime("%H:%M"),
        "closes": row.closes_at.strftime("%H:%M"),
        "valid_from": row.valid_from.isoformat() if row.valid_from else None,
        "valid_to": row.valid_to.isoformat() if row.valid_to else None,
    }


def _earliest_start(rows: Iterable[ScheduleRow]) -> int:
    starts = [row.valid_from for row in rows]
    if not starts or None in starts:
        return OPEN_START
    return min(date_number(start) for start in starts if start is not None)


def _latest_end(rows: Iterable[ScheduleRow]) -> int:
    ends = [row.valid_to for row in rows]
    if not ends or None in ends:
        return OPEN_END
    return max(date_number(end) for end in ends if end is not None)
