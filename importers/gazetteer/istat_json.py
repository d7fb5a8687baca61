"""comuni_istat_2018_json format: italy_geo.json (point), with italy_cities.json (province,
cadastral code, region, residents) and italy_cap.json (a CAP or a range "20121-20162") read
from the same folder when present. ISTAT codes come without leading zeros."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.i18n import _
from importers.gazetteer.entries import GazetteerEntry, PostalZone, in_italy
from importers.readers import SourceFileError
from importers.report import RowProblem

GEO_FILE, CITIES_FILE, CAP_FILE = "italy_geo.json", "italy_cities.json", "italy_cap.json"
MAX_CAP_RANGE = 200


def read_istat_json(path: Path) -> Iterator[tuple[int, GazetteerEntry | RowProblem]]:
    folder = path if path.is_dir() else path.parent
    geo = _records(folder / GEO_FILE)
    cities = _by_code(folder / CITIES_FILE)
    caps = _by_code(folder / CAP_FILE)
    for position, item in enumerate(geo, start=1):
        code = str(item.get("istat", "")).strip()
        if not code:
            continue  # the files end with a junk {"istat": ""}
        if not code.isdigit() or len(code) > 6:
            yield (
                1,
                RowProblem(
                    GEO_FILE, position, "istat", _("codice ISTAT non valido «{code}»", code=code)
                ),
            )
            continue
        yield 1, _entry(item, code.zfill(6), cities.get(code, {}), caps.get(code, {}), position)


def _entry(
    item: dict[str, Any], code: str, city: dict[str, Any], cap: dict[str, Any], position: int
) -> GazetteerEntry | RowProblem:
    try:
        latitude, longitude = float(item["lat"]), float(item["lng"])
    except (KeyError, TypeError, ValueError):
        return RowProblem(
            GEO_FILE, position, "lat/lng", _("coordinate non valide per {code}", code=code)
        )
    if not in_italy(latitude, longitude):
        return RowProblem(
            GEO_FILE,
            position,
            "lat/lng",
            _(
                "coordinate {latitude}, {longitude} fuori dall'Italia per {code}",
                latitude=latitude,
                longitude=longitude,
                code=code,
            ),
        )
    residents = str(city.get("num_residenti", "")).strip()
    zones = [PostalZone(value) for value in expand_cap(str(cap.get("cap", "")))]
    return GazetteerEntry(
        istat_code=code,
        name=str(item.get("comune", code)).strip(),
        latitude=latitude,
        longitude=longitude,
        province=str(city.get("provincia", "")).upper()[:2],
        cadastral_code=str(city.get("cod_fisco", "")).upper() or None,
        region=str(city.get("regione", "")) or None,
        population=int(residents) if residents.isdigit() else None,
        cap=zones[0].cap if zones else None,
        postal_zones=zones,
    )


def expand_cap(value: str) -> list[str]:
    """«20121-20162» → every CAP of the range; «26100» → itself; anything else → none."""
    low, _dash, high = value.strip().partition("-")
    if not low.isdigit() or len(low) != 5:
        return []
    if not high:
        return [low]
    if not high.isdigit() or len(high) != 5 or not 0 <= int(high) - int(low) <= MAX_CAP_RANGE:
        return [low]
    return [f"{number:05d}" for number in range(int(low), int(high) + 1)]


def _records(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise SourceFileError(
            _("{file}: file non trovato in {folder}", file=path.name, folder=str(path.parent))
        ) from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceFileError(
            _("{file}: JSON non valido ({reason})", file=path.name, reason=str(error))
        ) from error
    if not isinstance(data, list):
        raise SourceFileError(_("{file}: atteso un elenco JSON di comuni", file=path.name))
    return [item for item in data if isinstance(item, dict)]


def _by_code(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    return {str(item.get("istat", "")).strip(): item for item in _records(path)}
