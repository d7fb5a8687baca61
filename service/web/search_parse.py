"""Read the search page's `SearchForm` into what the family said (`NeedSaid`) and let the
need builder (service/needs) make the matching engine's `CareNeed` of it.

This module only reads: a value that is not a number, a time or a date is a `FieldError`
naming the form field. Defaults, limits and every rule about the need itself (ages, the
period, the distance, the places) are the builder's, shared with the JSON API and the
operator console; its problems come back here under the form's field names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from core.i18n import Text, _
from core.kinds import CARE_KINDS, Sector, ServiceKind
from core.places.geocoder import Geocoder, Place
from importers.records import ITALY_LATITUDE, ITALY_LONGITUDE
from search.matching.need import CareNeed, PlaceRole, TimeRange
from search.matching.ranking import Order
from service.needs.builder import MAX_WEEKS, BuiltNeed, build_need, locate
from service.needs.said import (
    END,
    PLACE,
    START,
    WEEKS,
    ChildSaid,
    NeedProblem,
    NeedSaid,
    PlaceSaid,
    place_field,
)
from service.web.field_errors import Fail, FieldError
from service.web.field_values import (
    clock_time,
    decimal_number,
    integer_in_range,
    iso_date,
    minutes_of,
    number_in_range,
)
from service.web.language import current_language
from service.web.search_form import WEEKDAYS, SearchForm

#: the form's field of each part of the need the builder names (children: see `form_field`)
FORM_FIELDS = {
    place_field(PlaceRole.POINT): "place",
    place_field(PlaceRole.HOME): "home",
    place_field(PlaceRole.WORK): "work",
}


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


def form_field(need_field: str) -> str:
    """The form's name of a part of the need: children.1.birth_year → birth_year_2."""
    child = re.fullmatch(r"children\.(\d+)\.(birth_year|birth_month)", need_field)
    if child:
        return child_field(child[2], int(child[1]))
    return FORM_FIELDS.get(need_field, need_field)


def form_errors(problems: list[NeedProblem]) -> list[FieldError]:
    return [FieldError(form_field(p.field), p.message, p.suggestions) for p in problems]


def parse_search(
    form: SearchForm, geocoder: Geocoder, today: date, places: tuple[PlaceSaid, ...] = ()
) -> ParsedSearch | list[FieldError]:
    """The form's need, built by the need builder, or every problem under its form field.
    `places`, when given, are the need's places instead of the form's one place (the
    console's home and work addresses)."""
    problems = _Problems()
    said = read_need(form, today, problems.fail)
    if places:
        said = replace(said, places=places, unreadable=said.unreadable - {PLACE})
    order = form_order(form.sort, problems.fail)
    built = build_need(said, geocoder, today)
    errors = problems.errors + ([] if isinstance(built, BuiltNeed) else form_errors(built))
    if errors or not isinstance(built, BuiltNeed):
        return errors
    return ParsedSearch(built.need, shown_place(built), order, form.partial)


def shown_place(built: BuiltNeed) -> Place:
    """The place the results say they are near: home and work together when both are given."""
    if len(built.places) < 2:
        return built.places[0]
    home, work = built.places
    label = _("{home} (casa) e {work} (lavoro)", home=home.label, work=work.label)
    return replace(home, label=label.render(current_language()))


def read_need(form: SearchForm, today: date, fail: Fail) -> NeedSaid:
    """What the form says, each value read (a value that cannot be read is reported)."""
    unreadable: set[str] = set()

    def read(name: str) -> Fail:
        def failed(field_name: str, message: Text) -> None:
            unreadable.add(name)
            fail(field_name, message)

        return failed

    place = _place_said(form, fail)
    said = NeedSaid(
        children=_children(form, fail),
        places=() if place is None else (place,),
        start=iso_date(form.start, "start", read(START)) if form.start else None,
        end=iso_date(form.end, "end", read(END)) if form.end else None,
        weeks=_weeks(form.weeks, read(WEEKS)),
        hours=_weekly_hours(form, fail),
        radius_km=decimal_number(form.radius_km, "radius_km", fail),
        kinds=_kinds(form.kinds, fail),
        sectors=_sectors(form.sectors, fail),
        max_monthly_cost_eur=decimal_number(form.max_cost, "max_cost", fail),
        places_available_only=form.places_only,
        languages=_language(form.language, fail),
        disability_support=form.disability,
        include_partial=True,  # plans are made of partial matches; the page filters them
    )
    if place is None and (form.lat or form.lon):
        unreadable.add(PLACE)
    return replace(said, unreadable=frozenset(unreadable))


def _children(form: SearchForm, fail: Fail) -> tuple[ChildSaid, ...]:
    return tuple(
        ChildSaid(
            birth_year=integer_in_range(
                child.birth_year,
                child_field("birth_year", index),
                0,  # four digits at most; the need builder says which years a need may give
                9999,
                fail,
                required=True,
            ),
            birth_month=integer_in_range(
                child.birth_month, child_field("birth_month", index), 1, 12, fail, required=True
            ),
        )
        for index, child in enumerate(form.children)
    )


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


def _sectors(values: list[str], fail: Fail) -> tuple[str, ...]:
    sectors = []
    for value in values:
        try:
            sectors.append(Sector(value).value)
        except ValueError:
            fail("sector", _("settore sconosciuto «{value}»", value=value))
    return tuple(sectors)


def _language(text: str, fail: Fail) -> tuple[str, ...]:
    language = text.lower()
    if language and not re.fullmatch(r"[a-z]{2}", language):
        fail("language", _("«{value}» non è un codice di lingua (es. en)", value=text))
        return ()
    return (language,) if language else ()


def form_order(text: str, fail: Fail) -> Order:
    """The order of the results asked (not part of the need)."""
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


def _weeks(values: list[str], fail: Fail) -> tuple[date, ...]:
    read = (iso_date(text, "weeks", fail) for text in values[:MAX_WEEKS])
    return tuple(day for day in read if day is not None)


def _kinds(values: list[str], fail: Fail) -> tuple[ServiceKind, ...]:
    kinds = []
    for value in values:
        try:
            kinds.append(ServiceKind(value))
        except ValueError:
            fail("kind", _("tipo di servizio sconosciuto «{value}»", value=value))
    return tuple(kinds) or CARE_KINDS


def _place_said(form: SearchForm, fail: Fail) -> PlaceSaid | None:
    """The place typed, or the point given; None when the point cannot be read (reported)."""
    if not (form.lat or form.lon):
        return PlaceSaid(text=form.place) if form.place else None
    latitude = number_in_range(form.lat, "lat", *ITALY_LATITUDE, fail)
    longitude = number_in_range(form.lon, "lon", *ITALY_LONGITUDE, fail)
    if latitude is None or longitude is None:
        if not (form.lat and form.lon):
            fail("lat" if not form.lat else "lon", _("servono sia latitudine sia longitudine"))
        return None
    return PlaceSaid(latitude=latitude, longitude=longitude)


def parse_place(place: str, lat: str, lon: str, geocoder: Geocoder) -> Place | list[FieldError]:
    """Only the "where" of a search (the sportelli page): a place name or a point."""
    problems = _Problems()
    said = _place_said(SearchForm(place=place, lat=lat, lon=lon), problems.fail)
    if problems.errors:
        return problems.errors
    found = locate(said or PlaceSaid(), geocoder)
    return form_errors([found]) if isinstance(found, NeedProblem) else found
