"""MIUR state-school register merged with the geocoded MIUR file by school code."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from core.models import Provenance, Service
from importers.gazetteer import import_gazetteer
from importers.pipeline import import_file
from importers.sources.miur_anagrafe import MiurRegisterSource
from importers.sources.miur_infanzia import MiurInfanziaSource

pytestmark = pytest.mark.integration

REGISTER = Path(
    "miur_anagrafe_scuole_statali_lombardia_2025_26/SCUANAGRAFESTAT20252620250901_LOMBARDIA.csv"
)
CAP_FILE = Path("comuni_cap_geocoded/comuni_geocoded.csv")
GEOCODED = Path("miur_infanzia_lombardia_geocoded/scuole_infanzia_lombardia_geocoded.csv")


def test_register_schools_merge_into_geocoded_ones(engine: Engine, shared_data: Path) -> None:
    # the 2018 ISTAT list for centroids, the 2022 CAP file for comuni created since
    import_gazetteer(engine, shared_data / "comuni_istat_2018_json/italy_geo.json")
    import_gazetteer(engine, shared_data / CAP_FILE)
    import_file(engine, MiurInfanziaSource(), shared_data / GEOCODED)
    with (shared_data / REGISTER).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (shared_data / CAP_FILE).open(encoding="utf-8") as handle:
        known_comuni = {r["codiceCatastale"] for r in csv.DictReader(handle, delimiter=";")}
    with (shared_data / GEOCODED).open(encoding="utf-8") as handle:
        geocoded = {r["codice_scuola"] for r in csv.DictReader(handle)}
    infanzia_rows = [
        r for r in rows if r["DESCRIZIONETIPOLOGIAGRADOISTRUZIONESCUOLA"] == "SCUOLA INFANZIA"
    ]
    # a comune newer than every gazetteer file cannot be placed
    unplaceable = {
        r["CODICESCUOLA"] for r in infanzia_rows if r["CODICECOMUNESCUOLA"] not in known_comuni
    }
    infanzia = {r["CODICESCUOLA"] for r in infanzia_rows} - unplaceable

    report = import_file(engine, MiurRegisterSource(), shared_data / REGISTER)

    assert report.read == len(rows)
    assert report.skipped == len(rows) - len(infanzia_rows)  # primarie, medie…: not here
    assert (report.merged, report.inserted, report.rejected) == (
        len(infanzia & geocoded),
        len(infanzia - geocoded),
        len(unplaceable),
    )
    assert [str(f) for f in report.flags] == [
        "SCUANAGRAFESTAT20252620250901_LOMBARDIA.csv, riga 1448, campo «capscuola»: CAP non "
        "valido «.»: ignorato"
    ]
    with Session(engine) as session:
        total = session.exec(select(func.count()).select_from(Service)).one()
        assert total == len(geocoded) + len(infanzia - geocoded)
        broni = (
            session.exec(
                select(Provenance).where(
                    Provenance.source == "miur-anagrafe-statali",
                    Provenance.external_id == "PVAA821024",
                )
            )
            .one()
            .service
        )
        assert {p.source for p in broni.provenances} == {
            "miur-infanzia-geocoded",
            "miur-anagrafe-statali",
        }
        assert broni.email == "pvic821006@istruzione.it"  # filled in by the register
        assert broni.website == "http://www.istitutocomprensivobroni.gov.it"
        assert broni.location.geocode_precision == "address"  # the geocoded point is kept
        only_register = (
            session.exec(
                select(Provenance).where(Provenance.external_id == sorted(infanzia - geocoded)[0])
            )
            .one()
            .service
        )
        assert len(only_register.provenances) == 1
        assert only_register.location.geocode_precision in {"cap", "comune"}

    again = import_file(engine, MiurRegisterSource(), shared_data / REGISTER)
    assert (again.inserted, again.merged, again.updated) == (0, 0, 0)
    assert again.unchanged == len(infanzia)
    assert again.rejected == len(unplaceable)
