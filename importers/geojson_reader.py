"""Read point features from a GeoJSON FeatureCollection, or from an iXmaps "Map" JSON that
wraps FeatureCollections in layers (coordinates may be strings, or carry an altitude)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.i18n import _
from importers.readers import SourceFileError


@dataclass(frozen=True)
class PointFeature:
    #: 1-based position of the feature in the file, used as its "line" in reports
    number: int
    properties: dict[str, Any]
    longitude: float | None
    latitude: float | None


def read_point_features(path: Path) -> Iterator[PointFeature]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SourceFileError(
            _("{file}: non è un GeoJSON leggibile ({reason})", file=path.name, reason=str(error))
        ) from error
    for number, feature in enumerate(_features(data, path), start=1):
        if not isinstance(feature, dict):
            continue
        properties = feature.get("properties") or {}
        longitude, latitude = _point(feature.get("geometry"))
        yield PointFeature(number, dict(properties), longitude, latitude)


def _features(data: Any, path: Path) -> list[Any]:
    """A FeatureCollection, or an iXmaps "Map" whose layers are FeatureCollections."""
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return list(data.get("features") or [])
    if isinstance(data, dict) and data.get("type") == "Map":
        return [
            feature
            for layer in data.get("layers") or []
            if isinstance(layer, dict)
            for feature in layer.get("features") or []
        ]
    raise SourceFileError(
        _("{file}: atteso un GeoJSON FeatureCollection (o una mappa iXmaps)", file=path.name)
    )


def _point(geometry: Any) -> tuple[float | None, float | None]:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None, None
    coordinates = geometry.get("coordinates") or []
    try:
        return float(coordinates[0]), float(coordinates[1])
    except (IndexError, TypeError, ValueError):
        return None, None
