"""Regione Lombardia point layers (lombardia_luoghi_sensibili_2016), two sources:

- `LombardiaSummerCentresSource` (luoghi_giovani_crd_aggregazione.geojson): the Centri
  Ricreativi Diurni (the Lombard municipal summer centres), centri estivi, summer camps and
  colonie become `centro_estivo`; youth-aggregation centres and plain schools are skipped.
- `LombardiaSocialDesksSource` (servizi_sociali_comunali.geojson): the comune social-service
  desks become `sportello`.

Neither layer has hours, dates, fees or explicit ages: nothing is invented. Without hours
a listing stays out of hour-based matches ("orari da verificare"); the host school's type in
a centre's name (materna, elementare, media) gives its age band, else ages stay unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.i18n import _
from core.kinds import ServiceKind
from core.places.gazetteer import Gazetteer
from core.places.names import place_key
from importers.geojson_reader import PointFeature, read_point_features
from importers.locate import LocateError, locate
from importers.normalise.values import display_case, first_email, text_or_none, website_url
from importers.pipeline import SourceRow, finished_row
from importers.readers import ProgressCallback
from importers.records import build_record
from importers.report import RowProblem

SUMMER_CENTRE = re.compile(
    r"\bC\.?\s?R\.?\s?D\.?|\bCENTRO RICREATIVO|\bCENTRO ESTIVO|\bSUMMER CAMP|\bCOLONIA", re.I
)
AGE_BANDS = (  # host school named in the centre's name → months
    (re.compile(r"\b(MATERNA|INFANZIA)\b", re.I), (36, 72)),
    (re.compile(r"\b(ELEMENTARE|ELEM\.|PRIMARIA)\b", re.I), (72, 132)),
    (re.compile(r"\bMEDIA\b", re.I), (132, 168)),
)
DESK_ADDRESS = re.compile(
    r"^(?P<street>.+?)(?:,\s*(?P<number>[^,]*\d[^,]*))?,\s*(?P<cap>\d{5})\s+(?P<comune>.+?)"
    r"(?:\s+(?P<province>[A-Z][A-Z0-9]))?,\s*Italy$"  # «C0»: a typo for CO in the file
)
SOURCE_NOTE = "Dati Regione Lombardia 2015-16"


@dataclass(frozen=True)
class LombardiaSummerCentresSource:
    name: str = "lombardia-centri-estivi-2016"

    def rows(
        self, path: Path, gazetteer: Gazetteer, on_progress: ProgressCallback | None = None
    ) -> Iterator[SourceRow]:
        for feature in read_point_features(path):
            name = text_or_none(str(feature.properties.get("markername") or "")) or ""
            key = _key(feature, name)
            if not SUMMER_CENTRE.search(name):
                yield SourceRow(feature.number, None, key=key)  # a youth centre, a school…
                continue
            street, comune = _split_address(str(feature.properties.get("address") or ""))
            ages = next((band for pattern, band in AGE_BANDS if pattern.search(name)), None)
            fields = {
                "kind": ServiceKind.CENTRO_ESTIVO,
                "name": display_case(name),
                "description": f"Centro estivo o ricreativo diurno ({SOURCE_NOTE}): date, "
                "orari, età e quote da verificare con il comune.",
                "age_min_months": ages[0] if ages else None,
                "age_max_months": ages[1] if ages else None,
                "address": display_case(street) if street else None,
            }
            yield _row(self.name, feature, key, fields, comune, path.name, gazetteer)


@dataclass(frozen=True)
class LombardiaSocialDesksSource:
    name: str = "lombardia-servizi-sociali-2016"

    def rows(
        self, path: Path, gazetteer: Gazetteer, on_progress: ProgressCallback | None = None
    ) -> Iterator[SourceRow]:
        for feature in read_point_features(path):
            properties = feature.properties
            name = text_or_none(str(properties.get("markername") or "")) or ""
            address = DESK_ADDRESS.match(str(properties.get("address") or "").strip())
            named = re.sub(r"^Comune di\s+", "", name)
            comune = address["comune"] if address else named
            if gazetteer.find(display_case(comune)) is None and gazetteer.find(named):
                comune = named  # «Ganna» is a frazione; the office is of Comune di Valganna
            street = address["street"] if address else None
            if address and address["number"]:
                street = f"{street} {address['number'].strip()}"
            fields = {
                "kind": ServiceKind.SPORTELLO,
                "name": f"Servizi sociali – {name}" if name.startswith("Comune") else name,
                "description": f"Ufficio dei servizi sociali del comune ({SOURCE_NOTE}): orari "
                "e servizi offerti da verificare.",
                "address": street,
                "cap": address["cap"] if address else None,
                "phone": " / ".join(_phones(str(properties.get("telefono") or ""))) or None,
                "email": first_email(str(properties.get("mail") or "")),
                "website": website_url(str(properties.get("sito") or "")),
            }
            row = _row(
                self.name,
                feature,
                _key(feature, f"{name} {comune}"),
                fields,
                comune,
                path.name,
                gazetteer,
            )
            if (
                row.record is not None
                and named != name
                and not _same_place(named, row.record.comune)
            ):  # the file calls Lezzeno's office «Comune di Brunate»
                row.flags.append(
                    RowProblem(
                        path.name,
                        feature.number,
                        "markername",
                        _(
                            "«{name}» ma l'indirizzo è a {comune}: verificare",
                            name=name,
                            comune=row.record.comune,
                        ),
                    )
                )
            yield row


def _row(
    source: str,
    feature: PointFeature,
    key: str,
    fields: dict[str, Any],
    comune: str,
    file: str,
    gazetteer: Gazetteer,
) -> SourceRow:
    latitude, longitude = _coordinates(feature)
    try:
        located = locate(
            gazetteer,
            comune_name=display_case(comune),
            cap=fields.get("cap"),
            latitude=latitude,
            longitude=longitude,
        )
    except LocateError as error:
        return SourceRow(
            feature.number,
            None,
            [RowProblem(file, feature.number, error.field, error)],
            key=key,
        )
    record = build_record(
        fields
        | {
            "source": source,
            "external_id": key,
            "organization_name": f"Comune di {located.comune.name}"
            if located.comune
            else "Gestore non indicato dalla fonte",
            "organization_kind": "comune" if located.comune else "",
            "comune": located.comune.name if located.comune else display_case(comune),
            "cap": fields.get("cap") or located.cap,
        }
        | located.point_fields(),
        file=file,
        line=feature.number,
    )
    flag = RowProblem(file, feature.number, "lat/lon", located.flag) if located.flag else None
    return finished_row(feature.number, record, key, flag)


def _key(feature: PointFeature, name: str) -> str:
    """The layer's ids collide (7457 three times), so the name is part of the key."""
    return f"{feature.properties.get('id', feature.number)}-{place_key(name).replace(' ', '-')}"


def _same_place(name: str, other: str) -> bool:
    """Abbreviated or merged names still match: «Caronno» / «Caronno Varesino»,
    «Portovaltravaglia» / «Porto Valtravaglia», «Montegrino V.» / «Montegrino Valtravaglia»."""
    short, long = sorted(
        (place_key(name).replace(" ", ""), place_key(other).replace(" ", "")), key=len
    )
    return short in long


def _coordinates(feature: PointFeature) -> tuple[float | None, float | None]:
    try:
        latitude = float(feature.properties["lat"])
        longitude = float(feature.properties["lon"])
    except (KeyError, TypeError, ValueError):
        return feature.latitude, feature.longitude
    return latitude, longitude


def _split_address(address: str) -> tuple[str | None, str]:
    """«VIA BOCCACCIO G.  312, SESTO SAN GIOVANNI» → («VIA BOCCACCIO G. 312», «SESTO SAN…»)."""
    street, _comma, comune = re.sub(r"\s+", " ", address).rpartition(",")
    return (street.strip() or None), comune.strip()


def _phones(text: str) -> list[str]:
    return [
        part.strip()
        for part in re.split(r"[,;]", text)
        if re.search(r"\d{5,}", part.replace("/", "").replace(".", "").replace(" ", ""))
    ]
