"""What the public pages look up besides matching: comuni for the place autocomplete and the
nearest Sportelli Famiglia-Lavoro. Real SQLite and PostgreSQL, real Meilisearch, demo data."""

from __future__ import annotations

import pytest
from factories import service_id_by_code
from litestar.testing import TestClient
from meilisearch import Client
from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.kinds import ListingStatus
from core.models import Comune, Service
from core.places.names import place_key
from search.index_settings import apply_index_settings
from search.sportelli import nearest_sportelli
from search.sync import reindex
from service.queries import comuni_matching

pytestmark = pytest.mark.integration

#: (name, province, ISTAT code, population)
COMUNI = [
    ("Sesto San Giovanni", "MI", "015209", 81_773),
    ("Sesto Calende", "VA", "012120", 11_130),
    ("Sesto ed Uniti", "CR", "019095", 3_051),
    ("Sestola", "MO", "036042", None),
    ("Sestino", "AR", "051035", None),
    ("Sant'Angelo Lodigiano", "LO", "098049", 13_288),
    ("Santa Margherita Ligure", "GE", "010054", 8_950),
    ("Città di Castello", "PG", "054013", 39_000),
    ("Cantù", "CO", "013041", 40_000),
    ("Gerre de' Caprioli", "CR", "019048", 1_300),
]


@pytest.fixture
def gazetteer(engine: Engine) -> Engine:
    with Session(engine) as session:
        for name, province, code, population in COMUNI:
            session.add(
                Comune(
                    istat_code=code,
                    name=name,
                    name_key=place_key(name),
                    province=province,
                    population=population,
                    latitude=45.0,
                    longitude=9.0,
                )
            )
        session.commit()
    return engine


def _names(engine: Engine, text: str, limit: int = 10) -> list[str]:
    with Session(engine) as session:
        return [comune.name for comune in comuni_matching(session, text, limit)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # most populous first, unknown population last, then by name
        ("ses", ["Sesto San Giovanni", "Sesto Calende", "Sesto ed Uniti", "Sestino", "Sestola"]),
        ("SESTO ", ["Sesto San Giovanni", "Sesto Calende", "Sesto ed Uniti", "Sestola"]),
        ("sesto s", ["Sesto San Giovanni"]),
        ("sant'ang", ["Sant'Angelo Lodigiano"]),
        ("Sant’Angelo l", ["Sant'Angelo Lodigiano"]),
        ("santa", ["Santa Margherita Ligure"]),
        # names starting with it first, then names with a word starting with it
        ("san", ["Sant'Angelo Lodigiano", "Santa Margherita Ligure", "Sesto San Giovanni"]),
        ("citta di", ["Città di Castello"]),
        ("CANTU", ["Cantù"]),
        ("gerre de c", ["Gerre de' Caprioli"]),
        ("giovanni", ["Sesto San Giovanni"]),  # the start of a word, not of the name
        ("ovanni", []),  # inside a word: no
        ("%", []),
        ("_es", []),
        ("'", []),
        ("", []),
    ],
)
def test_comuni_matching_ignores_case_accents_and_apostrophes(
    gazetteer: Engine, text: str, expected: list[str]
) -> None:
    assert _names(gazetteer, text) == expected


def test_comuni_matching_stops_at_the_limit(gazetteer: Engine) -> None:
    assert _names(gazetteer, "ses", limit=2) == ["Sesto San Giovanni", "Sesto Calende"]
    assert len(_names(gazetteer, "s", limit=1000)) == 7  # capped, not an error


def test_comuni_api_answers_name_province_and_code(demo_client: TestClient) -> None:
    response = demo_client.get("/api/v1/comuni", params={"q": "ses"})
    assert response.status_code == 200
    # the demo gazetteer has no population: by name
    assert response.json() == [
        {"name": "Sesto ed Uniti", "province": "CR", "istat_code": "019095"},
        {"name": "Sesto San Giovanni", "province": "MI", "istat_code": "015209"},
    ]
    muggio = demo_client.get("/api/v1/comuni", params={"q": "MUGGIO"}).json()
    assert muggio == [{"name": "Muggiò", "province": "MB", "istat_code": "108034"}]
    assert demo_client.get("/api/v1/comuni", params={"q": "zz"}).json() == []


@pytest.mark.parametrize("q", [None, "", " ", "s", " s ", "x" * 61])
def test_comuni_api_needs_2_to_60_characters(demo_client: TestClient, q: str | None) -> None:
    params = {} if q is None else {"q": q}
    response = demo_client.get("/api/v1/comuni", params=params)
    assert response.status_code == 400
    message = "scrivi da 2 a 60 caratteri del nome del comune"
    assert response.json() == {
        "detail": f"q: {message}",
        "errors": [{"field": "q", "message": message}],
    }
    english = demo_client.get("/api/v1/comuni", params={**params, "lang": "en"}).json()
    assert english["errors"] == [
        {"field": "q", "message": "write 2 to 60 characters of the comune's name"}
    ]


# ---- Sportelli Famiglia-Lavoro ----------------------------------------------------------------

SESTO_CENTRE = (45.5342, 9.2364)


def test_nearest_sportelli_nearest_first_with_distance(
    demo_client: TestClient, meili_client: Client, index_prefix: str
) -> None:
    found = nearest_sportelli(meili_client, f"{index_prefix}_services", *SESTO_CENTRE)
    # haversine by hand from the demo points: 0.46 km and 3.22 km; Cremona (75.8 km) is
    # beyond the default 30 km
    assert [hit["name"] for hit in found] == [
        "Sportello Famiglia-Lavoro di Sesto San Giovanni",
        "Sportello Famiglia-Lavoro di Cinisello Balsamo",
    ]
    assert [hit["distance_km"] for hit in found] == pytest.approx([0.46, 3.22], abs=0.02)
    first = found[0]
    assert first["kind"] == "sportello"
    assert first["description"].startswith("Informazioni su nidi")
    assert first["schedule"][0] == {
        "weekday": 1,
        "opens": "09:00",
        "closes": "12:30",
        "valid_from": "2026-09-01",
        "valid_to": "2027-08-31",
    }
    assert "content_hash" not in first and "_geoDistance" not in first
    assert first["how_to_apply"].startswith("Accesso libero")


def test_nearest_sportelli_radius_and_limit(
    demo_client: TestClient, meili_client: Client, index_prefix: str
) -> None:
    index = f"{index_prefix}_services"
    assert len(nearest_sportelli(meili_client, index, *SESTO_CENTRE, limit=1)) == 1
    assert nearest_sportelli(meili_client, index, *SESTO_CENTRE, radius_km=0.3) == []
    everywhere = nearest_sportelli(meili_client, index, *SESTO_CENTRE, radius_km=100)
    assert [hit["comune"] for hit in everywhere] == [
        "Sesto San Giovanni",
        "Cinisello Balsamo",
        "Cremona",
    ]
    with pytest.raises(ValueError, match="radius_km"):
        nearest_sportelli(meili_client, index, *SESTO_CENTRE, radius_km=0)


def test_an_unpublished_sportello_is_not_shown(
    engine: Engine, demo_client: TestClient, meili_client: Client, index_prefix: str
) -> None:
    index = f"{index_prefix}_services"
    with Session(engine) as session:
        service = session.get(Service, service_id_by_code(engine, "DEMO-SSG-SPORT-01"))
        assert service is not None
        service.status = ListingStatus.SUSPENDED.value
        session.add(service)
        session.commit()
    apply_index_settings(meili_client, index)
    reindex(engine, meili_client, index)
    names = [hit["name"] for hit in nearest_sportelli(meili_client, index, *SESTO_CENTRE)]
    assert names == ["Sportello Famiglia-Lavoro di Cinisello Balsamo"]


def test_sportelli_api_by_place_and_by_point(demo_client: TestClient) -> None:
    by_place = demo_client.get("/api/v1/sportelli", params={"place": "Cinisello Balsamo"})
    assert by_place.status_code == 200, by_place.text
    body = by_place.json()
    assert body["place"]["label"].startswith("Cinisello Balsamo")
    assert body["radius_km"] == 30
    assert body["count"] == 2
    first = body["results"][0]
    assert first["name"] == "Sportello Famiglia-Lavoro di Cinisello Balsamo"
    assert first["distance_km"] == pytest.approx(0.04, abs=0.02)

    by_point = demo_client.get(
        "/api/v1/sportelli",
        params={"lat": "45.1333", "lon": "10.0243", "limit": "1", "radius_km": "5"},
    ).json()
    assert [hit["comune"] for hit in by_point["results"]] == ["Cremona"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "place", "indica un comune o un indirizzo"),
        ({"place": "Sesto San Giovany"}, "place", "luogo sconosciuto «Sesto San Giovany»: forse "
         "Sesto San Giovanni?"),
        ({"lat": "45.5"}, "lon", "servono sia latitudine sia longitudine"),
        ({"lat": "91", "lon": "9"}, "lat", "91 non è ammesso: scegli un valore tra 35.2 e 47.2"),
        ({"place": "Cremona", "radius_km": "500"}, "radius_km",
         "500 non è ammesso: scegli un valore tra 1 e 100"),
        ({"place": "Cremona", "limit": "tanti"}, "limit", "«tanti» non è un numero"),
        ({"place": "Cremona", "limit": "2.5"}, "limit", "«2.5» non è un numero"),
        ({"place": "Cremona", "radius_km": "nan"}, "radius_km",
         "nan non è ammesso: scegli un valore tra 1 e 100"),
    ],
)  # fmt: skip
def test_sportelli_api_bad_input_is_a_400_naming_the_field(
    demo_client: TestClient, params: dict[str, str], field: str, message: str
) -> None:
    response = demo_client.get("/api/v1/sportelli", params=params)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": field, "message": message}]


def test_service_detail_api_has_how_to_apply_and_nidi_gratis(
    demo_client: TestClient, engine: Engine
) -> None:
    nido = demo_client.get(f"/api/v1/services/{service_id_by_code(engine, 'DEMO-SSG-NIDO-01')}")
    detail = nido.json()
    assert detail["how_to_apply"].startswith("Domanda online sul portale del Comune")
    assert detail["nidi_gratis"] is True
    micro = service_id_by_code(engine, "DEMO-SSG-MICRO-01")
    assert demo_client.get(f"/api/v1/services/{micro}").json()["nidi_gratis"] is False
    unknown = service_id_by_code(engine, "DEMO-SSG-NIDO-03")
    assert demo_client.get(f"/api/v1/services/{unknown}").json()["nidi_gratis"] is None
    assert demo_client.get(f"/api/v1/services/{unknown}").json()["how_to_apply"] == ""
