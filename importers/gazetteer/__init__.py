"""Load the gazetteer (comuni, their CAP and a point for each) used for offline place look-ups.

Three formats, told apart by their content: our own CSV (demo/comuni.csv), the comune × CAP
CSV of comuni_cap_geocoded, and the comuni_istat_2018_json files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.i18n import _
from importers.gazetteer.comuni_cap import read_comuni_cap
from importers.gazetteer.entries import GazetteerEntry, GazetteerStore
from importers.gazetteer.istat_json import read_istat_json
from importers.gazetteer.own_csv import read_own_csv
from importers.readers import ProgressCallback, SourceFileError
from importers.report import ImportReport, Outcome, RowProblem

__all__ = ["import_gazetteer"]


def import_gazetteer(
    engine: Engine,
    path: Path,
    *,
    dry_run: bool = False,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    report = ImportReport(source="gazetteer", file=path.name, dry_run=dry_run)
    with Session(engine) as session:
        store = GazetteerStore(session)
        try:
            for rows, item in _read(path, on_progress):
                report.read += rows
                if not isinstance(item, RowProblem) and not store.can_store(item):
                    item = RowProblem(
                        path.name,
                        item.line,
                        "latitudine/longitudine",
                        _("{name}: nessuna coordinata valida in Italia", name=item.name),
                    )
                if isinstance(item, RowProblem):
                    report.count(Outcome.REJECTED)
                    report.problems.append(item)
                else:
                    report.count(store.store(item))
            if dry_run:
                session.rollback()
            else:
                session.commit()
        except BaseException:
            session.rollback()
            raise
    return report


def _read(
    path: Path, on_progress: ProgressCallback | None
) -> Iterator[tuple[int, GazetteerEntry | RowProblem]]:
    if path.is_dir() or path.suffix.lower() == ".json":
        return read_istat_json(path)
    header = _first_line(path)
    if "codicecomune" in header and "latitudine" in header:
        return read_comuni_cap(path, on_progress)
    if "codice_istat" in header:
        return read_own_csv(path, on_progress)
    raise SourceFileError(
        _(
            "{file}: formato del gazetteer non riconosciuto (attese le colonne codice_istat, "
            "nome, lat, lon, oppure il CSV comuni_geocoded, oppure i JSON italy_geo/italy_cities)",
            file=path.name,
        )
    )


def _first_line(path: Path) -> str:
    with path.open("rb") as handle:
        return handle.readline(4096).decode("utf-8", errors="replace").lower()
