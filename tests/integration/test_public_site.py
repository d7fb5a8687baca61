"""The public site's own behaviour on the real app, database and Meilisearch: languages,
correction requests, the sportelli page, empty states, rate limits and headers."""

from __future__ import annotations

import re

import pytest
from factories import TODDLER_IN_SESTO, DemoSite, post_form
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.models import CorrectionRequest, OutboxEntry, Service

pytestmark = pytest.mark.integration


@pytest.fixture
def site(demo_site: DemoSite) -> DemoSite:
    return demo_site


def _service_id(engine: Engine, name: str) -> int:
    with Session(engine) as session:
        service = session.exec(select(Service).where(Service.name == name)).one()
        assert service.id is not None
        return service.id


def _result_names(html: str) -> list[str]:
    return re.findall(r'<h3[^>]*><a href="/servizi/\d+">([^<]+)</a></h3>', html)


# ---- languages ---------------------------------------------------------------------------


def test_english_is_chosen_by_the_url_and_remembered(site: DemoSite) -> None:
    with site() as client:
        italian = client.get("/")
        assert '<html lang="it">' in italian.text
        assert "Vai al contenuto" in italian.text
        english = client.get("/", params={"lang": "en"})
        assert '<html lang="en">' in english.text
        assert "Skip to content" in english.text
        assert "lang=en" in english.headers["set-cookie"]
        again = client.get("/servizi/1")  # the cookie keeps the language on the next page
        assert '<html lang="en">' in again.text


def test_an_english_results_page_has_no_italian_interface_words(site: DemoSite) -> None:
    with site() as client:
        page = client.get("/", params={**TODDLER_IN_SESTO, "lang": "en"}).text
    for italian in (
        "Mese di nascita",
        "Cerca</button>",
        "servizi trovati",
        "Ultima verifica",
        "Copre tutte",
        "accetta bambini",
        "Ordina per",
        "posti liberi",
    ):
        assert italian not in page, italian
    for english in ("Birth month", "Search</button>", "9 services found", "Last checked"):
        assert english in page, english


def test_the_language_switch_keeps_the_search(site: DemoSite) -> None:
    with site() as client:
        page = client.get("/", params=TODDLER_IN_SESTO).text
    switch = re.search(r'<a class="lang-switch" href="([^"]+)"\s+hreflang="en"', page)
    assert switch is not None
    link = switch[1].replace("&amp;", "&")
    assert "lang=en" in link and "place=Sesto+San+Giovanni" in link and "start=2027-01-11" in link


# ---- correction requests -----------------------------------------------------------------


def test_a_correction_request_is_stored_verbatim_and_changes_nothing(
    site: DemoSite, engine: Engine
) -> None:
    service_id = _service_id(engine, "Nido Il Glicine")
    with Session(engine) as session:
        outbox_before = len(session.exec(select(OutboxEntry)).all())
    message = 'Il venerdì chiude alle 16:00 <b>non</b> alle 16:30 & "basta"'
    with site() as client:
        assert client.get(f"/servizi/{service_id}/segnala").status_code == 200
        form = f"/servizi/{service_id}/segnala"
        response = post_form(
            client, form, form, {"topic": "orari", "message": message, "reporter_email": ""}
        )
        assert response.status_code == 303
        assert response.headers["location"] == f"/servizi/{service_id}/segnala?inviata=1"
        thanks = client.get(response.headers["location"])
    assert "Grazie" in thanks.text
    with Session(engine) as session:
        stored = session.exec(select(CorrectionRequest)).one()
        assert (stored.service_id, stored.topic, stored.message) == (service_id, "orari", message)
        assert stored.reporter_email is None
        assert len(session.exec(select(OutboxEntry)).all()) == outbox_before


def test_a_bad_correction_request_names_the_field_and_stores_nothing(
    site: DemoSite, engine: Engine
) -> None:
    service_id = _service_id(engine, "Nido Il Glicine")
    with site() as client:
        form = f"/servizi/{service_id}/segnala"
        response = post_form(
            client,
            form,
            form,
            {"topic": "orari", "message": "  ", "reporter_email": "not-an-email"},
        )
        unknown = post_form(
            client,
            form,
            "/servizi/999999/segnala",
            {"topic": "orari", "message": "Orario sbagliato."},
        )
    assert response.status_code == 400
    assert "Controlla i dati inseriti" in response.text
    assert 'href="#campo-message"' in response.text
    assert 'href="#campo-reporter_email"' in response.text
    assert unknown.status_code == 404
    with Session(engine) as session:
        assert session.exec(select(CorrectionRequest)).all() == []


def test_correction_requests_are_rate_limited(site: DemoSite, engine: Engine) -> None:
    service_id = _service_id(engine, "Nido Il Glicine")
    form = {"topic": "altro", "message": "Il numero di telefono è cambiato."}
    page = f"/servizi/{service_id}/segnala"
    with site(correction_rate_limit=2) as client:
        codes = [post_form(client, page, page, form) for _ in range(3)]
    assert [response.status_code for response in codes] == [303, 303, 429]
    assert "Troppe richieste" in codes[2].text
    with Session(engine) as session:
        assert len(session.exec(select(CorrectionRequest)).all()) == 2


def test_searches_are_rate_limited_in_pages_and_api(site: DemoSite) -> None:
    with site(search_rate_limit=2) as client:
        codes = [client.get("/", params=TODDLER_IN_SESTO).status_code for _ in range(3)]
        api = client.get("/api/v1/services", params=TODDLER_IN_SESTO)
        # pages that are not searches are not counted
        detail = client.get("/accessibilita")
    assert codes == [200, 200, 429]
    assert api.status_code == 429 and "detail" in api.json()
    assert detail.status_code == 200


# ---- sportelli, empty states, suggestions ------------------------------------------------


def test_the_sportelli_page_lists_the_nearest_with_hours(site: DemoSite) -> None:
    with site() as client:
        page = client.get("/sportelli", params={"place": "Sesto San Giovanni"})
    assert page.status_code == 200
    names = _result_names(page.text)
    # Sesto's own desk, then Cinisello's (a few km); Cremona's is ~70 km away, beyond 50 km
    assert names == [
        "Sportello Famiglia-Lavoro di Sesto San Giovanni",
        "Sportello Famiglia-Lavoro di Cinisello Balsamo",
    ]
    assert "Orari di apertura" in page.text


def test_an_unknown_place_offers_the_similar_comuni_as_links(site: DemoSite) -> None:
    with site() as client:
        page = client.get("/", params={**TODDLER_IN_SESTO, "place": "Sesto San Giovany"})
    assert page.status_code == 400
    assert re.search(
        r'<a href="/\?[^"]*place=Sesto\+San\+Giovanni[^"]*">Sesto San Giovanni</a>', page.text
    )


def test_an_empty_result_offers_the_same_search_further_away(site: DemoSite) -> None:
    # a toddler near Lodi (no demo service within 10 km; Sesto and Cremona lie 25–40 km
    # away): the wider search the page offers must find what the API finds at that distance
    need = {
        **{k: v for k, v in TODDLER_IN_SESTO.items() if k != "place"},
        "lat": "45.3100",
        "lon": "9.5000",
        "radius_km": "10",
        "kind": "nido",
    }
    with site() as client:
        page = client.get("/", params=need).text
        offer = re.search(r'<a href="(/\?[^"]*radius_km=(\d+)[^"]*)">(\d+) opzion', page)
        if offer is None:
            pytest.fail("no wider search offered:\n" + page[page.find('id="esito"') :][:2000])
        wider = client.get("/api/v1/services", params={**need, "radius_km": offer[2]}).json()
    assert "Nessun servizio trovato" in page
    assert wider["count"] == int(offer[3]) > 0


# ---- headers -----------------------------------------------------------------------------


def test_the_content_security_policy_allows_only_our_files_and_the_tile_server(
    site: DemoSite,
) -> None:
    with site() as client:
        plain = client.get("/").headers["content-security-policy"]
    with site(tile_url="https://tiles.example.org/{z}/{x}/{y}.png") as client:
        page = client.get("/", params=TODDLER_IN_SESTO)
    with_map = page.headers["content-security-policy"]
    assert "unsafe-inline" not in plain and "unsafe-eval" not in plain
    assert "script-src 'self'" in plain and "img-src 'self' data:;" in plain
    assert "img-src 'self' data: https://tiles.example.org;" in with_map
    assert 'id="mappa"' in page.text and "<script>" not in page.text
