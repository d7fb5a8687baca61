"""The sportello's console over the demo site: the assisted search with a home and a work
address, cases saved only with consent and with minimal data, the printable plan with the
hours still open, and the console closed to providers."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from factories import (
    DemoSite,
    csrf_token,
    make_account,
    organization_of,
    post_form,
    service_id_by_code,
    sign_in,
)
from litestar.testing import TestClient
from markupsafe import escape
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.kinds import UserRole
from core.models import AuditEntry, FamilyCase

pytestmark = pytest.mark.integration

OPERATOR = "sportello@example.org"
#: a toddler (13–14 months on the start date) whose family lives in Cremona and whose parent
#: works in Cinisello Balsamo, Mon–Fri 8:00–16:00 from Monday 11 January 2027
FAMILY: dict[str, str | list[str]] = {
    "home": "Cremona",
    "work": "Cinisello Balsamo",
    "birth_month": "11",
    "birth_year": "2025",
    "days": ["1", "2", "3", "4", "5"],
    "from": "08:00",
    "to": "16:00",
    "start": "2027-01-11",
}
# Nido comunale Il Bosco Incantato, Cinisello: 7:30–18:00, 3–36 months, 0.7 km from the
# Cinisello centre; Nido comunale Le Rondini, Cremona: 7:30–18:00, 3–36 months, 1.9 km from the
# Cremona centre. Both cover every hour asked. Nido comunale Aquilone, Cinisello: 8:00–13:00.
BOSCO, RONDINI, AQUILONE = "DEMO-CIN-NIDO-01", "DEMO-CRE-NIDO-01", "DEMO-CIN-NIDO-03"
SAVED_FIELDS = {
    "home",
    "work",
    "birth_month",
    "birth_year",
    "days",
    "from",
    "to",
    "start",
    "radius_km",
}


def _operator(client: TestClient, engine: Engine) -> None:
    make_account(engine, OPERATOR, UserRole.OPERATOR)
    sign_in(client, OPERATOR)


def _names(engine: Engine, *codes: str) -> dict[str, str]:
    from core.models import Service

    with Session(engine) as session:
        found = {}
        for code in codes:
            service = session.get(Service, service_id_by_code(engine, code))
            assert service is not None
            found[code] = str(escape(service.name))
        return found


def _cases(engine: Engine) -> list[FamilyCase]:
    with Session(engine) as session:
        return list(session.exec(select(FamilyCase)))


def _save(client: TestClient, **fields: str) -> Any:
    query = urlencode({**FAMILY, "radius_km": "5"}, doseq=True)
    return post_form(client, f"/area/consulenza?{query}", "/area/casi", {"query": query, **fields})


def test_home_and_work_find_services_near_both(demo_site: DemoSite, engine: Engine) -> None:
    names = _names(engine, BOSCO, RONDINI)
    with demo_site() as client:
        _operator(client, engine)
        both = client.get("/area/consulenza", params=FAMILY)
        assert both.status_code == 200, both.text[:3000]
        assert names[BOSCO] in both.text  # near work
        assert names[RONDINI] in both.text  # near home
        assert "Cremona (casa) e Cinisello Balsamo (lavoro)" in both.text
        home_only = client.get("/area/consulenza", params={**FAMILY, "work": ""})
        assert home_only.status_code == 200
        assert names[RONDINI] in home_only.text and names[BOSCO] not in home_only.text
        # the links of the results stay in the console
        assert 'href="/area/consulenza?home=Cremona&amp;work=Cinisello+Balsamo' in both.text


def test_an_unknown_address_names_its_field(demo_site: DemoSite, engine: Engine) -> None:
    with demo_site() as client:
        _operator(client, engine)
        page = client.get("/area/consulenza", params={**FAMILY, "work": "Xyzzyville"})
        assert page.status_code == 400
        assert 'href="#campo-work">Indirizzo di lavoro' in page.text
        assert 'id="errore-work"' in page.text


def test_a_suggested_comune_replaces_the_address_it_corrects(
    demo_site: DemoSite, engine: Engine
) -> None:
    with demo_site() as client:
        _operator(client, engine)
        page = client.get("/area/consulenza", params={**FAMILY, "work": "Cinisello Balsamoo"})
        assert page.status_code == 400
        links = re.findall(r'href="(/area/consulenza\?[^"]*)">Cinisello Balsamo</a>', page.text)
        assert links, page.text[:3000]
        query = parse_qs(links[0].replace("&amp;", "&").partition("?")[2])
        assert query["work"] == ["Cinisello Balsamo"] and query["home"] == ["Cremona"]
        assert "place" not in query
        assert client.get(links[0].replace("&amp;", "&")).status_code == 200


def test_a_case_needs_the_family_consent(demo_site: DemoSite, engine: Engine) -> None:
    with demo_site() as client:
        _operator(client, engine)
        refused = _save(client, notes="chiede anche il sabato")
        assert refused.status_code == 400
        assert 'href="#campo-consent">Consenso della famiglia' in refused.text
        assert "serve il consenso della famiglia" in refused.text
        assert "chiede anche il sabato" in refused.text  # the notes are not lost
    assert _cases(engine) == []


def test_a_case_keeps_only_reference_search_and_notes(demo_site: DemoSite, engine: Engine) -> None:
    names = _names(engine, BOSCO)
    with demo_site() as client:
        _operator(client, engine)
        saved = _save(client, notes="turni variabili", consent="1", nome="Maria Rossi")
        assert saved.status_code == 303, saved.text[:3000]
        (case,) = _cases(engine)
        assert saved.headers["location"] == f"/area/casi/{case.id}?salvato=1"
        assert re.fullmatch(r"C-\d{4}-[2-9A-HJKMNP-Z]{4}", case.reference)
        stored = parse_qs(case.search_query)
        assert set(stored) <= SAVED_FIELDS, stored
        assert stored["birth_month"] == ["11"] and stored["birth_year"] == ["2025"]
        assert "Maria" not in case.search_query and "Rossi" not in case.search_query
        assert case.notes == "turni variabili"
        columns = {column["name"] for column in inspect(engine).get_columns("family_case")}
        assert columns == {
            "id",
            "reference",
            "search_query",
            "notes",
            "consent_recorded_at",
            "created_by",
            "created_at",
            "updated_at",
        }

        detail = client.get(f"/area/casi/{case.id}?salvato=1")
        assert detail.status_code == 200
        assert case.reference in detail.text and names[BOSCO] in detail.text
        sibling = client.get(f"/area/casi/{case.id}?{case.search_query}&add_child=1")
        assert sibling.status_code == 200 and 'id="campo-birth_month_2"' in sibling.text
        listing = client.get("/area/casi")
        assert case.reference in listing.text and OPERATOR in listing.text

        changed = post_form(
            client,
            f"/area/casi/{case.id}",
            f"/area/casi/{case.id}",
            {"query": case.search_query.replace("from=08%3A00", "from=09%3A00"), "notes": "ok"},
        )
        assert changed.status_code == 303
        (updated,) = _cases(engine)
        assert updated.notes == "ok" and "from=09%3A00" in updated.search_query
        assert updated.updated_at > case.updated_at
        assert updated.created_at == case.created_at

        deleted = post_form(client, f"/area/casi/{case.id}", f"/area/casi/{case.id}/elimina", {})
        assert deleted.status_code == 303
        assert _cases(engine) == []
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.entity == "family_case")).one()
        assert (entry.entity_id, entry.field, entry.before, entry.after) == (
            case.id,
            "deleted",
            case.reference,
            None,
        )


def test_the_plan_shows_the_chosen_services_and_the_open_hours(
    demo_site: DemoSite, engine: Engine
) -> None:
    names = _names(engine, BOSCO, AQUILONE)
    aquilone = service_id_by_code(engine, AQUILONE)
    with demo_site() as client:
        _operator(client, engine)
        plan = client.get("/area/piano", params={**FAMILY, "servizi": str(aquilone)})
        assert plan.status_code == 200, plan.text[:3000]
        text = plan.text
        assert names[AQUILONE] in text and names[BOSCO] not in text
        # Aquilone is open 8:00–13:00: 13:00–16:00 stays open every weekday asked
        gaps = re.findall(r"<li><strong>(\w+)</strong>: ([\d:–, ]+)</li>", text)
        assert gaps == [
            (day, "13:00–16:00") for day in ("Lunedì", "Martedì", "Mercoledì", "Giovedì", "Venerdì")
        ]
        assert "Sportello Famiglia-Lavoro di Cremona" in text  # the nearest to home
        assert "<form" not in text and "Salva come PDF" in text

        both = client.get(
            "/area/piano",
            params={**FAMILY, "servizi": [str(aquilone), str(service_id_by_code(engine, BOSCO))]},
        )
        assert names[BOSCO] in both.text
        assert "Domanda online sul portale del Comune" in both.text  # Bosco's how to apply
        assert "I servizi scelti coprono tutti gli orari richiesti." in both.text

        default = client.get("/area/piano", params=FAMILY)
        assert default.status_code == 200
        assert default.text.count('class="plan-service"') == 3  # the top three


def test_a_saved_case_has_its_plan(demo_site: DemoSite, engine: Engine) -> None:
    bosco = service_id_by_code(engine, BOSCO)
    names = _names(engine, BOSCO)
    with demo_site() as client:
        _operator(client, engine)
        assert _save(client, consent="1").status_code == 303
        (case,) = _cases(engine)
        plan = client.get(f"/area/casi/{case.id}/piano", params={"servizi": str(bosco)})
        assert plan.status_code == 200
        assert case.reference in plan.text and names[BOSCO] in plan.text


def test_providers_may_not_use_the_console(demo_site: DemoSite, engine: Engine) -> None:
    make_account(
        engine,
        "tiglio@example.org",
        UserRole.PROVIDER,
        (organization_of(engine, "DEMO-SSG-MICRO-01"),),
    )
    with demo_site() as operator, demo_site() as provider:
        _operator(operator, engine)
        assert _save(operator, consent="1").status_code == 303
        (case,) = _cases(engine)
        sign_in(provider, "tiglio@example.org")
        token = csrf_token(provider, "/area")
        query = urlencode(FAMILY, doseq=True)
        for path in (
            f"/area/consulenza?{query}",
            "/area/casi",
            f"/area/casi/{case.id}",
            f"/area/casi/{case.id}/piano",
            f"/area/piano?{query}",
        ):
            assert provider.get(path).status_code == 403, path
        for path in ("/area/casi", f"/area/casi/{case.id}", f"/area/casi/{case.id}/elimina"):
            response = provider.post(
                path,
                data={"query": query, "notes": "x", "consent": "1", "_csrf_token": token},
                follow_redirects=False,
            )
            assert response.status_code == 403, path
    (unchanged,) = _cases(engine)
    assert unchanged.notes == case.notes and unchanged.updated_at == case.updated_at
