"""Regione Lombardia point layers (CONCILIAMO_SHARED_DATA): summer centres and social desks."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from meilisearch import Client
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.models import Provenance
from importers.gazetteer import import_gazetteer
from importers.pipeline import import_file
from importers.sources.lombardia_points import (
    LombardiaSocialDesksSource,
    LombardiaSummerCentresSource,
)
from search.matching.explain import explanation
from search.matching.need import CareNeed, Child, FamilyPlace, TimeRange
from search.query import find_services
from search.sync import reindex

pytestmark = pytest.mark.integration

FOLDER = Path("lombardia_luoghi_sensibili_2016")
CENTRES = FOLDER / "luoghi_giovani_crd_aggregazione.geojson"
DESKS = FOLDER / "servizi_sociali_comunali.geojson"
GEO = Path("comuni_istat_2018_json/italy_geo.json")


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _service(engine: Engine, key_start: str):  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        provenance = session.exec(
            select(Provenance).where(Provenance.external_id.startswith(key_start))  # type: ignore[attr-defined]
        ).one()
        service = provenance.service
        return service, service.location, list(service.schedule_rows)


def test_summer_centres(engine: Engine, shared_data: Path) -> None:
    import_gazetteer(engine, shared_data / GEO)
    names = [f["properties"]["markername"] for f in _features(shared_data / CENTRES)]
    # by hand from the names: CRD / centro ricreativo / centro estivo / summer camp / colonia
    summer = [
        n
        for n in names
        if re.search(r"C\.?\s?R\.?\s?D|CENTRO RICREATIVO|CENTRO ESTIVO|SUMMER CAMP|COLONIA", n)
    ]

    report = import_file(engine, LombardiaSummerCentresSource(), shared_data / CENTRES)

    assert (report.read, report.inserted, report.skipped, report.rejected) == (
        len(names),
        len(summer),
        len(names) - len(summer),
        0,
    )
    service, location, schedule = _service(engine, "6322-")
    assert service.name == "C.R.D. Scuola Materna Collodi"
    assert (service.kind, service.age_min_months, service.age_max_months) == (
        "centro_estivo",
        36,
        72,
    )  # hosted by a scuola materna
    assert (location.address, location.comune, location.istat_code) == (
        "Via Lorenzini Carlo 1",
        "Bollate",
        "015027",
    )
    assert schedule == []  # no hours in the source: none invented
    elementary, _, _ = _service(engine, "6350-")
    assert (elementary.age_min_months, elementary.age_max_months) == (72, 132)
    minors, _, _ = _service(engine, "6103-")  # «centro ricreativo per minori»: age unknown
    assert (minors.age_min_months, minors.age_max_months) == (None, None)

    again = import_file(engine, LombardiaSummerCentresSource(), shared_data / CENTRES)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(summer))


def test_social_desks(engine: Engine, shared_data: Path) -> None:
    import_gazetteer(engine, shared_data / GEO)
    features = _features(shared_data / DESKS)

    report = import_file(engine, LombardiaSocialDesksSource(), shared_data / DESKS)

    assert (report.read, report.inserted, report.rejected) == (len(features), len(features), 0)
    assert "«Comune di Brunate» ma l'indirizzo è a Lezzeno: verificare" in {
        flag.message for flag in report.flags
    }
    service, location, _ = _service(engine, "1-comune-di-garbagnate-milanese")
    assert (service.kind, service.name) == (
        "sportello",
        "Servizi sociali – Comune di Garbagnate Milanese",
    )
    assert (location.address, location.cap, location.comune) == (
        "Via Giacomo Matteotti 66",
        "20024",
        "Garbagnate Milanese",
    )
    assert service.phone == "02/990.73.500 / 02/990.73.501"
    assert service.email == "sociali@comune.garbagnate-milanese.mi.it"
    sesto, _, _ = _service(engine, "9-comune-di-sesto")  # «www.sestosg.net» in the file
    assert sesto.website == "http://www.sestosg.net"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_centres_without_hours_only_in_place_searches(
    engine: Engine, shared_data: Path, meili_client: Client, index_prefix: str
) -> None:
    import_gazetteer(engine, shared_data / GEO)
    import_file(engine, LombardiaSummerCentresSource(), shared_data / CENTRES)
    uid = f"{index_prefix}_services"
    reindex(engine, meili_client, uid)
    child, place = (Child(2022, 3),), (FamilyPlace(45.5466, 9.1187, label="Bollate"),)
    by_place = CareNeed(children=child, places=place, start_date=date(2027, 7, 5), radius_km=2)
    matches = find_services(meili_client, uid, by_place).matches
    assert matches and all(m.document["kind"] == "centro_estivo" for m in matches)
    assert all(explanation(m).render("it").startswith("Orari da verificare") for m in matches)
    assert all(explanation(m).render("en").startswith("Hours to be checked") for m in matches)

    mon_fri_8_16 = dict.fromkeys(range(1, 6), (TimeRange(8 * 60, 16 * 60),))
    by_hours = replace(by_place, hours=mon_fri_8_16)
    assert find_services(meili_client, uid, by_hours).matches == []  # hours unknown: no match
