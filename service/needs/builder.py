"""Turn what a family said (`NeedSaid`) into the matching engine's `CareNeed`, or the list of
what is wrong with it: the one set of defaults, limits and messages of the search page, the
JSON API and the operator console.

Defaults, and why:
- **Start date: today.** A parent who does not say when means "now": the page has always
  searched from today, and ages are counted at the start date, so the API (which used to
  default to the next 1 September) now follows the page — the same family gets the same
  verdicts from both. Summer weeks are the whole period when given (see `CareNeed.weeks`),
  so the first summer week is the start date then, and ages are counted on it.
- **Longest period: 366 days** (a school year, leap years included): a need is about the
  coming year; the API's 400 days had no reason beyond being "more than a year".
- **Earliest date: the current school year's 1 September** (`earliest_start`): a parent asking
  in December for a place this school year can search; before it, "la data è già passata".
- Distance: `DEFAULT_RADIUS_KM`, from `MIN_RADIUS_KM` to `MAX_RADIUS_KM`; a monthly budget up
  to `MAX_MONTHLY_COST_EUR`; dates up to two years ahead.
- Italian (`it`) is not a language preference: every service speaks it.

No web code here: the entry points read their raw values, call `build_need` and render the
`NeedProblem`s in their own way (the page next to its fields, the API as 422 field errors).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from core.i18n import Text, _, as_text
from core.kinds import CARE_KINDS, GeocodePrecision
from core.limits import CHILD_MAX_AGE_MONTHS
from core.places.geocoder import Geocoder, Place, PlaceNotFound
from search.matching.age import age_in_months, school_year_of
from search.matching.need import (
    DEFAULT_RADIUS_KM,
    MAX_RADIUS_KM,
    SCHOOL_YEAR_START_MONTH,
    CareNeed,
    Child,
    FamilyPlace,
    PlaceRole,
    Preferences,
    TimeRange,
)
from service.needs.said import (
    END,
    MAX_COST,
    PLACE,
    RADIUS,
    START,
    WEEKS,
    ChildSaid,
    NeedField,
    NeedProblem,
    NeedSaid,
    PlaceSaid,
    child_field,
    place_field,
)

#: the longest period from start to end date, both included in the count of days between
MAX_PERIOD_DAYS = 366
MIN_RADIUS_KM = 0.5
MAX_MONTHLY_COST_EUR = 10_000
#: the most summer weeks one need may ask for
MAX_WEEKS = 16
#: the birth years a need may give, around this year: a child is at most 14 at the start
#: date (the age rule), so older years are typing mistakes, and a child due within the
#: two years a need may look ahead
BIRTH_YEARS_BACK = 20
BIRTH_YEARS_AHEAD = 2
#: how far ahead a start date or summer week may be (back: to the current school year's start)
DAYS_AHEAD = 2 * 366


@dataclass(frozen=True)
class BuiltNeed:
    need: CareNeed
    #: the places as located, in the order said (to show back: label, precision)
    places: tuple[Place, ...]


class _Problems(list[NeedProblem]):
    def add(self, field: NeedField, message: Text, suggestions: Iterable[str] = ()) -> None:
        self.append(NeedProblem(field, message, tuple(suggestions)))


def build_need(said: NeedSaid, geocoder: Geocoder, today: date) -> BuiltNeed | list[NeedProblem]:
    """The validated, located need, or every problem found (all of them, not the first;
    none of its own when only a part the entry point could not read stops it)."""
    problems = _Problems()
    weeks = _weeks(said, today, problems)
    start = _start(said, weeks, today, problems)
    end = _end(said, start, problems)
    children = _children(said.children, start, today, problems)
    radius = _in_range(said.radius_km, RADIUS, MIN_RADIUS_KM, MAX_RADIUS_KM, problems)
    cost = _in_range(said.max_monthly_cost_eur, MAX_COST, 0, MAX_MONTHLY_COST_EUR, problems)
    places = _places(said, geocoder, problems)
    if problems or start is None or not places:
        return list(problems)
    need = CareNeed(
        children=children,
        places=tuple(_family_place(said_place.role, place) for said_place, place in places),
        start_date=start,
        end_date=end,
        radius_km=DEFAULT_RADIUS_KM if radius is None else radius,
        hours=_sorted_hours(said.hours),
        weeks=weeks,
        preferences=Preferences(
            kinds=said.kinds or CARE_KINDS,
            sectors=said.sectors,
            max_monthly_cost_cents=None if cost is None else round(cost * 100),
            places_available_only=said.places_available_only,
            languages=tuple(code for code in said.languages if code != "it"),
            disability_support=said.disability_support,
        ),
        include_partial=said.include_partial,
        combinations=said.combinations,
    )
    return BuiltNeed(need, tuple(place for _said, place in places))


def earliest_start(today: date) -> date:
    """The first day of the current school year: a parent asking in December for a place this
    school year searches from 1 September, so dates are accepted from then on."""
    return date(school_year_of(today), SCHOOL_YEAR_START_MONTH, 1)


def _within_window(value: date, today: date, field: NeedField, problems: _Problems) -> bool:
    earliest = earliest_start(today)
    if value < earliest:
        problems.add(
            field,
            _(
                "la data {date} è già passata: scegli una data dal {earliest} in poi",
                date=f"{value:%d/%m/%Y}",
                earliest=f"{earliest:%d/%m/%Y}",
            ),
        )
        return False
    if value > today + timedelta(days=DAYS_AHEAD):
        problems.add(
            field, _("la data {date} è fuori dai prossimi due anni", date=f"{value:%d/%m/%Y}")
        )
        return False
    return True


def _weeks(said: NeedSaid, today: date, problems: _Problems) -> tuple[date, ...]:
    """The Mondays of the summer weeks asked, sorted, each once."""
    mondays = {
        day - timedelta(days=day.weekday())
        for day in said.weeks
        if _within_window(day, today, WEEKS, problems)
    }
    return tuple(sorted(mondays))


def _start(
    said: NeedSaid, weeks: tuple[date, ...], today: date, problems: _Problems
) -> date | None:
    """The first summer week, else the date said, else today; None when it cannot be known."""
    if said.start is not None and not _within_window(said.start, today, START, problems):
        return None
    if weeks:
        return weeks[0]
    if WEEKS in said.unreadable or START in said.unreadable:
        return None
    return said.start or today


def _end(said: NeedSaid, start: date | None, problems: _Problems) -> date | None:
    if said.end is None or start is None:
        return said.end
    if said.end < start:
        problems.add(END, _("la data di fine deve venire dopo la data di inizio"))
    elif (said.end - start).days > MAX_PERIOD_DAYS:
        problems.add(END, _("il periodo può durare al massimo un anno"))
    else:
        return said.end
    return None


def _children(
    said: tuple[ChildSaid, ...], start: date | None, today: date, problems: _Problems
) -> tuple[Child, ...]:
    children = []
    low, high = today.year - BIRTH_YEARS_BACK, today.year + BIRTH_YEARS_AHEAD
    for index, child in enumerate(said):
        if child.birth_year is None or child.birth_month is None:
            continue
        if not low <= child.birth_year <= high:
            problems.add(
                child_field(index, "birth_year"),
                _(
                    "{value} non è ammesso: scegli un valore tra {low} e {high}",
                    value=child.birth_year,
                    low=low,
                    high=high,
                ),
            )
            continue
        children.append(Child(child.birth_year, child.birth_month))
        if start is not None:
            _check_age(children[-1], index, start, problems)
    return tuple(children)


def _check_age(child: Child, index: int, start: date, problems: _Problems) -> None:
    months = age_in_months(child, start)
    if months < 0:
        problems.add(
            child_field(index, "birth_month"),
            _(
                "alla data di inizio {date} il bambino non è ancora nato: "
                "controlla mese e anno di nascita",
                date=f"{start:%d/%m/%Y}",
            ),
        )
    elif months > CHILD_MAX_AGE_MONTHS:
        problems.add(
            child_field(index, "birth_year"),
            _(
                "età impossibile: {years} anni alla data di inizio; "
                "Conciliamo cerca servizi per bambini fino a {limit} anni",
                years=months // 12,
                limit=CHILD_MAX_AGE_MONTHS // 12,
            ),
        )


def _in_range(
    value: float | None, field: NeedField, low: float, high: float, problems: _Problems
) -> float | None:
    if value is None or low <= value <= high:  # NaN fails
        return value
    problems.add(
        field,
        _(
            "{text} non è ammesso: scegli un valore tra {low} e {high}",
            text=f"{value:g}",
            low=f"{low:g}",
            high=f"{high:g}",
        ),
    )
    return None


def _places(
    said: NeedSaid, geocoder: Geocoder, problems: _Problems
) -> list[tuple[PlaceSaid, Place]]:
    if not said.places and PLACE not in said.unreadable:
        problems.add(PLACE, _("indica un comune o un indirizzo"))
    located = []
    for place in said.places:
        found = locate(place, geocoder)
        if isinstance(found, NeedProblem):
            problems.append(found)
        else:
            located.append((place, found))
    return located


def locate(said: PlaceSaid, geocoder: Geocoder) -> Place | NeedProblem:
    """Where a place is: its coordinates as said, or its name or address looked up."""
    if said.latitude is not None and said.longitude is not None:
        label = f"{said.latitude:.5f}, {said.longitude:.5f}"
        return Place(label, said.latitude, said.longitude, GeocodePrecision.ADDRESS)
    if not said.text:
        return NeedProblem(place_field(said.role), _("indica un comune o un indirizzo"))
    try:
        return geocoder.resolve(said.text)
    except PlaceNotFound as error:
        return NeedProblem(place_field(said.role), as_text(error), tuple(error.suggestions))


def _family_place(role: PlaceRole, place: Place) -> FamilyPlace:
    return FamilyPlace(
        place.latitude,
        place.longitude,
        role=role,
        label=place.label,
        istat_code=place.istat_code,
        comune=place.comune,
    )


def _sorted_hours(
    hours: Mapping[int, tuple[TimeRange, ...]],
) -> dict[int, tuple[TimeRange, ...]]:
    return {
        day: tuple(sorted(ranges, key=lambda r: r.start))
        for day, ranges in sorted(hours.items())
        if ranges
    }
