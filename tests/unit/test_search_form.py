"""The page's search form: what it keeps of the query, and the need it makes (pure)."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from core.limits import MAX_CHILDREN
from search.matching.need import TimeRange
from service.web.field_errors import FieldError
from service.web.search_form import MAX_FIELD_LENGTH, SearchForm
from service.web.search_parse import ParsedSearch, parse_search

TODAY = date(2026, 11, 23)
POINT = {"lat": ["45.53"], "lon": ["9.23"]}  # coordinates: no geocoder is asked
CHILD = {"birth_year": ["2025"], "birth_month": ["11"]}


class NoGeocoder:
    def resolve(self, text: str):  # type: ignore[no-untyped-def]
        raise AssertionError(f"asked to geocode {text}")


def parsed(**params: list[str]) -> ParsedSearch:
    result = parse_search(
        SearchForm.from_params({**CHILD, **POINT, **params}),
        NoGeocoder(),  # type: ignore[arg-type]
        TODAY,
    )
    assert isinstance(result, ParsedSearch), result
    return result


def errors(**params: list[str]) -> dict[str, str]:
    result = parse_search(
        SearchForm.from_params({**CHILD, **POINT, **params}),
        NoGeocoder(),  # type: ignore[arg-type]
        TODAY,
    )
    assert isinstance(result, list), result
    return {error.field: error.text("it") for error in result}


def test_hours_for_all_days_and_a_day_of_its_own() -> None:
    need = parsed(
        days=["1", "2", "3"],
        **{"from": ["08:00"], "to": ["16:00"], "to_3": ["13:00"], "from_3": ["08:30"]},
    ).need
    assert need.hours == {
        1: (TimeRange(480, 960),),
        2: (TimeRange(480, 960),),
        3: (TimeRange(510, 780),),
    }


def test_hours_typed_in_a_row_make_that_day_needed() -> None:
    need = parsed(**{"from_6": ["09:00"], "to_6": ["12:00"]}).need
    assert need.hours == {6: (TimeRange(540, 720),)}


def test_a_preset_fills_the_grid_without_overriding_what_was_typed() -> None:
    form = SearchForm.from_params({"preset": ["mattina"], "to_5": ["12:00"]})
    assert form.days == ["1", "2", "3", "4", "5"]
    assert form.hours_of(1) == ("08:00", "13:00")
    assert form.hours_of(5) == ("08:00", "12:00")
    assert form.preset == ""  # the URL written back holds the grid, not the preset


def test_siblings_each_get_their_own_fields() -> None:
    need = parsed(birth_year=["2025", "2021"], birth_month=["11", "3"]).need
    assert [(c.birth_year, c.birth_month) for c in need.children] == [(2025, 11), (2021, 3)]
    assert errors(birth_year=["2025", "1990"], birth_month=["11", "3"]) == {
        "birth_year_2": "1990 non è ammesso: scegli un valore tra 2006 e 2028"
    }


def test_a_blank_sibling_is_no_sibling_and_adding_one_is_bounded() -> None:
    form = SearchForm.from_params({**CHILD, "birth_year": ["2025", ""], "birth_month": ["11", ""]})
    assert len(form.children) == 1
    many = {"birth_year": ["2020"] * 9, "birth_month": ["1"] * 9, "add_child": ["1"]}
    assert len(SearchForm.from_params(many).children) == MAX_CHILDREN


def test_summer_weeks_become_their_mondays_and_start_the_period() -> None:
    need = parsed(weeks=["2027-07-14", "2027-07-05"]).need  # a Wednesday and a Monday
    assert need.weeks == (date(2027, 7, 5), date(2027, 7, 12))
    assert need.start_date == date(2027, 7, 5)


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"end": ["2026-11-01"]}, "end", "la data di fine deve venire dopo la data di inizio"),
        (
            {"from_2": ["10:00"], "to_2": ["09:00"]},
            "to_2",
            "l'ora di fine 09:00 deve venire dopo l'ora di inizio 10:00",
        ),
        (
            {"from_4": ["10:00"]},
            "to_4",
            "indica dalle e alle ore per i giorni scelti (es. 08:00 e 16:00)",
        ),
        ({"sector": ["statale"]}, "sector", "settore sconosciuto «statale»"),
        ({"max_cost": ["-5"]}, "max_cost", "-5 non è ammesso: scegli un valore tra 0 e 10000"),
        ({"language": ["english"]}, "language", "«english» non è un codice di lingua (es. en)"),
        (
            {"weeks": ["luglio"]},
            "weeks",
            "«luglio» non è una data: scrivi AAAA-MM-GG, per esempio 2027-09-01",
        ),
    ],
)
def test_each_problem_names_its_field(
    params: dict[str, list[str]], field: str, message: str
) -> None:
    assert errors(**params) == {field: message}


def test_one_wrong_time_for_all_days_is_one_error() -> None:
    assert errors(days=["1", "2", "3"], **{"from": ["25:00"], "to": ["16:00"]}) == {
        "from": "«25:00» non è un orario: scrivi per esempio 08:30"
    }


def test_the_url_written_back_holds_the_whole_search() -> None:
    params = {
        **CHILD,
        "place": ["Sesto San Giovanni"],
        "days": ["1", "2"],
        "from": ["08:00"],
        "to": ["16:00"],
        "from_2": ["09:00"],
        "to_2": ["13:00"],
        "weeks": ["2027-07-05"],
        "kind": ["nido"],
        "sector": ["pubblico"],
        "max_cost": ["400"],
        "language": ["en"],
        "disability": ["1"],
        "places": ["1"],
        "partial": ["1"],
        "sort": ["distance"],
    }
    url = SearchForm.from_params(params).url()
    assert parse_qs(urlsplit(url).query) == params
    assert SearchForm.from_params(parse_qs(urlsplit(url).query)) == SearchForm.from_params(params)


def test_values_are_bounded_before_anything_reads_them() -> None:
    form = SearchForm.from_params({"place": ["x" * 5000], "kind": ["nido"] * 500})
    assert len(form.place) == MAX_FIELD_LENGTH
    assert len(form.kinds) == 20


def test_field_errors_have_labels_in_both_languages() -> None:
    error = FieldError("birth_year_2", "x")
    assert error.label.render("it") == "Anno di nascita (2° figlio)"
    assert error.label.render("en") != error.label.render("it")
    assert FieldError("from_3", "x").label.render("it") == "Dalle ore"
