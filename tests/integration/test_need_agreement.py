"""The search page and the JSON API build the same need (service/needs): for the same family
they count the same ages on the same start date, apply the same limits and say the same
thing, in Italian and in English. Each case is written once and sent to both: the page as
its form's query (400 with the message next to the field), the API as JSON (422 naming the
JSON field). The page's own start date is read from GET /api/v1/services, which shares the
page's form and parser; its results from the page itself.

The tests' "today" is Monday 23 November 2026 (factories.TODAY). Ages by hand: a child
counts as born on the last day of the birth month; a month is completed on the same day of
a later month."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from factories import DemoSite
from litestar.testing import TestClient
from markupsafe import escape

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Need:
    """One family's need, as both entry points are told it."""

    children: tuple[tuple[int, int], ...] = ((2025, 11),)
    place: str = "Sesto San Giovanni"
    start: str = ""
    end: str = ""
    weeks: tuple[str, ...] = ()
    radius_km: float | None = None
    max_cost: float | None = None
    extra_page: dict[str, str] = field(default_factory=dict)

    def page_params(self, language: str) -> dict[str, Any]:
        params: dict[str, Any] = {
            "birth_year": [str(year) for year, _month in self.children],
            "birth_month": [str(month) for _year, month in self.children],
            "place": self.place,
            "lang": language,
        }
        optional = {
            "start": self.start,
            "end": self.end,
            "weeks": list(self.weeks),
            "radius_km": "" if self.radius_km is None else f"{self.radius_km:g}",
            "max_cost": "" if self.max_cost is None else f"{self.max_cost:g}",
        }
        return params | {name: value for name, value in optional.items() if value}

    def api_json(self, language: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "children": [{"birth_year": y, "birth_month": m} for y, m in self.children],
            "home": {"comune": self.place},
            "language": language,
        }
        optional = {
            "start_date": self.start,
            "end_date": self.end,
            "summer_weeks": list(self.weeks),
            "max_distance_km": self.radius_km,
            "max_monthly_cost_eur": self.max_cost,
        }
        return body | {name: value for name, value in optional.items() if value}


def _page_result_ids(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'<h3[^>]*><a href="/servizi/(\d+)">', html)}


# need → the start date both must use, and each child's whole months on it
AGREEING = [
    # no start date: today (the page's default; the API used to say the next 1 September)
    (Need(), "2026-11-23", [11]),
    # born by 31/01/2024: 33 months today, 43 on 1 September 2027 — the nido verdict hangs
    # on the default start date
    (Need(children=((2024, 1),)), "2026-11-23", [33]),
    (Need(children=((2025, 11), (2021, 3)), start="2027-01-11"), "2027-01-11", [13, 69]),
    # summer weeks: the first one starts the need, the ages are counted on it (the API takes
    # the weeks' Mondays only, the page any day of them: a difference of form, not of need)
    (Need(children=((2020, 3),), weeks=("2027-07-12", "2027-07-05")), "2027-07-05", [87]),
]


@pytest.mark.parametrize(("need", "start", "months"), AGREEING)
def test_same_start_date_ages_and_results(
    demo_site: DemoSite, need: Need, start: str, months: list[int]
) -> None:
    with demo_site() as client:
        page = client.get("/", params=need.page_params("it"))
        page_json = client.get("/api/v1/services", params=need.page_params("it"))
        api = client.post("/api/v1/match", json=need.api_json("it"))
    assert (page.status_code, page_json.status_code, api.status_code) == (200, 200, 200)
    assert page_json.json()["start_date"] == api.json()["need"]["start_date"] == start
    assert [child["months_at_start"] for child in api.json()["need"]["children"]] == months
    api_ids = {match["id"] for match in api.json()["matches"]}
    assert api_ids, "the demo has services for this family"
    assert _page_result_ids(page.text) == api_ids


# need → (page field, API field, Italian, English): the one message both must give
DISAGREEING = [
    # born by 30/09/2012: 169 months today (the limit is 14 years, 168 months)
    (Need(children=((2012, 9),)), "birth_year", "children.0.birth_year",
     "età impossibile: 14 anni alla data di inizio; Conciliamo cerca servizi per bambini "
     "fino a 14 anni",
     "impossible age: 14 years old on the start date; Conciliamo finds services for "
     "children up to 14"),
    # a birth year far outside the years a need may give (this year −20 to +2)
    (Need(children=((1990, 3),)), "birth_year", "children.0.birth_year",
     "1990 non è ammesso: scegli un valore tra 2006 e 2028",
     "1990 is not allowed: choose a value between 2006 and 2028"),
    # born by 31/12/2026: not yet born today — the second child's fields
    (Need(children=((2025, 11), (2026, 12))), "birth_month_2", "children.1.birth_month",
     "alla data di inizio 23/11/2026 il bambino non è ancora nato: controlla mese e anno "
     "di nascita",
     "on the start date, 23/11/2026, the child is not born yet: check the birth month and "
     "year"),
    # 11/01/2027 → 13/01/2028 is 367 days; at most 366
    (Need(start="2027-01-11", end="2028-01-13"), "end", "end_date",
     "il periodo può durare al massimo un anno", "the period can be one year at most"),
    (Need(start="2027-01-11", end="2027-01-10"), "end", "end_date",
     "la data di fine deve venire dopo la data di inizio",
     "the end date must be after the start date"),
    # before this school year's 1 September (today is 23/11/2026)
    (Need(start="2026-08-31"), "start", "start_date",
     "la data 31/08/2026 è già passata: scegli una data dal 01/09/2026 in poi",
     "the date 31/08/2026 has already passed: choose a date from 01/09/2026 on"),
    (Need(start="2029-01-01"), "start", "start_date",
     "la data 01/01/2029 è fuori dai prossimi due anni",
     "the date 01/01/2029 is not within the next two years"),
    (Need(radius_km=60), "radius_km", "max_distance_km",
     "60 non è ammesso: scegli un valore tra 0.5 e 50",
     "60 is not allowed: choose a value between 0.5 and 50"),
    (Need(max_cost=20_000), "max_cost", "max_monthly_cost_eur",
     "20000 non è ammesso: scegli un valore tra 0 e 10000",
     "20000 is not allowed: choose a value between 0 and 10000"),
    (Need(place="Sesto San Giovany"), "place", "home.comune",
     "luogo sconosciuto «Sesto San Giovany»: forse Sesto San Giovanni?",
     "unknown place «Sesto San Giovany»: did you mean Sesto San Giovanni?"),
]  # fmt: skip


@pytest.mark.parametrize(("need", "page_field", "api_field", "italian", "english"), DISAGREEING)
def test_same_limits_and_messages_in_both_languages(
    demo_site: DemoSite, need: Need, page_field: str, api_field: str, italian: str, english: str
) -> None:
    with demo_site() as client:
        for language, message in (("it", italian), ("en", english)):
            _assert_page_says(client, need, language, page_field, message)
            api = client.post("/api/v1/match", json=need.api_json(language))
            assert api.status_code == 422, api.text
            assert api.json()["errors"] == [{"field": api_field, "message": message}]


def _assert_page_says(
    client: TestClient, need: Need, language: str, field: str, message: str
) -> None:
    page = client.get("/", params=need.page_params(language))
    assert page.status_code == 400
    assert str(escape(message)) in page.text
    # the same parser's JSON face names the form field
    page_json = client.get("/api/v1/services", params=need.page_params(language))
    assert page_json.json()["errors"] == [{"field": field, "message": message}]
