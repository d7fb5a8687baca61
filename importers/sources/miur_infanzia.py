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
from typing import Any

from core.i18n import Text, _, as_text
from core.kinds import Sector, ServiceKind
from core.places.gazetteer import Gazetteer
from core.places.names import place_key
from importers.locate import Located, LocateError, locate
from importers.normalise.contacts import street_address
from importers.normalise.values import CellError, coordinate_or_none, display_case, text_or_none
from importers.pipeline import SourceRow, finished_row
from importers.readers import ProgressCallback, RawRow, read_csv_rows
from importers.records import build_record
from importers.report import RowProblem

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
            yield self.parse_row(raw, path.name, gazetteer)

    def parse_row(self, raw: RawRow, file: str, gazetteer: Gazetteer) -> SourceRow:
        cells = raw.values
        code = (cells.get("codice_scuola") or "").upper()
        if not (STATE_SCHOOL.match(code) or PARITARIA_SCHOOL.match(code)):
            return _rejected(
                raw,
                file,
                "codice_scuola",
                _(
                    "codice «{code}» non è un codice di "
                    "scuola dell'infanzia MIUR (atteso PPAA… statale o PP1A… paritaria)",
                    code=code,
                ),
            )
        try:
            located = _locate(cells, code, gazetteer)
        except LocateError as error:
            problem = RowProblem(file, raw.line, error.field, error)
            return SourceRow(raw.line, None, [problem], key=code)
        record = build_record(
            _school_fields(self.name, code, cells, located),
            file=file,
            line=raw.line,
            column_names=COLUMN_OF_FIELD,
        )
        flag = RowProblem(file, raw.line, "lat/lon", located.flag) if located.flag else None
        return finished_row(raw.line, record, code, flag)


def _locate(cells: dict[str, str], code: str, gazetteer: Gazetteer) -> Located:
    """The school's point; codes start with the province's sigla, which tells homonymous
    comuni apart. Without the comune in the gazetteer, a point outside Lombardy is rejected."""
    comune_name = display_case(text_or_none(cells.get("city")) or "")
    province = code[:2]
    try:
        latitude = coordinate_or_none(cells.get("lat"))
        longitude = coordinate_or_none(cells.get("lon"))
    except CellError as error:
        raise LocateError("lat/lon", as_text(error)) from error
    known = gazetteer.find(comune_name, province) is not None
    if (
        latitude is not None
        and longitude is not None
        and not known
        and not _in_lombardy(latitude, longitude)
    ):
        raise LocateError(
            "lat/lon",
            _(
                "coordinate {latitude}, {longitude} fuori dalla "
                "Lombardia per {comune}: geocodifica errata",
                latitude=latitude,
                longitude=longitude,
                comune=comune_name,
            ),
        )
    return locate(
        gazetteer,
        comune_name=comune_name,
        province=province,
        latitude=latitude,
        longitude=longitude,
    )


def _school_fields(
    source: str, code: str, cells: dict[str, str], located: Located
) -> dict[str, Any]:
    state = bool(STATE_SCHOOL.match(code))
    address = street_address(text_or_none(cells.get("address")) or "")
    comune = (
        located.comune.name
        if located.comune
        else display_case(text_or_none(cells.get("city")) or "")
    )
    name = display_case(text_or_none(cells.get("name")) or "")
    kind_text = "Scuola dell'infanzia statale" if state else "Scuola dell'infanzia paritaria"
    return {
        "source": source,
        "external_id": code,
        "merge_key": f"miur:{code}",
        "kind": ServiceKind.SCUOLA_INFANZIA,
        "name": name
        if name and place_key(name) != place_key(comune)
        else f"Scuola dell'infanzia di {comune}",
        "organization_name": "Ministero dell'Istruzione e del Merito"
        if state
        else "Ente gestore della scuola paritaria (non indicato dalla fonte)",
        "organization_kind": "stato" if state else "",
        "sector": Sector.PUBBLICO if state else None,
        "description": f"{kind_text} (codice MIUR {code}). Orari, posti e costi da verificare "
        "con la scuola.",
        "age_min_months": 36,
        "age_max_months": 72,
        "address": display_case(address) if address else None,
        "comune": comune,
        "istat_code": located.comune.istat_code if located.comune else None,
        "cap": located.cap,
        "latitude": located.latitude,
        "longitude": located.longitude,
        "geocode_precision": located.precision,
        "geocode_source": located.source,
    }


def _in_lombardy(latitude: float, longitude: float) -> bool:
    return (
        LOMBARDY_LATITUDE[0] <= latitude <= LOMBARDY_LATITUDE[1]
        and LOMBARDY_LONGITUDE[0] <= longitude <= LOMBARDY_LONGITUDE[1]
    )


def _rejected(raw: RawRow, file: str, field: str, message: Text) -> SourceRow:
    return SourceRow(raw.line, None, [RowProblem(file, raw.line, field, message)])
