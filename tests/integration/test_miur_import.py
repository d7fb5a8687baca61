"""The real-data importer on the real shared file (path: CONCILIAMO_SHARED_DATA)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from geopy.distance import geodesic
from meilisearch import Client
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from core.models import Location, Provenance, ScheduleRow, Service
from core.places.names import place_key
from importers.gazetteer import import_gazetteer
from importers.pipeline import import_file
from importers.sources.miur_infanzia import MiurInfanziaSource
from search.matching.need import CareNeed, Child, FamilyPlace
from search.query import CANDIDATES_PER_QUERY, find_services
from search.sync import reindex

pytestmark = pytest.mark.integration

MIUR_FILE = Path("miur_infanzia_lombardia_geocoded/scuole_infanzia_lombardia_geocoded.csv")


def _service_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(Service)).one()


def test_imports_the_real_miur_file_and_reports_wrong_geocodes(
    engine: Engine, shared_data: Path
) -> None:
    report = import_file(engine, MiurInfanziaSource(), shared_data / MIUR_FILE)

    # 3,008 schools; two geocoded outside Lombardy (see the file's PROVENANCE.md)
    assert (report.read, report.inserted, report.rejected) == (3008, 3006, 2)
    problem = report.problems[0]
    assert (problem.file, problem.line, problem.field, problem.message) == (
        "scuole_infanzia_lombardia_geocoded.csv",
        2353,
        "lat/lon",
        "coordinate 40.47836001519, 15.630310017443 fuori dalla Lombardia per Giussano: "
        "geocodifica errata",
    )
    assert str(report.problems[1]) == (
        "scuole_infanzia_lombardia_geocoded.csv, riga 2564, campo «lat/lon»: coordinate "
        "45.388090016967, 11.648880025208 fuori dalla Lombardia per Cornale e Bastida: "
        "geocodifica errata"
    )
    assert _service_count(engine) == 3006


def test_miur_rows_are_normalised(engine: Engine, shared_data: Path) -> None:
    import_file(engine, MiurInfanziaSource(), shared_data / MIUR_FILE)
    with Session(engine) as session:
        provenance = session.exec(
            select(Provenance).where(Provenance.external_id == "CO1A141005")
        ).one()
        service = provenance.service
        # raw: VIA BARACCA3, COMO, ASILO DELL'INFANZIA ""SAC. G. BERNASCONI""
        assert service.location.address == "Via Baracca 3"
        assert service.location.comune == "Como"
        assert service.name == 'Asilo dell\'Infanzia "Sac. G. Bernasconi"'
        assert service.kind == "scuola_infanzia"
        assert (service.age_min_months, service.age_max_months) == (36, 72)
        assert service.sector is None  # paritaria: the ente gestore is not in the file
        state = (
            session.exec(select(Provenance).where(Provenance.external_id == "BGAA86901Q"))
            .one()
            .service
        )
        assert state.sector == "pubblico"
        assert state.location.latitude == pytest.approx(45.901290018066)
        # no hours in the source: none invented
        assert session.exec(select(func.count()).select_from(ScheduleRow)).one() == 0
        # "Non Disponibile" as the name (MIAA8FB03N): named after its comune instead
        unnamed = (
            session.exec(select(Provenance).where(Provenance.external_id == "MIAA8FB03N"))
            .one()
            .service
        )
        assert unnamed.name == "Scuola dell'infanzia di San Donato Milanese"
        assert unnamed.location.address is None


def test_reimporting_the_same_file_changes_nothing(engine: Engine, shared_data: Path) -> None:
    import_file(engine, MiurInfanziaSource(), shared_data / MIUR_FILE)
    with Session(engine) as session:
        before = {(s.id, s.updated_at) for s in session.exec(select(Service))}

    again = import_file(engine, MiurInfanziaSource(), shared_data / MIUR_FILE)

    assert (again.inserted, again.updated, again.unchanged, again.rejected) == (0, 0, 3006, 2)
    with Session(engine) as session:
        assert {(s.id, s.updated_at) for s in session.exec(select(Service))} == before
        assert session.exec(select(func.count()).select_from(Location)).one() == 3006


def test_dry_run_stores_nothing(engine: Engine, shared_data: Path) -> None:
    report = import_file(engine, MiurInfanziaSource(), shared_data / MIUR_FILE, dry_run=True)
    assert (report.read, report.inserted, report.rejected) == (3008, 3006, 2)
    assert _service_count(engine) == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_wide_search_returns_every_school_in_the_radius(
    engine: Engine, shared_data: Path, meili_client: Client, index_prefix: str
) -> None:
    """A big city: the nearest schools come back (as many as one candidate query brings),
    nearest first — exactly the nearest ones of the file."""
    import_file(engine, MiurInfanziaSource(), shared_data / MIUR_FILE)
    uid = f"{index_prefix}_services"
    reindex(engine, meili_client, uid)
    milano = (45.4642, 9.19)
    need = CareNeed(
        children=(Child(2022, 1),),
        places=(FamilyPlace(*milano),),
        start_date=date(2026, 9, 14),
        radius_km=30,
    )

    matches = find_services(meili_client, uid, need).matches

    # Expected from the file itself: the schools with valid coordinates within 30 km, nearest
    # first (Meilisearch sorts on the sphere, the engine measures on the ellipsoid: schools
    # within a few metres of the last one returned may swap, so the last ten are not compared)
    with (shared_data / MIUR_FILE).open(encoding="utf-8") as handle:
        by_distance = sorted(
            (geodesic(milano, (float(row["lat"]), float(row["lon"]))).km, row["codice_scuola"])
            for row in csv.DictReader(handle)
        )
    within = [code for km, code in by_distance if km <= 30]
    assert len(within) > 1000  # many more than one query brings
    with Session(engine) as session:
        code_of = {p.service_id: p.external_id for p in session.exec(select(Provenance))}
    returned = [code_of[match.document["id"]] for match in matches]
    assert len(returned) == CANDIDATES_PER_QUERY
    assert set(within[: CANDIDATES_PER_QUERY - 10]) <= set(returned) <= set(within)
    distances = [match.distance_km for match in matches]
    assert distances == sorted(distances)


GEO_FILE = Path("comuni_istat_2018_json/italy_geo.json")


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_with_a_gazetteer_wrong_geocodes_are_replaced_and_flagged(
    engine: Engine, shared_data: Path
) -> None:
    import_gazetteer(engine, shared_data / GEO_FILE)

    report = import_file(engine, MiurInfanziaSource(), shared_data / MIUR_FILE)

    expected_far, expected_unknown = _expected_flags(shared_data)
    assert (report.read, report.rejected) == (3008, 0)
    assert report.inserted == 3008
    far = {f.line for f in report.flags if "sostituite con" in f.message}
    unknown = {f.line for f in report.flags if "non presente nel gazetteer" in f.message}
    assert far == expected_far
    assert unknown == expected_unknown
    assert report.flagged == len(expected_far | expected_unknown)
    giussano = next(f for f in report.flags if f.line == 2353)
    assert giussano.message == (
        "coordinate 40.47836001519, 15.630310017443 a 780 km da Giussano: sostituite con il "
        "centro di Giussano"
    )
    with Session(engine) as session:
        school = (
            session.exec(select(Provenance).where(Provenance.external_id == "MB1A38300N"))
            .one()
            .service
        )
        assert school.location.geocode_precision == "comune"
        assert school.location.geocode_source == "gazetteer"
        assert school.location.istat_code == "108024"
        castro = (
            session.exec(select(Provenance).where(Provenance.external_id == "BGAA85502V"))
            .one()
            .service
        )
        assert castro.location.istat_code == "016065"  # Castro (BG), not Castro (LE)


def _expected_flags(shared_data: Path) -> tuple[set[int], set[int]]:
    """From the files themselves: lines whose point is over 15 km from the comune of the same
    name in the school's province (by the ISTAT centroid), and lines whose comune is absent."""
    folder = shared_data / GEO_FILE.parent
    geo = json.loads((folder / "italy_geo.json").read_text(encoding="utf-8"))
    cities = json.loads((folder / "italy_cities.json").read_text(encoding="utf-8"))
    province = {c["istat"]: c.get("provincia", "") for c in cities}
    centre = {
        (place_key(g["comune"]), province.get(g["istat"], "")): (float(g["lat"]), float(g["lng"]))
        for g in geo
        if str(g.get("istat", "")).isdigit()
    }
    far, unknown = set(), set()
    with (shared_data / MIUR_FILE).open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            point = centre.get((place_key(row["city"]), row["codice_scuola"][:2]))
            if point is None:
                unknown.add(line)
            elif geodesic(point, (float(row["lat"]), float(row["lon"]))).km > 15:
                far.add(line)
    return far, unknown
