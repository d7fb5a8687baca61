"""How far a service is from the family: geodesic on the WGS84 ellipsoid (geographiclib, the
library geopy's `geodesic` runs on) from the nearer of home and work.

A geodesic costs ~40 µs; a candidate list holds hundreds. So each candidate is first
screened with the spherical (haversine) distance — what Meilisearch's `_geoRadius` uses, at
most ~0.5 % from the geodesic — and the geodesic is measured only for candidates that pass
every other rule, and only to the places that can be the nearer one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geographiclib.geodesic import Geodesic

from search.matching.need import FamilyPlace

EARTH_MEAN_RADIUS_KM = 6371.0088
#: the sphere and the ellipsoid differ by less than this share of the distance
SPHERE_ERROR = 0.006
_WGS84 = Geodesic.WGS84


@dataclass(frozen=True)
class Distance:
    km: float
    #: the family's place it is measured from (the nearest of home and work)
    place: FamilyPlace
    #: a babysitter who works in the comune of that place: distance does not count
    in_service_area: bool = False


def spherical_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on the mean-radius sphere."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_MEAN_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def geodesic_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(_WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]) / 1000


def _point(document: Mapping[str, Any]) -> tuple[float, float]:
    return float(document["_geo"]["lat"]), float(document["_geo"]["lng"])


def in_service_area(document: Mapping[str, Any], places: Sequence[FamilyPlace]) -> Distance | None:
    """A babysitter whose comuni served include the comune of one of the places is "there"."""
    area = document.get("service_area")
    if not area:
        return None
    for place in places:
        if place.istat_code is not None and place.istat_code in area:
            return Distance(0.0, place, in_service_area=True)
    return None


def may_be_within(document: Mapping[str, Any], places: Sequence[FamilyPlace], km: float) -> bool:
    """Cheap screen: False only when the service is surely beyond `km` of every place."""
    if in_service_area(document, places) is not None:
        return True
    lat, lon = _point(document)
    limit = km * (1 + SPHERE_ERROR)
    return any(spherical_km(p.latitude, p.longitude, lat, lon) <= limit for p in places)


def nearest(document: Mapping[str, Any], places: Sequence[FamilyPlace]) -> Distance:
    """The geodesic distance from the nearer place (measured only to the places whose
    spherical distance leaves them a chance of being the nearer)."""
    served = in_service_area(document, places)
    if served is not None:
        return served
    lat, lon = _point(document)
    rough = [spherical_km(p.latitude, p.longitude, lat, lon) for p in places]
    closest = min(rough)
    contenders = [
        place
        for place, km in zip(places, rough, strict=True)
        if km <= closest * (1 + 2 * SPHERE_ERROR) + 1e-9
    ]
    return min(
        (Distance(geodesic_km(p.latitude, p.longitude, lat, lon), p) for p in contenders),
        key=lambda distance: distance.km,
    )
