"""A provider edits the weekly grid of their listing: the new hours replace the old rows in
one audited change, reach the index through the outbox and change the next search; bad input
names its fields and stores nothing; another organization's provider is refused."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from factories import (
    TODDLER_IN_SESTO,
    DemoSite,
    csrf_token,
    make_account,
    organization_of,
    post_form,
    service_id_by_code,
    sign_in,
)
from litestar.testing import TestClient
from meilisearch import Client
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.kinds import UserRole
from core.models import AuditEntry, ScheduleRow, Service
from search.outbox_delivery import deliver_all

pytestmark = pytest.mark.integration

GLICINE = "DEMO-SSG-NIDO-02"  # Nido Il Glicine (Tiglio Blu): lun-ven 07:30-16:30
SCHOOL_YEAR = "2026-09-01/2027-07-31"


class FormFields(HTMLParser):
    """The named inputs of the schedule form, as a browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name")
        if tag != "input" or not name or name == "_csrf_token":
            return
        if found.get("type") == "checkbox" and "checked" not in found:
            return
        self.values[name] = found.get("value") or ""


def form_of(client: TestClient, path: str) -> dict[str, str]:
    page = client.get(path)
    assert page.status_code == 200, page.text[:2000]
    parser = FormFields()
    parser.feed(page.text)
    return parser.values


def rows_of(engine: Engine, service_id: int) -> list[tuple[int, str, str, str]]:
    with Session(engine) as session:
        rows = session.exec(
            select(ScheduleRow)
            .where(ScheduleRow.service_id == service_id)
            .order_by(col(ScheduleRow.weekday), col(ScheduleRow.opens_at))
        ).all()
        return [
            (r.weekday, f"{r.opens_at:%H:%M}", f"{r.closes_at:%H:%M}", f"{r.valid_from}")
            for r in rows
        ]


@pytest.fixture
def provider(engine: Engine) -> str:
    make_account(
        engine, "tiglio@example.org", UserRole.PROVIDER, (organization_of(engine, GLICINE),)
    )
    return "tiglio@example.org"


def _toddler_search(client: TestClient, **extra: str) -> list[dict[str, object]]:
    found = client.get("/api/v1/services", params={**TODDLER_IN_SESTO, **extra})
    assert found.status_code == 200, found.text[:2000]
    results: list[dict[str, object]] = found.json()["results"]
    return results


def test_shorter_monday_hours_reach_the_next_search_and_are_audited(
    demo_site: DemoSite, engine: Engine, provider: str, meili_client: Client, index_prefix: str
) -> None:
    service_id = service_id_by_code(engine, GLICINE)
    with demo_site() as client:
        deliver_all(engine, meili_client, f"{index_prefix}_services")  # the import's entries
        before = {r["id"]: r for r in _toddler_search(client, partial="1")}
        assert before[service_id]["full_coverage"] is True
        sign_in(client, provider)
        page = f"/area/servizi/{service_id}/orari"
        form = form_of(client, page)
        assert form["p1_start"] == "2026-09-01" and form["p1_end"] == "2027-07-31"
        assert form["p1_from_1_1"] == "07:30" and form["p1_to_1_1"] == "16:30"
        form["p1_to_1_1"] = "13:00"
        response = post_form(client, page, page, {**form, "action": "save"})
        assert response.status_code == 303, response.text[:3000]
        assert response.headers["location"] == f"{page}?salvato=1"
        assert "Orari salvati" in client.get(response.headers["location"]).text
        deliver_all(engine, meili_client, f"{index_prefix}_services")
        full = {r["id"] for r in _toddler_search(client)}
        partial = {r["id"]: r for r in _toddler_search(client, partial="1")}
        public = client.get(f"/servizi/{service_id}").text
    assert service_id not in full
    assert partial[service_id]["full_coverage"] is False
    assert "07:30–13:00" in public
    assert rows_of(engine, service_id) == [
        (1, "07:30", "13:00", "2026-09-01"),
        *[(day, "07:30", "16:30", "2026-09-01") for day in range(2, 6)],
    ]
    with Session(engine) as session:
        entries = session.exec(select(AuditEntry)).all()
        service = session.get(Service, service_id)
        assert service is not None
    assert [(e.entity, e.entity_id, e.field, e.service_id) for e in entries] == [
        ("schedule", service_id, "schedule", service_id)
    ]
    assert entries[0].before == f"{SCHOOL_YEAR}: lun-ven 07:30-16:30"
    assert entries[0].after == f"{SCHOOL_YEAR}: lun 07:30-13:00; mar-ven 07:30-16:30"


def test_a_summer_period_and_a_split_shift_can_be_added(
    demo_site: DemoSite, engine: Engine, provider: str
) -> None:
    service_id = service_id_by_code(engine, GLICINE)
    page = f"/area/servizi/{service_id}/orari"
    with demo_site() as client:
        sign_in(client, provider)
        form = form_of(client, page)
        added = post_form(client, page, page, {**form, "action": "add"})
        assert added.status_code == 200
        assert 'id="periodo-2"' in added.text and 'name="p2_start"' in added.text
        assert rows_of(engine, service_id)[0][2] == "16:30"  # adding a period stores nothing
        form.update(periods="2", p2_start="2027-07-05", p2_end="2027-07-30")
        form.update(p2_from_1_1="08:00", p2_to_1_1="12:00", p2_from_1_2="13:00", p2_to_1_2="17:00")
        response = post_form(client, page, page, {**form, "action": "save"})
        assert response.status_code == 400  # the summer overlaps the school year
        assert 'href="#campo-p2_start"' in response.text
        form["p1_end"] = "2027-07-02"
        response = post_form(client, page, page, {**form, "action": "save"})
        assert response.status_code == 303, response.text[:3000]
        shown = form_of(client, page)
    assert shown["p2_from_1_2"] == "13:00" and shown["p2_to_1_2"] == "17:00"
    assert (1, "13:00", "17:00", "2027-07-05") in rows_of(engine, service_id)
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry)).one()
    assert entry.after == (
        "2026-09-01/2027-07-02: lun-ven 07:30-16:30 | "
        "2027-07-05/2027-07-30: lun 08:00-12:00, 13:00-17:00"
    )


def test_bad_hours_name_their_fields_and_store_nothing(
    demo_site: DemoSite, engine: Engine, provider: str
) -> None:
    service_id = service_id_by_code(engine, GLICINE)
    page = f"/area/servizi/{service_id}/orari"
    stored = rows_of(engine, service_id)
    with demo_site() as client:
        sign_in(client, provider)
        form = form_of(client, page)
        form.update(
            p1_to_3_1="07:00",  # Wednesday ends before it starts
            p1_from_2_1="25:00",  # no such hour
            p1_from_4_2="12:00",  # Thursday's second range overlaps the first
            p1_to_4_2="18:00",
            p1_to_5_2="18:00",  # Friday's second range has no start
            p1_end="2026-08-01",  # the period ends before it starts
        )
        response = post_form(client, page, page, {**form, "action": "save"})
    assert response.status_code == 400
    for field in ("p1_to_3_1", "p1_from_2_1", "p1_from_4_2", "p1_from_5_2", "p1_end"):
        assert f'href="#campo-{field}"' in response.text, field
        assert f'id="errore-{field}"' in response.text, field
    assert "Periodo 1, Mercoledì: alle ore" in response.text
    assert 'value="25:00"' in response.text  # what was typed is shown again
    assert rows_of(engine, service_id) == stored
    with Session(engine) as session:
        assert session.exec(select(AuditEntry)).all() == []


def test_a_provider_of_another_organization_is_refused(
    demo_site: DemoSite, engine: Engine, provider: str
) -> None:
    service_id = service_id_by_code(engine, GLICINE)
    make_account(
        engine,
        "altro@example.org",
        UserRole.PROVIDER,
        (organization_of(engine, "DEMO-CIN-NIDO-01"),),
    )
    page = f"/area/servizi/{service_id}/orari"
    stored = rows_of(engine, service_id)
    with demo_site() as anonymous:
        token = csrf_token(anonymous, "/accesso")
        refused = anonymous.post(
            page, data={"periods": "0", "_csrf_token": token}, follow_redirects=False
        )
        assert refused.status_code == 401
    with demo_site() as client:
        sign_in(client, "altro@example.org")
        assert client.get(page).status_code == 403
        response = client.post(
            page,
            data={"periods": "0", "action": "save", "_csrf_token": csrf_token(client, "/area")},
            follow_redirects=False,
        )
    assert response.status_code == 403
    assert rows_of(engine, service_id) == stored


def test_the_listing_page_links_to_the_schedule_and_staff_may_edit_it(
    demo_site: DemoSite, engine: Engine
) -> None:
    service_id = service_id_by_code(engine, GLICINE)
    make_account(engine, "sportello@example.org", UserRole.OPERATOR)
    page = f"/area/servizi/{service_id}/orari"
    with demo_site() as client:
        sign_in(client, "sportello@example.org")
        assert f'href="{page}"' in client.get(f"/area/servizi/{service_id}").text
        form = form_of(client, page)
        form["p1_from_6_1"], form["p1_to_6_1"] = "08:00", "12:30"
        assert post_form(client, page, page, {**form, "action": "save"}).status_code == 303
    assert (6, "08:00", "12:30", "2026-09-01") in rows_of(engine, service_id)
