"""Shape matches and services for people (templates) and programs (JSON): one place decides
which fields are public."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from search.documents import public_service_fields, schedule_entry
from search.matching.explain import explanation, explanation_data, weekday_name
from search.matching.ranking import Match
from service.kinds import SECTOR_LABELS_IT, GeocodePrecision, Sector
from service.models import ScheduleRow, Service

WEEKDAY_NAMES_IT = {
    1: "Lunedì",
    2: "Martedì",
    3: "Mercoledì",
    4: "Giovedì",
    5: "Venerdì",
    6: "Sabato",
    7: "Domenica",
}
COST_PERIOD_IT = {
    "mese": "al mese",
    "settimana": "a settimana",
    "ora": "all'ora",
    "anno": "all'anno",
}


def euro(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    text = f"{whole:,}".replace(",", ".")
    return f"€ {text},{rest:02d}" if rest else f"€ {text}"


def cost_label(cost_cents: int | None, cost_period: str | None) -> str | None:
    if cost_period == "gratuito":
        return "Gratuito"
    if cost_cents is None:
        return None
    suffix = COST_PERIOD_IT.get(cost_period or "", "")
    return f"{euro(cost_cents)} {suffix}".strip()


def age_label(minimum: int | None, maximum: int | None) -> str | None:
    if minimum is None and maximum is None:
        return None

    def months(value: int) -> str:
        if value >= 36 and value % 12 == 0:
            return f"{value // 12} anni"
        return f"{value} mesi"

    if maximum is None:
        return f"da {months(minimum or 0)}"
    return f"da {months(minimum or 0)} a {months(maximum)}"


def match_json(match: Match) -> dict[str, Any]:
    document = match.document
    sentence = explanation(match)
    return {
        "id": document["id"],
        "name": document["name"],
        "kind": document["kind"],
        "kind_label": document["kind_label"],
        "address": document.get("address"),
        "comune": document["comune"],
        "distance_km": round(match.distance_km, 3),
        "age_months": match.ages[0].months,
        "places_available": document.get("places_available"),
        "hours_known": document.get("hours_known", False),
        "full_coverage": match.is_full,
        "coverage": explanation_data(match)["coverage"],
        "explanation": sentence.render("it"),
        "explanation_en": sentence.render("en"),
        "url": f"/servizi/{document['id']}",
    }


@dataclass(frozen=True)
class MatchCard:
    """A result as the results list shows it."""

    match: Match

    @property
    def document(self) -> Any:
        return self.match.document

    @property
    def day_bars(self) -> list[tuple[str, int]]:
        if self.match.coverage is None:
            return []
        return [
            (weekday_name(weekday, "it"), round(share.ratio * 100))
            for weekday, share in sorted(self.match.coverage.by_weekday.items())
        ]

    @property
    def explanation(self) -> str:
        return explanation(self.match).render("it")

    @property
    def cost(self) -> str | None:
        return cost_label(self.document.get("cost_cents"), self.document.get("cost_period"))


@dataclass(frozen=True)
class SchedulePeriod:
    label: str
    days: list[tuple[str, str]]


def schedule_periods(rows: list[ScheduleRow]) -> list[SchedulePeriod]:
    """Schedule rows grouped by validity period, each as weekday → «07:30–12:30, 13:30–18:00»."""
    grouped: dict[tuple[Any, Any], dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in sorted(rows, key=lambda r: (r.valid_from or "", r.weekday, r.opens_at)):
        grouped[(row.valid_from, row.valid_to)][row.weekday].append(
            f"{row.opens_at:%H:%M}–{row.closes_at:%H:%M}"
        )
    periods = []
    for (start, end), days in grouped.items():
        label = f"dal {start:%d/%m/%Y} al {end:%d/%m/%Y}" if start and end else "tutto l'anno"
        periods.append(
            SchedulePeriod(
                label, [(WEEKDAY_NAMES_IT[day], ", ".join(days[day])) for day in sorted(days)]
            )
        )
    return periods


def service_json(service: Service) -> dict[str, Any]:
    location = service.location
    return {
        "id": service.id,
        **public_service_fields(service),
        "organization": service.organization.name,
        "location": {
            "address": location.address,
            "cap": location.cap,
            "comune": location.comune,
            "istat_code": location.istat_code,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "geocode_precision": location.geocode_precision,
            "geocode_source": location.geocode_source,
        },
        "schedule": [schedule_entry(row) for row in service.schedule_rows],
        "provenance": [
            {
                "source": provenance.source,
                "external_id": provenance.external_id,
                "imported_at": provenance.imported_at.isoformat(),
                "missing_since": provenance.missing_since.isoformat()
                if provenance.missing_since
                else None,
            }
            for provenance in service.provenances
        ],
    }


def sector_label(sector: str | None) -> str | None:
    return SECTOR_LABELS_IT[Sector(sector)] if sector else None


def precision_note(precision: str) -> str | None:
    if precision == GeocodePrecision.COMUNE.value:
        return "Posizione approssimata al centro del comune"
    return None
