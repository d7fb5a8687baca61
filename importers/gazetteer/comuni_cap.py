"""comuni_cap_geocoded format: one row per (comune, CAP), ';'-delimited, with a geocoded point
per CAP zone. A comune's point is the median of its CAP points, and only used for a comune the
gazetteer does not place yet: those per-CAP geocodes put some comuni in their neighbour (e.g.
Cinisello Balsamo at Monza), so a centroid from another source always wins."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from statistics import median

from core.i18n import _
from importers.gazetteer.entries import GazetteerEntry, PostalZone, in_italy
from importers.normalise.values import CellError, coordinate_or_none, integer_or_none, text_or_none
from importers.readers import ProgressCallback, read_csv_rows
from importers.report import RowProblem

REQUIRED_COLUMNS = (
    "nome",
    "codicecomune",
    "sigla",
    "codicecatastale",
    "cap",
    "latitudine",
    "longitudine",
)


def read_comuni_cap(
    path: Path, on_progress: ProgressCallback | None = None
) -> Iterator[tuple[int, GazetteerEntry | RowProblem]]:
    entries: dict[str, GazetteerEntry] = {}
    rows_of: dict[str, int] = {}
    first_line_of: dict[str, int] = {}
    for raw in read_csv_rows(path, REQUIRED_COLUMNS, on_progress):
        cells = raw.values
        code = (text_or_none(cells.get("codicecomune")) or "").zfill(6)
        cap = (text_or_none(cells.get("cap")) or "").zfill(5)
        try:
            latitude = coordinate_or_none(cells.get("latitudine"))
            longitude = coordinate_or_none(cells.get("longitudine"))
            population = integer_or_none(cells.get("popolazione"))
        except CellError as error:
            yield 1, RowProblem(path.name, raw.line, "latitudine/longitudine", error)
            continue
        if not code.isdigit() or len(code) != 6 or not cap.isdigit() or len(cap) != 5:
            yield (
                1,
                RowProblem(
                    path.name,
                    raw.line,
                    "codiceComune/cap",
                    _("codice ISTAT «{code}» o CAP «{cap}» non valido", code=code, cap=cap),
                ),
            )
            continue
        if latitude is not None and longitude is not None and not in_italy(latitude, longitude):
            latitude = longitude = None  # the CAP is still worth knowing without its point
        entry = entries.get(code)
        if entry is None:
            entry = entries[code] = GazetteerEntry(
                istat_code=code,
                name=text_or_none(cells.get("nome")) or code,
                latitude=0.0,
                longitude=0.0,
                province=(text_or_none(cells.get("sigla")) or "").upper()[:2],
                cadastral_code=(text_or_none(cells.get("codicecatastale")) or "").upper() or None,
                region=text_or_none(cells.get("nomeregione")),
                population=population,
                approximate_point=True,
            )
        entry.postal_zones.append(PostalZone(cap, latitude, longitude))
        rows_of[code] = rows_of.get(code, 0) + 1
        first_line_of.setdefault(code, raw.line)
    for code, entry in entries.items():
        entry.line = first_line_of[code]
        points = [
            (zone.latitude, zone.longitude)
            for zone in entry.postal_zones
            if zone.latitude is not None and zone.longitude is not None
        ]
        if not points:  # still worth its CAP zones and codes if another source placed it
            entry.latitude = entry.longitude = None
            entry.cap = min(zone.cap for zone in entry.postal_zones)
            yield rows_of[code], entry
            continue
        entry.latitude = median(latitude for latitude, _longitude in points)
        entry.longitude = median(longitude for _latitude, longitude in points)
        entry.cap = min(zone.cap for zone in entry.postal_zones)
        yield rows_of[code], entry
