"""The Conciliamo services sheet: one row per service, Italian headers.

It is the format of our demo data and of the collection template a comune fills in.
Columns (see demo/README.md): codice, tipo, nome, ente_gestore, tipo_ente, settore,
descrizione, eta_min_mesi, eta_max_mesi, indirizzo, cap, comune, codice_istat, lat, lon,
orari, periodi, posti_totali, posti_disponibili, costo_euro, costo_per, telefono, email, sito_web.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geopy.distance import geodesic

from importers.gazetteer.lookup import Gazetteer
from importers.normalise.schedule_text import ScheduleTextError, parse_periods, parse_weekly_hours
from importers.normalise.values import (
    CellError,
    coordinate_or_none,
    euro_cents_or_none,
    integer_or_none,
    text_or_none,
)
from importers.pipeline import SourceRow
from importers.readers import ProgressCallback, RawRow, read_csv_rows
from importers.records import build_record
from importers.report import RowProblem
from service.kinds import GeocodePrecision, ServiceKind

REQUIRED_COLUMNS = ("codice", "tipo", "nome", "comune")
#: record field → column, so problems name the column the person sees
COLUMN_OF_FIELD = {
    "external_id": "codice",
    "kind": "tipo",
    "name": "nome",
    "organization_name": "ente_gestore",
    "organization_kind": "tipo_ente",
    "sector": "settore",
    "description": "descrizione",
    "age_min_months": "eta_min_mesi",
    "age_max_months": "eta_max_mesi",
    "address": "indirizzo",
    "cap": "cap",
    "comune": "comune",
    "istat_code": "codice_istat",
    "latitude": "lat",
    "longitude": "lon",
    "slots": "orari",
    "periods": "periodi",
    "capacity": "posti_totali",
    "places_available": "posti_disponibili",
    "cost_cents": "costo_euro",
    "cost_period": "costo_per",
    "phone": "telefono",
    "email": "email",
    "website": "sito_web",
}
#: a point farther than this from its comune's centre is taken for a wrong coordinate
MAX_KM_FROM_COMUNE = 15.0


@dataclass(frozen=True)
class ServiceSheetSource:
    name: str = "scheda-servizi"

    def rows(
        self, path: Path, gazetteer: Gazetteer, on_progress: ProgressCallback | None = None
    ) -> Iterator[SourceRow]:
        for raw in read_csv_rows(path, REQUIRED_COLUMNS, on_progress):
            yield self.parse_row(raw, path.name, gazetteer)

    def parse_row(self, raw: RawRow, file: str, gazetteer: Gazetteer) -> SourceRow:
        problems: list[RowProblem] = []
        if not raw.field_count_ok:
            problems.append(
                RowProblem(
                    file,
                    raw.line,
                    "*",
                    "numero di colonne diverso "
                    "dall'intestazione: controlla separatori e virgolette",
                )
            )
        cells = raw.values

        def cell(column: str, parse: Callable[[str | None], Any] = text_or_none) -> Any:
            try:
                return parse(cells.get(column))
            except (CellError, ScheduleTextError) as error:
                problems.append(RowProblem(file, raw.line, column, str(error)))
                return None

        fields: dict[str, Any] = {
            field: cell(column)
            for field, column in COLUMN_OF_FIELD.items()
            if column not in NON_TEXT_COLUMNS
        }
        fields |= {
            "source": self.name,
            "organization_name": fields["organization_name"] or fields["name"],
            "organization_kind": fields["organization_kind"] or "",
            "description": fields["description"] or "",
            "age_min_months": cell("eta_min_mesi", integer_or_none),
            "age_max_months": cell("eta_max_mesi", integer_or_none),
            "capacity": cell("posti_totali", integer_or_none),
            "places_available": cell("posti_disponibili", integer_or_none),
            "cost_cents": cell("costo_euro", euro_cents_or_none),
            "slots": cell("orari", lambda text: parse_weekly_hours(text or "")),
            "periods": cell("periodi", lambda text: parse_periods(text or "")),
        }
        latitude, longitude = cell("lat", coordinate_or_none), cell("lon", coordinate_or_none)
        if not any(problem.field in {"lat", "lon"} for problem in problems):
            problems.extend(_place(fields, latitude, longitude, gazetteer, file, raw.line))
        if problems:
            return SourceRow(raw.line, None, problems)
        record = build_record(fields, file=file, line=raw.line, column_names=COLUMN_OF_FIELD)
        if isinstance(record, list):
            return SourceRow(raw.line, None, record)
        return SourceRow(raw.line, record)


NON_TEXT_COLUMNS = {
    "eta_min_mesi",
    "eta_max_mesi",
    "posti_totali",
    "posti_disponibili",
    "costo_euro",
    "orari",
    "periodi",
    "lat",
    "lon",
}


def _place(
    fields: dict[str, Any],
    latitude: float | None,
    longitude: float | None,
    gazetteer: Gazetteer,
    file: str,
    line: int,
) -> list[RowProblem]:
    """Fill coordinates and ISTAT code from the gazetteer when missing; catch far-off points."""
    comune_name = fields.get("comune")
    comune = gazetteer.find(fields.get("istat_code") or comune_name or "")
    if comune is None and comune_name:
        comune = gazetteer.find(comune_name)
    if fields.get("kind") == ServiceKind.BABYSITTER and comune is not None:
        latitude = longitude = None  # a person's home is never published: the comune's centre
    if (latitude is None) != (longitude is None):
        return [
            RowProblem(
                file,
                line,
                "lat" if latitude is None else "lon",
                "servono sia la latitudine sia la longitudine",
            )
        ]
    if latitude is None or longitude is None:
        if comune is None:
            hint = gazetteer.suggestions(comune_name or "")
            tip = f" (forse {' o '.join(hint)}?)" if hint else ""
            return [
                RowProblem(
                    file,
                    line,
                    "comune",
                    f"comune sconosciuto «{comune_name}»{tip}: "
                    "aggiungi lat e lon o correggi il nome",
                )
            ]
        fields |= {
            "latitude": comune.latitude,
            "longitude": comune.longitude,
            "geocode_precision": GeocodePrecision.COMUNE,
        }
    else:
        fields |= {"latitude": latitude, "longitude": longitude}
        if comune is not None:
            km = geodesic((latitude, longitude), (comune.latitude, comune.longitude)).km
            if km > MAX_KM_FROM_COMUNE:
                return [
                    RowProblem(
                        file,
                        line,
                        "lat/lon",
                        f"coordinate {latitude}, {longitude} a "
                        f"{km:.0f} km da {comune.name}: controlla lat e lon",
                    )
                ]
    if comune is not None:
        fields["comune"] = comune.name
        fields["istat_code"] = fields.get("istat_code") or comune.istat_code
        fields["cap"] = fields.get("cap") or comune.cap
    return []
