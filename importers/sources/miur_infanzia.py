"""MIUR scuole dell'infanzia of Lombardy, geocoded (shared/data/miur_infanzia_lombardia_geocoded).

Columns: provincia_file, codice_scuola, lon, lat, address, city, name. Codes `PPAA…` are
state schools, `PP1A…` paritarie. No hours, ages or contacts: ages are the legal 3–6 years,
hours stay unknown ("orari da verificare") and the school is kept out of hour-based matches.
Points outside Lombardy are wrong geocodes and are rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from importers.gazetteer.lookup import Gazetteer
from importers.normalise.values import (
    CellError,
    coordinate_or_none,
    display_case,
    split_glued_house_number,
    text_or_none,
)
from importers.pipeline import SourceRow
from importers.readers import ProgressCallback, RawRow, read_csv_rows
from importers.records import build_record
from importers.report import RowProblem
from service.kinds import GeocodePrecision, Sector, ServiceKind

REQUIRED_COLUMNS = ("codice_scuola", "lon", "lat", "address", "city", "name")
COLUMN_OF_FIELD = {
    "external_id": "codice_scuola",
    "name": "name",
    "address": "address",
    "comune": "city",
    "latitude": "lat",
    "longitude": "lon",
}
LOMBARDY_LATITUDE = (44.67, 46.64)
LOMBARDY_LONGITUDE = (8.49, 11.43)
STATE_SCHOOL = re.compile(r"^[A-Z]{2}AA[A-Z0-9]{6}$")
PARITARIA_SCHOOL = re.compile(r"^[A-Z]{2}1A[A-Z0-9]{6}$")


@dataclass(frozen=True)
class MiurInfanziaSource:
    name: str = "miur-infanzia-geocoded"

    def rows(
        self, path: Path, gazetteer: Gazetteer, on_progress: ProgressCallback | None = None
    ) -> Iterator[SourceRow]:
        for raw in read_csv_rows(path, REQUIRED_COLUMNS, on_progress):
            yield self.parse_row(raw, path.name)

    def parse_row(self, raw: RawRow, file: str) -> SourceRow:
        cells = raw.values
        code = (cells.get("codice_scuola") or "").upper()
        if STATE_SCHOOL.match(code):
            state = True
        elif PARITARIA_SCHOOL.match(code):
            state = False
        else:
            return _rejected(
                raw,
                file,
                "codice_scuola",
                f"codice «{code}» non è un codice di scuola dell'infanzia MIUR "
                "(atteso PPAA… statale o PP1A… paritaria)",
            )
        try:
            latitude = coordinate_or_none(cells.get("lat"))
            longitude = coordinate_or_none(cells.get("lon"))
        except CellError as error:
            return _rejected(raw, file, "lat/lon", str(error))
        if latitude is None or longitude is None:
            return _rejected(raw, file, "lat/lon", "coordinate mancanti")
        if not _in_lombardy(latitude, longitude):
            return _rejected(
                raw,
                file,
                "lat/lon",
                f"coordinate {latitude}, {longitude} fuori dalla Lombardia per "
                f"{display_case(cells.get('city', ''))}: geocodifica errata",
            )
        address = text_or_none(cells.get("address"))
        comune = display_case(text_or_none(cells.get("city")) or "")
        name = display_case(text_or_none(cells.get("name")) or "")
        record = build_record(
            {
                "source": self.name,
                "external_id": code,
                "kind": ServiceKind.SCUOLA_INFANZIA,
                "name": name if name and name != comune else f"Scuola dell'infanzia di {comune}",
                "organization_name": "Ministero dell'Istruzione e del Merito"
                if state
                else "Ente gestore della scuola paritaria (non indicato dalla fonte)",
                "organization_kind": "stato" if state else "",
                "sector": Sector.PUBBLICO if state else None,
                "description": (
                    "Scuola dell'infanzia statale" if state else "Scuola dell'infanzia paritaria"
                )
                + f" (codice MIUR {code}). Orari, posti e costi da verificare con la scuola.",
                "age_min_months": 36,
                "age_max_months": 72,
                "address": display_case(split_glued_house_number(address)) if address else None,
                "comune": comune,
                "latitude": latitude,
                "longitude": longitude,
                "geocode_precision": GeocodePrecision.ADDRESS,
            },
            file=file,
            line=raw.line,
            column_names=COLUMN_OF_FIELD,
        )
        if isinstance(record, list):
            return SourceRow(raw.line, None, record)
        return SourceRow(raw.line, record)


def _in_lombardy(latitude: float, longitude: float) -> bool:
    return (
        LOMBARDY_LATITUDE[0] <= latitude <= LOMBARDY_LATITUDE[1]
        and LOMBARDY_LONGITUDE[0] <= longitude <= LOMBARDY_LONGITUDE[1]
    )


def _rejected(raw: RawRow, file: str, field: str, message: str) -> SourceRow:
    return SourceRow(raw.line, None, [RowProblem(file, raw.line, field, message)])
