"""MIUR register of state schools (miur_anagrafe_scuole_statali_…csv).

Its scuole dell'infanzia become services, merged by school code with the same school from
the geocoded MIUR file (two provenances, one service). The register has no coordinates: a
school found only here is placed at its CAP zone or its comune's centre. Other grades are
skipped here (primary schools are host sites for pre/post-scuola: a later step).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.i18n import _
from core.kinds import Sector, ServiceKind
from core.places.gazetteer import Gazetteer
from importers.locate import LocateError, locate
from importers.normalise.contacts import street_address
from importers.normalise.values import display_case, first_email, text_or_none, website_url
from importers.pipeline import SourceRow
from importers.readers import ProgressCallback, RawRow, read_csv_rows
from importers.records import build_record
from importers.report import RowProblem

REQUIRED_COLUMNS = (
    "codicescuola",
    "denominazionescuola",
    "indirizzoscuola",
    "capscuola",
    "codicecomunescuola",
    "descrizionecomune",
    "descrizionetipologiagradoistruzionescuola",
)
INFANZIA = "SCUOLA INFANZIA"
COLUMN_OF_FIELD = {
    "external_id": "codicescuola",
    "name": "denominazionescuola",
    "address": "indirizzoscuola",
    "cap": "capscuola",
    "comune": "descrizionecomune",
    "email": "indirizzoemailscuola",
    "website": "sitowebscuola",
}


@dataclass(frozen=True)
class MiurRegisterSource:
    name: str = "miur-anagrafe-statali"

    def rows(
        self, path: Path, gazetteer: Gazetteer, on_progress: ProgressCallback | None = None
    ) -> Iterator[SourceRow]:
        for raw in read_csv_rows(path, REQUIRED_COLUMNS, on_progress):
            yield self.parse_row(raw, path.name, gazetteer)

    def parse_row(self, raw: RawRow, file: str, gazetteer: Gazetteer) -> SourceRow:
        cells = raw.values
        code = (text_or_none(cells.get("codicescuola")) or "").upper()
        grade = text_or_none(cells.get("descrizionetipologiagradoistruzionescuola")) or ""
        if grade.upper() != INFANZIA:
            return SourceRow(raw.line, None, key=code)  # another grade: not a service here
        comune = gazetteer.find_cadastral(cells.get("codicecomunescuola") or "")
        comune_name = comune.name if comune else display_case(cells.get("descrizionecomune", ""))
        cap = text_or_none(cells.get("capscuola"))
        flags = []
        if cap and not re.fullmatch(r"\d{5}", cap):
            flags.append(
                RowProblem(
                    file, raw.line, "capscuola", _("CAP non valido «{cap}»: ignorato", cap=cap)
                )
            )
            cap = None
        try:
            located = locate(
                gazetteer,
                comune_name=comune.istat_code if comune else comune_name,
                province=None if comune else code[:2],
                cap=cap,
                address=text_or_none(cells.get("indirizzoscuola")),
            )
        except LocateError as error:
            return SourceRow(
                raw.line,
                None,
                [RowProblem(file, raw.line, "descrizionecomune", error)],
                key=code,
            )
        record = build_record(
            _fields(self.name, code, cells, comune_name, located.comune, located),
            file=file,
            line=raw.line,
            column_names=COLUMN_OF_FIELD,
        )
        if isinstance(record, list):
            return SourceRow(raw.line, None, record, key=code)
        return SourceRow(raw.line, record, flags=flags, key=code)


def _fields(
    source: str, code: str, cells: dict[str, str], comune_name: str, comune: Any, located: Any
) -> dict[str, Any]:
    address = street_address(text_or_none(cells.get("indirizzoscuola")) or "")
    institute = display_case(text_or_none(cells.get("denominazioneistitutoriferimento")) or "")
    return {
        "source": source,
        "external_id": code,
        "merge_key": f"miur:{code}",
        "kind": ServiceKind.SCUOLA_INFANZIA,
        "name": display_case(text_or_none(cells.get("denominazionescuola")) or code),
        "organization_name": institute or "Ministero dell'Istruzione e del Merito",
        "organization_kind": "istituto_scolastico" if institute else "stato",
        "sector": Sector.PUBBLICO,
        "description": f"Scuola dell'infanzia statale (codice MIUR {code})"
        + (f", dell'istituto {institute}" if institute else "")
        + ". Orari, posti e costi da verificare con la scuola.",
        "age_min_months": 36,
        "age_max_months": 72,
        "address": display_case(address) if address else None,
        "cap": located.cap,
        "comune": comune_name,
        "istat_code": comune.istat_code if comune else None,
        "email": first_email(cells.get("indirizzoemailscuola")),
        "website": website_url(cells.get("sitowebscuola")),
        "latitude": located.latitude,
        "longitude": located.longitude,
        "geocode_precision": located.precision,
        "geocode_source": located.source,
    }
