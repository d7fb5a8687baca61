"""Decide where a listing is: its own coordinates when they fit its comune, else the best
fallback the gazetteer knows (the CAP zone, then the comune's centre), saying what was done.

A point farther than MAX_KM_FROM_COMUNE from its comune's centre is a wrong geocode (the MIUR
file places a school of Giussano in Basilicata): it is replaced and the row is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from geopy.distance import geodesic

from core.i18n import Text, _, as_text
from core.kinds import GeocodePrecision
from core.models import Comune
from core.places.gazetteer import Gazetteer, alternatives
from importers.gazetteer.entries import in_italy

#: wider than the largest Lombard comune, far narrower than any wrong geocode seen
MAX_KM_FROM_COMUNE = 15.0


class LocateError(ValueError):
    """No usable point: `field` is "comune" or "lat/lon". The message (a `Text`, so it can be
    reported in any language) is the error's only argument: `as_text(error)` finds it."""

    def __init__(self, field: str, message: Text | str) -> None:
        super().__init__(message)
        self.field = field

    @property
    def text(self) -> Text:
        return as_text(self)


@dataclass(frozen=True)
class Located:
    latitude: float
    longitude: float
    precision: GeocodePrecision
    source: str
    comune: Comune | None
    cap: str | None
    #: what was done to the source's point, for the import report
    flag: Text | None = None

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
        raise LocateError("lat/lon", _("servono sia la latitudine sia la longitudine"))
    if latitude is None or longitude is None:
        if comune is None:
            raise LocateError("comune", _unknown(gazetteer, comune_name))
        return _online(gazetteer, comune, cap, address) or _fallback(gazetteer, comune, cap, None)
    if comune is None:
        if not in_italy(latitude, longitude):
            raise LocateError("lat/lon", _outside_italy(latitude, longitude))
        flag = (
            None
            if gazetteer.is_empty()
            else _(
                "comune «{comune}» non presente nel gazetteer: coordinate non verificate",
                comune=comune_name,
            )
        )
        return Located(latitude, longitude, precision, "fonte", None, cap, flag)
    if not in_italy(latitude, longitude):
        return _fallback(gazetteer, comune, cap, problem=_outside_italy(latitude, longitude))
    km = geodesic((latitude, longitude), (comune.latitude, comune.longitude)).km
    if km > MAX_KM_FROM_COMUNE:
        return _fallback(
            gazetteer,
            comune,
            cap,
            problem=_(
                "coordinate {latitude}, {longitude} a {km} km da {comune}",
                latitude=latitude,
                longitude=longitude,
                km=f"{km:.0f}",
                comune=comune.name,
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


def _fallback(
    gazetteer: Gazetteer, comune: Comune, cap: str | None, problem: Text | None
) -> Located:
    """The CAP zone's point, else the comune's centre; with `problem` (what was wrong with
    the source's point) the result is flagged as a replacement."""
    zone = gazetteer.postal_zone(cap, comune.istat_code) if cap else None
    if zone is not None and zone.latitude is not None and zone.longitude is not None:
        return Located(
            zone.latitude,
            zone.longitude,
            GeocodePrecision.CAP,
            "gazetteer",
            comune,
            cap,
            _replaced(problem, _("il centro del CAP {cap}", cap=cap)),
        )
    return Located(
        comune.latitude,
        comune.longitude,
        GeocodePrecision.COMUNE,
        "gazetteer",
        comune,
        cap or comune.cap,
        _replaced(problem, _("il centro di {comune}", comune=comune.name)),
    )


def _replaced(problem: Text | None, replacement: Text) -> Text | None:
    if problem is None:
        return None
    return _("{problem}: sostituite con {replacement}", problem=problem, replacement=replacement)


def _outside_italy(latitude: float, longitude: float) -> Text:
    return _(
        "coordinate {latitude}, {longitude} fuori dall'Italia",
        latitude=latitude,
        longitude=longitude,
    )


def _unknown(gazetteer: Gazetteer, comune_name: str) -> Text:
    if not comune_name:
        return _("comune mancante")
    hint = gazetteer.suggestions(comune_name)
    if hint:
        return _(
            "comune sconosciuto «{comune}» (forse {suggestions}?): aggiungi lat e lon o "
            "correggi il nome",
            comune=comune_name,
            suggestions=alternatives(hint),
        )
    return _(
        "comune sconosciuto «{comune}»: aggiungi lat e lon o correggi il nome",
        comune=comune_name,
    )
