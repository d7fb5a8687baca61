"""The need builder (service/needs): one set of defaults, limits and messages for the search
page, the JSON API and the console. Pure: places are coordinates or a dictionary look-up.
Ages worked out by hand with search.matching.age (a child counts as born on the last day
of the birth month; a month is completed on the same day of a later month)."""

from __future__ import annotations

from datetime import date

import pytest

from core.kinds import GeocodePrecision
from core.places.geocoder import Place, PlaceNotFound
from search.matching.need import PlaceRole, TimeRange
from service.needs.builder import BuiltNeed, build_need, earliest_start
from service.needs.said import PLACE, START, WEEKS, ChildSaid, NeedProblem, NeedSaid, PlaceSaid

TODAY = date(2026, 11, 23)  # a Monday
POINT = PlaceSaid(latitude=45.53, longitude=9.23)
TODDLER = ChildSaid(2025, 6)
SESTO = Place("Sesto San Giovanni", 45.534, 9.232, GeocodePrecision.COMUNE, "Sesto San Giovanni")


class DictionaryGeocoder:
    """Knows Sesto San Giovanni; anything else is unknown, with Sesto as the suggestion."""

    def resolve(self, text: str) -> Place:
        if text == "Sesto San Giovanni":
            return SESTO
        raise PlaceNotFound(text, ["Sesto San Giovanni"])


def build(**said: object) -> BuiltNeed | list[NeedProblem]:
    fields: dict[str, object] = {"children": (TODDLER,), "places": (POINT,), **said}
    return build_need(NeedSaid(**fields), DictionaryGeocoder(), TODAY)  # type: ignore[arg-type]


def built(**said: object) -> BuiltNeed:
    result = build(**said)
    assert isinstance(result, BuiltNeed), result
    return result


def problems(**said: object) -> list[tuple[str, str, str]]:
    """Each problem as (field, Italian, English)."""
    result = build(**said)
    assert isinstance(result, list), result
    return [(p.field, p.message.render("it"), p.message.render("en")) for p in result]


@pytest.mark.parametrize(
    ("said", "start", "weeks"),
    [
        ({}, TODAY, ()),  # not said: today
        ({"start": date(2027, 1, 11)}, date(2027, 1, 11), ()),
        # summer weeks are the whole period: any day of a week means its Monday, once
        ({"weeks": (date(2027, 7, 14), date(2027, 7, 5), date(2027, 7, 6))}, date(2027, 7, 5),
         (date(2027, 7, 5), date(2027, 7, 12))),
        ({"start": date(2027, 1, 11), "weeks": (date(2027, 7, 12),)}, date(2027, 7, 12),
         (date(2027, 7, 12),)),
    ],
)  # fmt: skip
def test_the_start_date_is_today_unless_said(
    said: dict[str, object], start: date, weeks: tuple[date, ...]
) -> None:
    need = built(**said).need
    assert (need.start_date, need.weeks) == (start, weeks)


NOT_BORN = (
    "alla data di inizio {date} il bambino non è ancora nato: controlla mese e anno di nascita",
    "on the start date, {date}, the child is not born yet: check the birth month and year",
)
TOO_OLD = (
    "età impossibile: {years} anni alla data di inizio; Conciliamo cerca servizi per bambini "
    "fino a 14 anni",
    "impossible age: {years} years old on the start date; Conciliamo finds services for "
    "children up to 14",
)


@pytest.mark.parametrize(
    ("child", "start", "problem"),
    [
        # born by 31/10/2026: 0 whole months on 23/11/2026 — fine
        (ChildSaid(2026, 10), None, None),
        # born by 30/11/2026: not yet on 23/11/2026, but 1 month old on 11/01/2027
        (ChildSaid(2026, 11), None, ("children.1.birth_month", NOT_BORN, {"date": "23/11/2026"})),
        (ChildSaid(2026, 11), date(2027, 1, 11), None),
        # born by 31/10/2012: 168 months (14 years) on 23/11/2026 — the limit, fine …
        (ChildSaid(2012, 10), None, None),
        # … but 170 months on 11/01/2027: the default start date changes the verdict
        (ChildSaid(2012, 10), date(2027, 1, 11),
         ("children.1.birth_year", TOO_OLD, {"years": "14"})),
        # born by 31/01/2010: 201 months (16 years) on 23/11/2026
        (ChildSaid(2010, 1), None, ("children.1.birth_year", TOO_OLD, {"years": "16"})),
    ],
)  # fmt: skip
def test_ages_are_counted_at_the_start_date_up_to_14_years(
    child: ChildSaid,
    start: date | None,
    problem: tuple[str, tuple[str, str], dict[str, str]] | None,
) -> None:
    said = {"children": (TODDLER, child), "start": start}
    if problem is None:
        assert len(built(**said).need.children) == 2
    else:
        field, (italian, english), values = problem
        assert problems(**said) == [(field, italian.format(**values), english.format(**values))]


@pytest.mark.parametrize(
    ("said", "problem"),
    [
        # the period: up to 366 days after the start date
        ({"start": date(2027, 9, 1), "end": date(2028, 9, 1)}, None),
        ({"start": date(2027, 9, 1), "end": date(2028, 9, 2)},
         ("end", "il periodo può durare al massimo un anno", "the period can be one year at most")),
        ({"start": date(2027, 9, 1), "end": date(2027, 8, 31)},
         ("end", "la data di fine deve venire dopo la data di inizio",
          "the end date must be after the start date")),
        # dates: from the current school year's 1 September to 2 × 366 days ahead
        ({"start": date(2026, 9, 1)}, None),
        ({"start": date(2026, 8, 31)},
         ("start", "la data 31/08/2026 è già passata: scegli una data dal 01/09/2026 in poi",
          "the date 31/08/2026 has already passed: choose a date from 01/09/2026 on")),
        ({"weeks": (date(2026, 7, 6),)},
         ("weeks", "la data 06/07/2026 è già passata: scegli una data dal 01/09/2026 in poi",
          "the date 06/07/2026 has already passed: choose a date from 01/09/2026 on")),
        ({"start": date(2028, 11, 24)}, None),
        ({"weeks": (date(2028, 11, 27),)},
         ("weeks", "la data 27/11/2028 è fuori dai prossimi due anni",
          "the date 27/11/2028 is not within the next two years")),
        # distance and budget
        ({"radius_km": 0.5}, None),
        ({"radius_km": 50.5},
         ("radius_km", "50.5 non è ammesso: scegli un valore tra 0.5 e 50",
          "50.5 is not allowed: choose a value between 0.5 and 50")),
        ({"max_monthly_cost_eur": 10_000.0}, None),
        ({"max_monthly_cost_eur": -5.0},
         ("max_cost", "-5 non è ammesso: scegli un valore tra 0 e 10000",
          "-5 is not allowed: choose a value between 0 and 10000")),
    ],
)  # fmt: skip
def test_limits_and_their_messages(
    said: dict[str, object], problem: tuple[str, str, str] | None
) -> None:
    if problem is None:
        assert isinstance(build(**said), BuiltNeed)
    else:
        assert problems(**said) == [problem]


def test_places_as_coordinates_or_looked_up_with_their_roles() -> None:
    result = built(
        places=(
            PlaceSaid(PlaceRole.HOME, "Sesto San Giovanni"),
            PlaceSaid(PlaceRole.WORK, "", 45.48, 9.2),
        )
    )
    assert [(p.role, p.label, p.comune) for p in result.need.places] == [
        (PlaceRole.HOME, "Sesto San Giovanni", "Sesto San Giovanni"),
        (PlaceRole.WORK, "45.48000, 9.20000", None),
    ]
    assert result.places[0] is SESTO


def test_an_unknown_place_is_a_problem_on_its_role_with_suggestions() -> None:
    result = build(places=(PlaceSaid(PlaceRole.WORK, "Sesto San Giovany"),))
    assert result == [
        NeedProblem(
            "place.work", PlaceNotFound("Sesto San Giovany", ["Sesto San Giovanni"]).args[0],
            ("Sesto San Giovanni",),
        )
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        # nothing said: where?
        ({"places": ()}, [(PLACE, "indica un comune o un indirizzo")]),
        # the entry point could not read the point (and said so): nothing more to add
        ({"places": (), "unreadable": frozenset({PLACE})}, []),
        # the start date could not be read: ages are not judged on a guessed date
        ({"children": (ChildSaid(2010, 1),), "unreadable": frozenset({START})}, []),
        ({"children": (ChildSaid(2010, 1),), "unreadable": frozenset({WEEKS})}, []),
        # a child whose birth could not be read is skipped, the others still counted
        ({"children": (ChildSaid(None, 3), ChildSaid(2010, 1))},
         [("children.1.birth_year", TOO_OLD[0].format(years=16))]),
    ],
)  # fmt: skip
def test_what_could_not_be_read_is_not_reported_twice(
    said: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    assert [(field, italian) for field, italian, _english in problems(**said)] == expected


def test_preferences_and_hours_pass_through_sorted() -> None:
    need = built(
        hours={3: (TimeRange(840, 1080), TimeRange(480, 720)), 1: (TimeRange(480, 960),), 2: ()},
        languages=("it", "en"),
        max_monthly_cost_eur=450.5,
    ).need
    assert need.hours == {
        1: (TimeRange(480, 960),),
        3: (TimeRange(480, 720), TimeRange(840, 1080)),
    }
    assert need.preferences.languages == ("en",)  # Italian goes without saying
    assert need.preferences.max_monthly_cost_cents == 45050
    assert need.radius_km == 5.0


@pytest.mark.parametrize(
    ("today", "earliest"),
    [
        (date(2026, 12, 5), date(2026, 9, 1)),  # December: this school year began in September
        (date(2026, 9, 1), date(2026, 9, 1)),  # its first day
        (date(2026, 8, 31), date(2025, 9, 1)),  # the last day of the school year 2025/26
        (date(2027, 1, 10), date(2026, 9, 1)),  # after New Year, the same school year
    ],
)
def test_a_need_may_start_from_the_current_school_years_first_day(
    today: date, earliest: date
) -> None:
    assert earliest_start(today) == earliest
