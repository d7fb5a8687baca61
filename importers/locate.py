"""Decide where a listing is: its own coordinates when they fit its comune, else the best
fallback the gazetteer knows (the CAP zone, then the comune's centre), saying what was done.

A point farther than MAX_KM_FROM_COMUNE from its comune's centre is a wrong geocode (the MIUR
file places a school of Giussano in Basilicata): it is replaced and the row is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from geopy.distance import geodesic

from importers.gazetteer.entries import in_italy
from importers.gazetteer.lookup import Gazetteer
from service.kinds import GeocodePrecision
from service.models import Comune

#: wider than the largest Lombard comune, far narrower than any wrong geocode seen
MAX_KM_FROM_COMUNE = 15.0


class LocateError(ValueError):
    """No usable point: `field` is "comune" or "lat/lon"."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Located:
    latitude: float
    longitude: float
    precision: GeocodePrecision
    source: str
    comune: Comune | None
    cap: str | None
    #: what was done to the source's point, for the import report
    flag: str | None = None

    def point_fields(self) -> dict[str, object]:
        """The record fields this placement decides."""
        return {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geocode_precision": self.precision,
            "geocode_source": self.source,
            "istat_code": self.comune.istat_code if self.comune else None,
        }


def locate(
    gazetteer: Gazetteer,
    *,
    comune_name: str,
    province: str | None = None,
    cap: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    precision: GeocodePrecision = GeocodePrecision.ADDRESS,
    address: str | None = None,
) -> Located:
    comune = gazetteer.find(comune_name, province) if comune_name else None
    if (latitude is None) != (longitude is None):
        raise LocateError("lat/lon", "servono sia la latitudine sia la longitudine")
    if latitude is None or longitude is None:
        if comune is None:
            raise LocateError("comune", _unknown(gazetteer, comune_name))
        return _online(gazetteer, comune, cap, address) or _fallback(gazetteer, comune, cap, None)
    if comune is None:
        if not in_italy(latitude, longitude):
            raise LocateError("lat/lon", f"coordinate {latitude}, {longitude} fuori dall'Italia")
        flag = (
            None
            if gazetteer.is_empty()
            else (f"comune «{comune_name}» non presente nel gazetteer: coordinate non verificate")
        )
        return Located(latitude, longitude, precision, "fonte", None, cap, flag)
    if not in_italy(latitude, longitude):
        return _fallback(
            gazetteer,
            comune,
            cap,
            flag=(f"coordinate {latitude}, {longitude} fuori dall'Italia: sostituite con "),
        )
    km = geodesic((latitude, longitude), (comune.latitude, comune.longitude)).km
    if km > MAX_KM_FROM_COMUNE:
        return _fallback(
            gazetteer,
            comune,
            cap,
            flag=(
                f"coordinate {latitude}, {longitude} a {km:.0f} km da {comune.name}: "
                "sostituite con "
            ),
        )
    return Located(latitude, longitude, precision, "fonte", comune, cap or comune.cap)


def _online(
    gazetteer: Gazetteer, comune: Comune, cap: str | None, address: str | None
) -> Located | None:
    """The address through the online geocoder, when there is one and it answers with a
    point inside the comune's reach."""
    if gazetteer.online is None or not address:
        return None
    found = gazetteer.online.point(address, comune.name, cap)
    if found is None:
        return None
    km = geodesic((found.latitude, found.longitude), (comune.latitude, comune.longitude)).km
    if km > MAX_KM_FROM_COMUNE:
        return None
    return Located(
        found.latitude,
        found.longitude,
        GeocodePrecision.ADDRESS,
        gazetteer.online.provider,
        comune,
        cap or comune.cap,
    )


def _fallback(gazetteer: Gazetteer, comune: Comune, cap: str | None, flag: str | None) -> Located:
    zone = gazetteer.postal_zone(cap, comune.istat_code) if cap else None
    if zone is not None and zone.latitude is not None and zone.longitude is not None:
        where = f"il centro del CAP {cap}"
        return Located(
            zone.latitude,
            zone.longitude,
            GeocodePrecision.CAP,
            "gazetteer",
            comune,
            cap,
            flag + where if flag else None,
        )
    where = f"il centro di {comune.name}"
    return Located(
        comune.latitude,
        comune.longitude,
        GeocodePrecision.COMUNE,
        "gazetteer",
        comune,
        cap or comune.cap,
        flag + where if flag else None,
    )


def _unknown(gazetteer: Gazetteer, comune_name: str) -> str:
    hint = gazetteer.suggestions(comune_name) if comune_name else []
    tip = f" (forse {' o '.join(hint)}?)" if hint else ""
    return (
        f"comune sconosciuto «{comune_name}»{tip}: aggiungi lat e lon o correggi il nome"
        if comune_name
        else "comune mancante"
    )
