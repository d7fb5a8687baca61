"""Read a family's search from query parameters (the page form and the API share it), with
Italian messages naming the field. Nothing here trusts its input."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from importers.geocode import Geocoder, Place, PlaceNotFound
from importers.records import ITALY_LATITUDE, ITALY_LONGITUDE
from search.matching.age import age_in_months
from search.matching.need import (
    DEFAULT_RADIUS_KM,
    MAX_RADIUS_KM,
    CareNeed,
    Child,
    FamilyPlace,
    Preferences,
    TimeRange,
)
from search.matching.ranking import Order
from service.kinds import CARE_KINDS, GeocodePrecision, ServiceKind

Fail = Callable[[str, str], None]

MAX_FIELD_LENGTH = 200
MAX_AGE_MONTHS = 14 * 12
FIELD_LABELS = {
    "birth_month": "Mese di nascita",
    "birth_year": "Anno di nascita",
    "place": "Comune o indirizzo",
    "lat": "Latitudine",
    "lon": "Longitudine",
    "radius_km": "Distanza massima",
    "days": "Giorni",
    "from": "Dalle ore",
    "to": "Alle ore",
    "start": "A partire dal",
    "kind": "Tipo di servizio",
    "partial": "Copertura parziale",
    "sort": "Ordina per",
}


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


@dataclass
class SearchForm:
    """The values as typed, to show them back in the form."""

    birth_month: str = ""
    birth_year: str = ""
    place: str = ""
    lat: str = ""
    lon: str = ""
    radius_km: str = ""
    days: list[str] = field(default_factory=list)
    from_time: str = ""
    to_time: str = ""
    start: str = ""
    kinds: list[str] = field(default_factory=list)
    partial: bool = False
    sort: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]]) -> SearchForm:
        def one(name: str) -> str:
            values = params.get(name) or [""]
            return str(values[0]).strip()[:MAX_FIELD_LENGTH]

        def many(name: str) -> list[str]:
            return [str(value).strip()[:MAX_FIELD_LENGTH] for value in params.get(name) or []][:20]

        return cls(
            birth_month=one("birth_month"),
            birth_year=one("birth_year"),
            place=one("place"),
            lat=one("lat"),
            lon=one("lon"),
            radius_km=one("radius_km"),
            days=many("days"),
            from_time=one("from"),
            to_time=one("to"),
            start=one("start"),
            kinds=many("kind"),
            partial=one("partial").lower() in {"1", "true", "on", "si", "sì"},
            sort=one("sort"),
        )

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.birth_month,
                self.birth_year,
                self.place,
                self.lat,
                self.lon,
                self.days,
                self.from_time,
                self.to_time,
                self.start,
            )
        )


@dataclass(frozen=True)
class ParsedSearch:
    need: CareNeed
    place: Place
    order: Order = Order.FIT


def parse_search(
    form: SearchForm, geocoder: Geocoder, today: date
) -> ParsedSearch | list[FieldError]:
    errors: list[FieldError] = []

    def fail(name: str, message: str) -> None:
        errors.append(FieldError(name, message))

    birth_month = _integer(form.birth_month, "birth_month", 1, 12, fail)
    birth_year = _integer(form.birth_year, "birth_year", today.year - 20, today.year + 2, fail)
    radius = _number(form.radius_km, "radius_km", 0.5, MAX_RADIUS_KM, fail)
    start = _start_date(form.start, today, fail)
    weekdays = tuple(
        sorted(
            {
                day
                for day in (_integer(text, "days", 1, 7, fail) for text in form.days)
                if day is not None
            }
        )
    )
    from_time = _clock(form.from_time, "from", fail)
    to_time = _clock(form.to_time, "to", fail)
    if from_time and to_time and to_time <= from_time:
        fail(
            "to", f"l'ora di fine {form.to_time} deve venire dopo l'ora di inizio {form.from_time}"
        )
    if weekdays and not (form.from_time and form.to_time):
        fail("from", "indica dalle e alle ore per i giorni scelti (es. 08:00 e 16:00)")
    if (form.from_time or form.to_time) and not form.days:
        fail("days", "scegli almeno un giorno per gli orari indicati")
    kinds = _kinds(form.kinds, fail)
    if birth_month and birth_year and start:
        _check_age(birth_year, birth_month, start, fail)
    place = _place(form, geocoder, fail)
    order = _order(form.sort, fail)
    if errors:
        return errors
    assert birth_year and birth_month and start and place
    hours = {}
    if from_time and to_time:
        asked = (TimeRange(_minutes(from_time), _minutes(to_time)),)
        hours = {day: asked for day in weekdays}
    need = CareNeed(
        children=(Child(birth_year, birth_month),),
        places=(
            FamilyPlace(
                place.latitude,
                place.longitude,
                label=place.label,
                istat_code=place.istat_code,
                comune=place.comune,
            ),
        ),
        start_date=start,
        radius_km=radius if radius is not None else DEFAULT_RADIUS_KM,
        hours=hours,
        preferences=Preferences(kinds=kinds),
        include_partial=form.partial,
        combinations=False,
    )
    return ParsedSearch(need, place, order)


def _order(text: str, fail: Fail) -> Order:
    if not text:
        return Order.FIT
    try:
        return Order(text)
    except ValueError:
        choices = ", ".join(order.value for order in Order)
        fail("sort", f"ordinamento sconosciuto «{text}»: scegli tra {choices}")
        return Order.FIT


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _integer(text: str, name: str, low: int, high: int, fail: Fail) -> int | None:
    if not text:
        if name in {"birth_month", "birth_year"}:
            fail(name, "campo obbligatorio")
        return None
    if not re.fullmatch(r"\d{1,4}", text):
        fail(name, f"«{text}» non è un numero intero")
        return None
    value = int(text)
    if not low <= value <= high:
        fail(name, f"{value} non è ammesso: scegli un valore tra {low} e {high}")
        return None
    return value


def _number(text: str, name: str, low: float, high: float, fail: Fail) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        fail(name, f"«{text}» non è un numero")
        return None
    if not low <= value <= high:
        fail(name, f"{text} non è ammesso: scegli un valore tra {low:g} e {high:g}")
        return None
    return value


def _clock(text: str, name: str, fail: Fail) -> time | None:
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        fail(name, f"«{text}» non è un orario: scrivi per esempio 08:30")
        return None
    return time(int(match[1]), int(match[2]))


def _start_date(text: str, today: date, fail: Fail) -> date | None:
    if not text:
        return today
    try:
        value = date.fromisoformat(text)
    except ValueError:
        fail("start", f"«{text}» non è una data: scrivi AAAA-MM-GG, per esempio 2027-09-01")
        return None
    if not today - timedelta(days=31) <= value <= today + timedelta(days=2 * 366):
        fail("start", f"la data {value:%d/%m/%Y} è fuori dai prossimi due anni")
        return None
    return value


def _kinds(values: list[str], fail: Fail) -> tuple[ServiceKind, ...]:
    kinds = []
    for value in values:
        try:
            kinds.append(ServiceKind(value))
        except ValueError:
            fail("kind", f"tipo di servizio sconosciuto «{value}»")
    return tuple(kinds) or CARE_KINDS


def _check_age(birth_year: int, birth_month: int, start: date, fail: Fail) -> None:
    months = age_in_months(Child(birth_year, birth_month), start)
    if months < 0:
        fail(
            "birth_month",
            f"alla data di inizio {start:%d/%m/%Y} il bambino non è ancora nato: "
            "controlla mese e anno di nascita",
        )
    elif months > MAX_AGE_MONTHS:
        fail(
            "birth_year",
            f"età impossibile: {months // 12} anni alla data di inizio; "
            "Conciliamo cerca servizi per bambini fino a 14 anni",
        )


def _place(form: SearchForm, geocoder: Geocoder, fail: Fail) -> Place | None:
    if form.lat or form.lon:
        latitude = _number(form.lat, "lat", *ITALY_LATITUDE, fail)
        longitude = _number(form.lon, "lon", *ITALY_LONGITUDE, fail)
        if latitude is None or longitude is None:
            if form.lat and form.lon:
                return None
            fail("lat" if not form.lat else "lon", "servono sia latitudine sia longitudine")
            return None
        return Place(
            f"{latitude:.5f}, {longitude:.5f}", latitude, longitude, GeocodePrecision.ADDRESS
        )
    if not form.place:
        fail("place", "indica un comune o un indirizzo")
        return None
    try:
        return geocoder.resolve(form.place)
    except PlaceNotFound as error:
        fail("place", str(error))
        return None
