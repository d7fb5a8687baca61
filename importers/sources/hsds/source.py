"""`HsdsSource`: one listing per HSDS service at a location, its kind told by keywords."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from core.i18n import _
from core.kinds import ServiceKind
from core.places.gazetteer import Gazetteer
from importers.pipeline import SourceRow
from importers.readers import ProgressCallback
from importers.records import build_record
from importers.report import RowProblem
from importers.sources.hsds import items
from importers.sources.hsds.items import Item
from importers.sources.hsds.mapping import phone, place, service_fields
from importers.sources.hsds.notes import Notes
from importers.sources.hsds.reading import read_services
from importers.sources.hsds.schedules import slots

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
KIND_UNKNOWN = _("tipo di servizio non riconoscibile: usa --kind")
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
            yield SourceRow(line, None, [RowProblem(file, line, "*", _("non è un servizio HSDS"))])
            return
        pairs = [sal for sal in service.get("service_at_locations") or [] if isinstance(sal, dict)]
        if items.text(service.get("status")).lower() != "active":  # not published: skipped
            yield from (SourceRow(line, None) for _pair in range(max(len(pairs), 1)))
        elif not pairs:
            message = _(
                "«{service}»: servizio senza sede (nessun service_at_location)",
                service=items.name(service),
            )
            problem = RowProblem(file, line, "service_at_locations", message)
            yield SourceRow(line, None, [problem], key=items.text(service.get("id")) or None)
        else:
            for number, sal in enumerate(pairs, start=1):
                yield self.listing(Notes(file, line), service, sal, number, gazetteer)

    def listing(
        self, notes: Notes, service: Item, sal: Item, number: int, gazetteer: Gazetteer
    ) -> SourceRow:
        location = items.item(sal.get("location"))
        where = items.text(location.get("id") or sal.get("location_id") or sal.get("id")) or str(
            number
        )
        key = f"{items.text(service.get('id'))}@{where}"
        notes.label = _(
            "«{service}» presso «{location}»",
            service=items.name(service),
            location=items.text(location.get("name")) or where,
        )
        kind = self.kind(service)
        if kind is None:
            notes.reject("name", KIND_UNKNOWN)
        fields = service_fields(service, sal, notes) | place(location, gazetteer, notes)
        linked = (sal, service, location, items.item(service.get("organization")))
        fields["slots"] = slots(items.first(*(item.get("schedules") for item in linked[:3])), notes)
        fields["phone"] = phone(items.first(*(item.get("phones") for item in linked)))
        if notes.problems:
            return SourceRow(notes.line, None, notes.problems, key=key)
        fields |= {"source": self.name, "external_id": key, "kind": kind}
        record = build_record(fields, file=notes.file, line=notes.line, column_names=HSDS_FIELD)
        if isinstance(record, list):
            named = [replace(p, text=notes.labelled(p.text)) for p in record]
            return SourceRow(notes.line, None, named, key=key)
        return SourceRow(notes.line, record, flags=notes.flags, key=key)

    def kind(self, service: Item) -> ServiceKind | None:
        terms = [
            items.item(items.item(a).get("taxonomy_term")) for a in service.get("attributes") or []
        ]
        taxonomy = " ".join(items.text(term.get("name") or term.get("term")) for term in terms)
        for text in (
            items.text(service.get("name")),
            taxonomy,
            items.text(service.get("description")),
        ):
            for pattern, kind in self.kind_by_keyword:
                if re.search(pattern, text, re.IGNORECASE):
                    return kind
        return self.default_kind
