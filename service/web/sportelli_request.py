"""Read a "nearest Sportelli Famiglia-Lavoro" request from query parameters: a place (comune,
ISTAT code or address) or a point, a radius and how many. Nothing here trusts its input;
messages are the search form's, naming the field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from importers.geocode import Geocoder, Place, PlaceNotFound
from importers.records import ITALY_LATITUDE, ITALY_LONGITUDE
from search.sportelli import DEFAULT_LIMIT, DEFAULT_RADIUS_KM
from service.corrections import FieldProblem
from service.i18n import _, as_text
from service.kinds import GeocodePrecision

MAX_FIELD_LENGTH = 200
RADIUS_KM = (1.0, 100.0)
LIMIT = (1, 20)


@dataclass(frozen=True)
class SportelliRequest:
    """The values as typed."""

    place: str = ""
    lat: str = ""
    lon: str = ""
    radius_km: str = ""
    limit: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Sequence[str]]) -> SportelliRequest:
        def one(name: str) -> str:
            values = params.get(name) or [""]
            return str(values[0]).strip()[:MAX_FIELD_LENGTH]

        return cls(one("place"), one("lat"), one("lon"), one("radius_km"), one("limit"))


@dataclass(frozen=True)
class ParsedSportelliRequest:
    place: Place
    radius_km: float
    limit: int


def parse_sportelli_request(
    asked: SportelliRequest, geocoder: Geocoder
) -> ParsedSportelliRequest | list[FieldProblem]:
    problems: list[FieldProblem] = []
    radius = _number(asked.radius_km, "radius_km", *RADIUS_KM, problems)
    limit = _number(asked.limit, "limit", *LIMIT, problems)
    if limit is not None and not limit.is_integer():
        problems.append(FieldProblem("limit", _("«{value}» non è un numero", value=asked.limit)))
    place = _place(asked, geocoder, problems)
    if problems or place is None:
        return problems
    return ParsedSportelliRequest(
        place,
        radius if radius is not None else DEFAULT_RADIUS_KM,
        int(limit) if limit is not None else DEFAULT_LIMIT,
    )


def _number(
    text: str, name: str, low: float, high: float, problems: list[FieldProblem]
) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        problems.append(FieldProblem(name, _("«{value}» non è un numero", value=text)))
        return None
    if not low <= value <= high:  # NaN fails too
        message = _(
            "{text} non è ammesso: scegli un valore tra {low} e {high}",
            text=text,
            low=f"{low:g}",
            high=f"{high:g}",
        )
        problems.append(FieldProblem(name, message))
        return None
    return value


def _place(
    asked: SportelliRequest, geocoder: Geocoder, problems: list[FieldProblem]
) -> Place | None:
    if asked.lat or asked.lon:
        latitude = _number(asked.lat, "lat", *ITALY_LATITUDE, problems)
        longitude = _number(asked.lon, "lon", *ITALY_LONGITUDE, problems)
        if latitude is None or longitude is None:
            if not (asked.lat and asked.lon):
                field = "lat" if not asked.lat else "lon"
                problems.append(
                    FieldProblem(field, _("servono sia la latitudine sia la longitudine"))
                )
            return None
        label = f"{latitude:.5f}, {longitude:.5f}"
        return Place(label, latitude, longitude, GeocodePrecision.ADDRESS)
    if not asked.place:
        problems.append(FieldProblem("place", _("indica un comune o un indirizzo")))
        return None
    try:
        return geocoder.resolve(asked.place)
    except PlaceNotFound as error:
        problems.append(FieldProblem("place", as_text(error)))
        return None
