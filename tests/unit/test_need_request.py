"""The JSON need of POST /api/v1/match: shape checks (pydantic) and its CareNeed."""

from datetime import date

import pytest
from pydantic import ValidationError

from core.limits import MAX_CHILDREN
from search.matching.need import PlaceRole, TimeRange
from service.web.need_request import NeedRequest, to_need

TODAY = date(2026, 11, 23)
BASE = {
    "children": [{"birth_year": 2025, "birth_month": 6}],
    "home": {"latitude": 45.53, "longitude": 9.23},
}


class NoGeocoder:
    """Coordinates only: a geocoder that must not be asked."""

    def resolve(self, text: str):  # type: ignore[no-untyped-def]
        raise AssertionError(f"asked to geocode {text}")


def need_of(**fields):  # type: ignore[no-untyped-def]
    result = to_need(NeedRequest.model_validate(BASE | fields), NoGeocoder(), TODAY)  # type: ignore[arg-type]
    assert not isinstance(result, list), result
    return result


def test_defaults_start_today_within_5_km() -> None:
    need = need_of()
    assert need.start_date == TODAY  # the page's default: the need builder's
    assert need.radius_km == 5
    assert need.places[0].role is PlaceRole.HOME
    assert not need.has_hours


def test_summer_weeks_start_on_the_first_week() -> None:
    need = need_of(summer_weeks=["2027-07-12", "2027-07-05"])
    assert need.start_date == date(2027, 7, 5)
    assert need.weeks == (date(2027, 7, 5), date(2027, 7, 12))
    assert need.period() == (date(2027, 7, 5), date(2027, 7, 18))


def test_hours_per_weekday_with_several_ranges() -> None:
    need = need_of(
        hours=[
            {"days": [1, 2, 3, 4, 5], "from": "14:00", "to": "18:00"},
            {"days": [1, 2, 3, 4, 5], "from": "08:00", "to": "12:00"},
            {"days": [6], "from": "08:00", "to": "13:00"},
        ]
    )
    assert need.hours[1] == (TimeRange(480, 720), TimeRange(840, 1080))
    assert need.hours[6] == (TimeRange(480, 780),)
    assert 7 not in need.hours


def test_budget_in_euro_becomes_cents_and_preferences_pass_through() -> None:
    need = need_of(
        max_monthly_cost_eur=450.5,
        sectors=["pubblico"],
        languages=["en"],
        disability_support=True,
        places_available_only=True,
    )
    wanted = need.preferences
    assert wanted.max_monthly_cost_cents == 45050
    assert (wanted.sectors, wanted.languages) == (("pubblico",), ("en",))
    assert wanted.disability_support and wanted.places_available_only


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"children": []}, ("children",)),
        ({"children": [{"birth_year": 2025, "birth_month": 0}]}, ("children", 0, "birth_month")),
        ({"home": {"latitude": 45.5}}, ("home",)),
        ({"home": {"comune": "Sesto", "latitude": 45.5, "longitude": 9.2}}, ("home",)),
        ({"home": None}, ()),
        ({"hours": [{"days": [1], "from": "8:00", "to": "12:00"}]}, ("hours", 0, "from")),
        ({"hours": [{"days": [1], "from": "12:00", "to": "12:00"}]}, ("hours", 0)),
        ({"hours": [{"days": [1, 2], "from": "08:00", "to": "12:00"},
                    {"days": [2], "from": "11:00", "to": "13:00"}]}, ()),
        ({"summer_weeks": ["2027-07-06"]}, ()),
        ({"languages": ["english"]}, ("languages", 0)),
        ({"limit": 1000}, ("limit",)),
        ({"extra": 1}, ("extra",)),
    ],
)  # fmt: skip
def test_invalid_shapes_name_their_place(change, location) -> None:
    with pytest.raises(ValidationError) as error:
        NeedRequest.model_validate(BASE | change)
    assert any(issue["loc"][: len(location)] == location for issue in error.value.errors())


def test_a_child_not_born_on_the_start_date_is_an_error_on_that_child() -> None:
    request = NeedRequest.model_validate(
        BASE | {"children": [{"birth_year": 2025, "birth_month": 6},
                             {"birth_year": 2027, "birth_month": 12}]}
    )  # fmt: skip
    errors = to_need(request, NoGeocoder(), TODAY)  # type: ignore[arg-type]
    assert isinstance(errors, list)
    assert [(e.field, e.text("en")) for e in errors] == [
        (
            "children.1.birth_month",
            "on the start date, 23/11/2026, the child is not born yet: "
            "check the birth month and year",
        )
    ]


@pytest.mark.parametrize(
    ("change", "field", "italian"),
    [
        ({"start_date": "2027-09-01", "end_date": "2027-08-01"}, "end_date",
         "la data di fine deve venire dopo la data di inizio"),
        ({"start_date": "2027-09-01", "end_date": "2028-09-02"}, "end_date",
         "il periodo può durare al massimo un anno"),
        ({"start_date": "2029-01-01"}, "start_date",
         "la data 01/01/2029 è fuori dai prossimi due anni"),
        ({"max_distance_km": 0.2}, "max_distance_km",
         "0.2 non è ammesso: scegli un valore tra 0.5 e 50"),
        ({"max_monthly_cost_eur": 20000}, "max_monthly_cost_eur",
         "20000 non è ammesso: scegli un valore tra 0 e 10000"),
    ],
)  # fmt: skip
def test_the_need_builders_rules_are_422s_on_the_json_fields(change, field, italian) -> None:
    errors = to_need(NeedRequest.model_validate(BASE | change), NoGeocoder(), TODAY)  # type: ignore[arg-type]
    assert isinstance(errors, list)
    assert [(e.field, e.text("it")) for e in errors] == [(field, italian)]


def test_the_api_takes_as_many_children_as_the_page_offers() -> None:
    """One limit (core.limits.MAX_CHILDREN) for the API and the page's form and script."""
    child = {"birth_year": 2025, "birth_month": 6}
    NeedRequest.model_validate(BASE | {"children": [child] * MAX_CHILDREN})
    with pytest.raises(ValidationError) as error:
        NeedRequest.model_validate(BASE | {"children": [child] * (MAX_CHILDREN + 1)})
    assert [issue["loc"] for issue in error.value.errors()] == [("children",)]
