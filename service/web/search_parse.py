"""Check a `SearchForm` and turn it into the matching engine's `CareNeed`.

Every problem is a `FieldError` naming the form field, with a message in both languages
(Italian message ids, see core/i18n.py), so the page can put it next to the field and
the API can return it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.i18n import Text, _, as_text
from core.kinds import CARE_KINDS, GeocodePrecision, Sector, ServiceKind
from core.places.geocoder import Geocoder, Place, PlaceNotFound
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
from service.web.field_errors import Fail, FieldError
from service.web.field_values import (
    clock_time,
    integer_in_range,
    iso_date,
    minutes_of,
    number_in_range,
    within_two_years,
)
from service.web.search_form import WEEKDAYS, SearchForm

MAX_AGE_MONTHS = 14 * 12
MAX_WEEKS = 16
MAX_MONTHLY_COST_EUR = 10_000


@dataclass(frozen=True)
class ParsedSearch:
    need: CareNeed
    place: Place
    order: Order = Order.FIT
    #: show services that cover only part of the hours too
    partial: bool = False


@dataclass
class _Problems:
    errors: list[FieldError] = field(default_factory=list)

    def fail(self, name: str, message: Text, suggestions: tuple[str, ...] = ()) -> None:
        self.errors.append(FieldError(name, message, suggestions))


def child_field(name: str, index: int) -> str:
    """The form field of the `index`-th child (0-based): birth_year, birth_year_2…"""
    return name if index == 0 else f"{name}_{index + 1}"


def parse_search(
    form: SearchForm, geocoder: Geocoder, today: date
) -> ParsedSearch | list[FieldError]:
    problems = _Problems()
    fail = problems.fail
    start = _start_date(form.start, today, fail)
    children = _children(form, today, start, fail)
    radius = number_in_range(form.radius_km, "radius_km", 0.5, MAX_RADIUS_KM, fail)
    hours = _weekly_hours(form, fail)
    end = _end_date(form.end, start, fail)
    weeks = _weeks(form.weeks, today, fail)
    preferences = _preferences(form, fail)
    place = _place(form, geocoder, problems)
    order = _order(form.sort, fail)
    if problems.errors:
        return problems.errors
    assert start and place and preferences
    need = CareNeed(
        children=children,
        places=(
            FamilyPlace(
                place.latitude,
                place.longitude,
                label=place.label,
                istat_code=place.istat_code,
                comune=place.comune,
            ),
        ),
        start_date=min(weeks) if weeks else start,
        end_date=end,
        radius_km=radius if radius is not None else DEFAULT_RADIUS_KM,
        hours=hours,
        weeks=weeks,
        preferences=preferences,
        include_partial=True,  # plans are made of partial matches; the page filters them
        combinations=True,
    )
    return ParsedSearch(need, place, order, form.partial)


def _children(form: SearchForm, today: date, start: date | None, fail: Fail) -> tuple[Child, ...]:
    children = []
    for index, child in enumerate(form.children):
        month_field, year_field = (
            child_field("birth_month", index),
            child_field("birth_year", index),
        )
        month = integer_in_range(child.birth_month, month_field, 1, 12, fail, required=True)
        year = integer_in_range(
            child.birth_year, year_field, today.year - 20, today.year + 2, fail, required=True
        )
        if month and year:
            if start:
                _check_age(Child(year, month), start, month_field, year_field, fail)
            children.append(Child(year, month))
    return tuple(children)


def _weekly_hours(form: SearchForm, fail: Fail) -> dict[int, tuple[TimeRange, ...]]:
    """Hours per weekday: a day's own row of the grid, else the hours for all chosen days."""
    weekdays = {
        day for day in (integer_in_range(text, "days", 1, 7, fail) for text in form.days) if day
    }
    own_days = {
        int(key) for key in (*form.day_from, *form.day_to) if key.isdigit() and int(key) in WEEKDAYS
    }
    weekdays |= own_days  # hours typed in a day's row: that day is needed
    shared = _time_range(form.from_time, form.to_time, "from", "to", fail)
    if (form.from_time or form.to_time) and not weekdays:
        fail("days", _("scegli almeno un giorno per gli orari indicati"))
    hours: dict[int, tuple[TimeRange, ...]] = {}
    missing = False
    for day in sorted(weekdays):
        if day in own_days:
            opens, closes = form.hours_of(day)
            asked = _time_range(opens, closes, f"from_{day}", f"to_{day}", fail)
            if not (opens and closes):
                fail(
                    f"from_{day}" if not opens else f"to_{day}",
                    _("indica dalle e alle ore per i giorni scelti (es. 08:00 e 16:00)"),
                )
        else:
            asked = shared
            missing = missing or not (form.from_time and form.to_time)
        if asked:
            hours[day] = (asked,)
    if missing:
        fail("from", _("indica dalle e alle ore per i giorni scelti (es. 08:00 e 16:00)"))
    return hours


def _time_range(
    opens_text: str, closes_text: str, from_name: str, to_name: str, fail: Fail
) -> TimeRange | None:
    if not (opens_text and closes_text):
        return None
    opens, closes = clock_time(opens_text, from_name, fail), clock_time(closes_text, to_name, fail)
    if opens is None or closes is None:
        return None
    if closes <= opens:
        fail(
            to_name,
            _(
                "l'ora di fine {end} deve venire dopo l'ora di inizio {start}",
                end=closes_text,
                start=opens_text,
            ),
        )
        return None
    return TimeRange(minutes_of(opens), minutes_of(closes))


def _preferences(form: SearchForm, fail: Fail) -> Preferences | None:
    kinds = _kinds(form.kinds, fail)
    sectors = []
    for value in form.sectors:
        try:
            sectors.append(Sector(value).value)
        except ValueError:
            fail("sector", _("settore sconosciuto «{value}»", value=value))
    cost = number_in_range(form.max_cost, "max_cost", 0, MAX_MONTHLY_COST_EUR, fail)
    language = form.language.lower()
    if language and not re.fullmatch(r"[a-z]{2}", language):
        fail("language", _("«{value}» non è un codice di lingua (es. en)", value=form.language))
    return Preferences(
        kinds=kinds,
        sectors=tuple(sectors),
        max_monthly_cost_cents=None if cost is None else round(cost * 100),
        places_available_only=form.places_only,
        languages=(language,) if language and language != "it" else (),
        disability_support=form.disability,
    )


def _order(text: str, fail: Fail) -> Order:
    if not text:
        return Order.FIT
    try:
        return Order(text)
    except ValueError:
        choices = ", ".join(order.value for order in Order)
        fail(
            "sort",
            _("ordinamento sconosciuto «{text}»: scegli tra {choices}", text=text, choices=choices),
        )
        return Order.FIT


def _start_date(text: str, today: date, fail: Fail) -> date | None:
    if not text:
        return today
    value = iso_date(text, "start", fail)
    return value if value and within_two_years(value, today, "start", fail) else None


def _end_date(text: str, start: date | None, fail: Fail) -> date | None:
    if not text:
        return None
    value = iso_date(text, "end", fail)
    if value and start and value < start:
        fail("end", _("la data di fine deve venire dopo la data di inizio"))
        return None
    if value and start and value > start + timedelta(days=366):
        fail("end", _("il periodo può durare al massimo un anno"))
        return None
    return value


def _weeks(values: list[str], today: date, fail: Fail) -> tuple[date, ...]:
    weeks = set()
    for text in values[:MAX_WEEKS]:
        value = iso_date(text, "weeks", fail)
        if value is None or not within_two_years(value, today, "weeks", fail):
            continue
        weeks.add(value - timedelta(days=value.weekday()))  # the Monday of its week
    return tuple(sorted(weeks))


def _kinds(values: list[str], fail: Fail) -> tuple[ServiceKind, ...]:
    kinds = []
    for value in values:
        try:
            kinds.append(ServiceKind(value))
        except ValueError:
            fail("kind", _("tipo di servizio sconosciuto «{value}»", value=value))
    return tuple(kinds) or CARE_KINDS


def _check_age(child: Child, start: date, month_field: str, year_field: str, fail: Fail) -> None:
    months = age_in_months(child, start)
    if months < 0:
        fail(
            month_field,
            _(
                "alla data di inizio {date} il bambino non è ancora nato: "
                "controlla mese e anno di nascita",
                date=f"{start:%d/%m/%Y}",
            ),
        )
    elif months > MAX_AGE_MONTHS:
        fail(
            year_field,
            _(
                "età impossibile: {years} anni alla data di inizio; "
                "Conciliamo cerca servizi per bambini fino a 14 anni",
                years=months // 12,
            ),
        )


def _place(form: SearchForm, geocoder: Geocoder, problems: _Problems) -> Place | None:
    fail = problems.fail
    if form.lat or form.lon:
        latitude = number_in_range(form.lat, "lat", *ITALY_LATITUDE, fail)
        longitude = number_in_range(form.lon, "lon", *ITALY_LONGITUDE, fail)
        if latitude is None or longitude is None:
            if not (form.lat and form.lon):
                fail(
                    "lat" if not form.lat else "lon",
                    _("servono sia latitudine sia longitudine"),
                )
            return None
        return Place(
            f"{latitude:.5f}, {longitude:.5f}", latitude, longitude, GeocodePrecision.ADDRESS
        )
    if not form.place:
        fail("place", _("indica un comune o un indirizzo"))
        return None
    try:
        return geocoder.resolve(form.place)
    except PlaceNotFound as error:
        fail("place", as_text(error), tuple(error.suggestions))
        return None


def parse_place(place: str, lat: str, lon: str, geocoder: Geocoder) -> Place | list[FieldError]:
    """Only the "where" of a search (the sportelli page): a place name or a point."""
    problems = _Problems()
    found = _place(SearchForm(place=place, lat=lat, lon=lon), geocoder, problems)
    return problems.errors if found is None else found
