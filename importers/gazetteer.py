"""Load the gazetteer (comuni with a representative point) used for offline place look-ups.

Format (our own, see demo/comuni.csv): codice_istat, nome, provincia, cap, lat, lon.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from importers.geocode import place_key
from importers.normalise.values import CellError, coordinate_or_none, text_or_none
from importers.readers import ProgressCallback, read_csv_rows
from importers.records import ITALY_LATITUDE, ITALY_LONGITUDE
from importers.report import ImportReport, Outcome, RowProblem
from service.models import Comune

REQUIRED_COLUMNS = ("codice_istat", "nome", "lat", "lon")


def import_gazetteer(
    engine: Engine,
    path: Path,
    *,
    dry_run: bool = False,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    report = ImportReport(source="gazetteer", file=path.name, dry_run=dry_run)
    with Session(engine) as session:
        for raw in read_csv_rows(path, REQUIRED_COLUMNS, on_progress):
            report.read += 1
            comune_or_problem = _comune(raw.values, path.name, raw.line)
            if isinstance(comune_or_problem, RowProblem):
                report.count(Outcome.REJECTED)
                report.problems.append(comune_or_problem)
                continue
            report.count(_upsert(session, comune_or_problem))
        if dry_run:
            session.rollback()
        else:
            session.commit()
    return report


def _comune(cells: dict[str, str], file: str, line: int) -> Comune | RowProblem:
    code = (text_or_none(cells.get("codice_istat")) or "").zfill(6)
    name = text_or_none(cells.get("nome"))
    if not code.isdigit() or len(code) != 6:
        return RowProblem(file, line, "codice_istat", f"codice ISTAT non valido «{code}»")
    if not name:
        return RowProblem(file, line, "nome", "valore obbligatorio mancante")
    try:
        latitude = coordinate_or_none(cells.get("lat"))
        longitude = coordinate_or_none(cells.get("lon"))
    except CellError as error:
        return RowProblem(file, line, "lat/lon", str(error))
    if (
        latitude is None
        or longitude is None
        or not ITALY_LATITUDE[0] <= latitude <= ITALY_LATITUDE[1]
        or not ITALY_LONGITUDE[0] <= longitude <= ITALY_LONGITUDE[1]
    ):
        return RowProblem(
            file,
            line,
            "lat/lon",
            f"coordinate mancanti o fuori dall'Italia ({latitude}, {longitude})",
        )
    return Comune(
        istat_code=code,
        name=name,
        name_key=place_key(name),
        province=(text_or_none(cells.get("provincia")) or "").upper()[:2],
        cap=text_or_none(cells.get("cap")),
        latitude=latitude,
        longitude=longitude,
    )


def _upsert(session: Session, comune: Comune) -> Outcome:
    existing = session.get(Comune, comune.istat_code)
    if existing is None:
        session.add(comune)
        return Outcome.INSERTED
    fields = ("name", "name_key", "province", "cap", "latitude", "longitude")
    if all(getattr(existing, field) == getattr(comune, field) for field in fields):
        return Outcome.UNCHANGED
    for field in fields:
        setattr(existing, field, getattr(comune, field))
    return Outcome.UPDATED
