"""Open Referral HSDS, the format in which another directory hands us its services.

Told apart by content: an HSDS 1.1 data package (a folder of CSVs, or its datapackage.json;
whichever tables exist are read and joined into the nested 3.0 shape first) or an HSDS 3.0
JSON file (a list of services, or an object whose "services" or "contents" is one). One
listing per (service, location) pair, keyed "<service id>@<location id>"; only "active"
services are published, the others are skipped. HSDS has no childcare kinds: keywords in the
name, then the taxonomy terms, then the description decide, else `default_kind` (--kind).

Weekdays: HSDS 1.1 `weekday` is 1-7 with 1 = Monday (ISO 8601, made explicit in HSDS 1.1.1,
openreferral/specification#164), as in our schedule rows; 0 is refused. HSDS 3.0 gives RFC 5545
`byday` codes (MO…SU). Only weekly schedules become slots; a time zone after opens_at/closes_at
is dropped (times are read as local); a schedule with only a description is read as free text.
The most specific schedules and phones win: service at location, service, location.
Ages: minimum_age/maximum_age are years (a maximum over 18 means no limit); eligibility text
is read by the ages normaliser and, when it is not an age ("adult"), kept in the description.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from importers.gazetteer.lookup import Gazetteer
from importers.locate import LocateError, locate
from importers.normalise.ages import AgeRangeError, parse_age_range
from importers.normalise.contacts import ContactError, clean_email, split_phones
from importers.normalise.fees import FeeError, parse_fee
from importers.normalise.free_hours import FreeHoursError, parse_free_hours
from importers.normalise.schedule_text import (
    WEEKDAY_BY_NAME,
    OpeningSlot,
    ScheduleTextError,
    merge_slots,
)
from importers.normalise.values import CellError, coordinate_or_none, text_or_none, website_url
from importers.pipeline import SourceRow
from importers.readers import ProgressCallback, SourceFileError, read_csv_rows
from importers.records import MAX_AGE_MONTHS, build_record
from importers.report import RowProblem
from service.kinds import ServiceKind

Item = dict[str, Any]

KIND_BY_KEYWORD: tuple[tuple[str, ServiceKind], ...] = (  # regexes, first match wins
    (r"\bpre[- ]?scuola\b|\bbefore[- ]school\b", ServiceKind.PRE_SCUOLA),
    (r"\b(?:dopo|post)[- ]?scuola\b|\bafter[- ]?school\b", ServiceKind.POST_SCUOLA),
    (r"\bcentr[oi] estiv[oi]\b|\bsummer camps?\b", ServiceKind.CENTRO_ESTIVO),
    (r"\bsezion[ei] primavera\b", ServiceKind.SEZIONE_PRIMAVERA),
    (
        r"\bscuol[ae] dell['’ ]?infanzia\b|\bscuol[ae] matern[ae]\b|\bpre-?schools?\b",
        ServiceKind.SCUOLA_INFANZIA,
    ),
    (r"\bbaby[- ]?sitt\w*", ServiceKind.BABYSITTER),
    (r"\bsportell[oi]\b", ServiceKind.SPORTELLO),
    (r"\bmicro-?nid[oi]\b", ServiceKind.MICRONIDO),
    (r"\b(?:asil[oi]|nid[oi])\b|\bnurser(?:y|ies)\b|\bday[- ]?care\b", ServiceKind.NIDO),
)
KIND_UNKNOWN = "tipo di servizio non riconoscibile: usa --kind"
NO_ORGANIZATION = "Gestore non indicato dalla fonte"
#: HSDS 1.1 resource → (default file, columns it must have)
TABLES = {
    "service": ("services.csv", ("id", "name", "status")),
    "organization": ("organizations.csv", ("id", "name")),
    "location": ("locations.csv", ("id",)),
    "service_at_location": ("services_at_location.csv", ("service_id", "location_id")),
    "regular_schedule": ("regular_schedules.csv", ("weekday",)),
    "eligibility": ("eligibility.csv", ("service_id", "eligibility")),
    "phone": ("phones.csv", ("number",)),
    "physical_address": ("physical_addresses.csv", ("location_id", "city")),
    "service_taxonomy": ("services_taxonomy.csv", ("service_id", "taxonomy_id")),
    "taxonomy": ("taxonomy.csv", ("id", "name")),
}
LINKS = ("service_id", "location_id", "service_at_location_id", "organization_id", "contact_id")
HSDS_FIELD = {  # record field → the HSDS field a problem names
    "external_id": "id",
    "organization_name": "organization.name",
    "website": "url",
    "phone": "phones",
    "age_min_months": "minimum_age",
    "age_max_months": "maximum_age",
    "address": "address_1",
    "cap": "postal_code",
    "comune": "city",
    "cost_cents": "fees",
    "cost_period": "fees",
}
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ENGLISH_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: HSDS 1.1 weekday: 1 = Monday … 7 = Sunday; older feeds write names (Monday, Tue, lunedì)
DAY_NUMBERS = (
    {str(n): n for n in range(1, 8)}
    | dict(WEEKDAY_BY_NAME)
    | {name: n for n, day in enumerate(ENGLISH_DAYS, 1) for name in (day, day[:3], day[:2])}
)
CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?", re.I)
RECORD_PERIODS = ("mese", "settimana", "ora", "anno", "gratuito")


@dataclass(frozen=True)
class HsdsSource:
    name: str = "hsds"
    default_kind: ServiceKind | None = None
    kind_by_keyword: tuple[tuple[str, ServiceKind], ...] = KIND_BY_KEYWORD

    def rows(
        self, path: Path, gazetteer: Gazetteer, on_progress: ProgressCallback | None = None
    ) -> Iterator[SourceRow]:
        for file, line, service in read_services(path, on_progress):
            yield from self.listings(file, line, service, gazetteer)

    def listings(
        self, file: str, line: int, service: Any, gazetteer: Gazetteer
    ) -> Iterator[SourceRow]:
        if not isinstance(service, dict):
            yield SourceRow(line, None, [RowProblem(file, line, "*", "non è un servizio HSDS")])
            return
        pairs = [sal for sal in service.get("service_at_locations") or [] if isinstance(sal, dict)]
        if _text(service.get("status")).lower() != "active":  # not published: skipped
            yield from (SourceRow(line, None) for _ in range(max(len(pairs), 1)))
        elif not pairs:
            message = f"«{_name(service)}»: servizio senza sede (nessun service_at_location)"
            problem = RowProblem(file, line, "service_at_locations", message)
            yield SourceRow(line, None, [problem], key=_text(service.get("id")) or None)
        else:
            for number, sal in enumerate(pairs, start=1):
                yield self.listing(_Notes(file, line), service, sal, number, gazetteer)

    def listing(
        self, notes: _Notes, service: Item, sal: Item, number: int, gazetteer: Gazetteer
    ) -> SourceRow:
        location = _item(sal.get("location"))
        where = _text(location.get("id") or sal.get("location_id") or sal.get("id")) or str(number)
        key = f"{_text(service.get('id'))}@{where}"
        notes.label = f"«{_name(service)}» presso «{_text(location.get('name')) or where}»"
        kind = self.kind(service)
        if kind is None:
            notes.reject("name", KIND_UNKNOWN)
        fields = _service_fields(service, sal, notes) | _place(location, gazetteer, notes)
        linked = (sal, service, location, _item(service.get("organization")))
        fields["slots"] = _slots(_first(*(item.get("schedules") for item in linked[:3])), notes)
        fields["phone"] = _phone(_first(*(item.get("phones") for item in linked)))
        if notes.problems:
            return SourceRow(notes.line, None, notes.problems, key=key)
        fields |= {"source": self.name, "external_id": key, "kind": kind}
        record = build_record(fields, file=notes.file, line=notes.line, column_names=HSDS_FIELD)
        if isinstance(record, list):
            named = [replace(p, message=f"{notes.label}: {p.message}") for p in record]
            return SourceRow(notes.line, None, named, key=key)
        return SourceRow(notes.line, record, flags=notes.flags, key=key)

    def kind(self, service: Item) -> ServiceKind | None:
        terms = [_item(_item(a).get("taxonomy_term")) for a in service.get("attributes") or []]
        taxonomy = " ".join(_text(term.get("name") or term.get("term")) for term in terms)
        for text in (_text(service.get("name")), taxonomy, _text(service.get("description"))):
            for pattern, kind in self.kind_by_keyword:
                if re.search(pattern, text, re.IGNORECASE):
                    return kind
        return self.default_kind


@dataclass
class _Notes:
    """The problems and flags of one listing, each message starting with what and where."""

    file: str
    line: int
    label: str = ""
    problems: list[RowProblem] = field(default_factory=list)
    flags: list[RowProblem] = field(default_factory=list)

    def reject(self, name: str, message: str) -> None:
        self.problems.append(RowProblem(self.file, self.line, name, f"{self.label}: {message}"))

    def flag(self, name: str, message: str) -> None:
        self.flags.append(RowProblem(self.file, self.line, name, f"{self.label}: {message}"))


# ---- reading ------------------------------------------------------------------------------


def read_services(
    path: Path, on_progress: ProgressCallback | None
) -> Iterator[tuple[str, int, Any]]:
    """(file, line, service in the 3.0 shape) for a 1.1 package or a 3.0 JSON file."""
    if path.is_dir():
        return _read_package(path, path / "datapackage.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceFileError(
            f"{path.name}: non è un JSON HSDS leggibile ({error}): passa il file JSON HSDS 3.0 "
            "o la cartella (o il datapackage.json) del pacchetto HSDS 1.1"
        ) from error
    if on_progress is not None:
        on_progress(path.stat().st_size)
    if isinstance(data, dict) and isinstance(data.get("resources"), list):
        return _read_package(path.parent, path)
    services = next(
        (data[key] for key in ("services", "contents") if isinstance(data, dict) and key in data),
        data,
    )
    if isinstance(data, dict) and _text(data.get("total_pages")) not in ("", "0", "1"):
        raise SourceFileError(  # the other pages' listings would be marked as gone
            f"{path.name}: è una pagina di {data['total_pages']} di una risposta HSDS: "
            "unisci tutte le pagine in un solo file"
        )
    if not isinstance(services, list):
        raise SourceFileError(
            f"{path.name}: attesa una lista di servizi HSDS 3.0 (o un oggetto con "
            "«services» o «contents»)"
        )
    return ((path.name, number, service) for number, service in enumerate(services, start=1))


def _read_package(root: Path, package: Path) -> Iterator[tuple[str, int, Item]]:
    files = {name: default for name, (default, _) in TABLES.items()}
    if package.is_file():
        try:
            resources = json.loads(package.read_text(encoding="utf-8-sig"))["resources"]
            files |= {r["name"]: r["path"] for r in resources if r.get("name") in TABLES}
            if any(Path(f).is_absolute() or ".." in Path(f).parts for f in files.values()):
                raise ValueError("percorsi fuori dalla cartella del pacchetto")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise SourceFileError(f"{package.name}: datapackage non leggibile ({error})") from error
    if not (root / files["service"]).is_file():
        raise SourceFileError(f"{root.name}: manca {files['service']}: non è un pacchetto HSDS 1.1")
    tables = {
        name: [raw.values for raw in read_csv_rows(root / files[name], TABLES[name][1])]
        for name in TABLES
        if name != "service" and (root / files[name]).is_file()
    }
    package_tables = _Package(tables)
    for raw in read_csv_rows(root / files["service"], TABLES["service"][1]):
        yield files["service"], raw.line, package_tables.service(raw.values)


@dataclass
class _Package:
    """HSDS 1.1 tables, joined into nested 3.0-shaped services."""

    tables: dict[str, list[dict[str, str]]]
    groups: dict[tuple[str, str], dict[str, list[dict[str, str]]]] = field(default_factory=dict)

    def by(self, table: str, column: str, value: str) -> list[dict[str, str]]:
        if (table, column) not in self.groups:
            grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
            for row in self.tables.get(table, []):
                grouped[row.get(column, "")].append(row)
            self.groups[table, column] = grouped
        return self.groups[table, column].get(value, []) if value else []

    def only(self, table: str, column: str, value: str) -> list[dict[str, str]]:
        """Rows linked to that record alone (not also to a location, a service…)."""
        rows = self.by(table, column, value)
        return [row for row in rows if not any(row.get(o) for o in LINKS if o != column)]

    def service(self, row: dict[str, str]) -> Item:
        sid = row.get("id", "")
        organization = next(iter(self.by("organization", "id", row.get("organization_id", ""))), {})
        taxonomy_ids = [
            link["taxonomy_id"] for link in self.by("service_taxonomy", "service_id", sid)
        ]
        taxonomy_ids += [part.strip() for part in row.get("taxonomy_ids", "").split(",")]
        eligibility = self.by("eligibility", "service_id", sid)
        return row | {
            "eligibility_description": "; ".join(e["eligibility"] for e in eligibility),
            "organization": organization
            | {"phones": self.only("phone", "organization_id", organization.get("id", ""))},
            "attributes": [
                {"taxonomy_term": term}
                for tid in taxonomy_ids
                for term in self.by("taxonomy", "id", tid)
            ],
            "schedules": self.only("regular_schedule", "service_id", sid),
            "phones": self.only("phone", "service_id", sid),
            "service_at_locations": [
                self.service_at_location(sal, sid)
                for sal in self.by("service_at_location", "service_id", sid)
            ],
        }

    def service_at_location(self, sal: dict[str, str], sid: str) -> Item:
        lid = sal.get("location_id", "")

        def linked(table: str) -> list[dict[str, str]]:
            own = self.by(table, "service_at_location_id", sal.get("id", ""))
            return own + [
                row
                for row in self.by(table, "service_id", sid)
                if row.get("location_id") == lid and not row.get("service_at_location_id")
            ]

        location = next(iter(self.by("location", "id", lid)), {"id": lid})
        return sal | {
            "schedules": linked("regular_schedule"),
            "phones": linked("phone"),
            "location": location
            | {
                "addresses": self.by("physical_address", "location_id", lid),
                "schedules": self.only("regular_schedule", "location_id", lid),
                "phones": self.only("phone", "location_id", lid),
            },
        }


# ---- mapping ------------------------------------------------------------------------------


def _service_fields(service: Item, sal: Item, notes: _Notes) -> Item:
    extra: list[str] = []
    fields: Item = {
        "name": _text(service.get("name")),
        "organization_name": _text(_item(service.get("organization")).get("name"))
        or NO_ORGANIZATION,
        "website": website_url(_text(service.get("url"))),
        **_ages(service, notes, extra),
        **_fee(service, extra),
    }
    try:
        fields["email"] = clean_email(_text(service.get("email")))
    except ContactError as error:
        notes.reject("email", str(error))
    parts = (_prose(service.get("description")), _prose(sal.get("description")), *extra)
    fields["description"] = " ".join(part for part in parts if part)[:4000]
    return fields


def _ages(service: Item, notes: _Notes, extra: list[str]) -> Item:
    months: dict[str, int | None] = {}
    for name, target in (("minimum_age", "age_min_months"), ("maximum_age", "age_max_months")):
        value = service.get(name)
        try:
            years = None if value in (None, "") else Decimal(str(value).replace(",", "."))
            months[target] = None if years is None else int(years * 12 + Decimal("0.5"))
        except (InvalidOperation, ValueError, OverflowError):  # «tre», NaN, Infinity
            notes.reject(name, f"«{value}» non è un numero di anni")
    if (months.get("age_max_months") or 0) > MAX_AGE_MONTHS:
        months["age_max_months"] = None  # «fino a 99 anni»: no upper limit for us
    text = _text(service.get("eligibility_description"))
    try:
        if text and not any(value is not None for value in months.values()):
            ages = parse_age_range(text)
            return {"age_min_months": ages.min_months, "age_max_months": ages.max_months}
    except AgeRangeError:
        pass
    extra.extend([f"Destinatari: {text}."] if text else [])
    return months


def _fee(service: Item, extra: list[str]) -> Item:
    text = _text(service.get("fees_description")) or _text(service.get("fees"))
    if not text:
        return {}
    try:
        fee = parse_fee(text)
    except FeeError:
        extra.append(f"Costi: {text}.")
        return {}
    if fee.income_based:
        extra.append("Retta in base all'ISEE.")
    if fee.note or fee.period not in (None, *RECORD_PERIODS):
        extra.append(f"Costi: {text}.")
    if fee.period not in (None, *RECORD_PERIODS):
        return {}
    free = fee.period == "gratuito"  # stored as no amount, period «gratuito», like our sheets
    return {"cost_cents": None if free else fee.amount_cents, "cost_period": fee.period}


def _place(location: Item, gazetteer: Gazetteer, notes: _Notes) -> Item:
    addresses = [a for a in location.get("addresses") or [] if isinstance(a, dict)]
    physical = [a for a in addresses if _text(a.get("address_type")) in ("", "physical")]
    address = (physical or addresses or [{}])[0]
    city, province = _text(address.get("city")), _text(address.get("state_province")).upper()
    cap = _text(address.get("postal_code"))
    cap = cap if re.fullmatch(r"\d{5}", cap) else ""
    try:
        located = locate(
            gazetteer,
            comune_name=city,
            province=province if re.fullmatch(r"[A-Z]{2}", province) else None,
            cap=cap or None,
            latitude=_coordinate(location.get("latitude")),
            longitude=_coordinate(location.get("longitude")),
        )
    except CellError as error:
        notes.reject("latitude/longitude", str(error))
        return {}
    except LocateError as error:
        notes.reject("city" if error.field == "comune" else "latitude/longitude", str(error))
        return {}
    if located.flag:
        notes.flag("latitude/longitude", located.flag)
    street = (_text(address.get("address_1")), _text(address.get("address_2")))
    return {
        "address": ", ".join(part for part in street if part) or None,
        "cap": cap or located.cap,
        "comune": located.comune.name if located.comune else city,
        "istat_code": located.comune.istat_code if located.comune else None,
        "latitude": located.latitude,
        "longitude": located.longitude,
        "geocode_precision": located.precision,
        "geocode_source": located.source,
    }


def _slots(schedules: list[Item], notes: _Notes) -> tuple[OpeningSlot, ...]:
    slots: list[OpeningSlot] = []
    for schedule in schedules:
        if _text(schedule.get("freq")).upper() not in ("", "WEEKLY") or schedule.get(
            "interval"
        ) not in (None, "", 1, "1"):
            notes.flag("schedules", "orario non settimanale ignorato: da verificare")
            continue
        try:
            days = _weekdays(schedule)
            if not days:  # no structured days: the free-text description, if any
                slots.extend(_described(schedule, notes))
                continue
            opens = _clock(schedule.get("opens_at"), "opens_at")
            closes = _clock(schedule.get("closes_at"), "closes_at", closing=True)
            slots.extend(OpeningSlot(day, opens, closes) for day in days)
        except ScheduleTextError as error:
            notes.reject("schedules", str(error))
    return tuple(merge_slots(slots))


def _weekdays(schedule: Item) -> list[int]:
    byday = _text(schedule.get("byday"))
    codes = [code.strip().upper() for code in byday.split(",") if code.strip()]
    word = _text(schedule.get("weekday")).lower()
    if any(code not in RRULE_DAYS for code in codes) or (word and word not in DAY_NUMBERS):
        raise ScheduleTextError(
            f"giorno «{byday or word}» non valido: usa byday MO…SU o weekday 1 (lunedì) … 7"
        )
    if codes:
        return [RRULE_DAYS.index(code) + 1 for code in codes]
    return [DAY_NUMBERS[word]] if word else []


def _described(schedule: Item, notes: _Notes) -> tuple[OpeningSlot, ...]:
    text = _text(schedule.get("description"))
    try:
        return parse_free_hours(text).slots if text else ()
    except FreeHoursError:
        notes.flag("schedules", f"orario non letto, da verificare: «{text}»")
        return ()


def _clock(value: Any, name: str, *, closing: bool = False) -> time:
    text = _text(value)
    match = CLOCK.fullmatch(text)
    if not text or match is None or int(match[1]) > 24 or int(match[2]) > 59:
        raise ScheduleTextError(f"{name} «{text}» non valido: scrivi l'ora come 09:00")
    hour, minute = int(match[1]), int(match[2])
    if closing and (hour % 24, minute) == (0, 0):
        return time(23, 59)  # closing at midnight
    if hour == 24:
        raise ScheduleTextError(f"{name} «{text}» non valido: 24:00 vale solo per la chiusura")
    return time(hour, minute)


def _phone(phones: list[Item]) -> str | None:
    numbers = (_text(phone.get("number")) for phone in phones)
    return next((number for number in numbers if split_phones(number)), None)


# ---- small helpers ------------------------------------------------------------------------


def _first(*candidates: Any) -> list[Item]:
    """The first non-empty list of objects: the most specific schedules or phones."""
    for candidate in candidates:
        items = [item for item in candidate if isinstance(item, dict)] if candidate else []
        if items:
            return items
    return []


def _item(value: Any) -> Item:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, bool) else " ".join(str(value).split())


def _name(service: Item) -> str:
    return _text(service.get("name")) or _text(service.get("id"))


def _prose(value: Any) -> str:
    return text_or_none(re.sub(r"<[^>]+>", " ", _text(value))) or ""


def _coordinate(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return coordinate_or_none(_text(value))
