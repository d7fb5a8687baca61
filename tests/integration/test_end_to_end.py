"""The whole path: demo file → database → real Meilisearch → ranked answer in the API and page.

Expected orders are worked by hand from demo/servizi.csv (distances from the comune centre
in demo/comuni.csv; see the comments) and do not come from running the code.
"""

from __future__ import annotations

import re

import pytest
from factories import TODDLER_IN_SESTO
from litestar.testing import TestClient
from markupsafe import escape
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.models import Provenance

pytestmark = pytest.mark.integration


def _codes(engine: Engine, ids: list[int]) -> list[str]:
    with Session(engine) as session:
        by_id = {p.service_id: p.external_id for p in session.exec(select(Provenance))}
    return [by_id[service_id] for service_id in ids]


# TODDLER_IN_SESTO (factories): a toddler born November 2025 in Sesto San Giovanni, Mon–Fri
# 8:00–16:00 from Monday 11 January 2027, within the default 5 km: 13 months for sure on the start
# date (14 if born before the 12th; the engine counts from the last day of the birth month). Full
# coverage needs opening by 8:00 and closing at 16:00 or later every weekday, and an age range that
# includes 13 months. Nearest first (sort=distance):
#   SSG-MICRO-01 8:00–16:00, 3–24 m ........ 0.99 km from the Sesto centre (45.5342, 9.2364)
#   SSG-NIDO-02  7:30–16:30, 6–36 m ........ 1.02 km
#   SSG-NIDO-01  7:30–18:00 ................ 1.28 km
#   SSG-NIDO-04  7:30–18:30 ................ 1.41 km
#   CIN-MICRO-01 7:45–16:45, 3–24 m ........ 1.87 km
#   CIN-MICRO-02 8:00–17:00 ................ 2.71 km
#   CIN-NIDO-02  7:30–16:30, 9–36 m ........ 2.89 km
#   CIN-NIDO-01  7:30–18:00 ................ 3.68 km
#   CIN-NIDO-04  7:30–19:00, 12–36 m ....... 3.97 km
# Left out: SSG-NIDO-03 and CIN-NIDO-03 (close at 13:00), SSG-MICRO-02 (Wednesday until
# 13:00), SSG-NFAM-01 (opens 8:30), CIN-NFAM-01 (closes 15:45), babysitters (wrong hours),
# sezioni primavera (from 24 months), everything in Cremona (too far).
TODDLER_BY_DISTANCE = [
    "DEMO-SSG-MICRO-01",
    "DEMO-SSG-NIDO-02",
    "DEMO-SSG-NIDO-01",
    "DEMO-SSG-NIDO-04",
    "DEMO-CIN-MICRO-01",
    "DEMO-CIN-MICRO-02",
    "DEMO-CIN-NIDO-02",
    "DEMO-CIN-NIDO-01",
    "DEMO-CIN-NIDO-04",
]
# Best fit (the default): all cover every hour, so the score orders them:
#   0.55 × 1 + 0.25 × (1 − km / 5) + 0.10 × places + 0.10 × 300 / (300 + € a month)
#   SSG-MICRO-01 0.99 km, 1 place,  €590: 0.55 + 0.2005 + 0.1 + 0.0337 = 0.8842
#   SSG-NIDO-02  1.02 km, 4 places, €610: 0.55 + 0.1990 + 0.1 + 0.0330 = 0.8820
#   SSG-NIDO-01  1.28 km, 2 places, €420: 0.55 + 0.1860 + 0.1 + 0.0417 = 0.8777
#   SSG-NIDO-04  1.41 km, 5 places, €790: 0.55 + 0.1795 + 0.1 + 0.0275 = 0.8570
#   CIN-MICRO-01 1.87 km, 2 places, €610: 0.55 + 0.1565 + 0.1 + 0.0330 = 0.8395
#   CIN-MICRO-02 2.71 km, 4 places, €560: 0.55 + 0.1145 + 0.1 + 0.0349 = 0.7994
#   CIN-NIDO-02  2.89 km, 3 places, €640: 0.55 + 0.1055 + 0.1 + 0.0319 = 0.7874
#   CIN-NIDO-04  3.97 km, 6 places, €820: 0.55 + 0.0515 + 0.1 + 0.0268 = 0.7283
#   CIN-NIDO-01  3.68 km, no place, €395: 0.55 + 0.0660 + 0.0 + 0.0432 = 0.6592  (full: last)
TODDLER_BY_FIT = [*TODDLER_BY_DISTANCE[:7], "DEMO-CIN-NIDO-04", "DEMO-CIN-NIDO-01"]

# A 7-year-old (born January 2020, 83 months for sure) in Cremona, Mon–Fri 16:30–18:00 from
# 11 January 2027: the post-scuola services and the afternoon babysitter. Nearest first:
#   CRE-BABY-01  Mon–Fri 14:00–19:00, 0–144 m .. 0 km: a babysitter is placed at her
#                comune's centre (privacy), here the Cremona centre itself
#   CRE-POST-02  16:00–18:30 ..................... 0.37 km
#   CRE-POST-01  16:30–18:00 ..................... 0.52 km
# Left out: CRE-BABY-02 (Fri–Sat evenings), CRE-BABY-03 (0–36 m), scuole dell'infanzia
# (up to 72 m), centri estivi (summer only).
SCHOOLCHILD_IN_CREMONA = {
    "birth_year": "2020",
    "birth_month": "1",
    "place": "Cremona",
    "days": ["1", "2", "3", "4", "5"],
    "from": "16:30",
    "to": "18:00",
    "start": "2027-01-11",
}
SCHOOLCHILD_BY_DISTANCE = ["DEMO-CRE-BABY-01", "DEMO-CRE-POST-02", "DEMO-CRE-POST-01"]
# Best fit: the babysitter is nearest but dearer (€10.50 an hour for the 7.5 hours a week she
# covers: €341.25 a month) and her places are unknown (0.5):
#   CRE-POST-02 0.37 km, 1 place,  €50:  0.55 + 0.2315 + 0.1  + 0.0857 = 0.9672
#   CRE-POST-01 0.52 km, 8 places, €45:  0.55 + 0.2240 + 0.1  + 0.0870 = 0.9610
#   CRE-BABY-01 0 km,    unknown,  €341: 0.55 + 0.2500 + 0.05 + 0.0468 = 0.8968
SCHOOLCHILD_BY_FIT = ["DEMO-CRE-POST-02", "DEMO-CRE-POST-01", "DEMO-CRE-BABY-01"]

# A 5-year-old (born July 2022, 59 months for sure) in Sesto San Giovanni for the week of
# 5 July 2027,
# Mon–Fri 8:00–12:30. Summer: the school-year services have ended on 30 June.
#   SSG-CEST-01  7:45–17:00 in the weeks from 5 July, 36–72 m ... 1.12 km
#   CIN-BABY-01  Mon–Fri 8:00–13:00, 0–72 m .. at the Cinisello centre: 3.21 km
# Left out: CIN-CEST-02 (opens 8:30), SSG-CEST-02 (from 72 m), SSG-BABY-03 (gap 9:00–12:30).
PRESCHOOLER_SUMMER_IN_SESTO = {
    "birth_year": "2022",
    "birth_month": "7",
    "place": "Sesto San Giovanni",
    "days": ["1", "2", "3", "4", "5"],
    "from": "08:00",
    "to": "12:30",
    "start": "2027-07-05",
}
# The same order by fit: 0.55 + 0.194 + 0.1 + 0.042 (€95 a week = €411.67 a month) = 0.886
# for the centre; 0.55 + 0.0895 + 0.05 + 0.0219 (€11 × 22.5 h a week) = 0.711 for the sitter.
PRESCHOOLER_SUMMER_EXPECTED = ["DEMO-SSG-CEST-01", "DEMO-CIN-BABY-01"]


HAND_WORKED = [
    (TODDLER_IN_SESTO, TODDLER_BY_DISTANCE, TODDLER_BY_FIT),
    (SCHOOLCHILD_IN_CREMONA, SCHOOLCHILD_BY_DISTANCE, SCHOOLCHILD_BY_FIT),
    (PRESCHOOLER_SUMMER_IN_SESTO, PRESCHOOLER_SUMMER_EXPECTED, PRESCHOOLER_SUMMER_EXPECTED),
]


@pytest.mark.parametrize(
    ("params", "by_distance", "by_fit"),
    HAND_WORKED,
    ids=["toddler-sesto", "schoolchild-cremona", "summer-sesto"],
)
def test_api_ranks_hand_worked_searches(
    demo_client: TestClient,
    engine: Engine,
    params: dict[str, object],
    by_distance: list[str],
    by_fit: list[str],
) -> None:
    response = demo_client.get("/api/v1/services", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert _codes(engine, [result["id"] for result in body["results"]]) == by_fit
    assert all(result["full_coverage"] for result in body["results"])
    assert body["count"] == len(by_fit)

    nearest = demo_client.get("/api/v1/services", params={**params, "sort": "distance"}).json()
    assert _codes(engine, [result["id"] for result in nearest["results"]]) == by_distance
    distances = [result["distance_km"] for result in nearest["results"]]
    assert distances == sorted(distances)


def test_api_explains_each_match(demo_client: TestClient, engine: Engine) -> None:
    body = demo_client.get("/api/v1/services", params=TODDLER_IN_SESTO).json()
    first = body["results"][0]
    assert first["name"] == "Micronido Il Trenino"
    assert first["age_months"] == 13
    assert first["explanation"] == (
        "Copre tutte le tue ore: lun–ven 8:00–16:00 · 990 m · accetta bambini di 13 mesi · "
        "1 posto libero"
    )
    assert first["explanation_en"] == (
        "Covers all your hours: Mon–Fri 8:00–16:00 · 990 m · takes children aged 13 months · "
        "1 place free"
    )
    assert first["coverage"]["by_weekday"] == dict.fromkeys(["1", "2", "3", "4", "5"], 1.0)
    assert body["place"] == {
        "label": "Sesto San Giovanni",
        "latitude": 45.5342,
        "longitude": 9.2364,
        "precision": "comune",
    }


def test_partial_coverage_is_explained(demo_client: TestClient, engine: Engine) -> None:
    # Same summer need but 8:00–17:00 (9 h a day), partial coverage allowed. The one service
    # covering everything comes first (SSG-CEST-01, 1.12 km); then by score, with babysitters
    # at their comune's centre (Sesto 0 km, Cinisello 3.21 km) and paid by the hour for the
    # hours they cover (× 52/12 weeks a month):
    #   SSG-BABY-03 8–9 + 12:30–16:30, 5 of 9 h, €9.50 × 25 h: 0.3056 + 0.25 + 0.05 + 0.0226 = 0.628
    #   CIN-BABY-01 8–13, 5 of 9 h, €11 × 25 h:      0.3056 + 0.0893 + 0.05 + 0.0201 = 0.465
    #   SSG-BABY-01 16–17, 1 of 9 h, €10 × 5 h:      0.0611 + 0.25 + 0.05 + 0.0581 = 0.419
    #   CIN-CEST-02 8:30–12:30, 4 of 9 h, 3.25 km, full, €85 a week: 0.2444 + 0.0877 + 0 + 0.0449
    #                                                                                  = 0.377
    #   CIN-BABY-03 Mon, Wed, Fri 16–17, 3 of 45 h, €9 × 3 h: 0.0367 + 0.0893 + 0.05 + 0.0719
    #                                                                                  = 0.248
    params = {**PRESCHOOLER_SUMMER_IN_SESTO, "to": "17:00", "partial": "1"}
    results = demo_client.get("/api/v1/services", params=params).json()["results"]
    assert _codes(engine, [result["id"] for result in results]) == [
        "DEMO-SSG-CEST-01",
        "DEMO-SSG-BABY-03",
        "DEMO-CIN-BABY-01",
        "DEMO-SSG-BABY-01",
        "DEMO-CIN-CEST-02",
        "DEMO-CIN-BABY-03",
    ]
    assert results[1]["coverage"]["ratio"] == pytest.approx(5 / 9, abs=1e-4)
    assert results[1]["explanation"].startswith(
        "Copre lun–ven 8:00–9:00, 12:30–16:30 delle tue 8:00–17:00 (56%) · "
        "lavora a Sesto San Giovanni"
    )
    assert results[5]["explanation"].startswith(
        "Copre lun 16:00–17:00 delle tue 8:00–17:00; mar nessuna delle tue 8:00–17:00; "
        "mer 16:00–17:00 delle tue 8:00–17:00; gio nessuna delle tue 8:00–17:00; "
        "ven 16:00–17:00 delle tue 8:00–17:00 (7%)"
    )


def test_home_page_shows_the_same_ranking(demo_client: TestClient) -> None:
    response = demo_client.get("/", params=TODDLER_IN_SESTO)
    assert response.status_code == 200
    names = re.findall(r'<h3[^>]*><a href="/servizi/\d+">([^<]+)</a></h3>', response.text)
    assert names == [
        "Micronido Il Trenino",
        "Nido Il Glicine",
        "Nido comunale Girasole",
        "Nido Il Piccolo Principe",
        "Micronido La Tana dei Cuccioli",
        "Micronido Il Giardino dei Piccoli",
        "Nido Mille Colori",
        "Nido Bolle di Sapone",
        "Nido comunale Il Bosco Incantato",
    ]
    assert "9 servizi trovati" in response.text
    assert 'value="Sesto San Giovanni"' in response.text  # the form keeps what was typed


def test_home_page_without_search_shows_the_form(demo_client: TestClient) -> None:
    response = demo_client.get("/")
    assert response.status_code == 200
    assert '<form id="ricerca" class="search-form"' in response.text
    assert "servizi trovati" not in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


def test_service_detail_page_and_api(demo_client: TestClient, engine: Engine) -> None:
    nearest = {**SCHOOLCHILD_IN_CREMONA, "sort": "distance"}
    first = demo_client.get("/api/v1/services", params=nearest).json()["results"][2]
    page = demo_client.get(first["url"])
    assert page.status_code == 200
    assert "Post-scuola Scuola primaria Gianni Rodari" in page.text
    assert "<td>16:30–18:00</td>" in page.text
    assert "dal 7 settembre 2026 al 30 giugno 2027" in page.text
    detail = demo_client.get(f"/api/v1/services/{first['id']}").json()
    assert detail["kind"] == "post_scuola"
    assert detail["location"]["comune"] == "Cremona"
    assert detail["provenance"][0]["external_id"] == "DEMO-CRE-POST-01"
    assert {row["weekday"] for row in detail["schedule"]} == {1, 2, 3, 4, 5}


def test_babysitter_detail_exposes_no_personal_address(demo_client: TestClient) -> None:
    nearest = {**SCHOOLCHILD_IN_CREMONA, "sort": "distance"}
    results = demo_client.get("/api/v1/services", params=nearest).json()["results"]
    babysitter = demo_client.get(f"/api/v1/services/{results[0]['id']}").json()
    assert babysitter["kind"] == "babysitter"
    assert babysitter["name"] == "Alessia F."
    assert babysitter["location"]["address"] is None
    # never her own contacts: families reach her through the nearest sportello
    assert babysitter["email"] is None and babysitter["phone"] is None
    assert babysitter["contact"]["name"] == "Sportello Famiglia-Lavoro di Cremona"
    assert babysitter["contact"]["email"].endswith("@example.org")


@pytest.mark.parametrize(
    "path", ["/", "/servizi/999999", "/api/v1/services/999999", "/?birth_year=1"]
)
def test_security_headers_on_every_response(demo_client: TestClient, path: str) -> None:
    response = demo_client.get(path)
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_unknown_service_is_404_in_page_and_api(demo_client: TestClient) -> None:
    assert demo_client.get("/servizi/999999").status_code == 404
    assert "Pagina non trovata" in demo_client.get("/servizi/999999").text
    response = demo_client.get("/api/v1/services/999999")
    assert response.status_code == 404
    assert response.json()["detail"] == "No published service with id 999999"


def test_openapi_schema_is_served(demo_client: TestClient) -> None:
    schema = demo_client.get("/api/schema/openapi.json").json()
    assert "/api/v1/services" in schema["paths"]
    assert "/api/v1/services/{service_id}" in schema["paths"]
    names = {
        parameter["name"] for parameter in schema["paths"]["/api/v1/services"]["get"]["parameters"]
    }
    assert {"birth_year", "birth_month", "place", "days", "from", "to", "start"} <= names


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"birth_year": "1990"},
            "birth_year",
            "1990 non è ammesso: scegli un valore tra 2006 e 2028",
        ),
        (
            {"birth_year": "2010", "birth_month": "1"},
            "birth_year",
            "età impossibile: 16 anni alla data di inizio; Conciliamo cerca servizi per bambini "
            "fino a 14 anni",
        ),
        (
            {"birth_year": "2027", "birth_month": "6"},
            "birth_month",
            "alla data di inizio 11/01/2027 il bambino non è ancora nato: controlla mese e anno "
            "di nascita",
        ),
        ({"birth_month": "13"}, "birth_month", "13 non è ammesso: scegli un valore tra 1 e 12"),
        (
            {"place": "Sesto San Giovany"},
            "place",
            "luogo sconosciuto «Sesto San Giovany»: forse Sesto San Giovanni?",
        ),
        (
            {"from": "18:00", "to": "08:00"},
            "to",
            "l'ora di fine 08:00 deve venire dopo l'ora di inizio 18:00",
        ),
        ({"from": "25:00"}, "from", "«25:00» non è un orario: scrivi per esempio 08:30"),
        ({"start": "2030-01-01"}, "start", "la data 01/01/2030 è fuori dai prossimi due anni"),
    ],
)
def test_bad_search_input_is_a_clear_400(
    demo_client: TestClient, overrides: dict[str, str], field: str, message: str
) -> None:
    params = {**TODDLER_IN_SESTO, **overrides}
    api = demo_client.get("/api/v1/services", params=params)
    assert api.status_code == 400
    assert {"field": field, "message": message} in api.json()["errors"]

    page = demo_client.get("/", params=params)
    assert page.status_code == 400
    assert "Controlla i dati inseriti" in page.text
    assert f'href="#campo-{field}"' in page.text
    assert str(escape(message)) in page.text  # as Jinja escapes it


def test_wrong_type_in_api_is_a_400_naming_the_parameter(demo_client: TestClient) -> None:
    response = demo_client.get("/api/v1/services", params={**TODDLER_IN_SESTO, "birth_year": "abc"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "birth_year"


def test_hostile_input_is_escaped_and_bounded(demo_client: TestClient) -> None:
    hostile = '<script>alert("x")</script>' + "A" * 500
    page = demo_client.get("/", params={**TODDLER_IN_SESTO, "place": hostile})
    assert page.status_code == 400
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert "A" * 201 not in page.text  # cut to the field's 200 characters


def test_health_check_reports_database_and_search(demo_client: TestClient) -> None:
    response = demo_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "search": "ok"}
