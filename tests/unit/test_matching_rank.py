"""Which candidates fit, and their order: full coverage first, then the documented score."""

from datetime import date

import pytest
from matching_fixtures import LAT, LNG, document, hours, need, week

from core.kinds import ServiceKind
from search.matching.distance import nearest
from search.matching.need import FamilyPlace, PlaceRole, Preferences
from search.matching.ranking import WEIGHTS, evaluate, monthly_cost_cents, rank

KM_PER_DEGREE = 111.1  # of latitude, near 45° north (geodesic: 111.13)


def ids(matches) -> list[int]:
    return [match.id for match in matches]


def test_keeps_only_the_requested_kinds() -> None:
    docs = [document(1), document(2, kind="centro_estivo", age_min_months=None)]
    wanted = need(preferences=Preferences(kinds=(ServiceKind.CENTRO_ESTIVO,)))
    assert ids(rank(docs, wanted)) == [2]


def test_keeps_only_services_taking_a_child_on_the_start_date() -> None:
    # 14 months on 7 Sept 2026
    docs = [document(1, age_min_months=15), document(2, age_max_months=13), document(3)]
    assert ids(rank(docs, need())) == [3]


def test_distance_is_from_the_nearest_of_home_and_work() -> None:
    work = FamilyPlace(LAT + 0.1, LNG, PlaceRole.WORK)  # 11 km north
    docs = [document(1, north=0.095)]  # 10.6 km from home, 0.6 km from work
    places = (FamilyPlace(LAT, LNG, PlaceRole.HOME), work)
    [match] = rank(docs, need(places=places))
    assert match.distance.place is work
    assert match.distance.km == pytest.approx(0.005 * KM_PER_DEGREE, rel=0.01)
    assert rank(docs, need()) == []  # from home alone it is beyond 5 km


def test_radius_is_inclusive_of_what_it_says() -> None:
    docs = [document(1, north=0.04), document(2, north=0.05)]  # 4.4 and 5.6 km
    assert ids(rank(docs, need())) == [1]
    assert ids(rank(docs, need(radius_km=6))) == [1, 2]


def test_full_coverage_comes_before_a_nearer_partial_one() -> None:
    docs = [
        document(1, north=0.001, schedule=week("08:00", "16:30")),  # near, 85%
        document(2, north=0.03, schedule=week("07:30", "18:00")),  # 3.3 km, 100%
    ]
    matches = rank(docs, need(asked=hours("08:00-18:00")))
    assert ids(matches) == [2, 1]
    assert [m.is_full for m in matches] == [True, False]


def test_partial_matches_can_be_left_out() -> None:
    docs = [document(1, schedule=week("08:00", "16:30"))]
    assert rank(docs, need(asked=hours("08:00-18:00"), include_partial=False)) == []


def test_hours_unknown_stay_out_of_hour_matches_but_not_of_place_searches() -> None:
    docs = [document(1)]  # no schedule rows
    assert rank(docs, need(asked=hours("08:00-16:00"))) == []
    assert ids(rank(docs, need())) == [1]


def test_a_service_covering_none_of_the_hours_is_left_out() -> None:
    docs = [document(1, schedule=week("14:00", "18:00"))]
    assert rank(docs, need(asked=hours("08:00-12:00"))) == []


def test_score_is_the_documented_weighted_sum() -> None:
    # at home's door (nearness 1), full coverage (1), 3 places (1), €300/month (0.5)
    doc = document(1, places_available=3, cost_cents=30_000, cost_period="mese")
    match = evaluate(doc, need())
    assert match is not None
    expected = WEIGHTS["coverage"] + WEIGHTS["nearness"] + WEIGHTS["places"]
    assert match.score == pytest.approx(expected + WEIGHTS["affordability"] * 0.5, abs=1e-4)


def test_among_equals_the_score_orders_then_distance_then_id() -> None:
    docs = [
        document(3, north=0.01),
        document(1, north=0.01),
        document(2, north=0.01, places_available=0),  # full: places score 0
        document(4, north=0.01, places_available=2),
    ]
    assert ids(rank(docs, need())) == [4, 1, 3, 2]


@pytest.mark.parametrize(
    ("cents", "period", "schedule", "expected"),
    [
        (45_000, "mese", None, 45_000),
        (12_000, "settimana", None, 52_000),  # 120 × 52 / 12
        # €10 an hour for what it covers of 8–18: 16:00–18:00, 10 h a week × 52/12
        (1_000, "ora", week("16:00", "19:00"), 43_333.33),
        (1_000, "ora", None, None),  # hourly, no hours asked: cannot tell
        (None, "gratuito", None, 0),
        (None, None, None, None),
    ],
)
def test_monthly_cost(cents, period, schedule, expected) -> None:
    doc = document(1, cost_cents=cents, cost_period=period, schedule=schedule or ())
    wanted = need(asked=hours("08:00-18:00")) if schedule is not None else need()
    match = evaluate(doc | {"hours_known": True}, wanted)
    assert match is not None
    value = monthly_cost_cents(doc, match.coverage)
    assert value == (None if expected is None else pytest.approx(expected, abs=0.01))


def test_preferences_sector_cost_and_places() -> None:
    docs = [
        document(1, sector="pubblico", cost_cents=30_000, cost_period="mese", places_available=2),
        document(2, sector="privato", cost_cents=30_000, cost_period="mese", places_available=2),
        document(3, sector="pubblico", cost_cents=70_000, cost_period="mese", places_available=2),
        document(4, sector="pubblico", places_available=0),
        document(5, sector="pubblico"),  # places unknown
    ]
    wanted = Preferences(
        sectors=("pubblico",), max_monthly_cost_cents=50_000, places_available_only=True
    )
    assert ids(rank(docs, need(preferences=wanted))) == [1]


def test_siblings_prefer_a_service_taking_both() -> None:
    # 14 months and 4 years: the nido takes the younger only, the "polo 0-6" both. The
    # polo is 1 km farther (nearness 0.2 lower × 0.25 = 0.05) but gets the 0.10 bonus.
    docs = [
        document(1, north=0.001),
        document(2, north=0.01, age_min_months=3, age_max_months=72),
    ]
    matches = rank(docs, need(children=((2025, 6), (2022, 5))))
    assert ids(matches) == [2, 1]
    assert matches[0].accepted_children == (0, 1)
    assert matches[1].accepted_children == (0,)


def test_nearest_picks_the_closest_place() -> None:
    places = (FamilyPlace(LAT, LNG, PlaceRole.HOME), FamilyPlace(LAT + 1, LNG, PlaceRole.WORK))
    assert nearest(document(1, north=0.9), places).place.role is PlaceRole.WORK


def test_validity_outside_the_period_gives_no_coverage() -> None:
    docs = [document(1, schedule=week("08:00", "16:00", valid_to="2026-06-30"))]
    assert rank(docs, need(asked=hours("08:00-16:00"), start=date(2026, 9, 7))) == []


def test_languages_italian_always_counts_others_must_be_listed() -> None:
    docs = [document(1, languages=["en"]), document(2, languages=[]), document(3)]
    assert ids(rank(docs, need(preferences=Preferences(languages=("en",))))) == [1]
    assert ids(rank(docs, need(preferences=Preferences(languages=("it",))))) == [1, 2, 3]
    assert ids(rank(docs, need(preferences=Preferences(languages=("fr", "en"))))) == [1]


def test_disability_support_must_be_stated() -> None:
    docs = [
        document(1, disability_support=True),
        document(2, disability_support=None),
        document(3, disability_support=False),
    ]
    assert ids(rank(docs, need(preferences=Preferences(disability_support=True)))) == [1]
    assert ids(rank(docs, need())) == [1, 2, 3]


def test_a_babysitter_counts_by_service_area_not_distance() -> None:
    # placed at her comune's centre 30 km away, but she works in the family's comune too
    sitter = document(
        1, north=0.27, kind="babysitter", age_min_months=0, service_area=["015209", "015077"]
    )
    elsewhere = document(
        2, north=0.27, kind="babysitter", age_min_months=0, service_area=["019036"]
    )
    home = FamilyPlace(LAT, LNG, PlaceRole.HOME, "Sesto", istat_code="015209", comune="Sesto")
    [match] = rank([sitter, elsewhere], need(places=(home,)))
    assert match.id == 1 and match.distance.in_service_area and match.distance.km == 0
    # a place known only by coordinates has no comune: distance decides, and 30 km is too far
    assert rank([sitter], need()) == []
