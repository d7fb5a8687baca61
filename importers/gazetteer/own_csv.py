"""Our own gazetteer CSV (see demo/comuni.csv): codice_istat, nome, provincia, cap, lat, lon."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from core.i18n import _
from importers.gazetteer.entries import GazetteerEntry, PostalZone, in_italy
from importers.normalise.values import CellError, coordinate_or_none, text_or_none
from importers.readers import ProgressCallback, RawRow, read_csv_rows
from importers.report import RowProblem

REQUIRED_COLUMNS = ("codice_istat", "nome", "lat", "lon")


def read_own_csv(
    path: Path, on_progress: ProgressCallback | None = None
) -> Iterator[tuple[int, GazetteerEntry | RowProblem]]:
    for raw in read_csv_rows(path, REQUIRED_COLUMNS, on_progress):
        yield 1, _entry(raw, path.name)


def _entry(raw: RawRow, file: str) -> GazetteerEntry | RowProblem:
    cells = raw.values
    code = (text_or_none(cells.get("codice_istat")) or "").zfill(6)
    name = text_or_none(cells.get("nome"))
    if not code.isdigit() or len(code) != 6:
        return RowProblem(
            file, raw.line, "codice_istat", _("codice ISTAT non valido «{code}»", code=code)
        )
    if not name:
        return RowProblem(file, raw.line, "nome", _("valore obbligatorio mancante"))
    try:
        latitude = coordinate_or_none(cells.get("lat"))
        longitude = coordinate_or_none(cells.get("lon"))
    except CellError as error:
        return RowProblem(file, raw.line, "lat/lon", error)
    if latitude is None or longitude is None or not in_italy(latitude, longitude):
        return RowProblem(
            file,
            raw.line,
            "lat/lon",
            _(
                "coordinate mancanti o fuori dall'Italia ({latitude}, {longitude})",
                latitude=latitude,
                longitude=longitude,
            ),
        )
    cap = text_or_none(cells.get("cap"))
    return GazetteerEntry(
        istat_code=code,
        name=name,
        latitude=latitude,
        longitude=longitude,
        province=(text_or_none(cells.get("provincia")) or "").upper()[:2],
        cap=cap,
        postal_zones=[PostalZone(cap)] if cap else [],
    )
