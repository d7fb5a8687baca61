"""Open Referral HSDS: our own fictional 3.0 JSON (tests/fixtures) and the Open Referral 1.1
sample data package (CONCILIAMO_SHARED_DATA), whose US places are rejected by name."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.kinds import ServiceKind
from core.models import Provenance
from importers.gazetteer import import_gazetteer
from importers.pipeline import import_file
from importers.readers import SourceFileError
from importers.sources.hsds import KIND_UNKNOWN, HsdsSource, read_services
from service.cli.main import DEMO_DIR

pytestmark = pytest.mark.integration

FIXTURE = Path(__file__).parent.parent / "fixtures" / "hsds3_italia.json"
SAMPLE = Path("openreferral_hsds_sample")
MON_TO_FRI = [1, 2, 3, 4, 5]


def _listings(session: Session) -> dict[str, tuple[Any, Any, list[tuple[int, time, time]]]]:
    """external id → (service, location, [(weekday, opens, closes)…])"""
    provenances = session.exec(select(Provenance).where(Provenance.source == "hsds"))
    return {
        p.external_id: (
            p.service,
            p.service.location,
            [(r.weekday, r.opens_at, r.closes_at) for r in p.service.schedule_rows],
        )
        for p in provenances
    }


def _key(service: dict[str, Any], number: int = 0) -> str:
    return f"{service['id']}@{service['service_at_locations'][number]['location']['id']}"


def _csv(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / name
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_hsds3_json_field_by_field(engine: Engine) -> None:
    import_gazetteer(engine, DEMO_DIR / "comuni.csv")
    services = json.loads(FIXTURE.read_text(encoding="utf-8"))["contents"]
    pairs = [(s, sal) for s in services for sal in s["service_at_locations"]]
    active = [(s, sal) for s, sal in pairs if s["status"] == "active"]

    report = import_file(engine, HsdsSource(), FIXTURE)

    assert (report.read, report.inserted, report.skipped, report.rejected) == (
        len(pairs),
        len(active),
        len(pairs) - len(active),
        0,
    )
    assert report.problems == [] and report.flags == []
    session = Session(engine)
    listings = _listings(session)
    assert set(listings) == {f"{s['id']}@{sal['location']['id']}" for s, sal in active}
    nido, place, hours = listings[_key(services[0])]
    assert (nido.kind, nido.name, nido.organization.name) == (
        "nido",
        "Asilo nido Il Girotondo",
        "Cooperativa Girotondo (fittizia)",
    )
    assert (nido.age_min_months, nido.age_max_months) == (3, 36)  # 0.25-3 years
    assert (nido.cost_cents, nido.cost_period) == (45000, "mese")
    assert nido.description.endswith("(dati di prova, servizio inventato). Retta in base all'ISEE.")
    assert (nido.email, nido.phone, nido.website) == (
        "nido.girotondo@example.org",
        "0372 0000 01",
        "https://example.org/conciliamo-test/girotondo",
    )
    assert (place.address, place.cap, place.comune, place.istat_code) == (
        "Via Palestro 12",
        "26100",
        "Cremona",
        "019036",
    )
    assert (place.latitude, place.longitude, place.geocode_precision, place.geocode_source) == (
        45.1392,
        10.0236,
        "address",
        "fonte",
    )
    assert hours == [(day, time(7, 30), time(16, 30)) for day in MON_TO_FRI]

    # one service at two places: two listings, each with the hours of its place
    homework = services[1]
    cremona, sesto = listings[_key(homework)], listings[_key(homework, 1)]
    for service, _, _ in (cremona, sesto):
        assert (service.kind, service.age_min_months, service.age_max_months) == (
            "post_scuola",
            72,
            132,
        )  # «6-11 anni», read by the ages normaliser
        assert (service.cost_cents, service.cost_period, service.phone) == (
            None,
            "gratuito",
            "02 0000 9200",
        )
    assert cremona[0].description.endswith("Presso la biblioteca di quartiere.")
    assert cremona[2] == [(day, time(14), time(18)) for day in (1, 3, 5)]
    assert sesto[2] == [(day, time(16, 30), time(18, 30)) for day in (2, 4)]
    # no coordinates: the point of the comune, from the gazetteer
    assert (sesto[1].comune, sesto[1].address, sesto[1].cap, sesto[1].istat_code) == (
        "Sesto San Giovanni",
        "Viale Casiraghi 30",
        "20099",
        "015209",
    )
    assert (sesto[1].latitude, sesto[1].longitude, sesto[1].geocode_source) == (
        45.5342,
        9.2364,
        "gazetteer",
    )

    camp, camp_place, camp_hours = listings[_key(services[2])]
    assert (camp.kind, camp.age_min_months, camp.age_max_months) == ("centro_estivo", 72, 138)
    assert (camp.cost_cents, camp.cost_period) == (9000, "settimana")
    assert camp.website == "http://example.org/conciliamo-test/sole-e-gioco"
    assert camp.phone == "02 0000 9400"  # the location's phone: the service has none
    assert camp_place.address == "Via Felice Cavallotti 200"
    assert camp_hours == [(day, time(8), time(17)) for day in MON_TO_FRI]

    desk, _, desk_hours = listings[_key(services[3])]
    assert (desk.kind, desk.age_min_months, desk.age_max_months) == ("sportello", None, None)
    assert desk_hours == [(2, time(9), time(12)), (4, time(9), time(12))]  # «mar e gio 9-12»

    again = import_file(engine, HsdsSource(), FIXTURE)
    assert (again.unchanged, again.inserted, again.updated, again.skipped) == (
        len(active),
        0,
        0,
        len(pairs) - len(active),
    )
    session.close()
    with Session(engine) as session:
        assert _listings(session).keys() == listings.keys()


@pytest.mark.parametrize("package", ["all_resources", "simple/datapackage.json"])
def test_hsds11_sample_us_places_are_rejected(
    engine: Engine, shared_data: Path, package: str
) -> None:
    import_gazetteer(engine, DEMO_DIR / "comuni.csv")
    path = shared_data / SAMPLE / package
    folder = path if path.is_dir() else path.parent
    services = {row["id"]: row for row in _csv(folder, "services.csv")}
    locations = {row["id"]: row for row in _csv(folder, "locations.csv")}
    cities = {row["location_id"]: row["city"] for row in _csv(folder, "physical_addresses.csv")}
    pairs = _csv(folder, "services_at_location.csv")
    active = [p for p in pairs if services[p["service_id"]]["status"] == "active"]

    def expected(pair: dict[str, str]) -> str:
        location = locations[pair["location_id"]]
        where = f"«{services[pair['service_id']]['name']}» presso «{location['name']}»: "
        if location["latitude"]:
            lat, lon = float(location["latitude"]), float(location["longitude"])
            return where + f"coordinate {lat}, {lon} fuori dall'Italia"
        if city := cities.get(pair["location_id"]):
            return where + f"comune sconosciuto «{city}»: aggiungi lat e lon o correggi il nome"
        return where + "comune mancante"

    report = import_file(engine, HsdsSource(default_kind=ServiceKind.SPORTELLO), path)

    assert (report.read, report.inserted, report.skipped, report.rejected) == (
        len(pairs),
        0,
        len(pairs) - len(active),
        len(active),
    )
    assert [problem.message for problem in report.problems] == [expected(p) for p in active]
    assert {problem.file for problem in report.problems} == {"services.csv"}

    # without --kind only the summer camp has a kind («Summer Camp» in its name)
    unknown = import_file(engine, HsdsSource(), path, dry_run=True)
    kindless = {
        p.message.split("»")[0] for p in unknown.problems if p.message.endswith(str(KIND_UNKNOWN))
    }
    assert kindless == {f"«{services[p['service_id']]['name']}" for p in active} - {
        "«Example City Summer Camp"
    }


def test_hsds11_package_in_italy_is_imported(
    engine: Engine, shared_data: Path, tmp_path: Path
) -> None:
    """The sample with its one street address moved to Cremona: the 1.1 tables are joined
    (organization, eligibility, schedules with weekday 1 = Monday, phones)."""
    import_gazetteer(engine, DEMO_DIR / "comuni.csv")
    folder = shutil.copytree(shared_data / SAMPLE / "all_resources", tmp_path / "hsds")
    addresses = folder / "physical_addresses.csv"
    text = addresses.read_text(encoding="utf-8")
    moved = text.replace("New York City,Mid-Atlantic,NY,10001,US", "Cremona,,CR,26100,IT")
    addresses.write_text(moved, encoding="utf-8")

    report = import_file(engine, HsdsSource(default_kind=ServiceKind.SPORTELLO), folder)

    assert (report.inserted, report.rejected) == (1, 9)
    session = Session(engine)
    [(service, place, hours)] = _listings(session).values()
    assert (service.name, service.organization.name, service.email) == (
        "Never Homeless Helpline",
        "Sanctuary Example City",
        "neverhomeless@example.com",
    )
    assert service.description.endswith("there may be a waiting list. Destinatari: adult.")
    assert (place.address, place.comune, place.geocode_precision) == (
        "Address 1, Address 2",
        "Cremona",
        "comune",
    )
    assert hours == [(day, time(9), time(17)) for day in (1, 2, 3)]  # Monday to Wednesday
    session.close()


def test_services_built_from_the_package_tables(shared_data: Path) -> None:
    services = {
        service["name"]: service
        for _, _, service in read_services(shared_data / SAMPLE / "all_resources", None)
    }
    bubbles = services["Bubbles at The Cross"]
    [sal] = bubbles["service_at_locations"]
    assert [p["number"] for p in sal["phones"]] == ["(773) 2351 2461"]
    assert [p["number"] for p in bubbles["phones"]] == ["(223) 4567 12534"]
    assert {p["type"] for p in bubbles["organization"]["phones"]} == {"voice", "textphone"}
    assert services["Never Homeless Helpline"]["eligibility_description"] == "adult"


def test_rows_a_person_can_fix(engine: Engine, tmp_path: Path) -> None:
    import_gazetteer(engine, DEMO_DIR / "comuni.csv")
    place = {"id": "L1", "name": "Sede", "addresses": [{"city": "Cremona"}]}
    services = [
        {"id": "S1", "name": "Nido senza sede", "status": "active"},
        {
            "id": "S2",
            "name": "Corso di yoga",
            "status": "active",
            "service_at_locations": [{"location": place}],
        },
        {
            "id": "S3",
            "name": "Nido Aurora",
            "status": "active",
            "schedules": [{"weekday": 0, "opens_at": "09:00", "closes_at": "12:00"}],
            "service_at_locations": [{"location": place}],
        },
    ]
    path = tmp_path / "hsds.json"
    path.write_text(json.dumps({"services": services}), encoding="utf-8")

    report = import_file(engine, HsdsSource(), path)

    assert report.rejected == 3
    assert [(p.line, p.field, p.message) for p in report.problems] == [
        (
            1,
            "service_at_locations",
            "«Nido senza sede»: servizio senza sede (nessun service_at_location)",
        ),
        (2, "name", f"«Corso di yoga» presso «Sede»: {KIND_UNKNOWN}"),
        (
            3,
            "schedules",
            "«Nido Aurora» presso «Sede»: giorno «0» non valido: "
            "usa byday MO…SU o weekday 1 (lunedì) … 7",
        ),
    ]
    with pytest.raises(SourceFileError, match="non è un JSON HSDS leggibile"):
        import_file(engine, HsdsSource(), DEMO_DIR / "comuni.csv")
    paged = tmp_path / "pagina.json"
    paged.write_text(json.dumps({"total_pages": 3, "contents": services}), encoding="utf-8")
    with pytest.raises(SourceFileError) as error:
        import_file(engine, HsdsSource(), paged)
    assert str(error.value) == (
        "pagina.json: è una pagina di 3 di una risposta HSDS: "
        "unisci tutte le pagine in un solo file"
    )
    with pytest.raises(SourceFileError) as error:
        import_file(engine, HsdsSource(), tmp_path)
    assert str(error.value) == f"{tmp_path.name}: manca services.csv: non è un pacchetto HSDS 1.1"
