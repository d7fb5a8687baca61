"""The "last verified" date of a sheet's row: read, shown to families, and never moved back
by a later import of an older sheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from factories import import_demo, sheet_row, write_sheet
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from core.models import Provenance, Service
from importers.gazetteer import import_gazetteer
from importers.pipeline import import_file
from importers.sources.service_sheet import ServiceSheetSource
from service.cli.main import DEMO_DIR

pytestmark = pytest.mark.integration

SOURCE = ServiceSheetSource("comune-di-prova")


def _service(session: Session, code: str) -> Service:
    provenance = session.exec(select(Provenance).where(Provenance.external_id == code)).one()
    service = session.get(Service, provenance.service_id)
    assert service is not None
    return service


def _verified(engine: Engine, code: str) -> date | None:
    with Session(engine) as session:
        return _service(session, code).last_verified_at


def _import(engine: Engine, tmp_path: Path, verified: str) -> None:
    sheet = write_sheet(tmp_path / "servizi.csv", sheet_row("T-1", verificato_il=verified))
    report = import_file(engine, SOURCE, sheet)
    assert report.rejected == 0, report.problems


def test_the_date_is_read_in_italian_or_iso_form(engine: Engine, tmp_path: Path) -> None:
    import_gazetteer(engine, DEMO_DIR / "comuni.csv")
    _import(engine, tmp_path, "15/11/2026")
    assert _verified(engine, "T-1") == date(2026, 11, 15)
    _import(engine, tmp_path, "2026-11-20")
    assert _verified(engine, "T-1") == date(2026, 11, 20)


def test_an_older_sheet_never_undoes_a_later_check(engine: Engine, tmp_path: Path) -> None:
    import_gazetteer(engine, DEMO_DIR / "comuni.csv")
    _import(engine, tmp_path, "15/11/2026")
    with Session(engine) as session:  # e.g. the provider confirmed it since
        service = _service(session, "T-1")
        service.last_verified_at = date(2026, 11, 30)
        session.add(service)
        session.commit()
    _import(engine, tmp_path, "15/11/2026")
    assert _verified(engine, "T-1") == date(2026, 11, 30)
    _import(engine, tmp_path, "")
    assert _verified(engine, "T-1") == date(2026, 11, 30)


def test_a_wrong_date_rejects_the_row_naming_the_column(engine: Engine, tmp_path: Path) -> None:
    import_gazetteer(engine, DEMO_DIR / "comuni.csv")
    sheet = write_sheet(tmp_path / "servizi.csv", sheet_row("T-1", verificato_il="31/02/2026"))
    report = import_file(engine, SOURCE, sheet)
    assert report.rejected == 1
    assert [str(problem) for problem in report.problems] == [
        "servizi.csv, riga 2, campo «verificato_il»: «31/02/2026» non è una data: scrivi "
        "GG/MM/AAAA, per esempio 23/11/2026"
    ]


def test_the_demo_shows_its_verification_dates(engine: Engine) -> None:
    import_demo(engine)
    assert _verified(engine, "DEMO-SSG-NIDO-01") == date(2026, 11, 15)
