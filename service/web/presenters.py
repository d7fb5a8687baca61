"""Shape matches and services for people (templates) and programs (JSON): one place decides
which fields are public."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date, get_day_names

from core.i18n import SOURCE_LANGUAGE, Text, _
from core.kinds import GeocodePrecision, Sector, ServiceKind
from core.models import ScheduleRow, Service
from search.documents import public_service_fields, schedule_entry
from search.matching.explain import (
    ages_text,
    distance_text,
    explanation,
    explanation_data,
    places_text,
    plan_explanation,
    weekday_name,
)
from search.matching.need import CareNeed
from search.matching.plans import Plan
from search.matching.ranking import Match

COST_PERIODS: dict[str, Text] = {
    "mese": _("{amount} al mese"),
    "settimana": _("{amount} a settimana"),
    "ora": _("{amount} all'ora"),
    "anno": _("{amount} all'anno"),
    "giorno": _("{amount} al giorno"),
}


def euro(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    text = f"{whole:,}".replace(",", ".")
    return f"€ {text},{rest:02d}" if rest else f"€ {text}"


class Euro(Text):
    """€ 1.250 in Italian, €1,250 in English."""

    __slots__ = ()

    def __init__(self, cents: int) -> None:
        super().__init__("", cents=cents)

    def render(self, language: str = SOURCE_LANGUAGE) -> str:
        cents = int(self.values["cents"])  # type: ignore[call-overload]
        if language == "it":
            return euro(cents)
        whole, rest = divmod(cents, 100)
        return f"€{whole:,}.{rest:02d}" if rest else f"€{whole:,}"


def cost_text(cost_cents: int | None, cost_period: str | None) -> Text | None:
    if cost_period == "gratuito":
        return _("Gratuito")
    if cost_cents is None:
        return None
    period = COST_PERIODS.get(cost_period or "")
    if period is None:
        return Euro(cost_cents)
    return Text(period.msgid, amount=Euro(cost_cents))


def cost_label(cost_cents: int | None, cost_period: str | None) -> str | None:
    """The cost in Italian (the API's `cost`)."""
    text = cost_text(cost_cents, cost_period)
    return None if text is None else text.render("it")


def age_text(minimum: int | None, maximum: int | None) -> Text | None:
    if minimum is None and maximum is None:
        return None

    def months(value: int) -> Text:
        if value >= 36 and value % 12 == 0:
            return _("{count} anni", count=value // 12)
        return _("{count} mesi", count=value)

    if maximum is None:
        return _("da {minimum}", minimum=months(minimum or 0))
    return _("da {minimum} a {maximum}", minimum=months(minimum or 0), maximum=months(maximum))


def kind_label(kind: str, language: str) -> str:
    try:
        service_kind = ServiceKind(kind)
    except ValueError:
        return kind
    return service_kind.label_en if language == "en" else service_kind.label_it


def long_date(value: date | str | None, language: str) -> str | None:
    """ "23 novembre 2026", "1° dicembre 2026", "23 November 2026"."""
    if not value:
        return None
    day = date.fromisoformat(value) if isinstance(value, str) else value
    text = format_date(day, format="long", locale=language)
    if language == "it" and day.day == 1:
        return "1°" + text.removeprefix("1")  # Italian writes the first of the month as an ordinal
    return text


def certificate_texts(
    registry_course_expires_on: date | str | None,
    first_aid_expires_on: date | str | None,
    language: str,
) -> list[Text]:
    """ "corso per babysitter: scadenza 11 marzo 2028", "primo soccorso pediatrico …"."""
    texts = []
    course = long_date(registry_course_expires_on or None, language)
    if course:
        texts.append(_("corso per babysitter: scadenza {date}", date=course))
    first_aid = long_date(first_aid_expires_on or None, language)
    if first_aid:
        texts.append(_("primo soccorso pediatrico: scadenza {date}", date=first_aid))
    return texts


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
        **babysitter_result_fields(document),
    }


def babysitter_result_fields(document: Mapping[str, Any]) -> dict[str, Any]:
    """A babysitter in search results: her certifications' expiry, and that families reach
    her through the sportello (her page names it); nothing for other kinds."""
    if document.get("kind") != ServiceKind.BABYSITTER.value:
        return {}
    return {
        "certifications": {
            "registry_course_expires_on": document.get("registry_course_expires_on"),
            "first_aid_expires_on": document.get("first_aid_expires_on"),
        },
        "contact": "sportello",
    }


@dataclass(frozen=True)
class MatchCard:
    """A result as the results list shows it, in the page's language."""

    match: Match
    language: str = SOURCE_LANGUAGE

    @property
    def document(self) -> Any:
        return self.match.document

    @property
    def day_bars(self) -> list[tuple[str, int]]:
        if self.match.coverage is None:
            return []
        return [
            (weekday_name(weekday, self.language), round(share.ratio * 100))
            for weekday, share in sorted(self.match.coverage.by_weekday.items())
        ]

    @property
    def explanation(self) -> str:
        return explanation(self.match).render(self.language)

    @property
    def kind_label(self) -> str:
        return kind_label(str(self.document.get("kind")), self.language)

    @property
    def distance(self) -> str:
        return distance_text(self.match.distance_km, self.document).render(self.language)

    @property
    def ages(self) -> str | None:
        text = ages_text(self.match.ages, str(self.document.get("kind")))
        return None if text is None else text.render(self.language)

    @property
    def places(self) -> str | None:
        text = places_text(self.document.get("places_available"))
        return None if text is None else text.render(self.language)

    @property
    def cost(self) -> str | None:
        text = cost_text(self.document.get("cost_cents"), self.document.get("cost_period"))
        return None if text is None else text.render(self.language)

    @property
    def certificates(self) -> list[str]:
        """A babysitter's certifications with their expiry (nothing for other kinds)."""
        if self.document.get("kind") != ServiceKind.BABYSITTER.value:
            return []
        texts = certificate_texts(
            self.document.get("registry_course_expires_on"),
            self.document.get("first_aid_expires_on"),
            self.language,
        )
        return [text.render(self.language) for text in texts]

    @property
    def last_verified(self) -> str | None:
        return long_date(self.document.get("last_verified_at"), self.language)

    @property
    def point(self) -> tuple[float, float]:
        geo = self.document["_geo"]
        return float(geo["lat"]), float(geo["lng"])


@dataclass(frozen=True)
class PlanCard:
    """Two services together, as their own card."""

    plan: Plan
    need: CareNeed
    language: str = SOURCE_LANGUAGE

    @property
    def members(self) -> tuple[MatchCard, MatchCard]:
        return MatchCard(self.plan.first, self.language), MatchCard(self.plan.second, self.language)

    @property
    def explanation(self) -> str:
        return plan_explanation(self.plan, self.need).render(self.language)


@dataclass(frozen=True)
class SchedulePeriod:
    label: Text
    days: list[tuple[str, str]]


def schedule_periods(
    rows: list[ScheduleRow], language: str = SOURCE_LANGUAGE
) -> list[SchedulePeriod]:
    """Schedule rows grouped by validity period, each as weekday → «07:30–12:30, 13:30–18:00»."""
    grouped: dict[tuple[Any, Any], dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in sorted(rows, key=lambda r: (r.valid_from or date.min, r.weekday, r.opens_at)):
        grouped[(row.valid_from, row.valid_to)][row.weekday].append(
            f"{row.opens_at:%H:%M}–{row.closes_at:%H:%M}"
        )
    names = get_day_names("wide", locale=language)
    periods = []
    for (start, end), days in grouped.items():
        if start and end:
            label = _(
                "dal {start} al {end}",
                start=long_date(start, language) or "",
                end=long_date(end, language) or "",
            )
        elif start:
            label = _("dal {start}", start=long_date(start, language) or "")
        else:
            label = _("tutto l'anno")
        periods.append(
            SchedulePeriod(
                label,
                [(str(names[day - 1]).capitalize(), ", ".join(days[day])) for day in sorted(days)],
            )
        )
    return periods


def service_json(service: Service, babysitter: dict[str, Any] | None = None) -> dict[str, Any]:
    """A service for `/api/v1/services/{id}`; a babysitter's without her address and with
    `babysitter` (service.web.babysitter_card.registry_json) added."""
    location = service.location
    is_person = service.kind == ServiceKind.BABYSITTER.value
    return {
        "id": service.id,
        **public_service_fields(service),
        "organization": service.organization.name,
        "location": {
            "address": None if is_person else location.address,
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
        **(babysitter or {}),
    }


def sector_text(sector: str | None) -> Text | None:
    return SECTOR_LABELS[Sector(sector)] if sector else None


SECTOR_LABELS: dict[Sector, Text] = {
    Sector.PUBBLICO: _("Pubblico"),
    Sector.PRIVATO_ACCREDITATO: _("Privato accreditato"),
    Sector.PRIVATO: _("Privato"),
}


def precision_note(precision: str) -> Text | None:
    if precision == GeocodePrecision.COMUNE.value:
        return _("Posizione approssimata al centro del comune")
    return None
