"""Listings from different sources that may be one place are recorded, never merged."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import sheet_row, write_sheet
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from core.models import DuplicateCandidate, Provenance, Service
from importers.duplicates import name_similarity
from importers.gazetteer import import_gazetteer
from importers.pipeline import import_file
from importers.sources.miur_infanzia import MiurInfanziaSource
from importers.sources.service_sheet import ServiceSheetSource
from service.cli.main import DEMO_DIR

pytestmark = pytest.mark.integration

MIUR_FILE = Path("miur_infanzia_lombardia_geocoded/scuole_infanzia_lombardia_geocoded.csv")


def test_a_comune_sheet_listing_a_miur_school_again(
    engine: Engine, shared_data: Path, tmp_path: Path
) -> None:
    import_gazetteer(engine, DEMO_DIR / "comuni.csv")  # a gazetteer, but no demo services
    miur = import_file(engine, MiurInfanziaSource(), shared_data / MIUR_FILE)
    assert miur.duplicates == 0  # one source never pairs with itself
    # BGAA86901Q «SCUOLA INF. CAMERATA CORNELLO», Via Papa Giovanni XXIII 7 (45.90129, 9.65422)
    sheet = write_sheet(
        tmp_path / "bergamo.csv",
        sheet_row(
            "BG-1",
            tipo="scuola_infanzia",
            nome="Scuola dell'infanzia di Camerata Cornello",
            comune="Camerata Cornello",
            codice_istat="",
            cap="",
            lat="45.90140",
            lon="9.65430",
            eta_min_mesi="36",
            eta_max_mesi="72",
        ),  # 14 m away
        sheet_row(
            "BG-2",
            tipo="scuola_infanzia",
            nome="Scuola dell'infanzia Arcobaleno",
            comune="Camerata Cornello",
            codice_istat="",
            cap="",
            lat="45.90160",
            lon="9.65440",
            eta_min_mesi="36",
            eta_max_mesi="72",
        ),  # near, other name
        sheet_row(
            "BG-3",
            tipo="nido",
            nome="Nido Camerata Cornello",
            comune="Camerata Cornello",
            codice_istat="",
            cap="",
            lat="45.90130",
            lon="9.65420",
        ),  # another kind
    )

    report = import_file(engine, ServiceSheetSource("comune-camerata"), sheet)

    assert (report.inserted, report.duplicates) == (3, 1)
    with Session(engine) as session:
        pair = session.exec(select(DuplicateCandidate)).one()
        code_of = {p.service_id: p.external_id for p in session.exec(select(Provenance))}
        assert {code_of[pair.service_id], code_of[pair.other_service_id]} == {"BG-1", "BGAA86901Q"}
        assert 10 < pair.distance_m < 20 and pair.status == "open"
        # recorded, not merged: both listings are still there
        assert session.exec(select(func.count()).select_from(Service)).one() == 3008 - 2 + 3

    again = import_file(engine, ServiceSheetSource("comune-camerata"), sheet)
    assert again.duplicates == 0


@pytest.mark.parametrize(
    ("first", "second", "similar"),
    [
        ("SCUOLA INF. CAMERATA CORNELLO", "Scuola dell'infanzia di Camerata Cornello", True),
        ("Scuola dell'infanzia Arcobaleno", "SCUOLA INF. CAMERATA CORNELLO", False),
        ("Nido Il Girasole", "Asilo nido Girasole", True),
    ],
)
def test_name_similarity_ignores_generic_words(first: str, second: str, similar: bool) -> None:
    assert (name_similarity(first, second) >= 0.6) is similar
