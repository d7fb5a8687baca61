"""MIUR school buildings as host sites: a post-scuola sheet names its school by code."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.models import Provenance, SchoolSite
from importers.gazetteer import import_gazetteer
from importers.pipeline import import_file
from importers.school_sites import import_school_sites
from importers.sources.service_sheet import ServiceSheetSource

pytestmark = pytest.mark.integration

REGISTER = Path(
    "miur_anagrafe_scuole_statali_lombardia_2025_26/SCUANAGRAFESTAT20252620250901_LOMBARDIA.csv"
)
CAP_FILE = Path("comuni_cap_geocoded/comuni_geocoded.csv")
HEADER_WITH_SCHOOL = (
    "codice,tipo,nome,ente_gestore,comune,eta_min_mesi,eta_max_mesi,orari,periodi,codice_scuola"
)


def test_sites_and_a_post_scuola_at_a_primary_school(
    engine: Engine, shared_data: Path, tmp_path: Path
) -> None:
    import_gazetteer(engine, shared_data / "comuni_istat_2018_json/italy_geo.json")
    import_gazetteer(engine, shared_data / CAP_FILE)
    with (shared_data / REGISTER).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (shared_data / CAP_FILE).open(encoding="utf-8") as handle:
        known = {r["codiceCatastale"] for r in csv.DictReader(handle, delimiter=";")}
    unplaceable = [r for r in rows if r["CODICECOMUNESCUOLA"] not in known]

    report = import_school_sites(engine, shared_data / REGISTER)

    assert (report.read, report.inserted, report.rejected) == (
        len(rows),
        len(rows) - len(unplaceable),
        len(unplaceable),
    )
    with Session(engine) as session:
        rodari = session.get(SchoolSite, "CREE825026")
        assert rodari is not None
        assert (rodari.name, rodari.grade, rodari.address, rodari.comune) == (
            "G. Rodari - Sabbioni",
            "Scuola Primaria",
            "Via Cappuccini 26",
            "Crema",
        )
        assert rodari.geocode_precision in {"cap", "comune"}  # the register has no points

    sheet = tmp_path / "post.csv"
    sheet.write_text(
        "\n".join(
            [
                HEADER_WITH_SCHOOL,
                "CR-POST-1,post_scuola,Post-scuola Rodari,Comune di Crema,Crema,72,132,"
                "lun-ven 16:30-18:00,2026-09-07/2027-06-30,CREE825026",
                "CR-POST-2,post_scuola,Post-scuola fantasma,Comune di Crema,Crema,72,132,"
                "lun-ven 16:30-18:00,2026-09-07/2027-06-30,CREE999999",
            ]
        )
        + "\n",
        encoding="utf-8",
    )

    imported = import_file(engine, ServiceSheetSource("comune-crema"), sheet)

    assert (imported.inserted, imported.rejected) == (1, 1)
    assert imported.problems[0].message == (
        "scuola «CREE999999» sconosciuta: importa prima il registro MIUR (conciliamo import "
        "sedi-scolastiche) o scrivi indirizzo e comune"
    )
    with Session(engine) as session:
        post = (
            session.exec(select(Provenance).where(Provenance.external_id == "CR-POST-1"))
            .one()
            .service
        )
        assert post.location.address == "Via Cappuccini 26"
        assert (post.location.latitude, post.location.longitude) == (
            rodari.latitude,
            rodari.longitude,
        )
        assert post.location.geocode_precision == rodari.geocode_precision

    again = import_school_sites(engine, shared_data / REGISTER)
    assert again.unchanged == len(rows) - len(unplaceable)
