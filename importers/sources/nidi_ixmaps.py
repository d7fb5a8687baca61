"""Nidi published as an iXmaps "Map" JSON (the Comune di San Benedetto del Tronto's EasyNido):
name with HTML entities, an HTML table repeating address, CAP and comune, and the operator
type only in free text ("comunale", "convenzionato", "Sezione primavera c/o …").

E-mail addresses are left out: the file gives a named official's personal address.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.kinds import Sector, ServiceKind
from core.places.gazetteer import Gazetteer
from core.places.names import place_key
from importers.geojson_reader import PointFeature, read_point_features
from importers.locate import LocateError, locate
from importers.normalise.values import text_or_none
from importers.pipeline import SourceRow, finished_row
from importers.readers import ProgressCallback
from importers.records import build_record
from importers.report import RowProblem

TABLE_CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S | re.I)
SECTOR_WORDS = (("convenzionat", Sector.PRIVATO_ACCREDITATO), ("comunale", Sector.PUBBLICO))


@dataclass(frozen=True)
class IxmapsNidiSource:
    name: str = "ixmaps-nidi"

    def rows(
        self, path: Path, gazetteer: Gazetteer, on_progress: ProgressCallback | None = None
    ) -> Iterator[SourceRow]:
        for feature in read_point_features(path):
            yield self.parse_feature(feature, path.name, gazetteer)

    def parse_feature(self, feature: PointFeature, file: str, gazetteer: Gazetteer) -> SourceRow:
        properties = feature.properties
        data = properties.get("data") or {}
        comment = html.unescape(str(data.get("COMMENTO") or ""))
        name = _complete_name(html.unescape(str(properties.get("name") or "")), comment)
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in TABLE_CELL.findall(str(properties.get("description") or ""))
        ]
        cap = next((cell for cell in cells if re.fullmatch(r"\d{5}", cell)), None)
        comune = cells[cells.index(cap) + 1] if cap and cells.index(cap) + 1 < len(cells) else ""
        key = place_key(name).replace(" ", "-")
        try:
            located = locate(
                gazetteer,
                comune_name=comune,
                cap=cap,
                latitude=feature.latitude,
                longitude=feature.longitude,
            )
        except LocateError as error:
            return SourceRow(
                feature.number,
                None,
                [RowProblem(file, feature.number, error.field, error)],
                key=key,
            )
        comune_name = located.comune.name if located.comune else comune
        primavera = "primavera" in f"{name} {comment}".lower()
        sector = next(
            (value for word, value in SECTOR_WORDS if word in f"{name} {comment}".lower()), None
        )
        record = build_record(
            {
                "source": self.name,
                "external_id": key,
                "name": name,
                "kind": ServiceKind.SEZIONE_PRIMAVERA if primavera else ServiceKind.NIDO,
                "organization_name": f"Comune di {comune_name}"
                if sector is Sector.PUBBLICO
                else "Gestore non indicato dalla fonte",
                "organization_kind": "comune" if sector is Sector.PUBBLICO else "",
                "sector": sector,
                "description": f"{comment[:1].upper()}{comment[1:]}. Orari, posti e costi da "
                "verificare con il comune (dati 2012).",
                "age_min_months": 24 if primavera else 3,
                "age_max_months": 36,
                "address": text_or_none(str(data.get("INDIRIZZO") or "")),
                "cap": cap,
                "phone": text_or_none(str(data.get("TELEFONO") or "")),
                "comune": comune_name,
            }
            | located.point_fields(),
            file=file,
            line=feature.number,
        )
        flag = RowProblem(file, feature.number, "lat/lon", located.flag) if located.flag else None
        return finished_row(feature.number, record, key, flag)


def _complete_name(name: str, comment: str) -> str:
    """The file cuts one name mid-quote («…dell'infanzia "A.March»); the comment has it whole."""
    if name.count('"') % 2 == 0:
        return name
    fragment = name.rsplit('"', 1)[1]
    whole = re.search(rf'"{re.escape(fragment)}[^"]*"', comment)
    return name[: -len(fragment) - 1] + whole.group(0) if whole else name + '"'
